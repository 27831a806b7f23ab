"""Step 4 as data: compile the ministry RK-PK, its versions, coverage and documents."""

from datetime import datetime

from django.http import Http404
from ninja import Router, Schema, Status

from rkpk.analysis import consolidated_documents as documents
from rkpk.analysis import coverage as cov
from rkpk.analysis import selectors, services
from rkpk.analysis.models import Compilation
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut

router = Router(tags=["analysis: compilation"])
VIEW, COMPILE = "analysis.view_compilation", "analysis.compile"


class CompilationVersionOut(Schema):
    year: int
    number: int
    created_at: datetime
    created_by: str | None
    counts: dict
    missing_units: list[dict]
    warnings: list[str]


class VersionDetailOut(CompilationVersionOut):
    data: dict


class GoalCoverageOut(Schema):
    id: int
    code: str
    text: str
    indicators: int
    status: str
    units: list[dict]
    budget: str


class CoverageOut(Schema):
    year: int
    number: int
    weak: int
    counts: dict
    goals: list[GoalCoverageOut]
    unmapped: list[dict]
    lower_than_last_year: list[dict]
    unassigned_budget: str
    budget_rule: str


def _version_out(version: Compilation, *, detail: bool = False) -> dict:
    out = {
        "year": version.year,
        "number": version.number,
        "created_at": version.created_at,
        "created_by": version.created_by.get_username() if version.created_by else None,
        "counts": version.data.get("counts", {}),
        "missing_units": version.missing_units,
        "warnings": version.warnings,
    }
    if detail:
        out["data"] = version.data
    return out


def _get(year: int, number: int) -> Compilation:
    version = (
        Compilation.objects.select_related("created_by").filter(year=year, number=number).first()
    )
    if version is None:
        raise Http404
    return version


@router.post(
    "/analysis/compilations/{int:year}",
    response={201: CompilationVersionOut, **REFUSALS, 409: ErrorOut},
)
def compile_plans(request, year: int):
    """Compile a new version from every accepted unit plan of the year. Units still
    missing are allowed: they are listed in `missing_units`, with a warning."""
    require(request, COMPILE)
    return Status(201, _version_out(services.compile_year(actor=request.user, year=year)))


@router.get(
    "/analysis/compilations/{int:year}", response={200: list[CompilationVersionOut], **REFUSALS}
)
def versions(request, year: int):
    """The compiled versions of a year, newest first."""
    require(request, VIEW)
    return [_version_out(v) for v in selectors.compilations(year).select_related("created_by")]


@router.get(
    "/analysis/compilations/{int:year}/{int:number}",
    response={200: VersionDetailOut, **REFUSALS, **NOT_FOUND},
)
def version_detail(request, year: int, number: int):
    """One version with its consolidated content (goals, ministry indicators with the
    compiled figures, unit indicators, unmapped ones, budget by program and by unit)."""
    require(request, VIEW)
    return _version_out(_get(year, number), detail=True)


@router.get("/analysis/coverage/{int:year}", response={200: CoverageOut, **REFUSALS, **NOT_FOUND})
def coverage(request, year: int, version: int | None = None, weak: int = cov.WEAK_DEFAULT):
    """Coverage of the strategic goals by a compiled version (the latest by default).
    `weak`: a goal with fewer mapped unit indicators has weak support."""
    require(request, VIEW)
    compiled = _get(year, version) if version is not None else selectors.latest_compilation(year)
    if compiled is None:
        raise Http404
    result = cov.coverage(compiled, weak=max(1, min(100, weak)))
    return {
        "year": result.year,
        "number": result.number,
        "weak": result.weak,
        "counts": result.counts,
        "goals": [
            {
                "id": g.id,
                "code": g.code,
                "text": g.text,
                "indicators": g.indicators,
                "status": g.status,
                "units": g.units,
                "budget": str(g.budget.quantize(1)),
            }
            for g in result.goals
        ],  # fmt: skip
        "unmapped": result.unmapped,
        "lower_than_last_year": result.lower_than_last_year,
        "unassigned_budget": str(result.unassigned_budget.quantize(1)),
        "budget_rule": "each unit's total budget split equally across the goals it serves",
    }


@router.get(
    "/analysis/compilations/{int:year}/{int:number}/{doc}.{fmt}",
    response={200: None, **REFUSALS, **NOT_FOUND},
)
def download(request, year: int, number: int, doc: str, fmt: str):
    """The consolidated RK or PK (doc: rk | pk) as xlsx, docx or pdf."""
    require(request, VIEW)
    return documents.download(_get(year, number), doc=doc, fmt=fmt)

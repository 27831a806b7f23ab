"""Strategic goals (with ministry indicators, targets, XLSX import) and the analysis draft
(sections, submit, comments, approve, return, versions, compare). Every write calls
rkpk.analysis.services / rkpk.analysis.services_drafts, as the web pages do."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from rkpk.analysis import drafts, goal_import, goals, selectors, services, services_drafts
from rkpk.analysis.models import (
    AnalysisDraft,
    AnalysisSection,
    MinistryIndicator,
    RenstraPeriod,
    StrategicGoal,
)
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.routers.plans import UnknownValueOut
from rkpk.api.schemas import ErrorOut
from rkpk.core.sheet_reader import SheetFileError
from rkpk.organisation.models import Unit

router = Router(tags=["analysis: goals and draft"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TargetOut(Schema):
    year: int
    kind: str = Field(..., description="number, range, qualitative or none")
    value: Decimal | None
    min_value: Decimal | None
    max_value: Decimal | None
    text: str
    manual_value: Decimal | None
    display: str

    @staticmethod
    def resolve_kind(obj) -> str:
        if obj.text:
            return "qualitative"
        if obj.min_value is not None or obj.max_value is not None:
            return "range"
        return "number" if obj.value is not None else "none"

    @staticmethod
    def resolve_display(obj) -> str:
        return goals.format_target(obj)


class UnitRefOut(Schema):
    id: int
    code: str
    name: str


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    measure: str
    aggregation: str
    polarity: str = Field(..., description="higher, lower, range or qualitative")
    perspective: str
    responsible_units: list[UnitRefOut]
    targets: list[TargetOut]

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())

    @staticmethod
    def resolve_responsible_units(obj) -> list:
        return list(obj.responsible_units.all())


class GoalOut(Schema):
    id: int
    code: str
    text: str
    is_example: bool
    indicators: list[IndicatorOut]

    @staticmethod
    def resolve_indicators(obj) -> list:
        return list(obj.indicators.all())


class PeriodOut(Schema):
    id: int
    name: str
    start_year: int
    end_year: int


class GoalIn(Schema):
    code: str
    text: str


class TargetIn(Schema):
    value: str | float | None = Field(None, description="A number (Indonesian commas allowed).")
    min_value: str | float | None = Field(None, description="A range's minimum (may be < 0).")
    max_value: str | float | None = Field(None, description="A range's maximum (≥ minimum).")
    text: str = Field("", description="A value of the list of qualitative target values.")
    manual_value: str | float | None = Field(
        None, description="The ministry figure entered by hand (aggregation 'manual')."
    )


class YearTargetIn(TargetIn):
    year: int


class IndicatorIn(Schema):
    code: str
    name: str
    measure: str = Field(
        "",
        description="A unit of measure (satuan) from /api/v1/lists/measure-units/values; "
        "an indicator keeps its own value unchanged even if deactivated since.",
    )
    aggregation: str = "sum"
    polarity: str | None = Field(
        None,
        description="higher, lower, range or qualitative (or the Indonesian words); "
        "omitted: unchanged (new indicators: higher).",
    )
    perspective: str | None = Field(None, description="Omitted: unchanged.")
    responsible_unit_ids: list[int] | None = Field(None, description="Omitted: unchanged.")
    responsible_unit_codes: list[str] | None = Field(
        None, description="The same by unit code; omitted: unchanged."
    )
    targets: list[YearTargetIn] | None = Field(
        None,
        description="Targets saved together with the indicator (all or nothing); years "
        "left out keep theirs. An entry with no value, range or text removes that year.",
    )


class GoalImportOut(Schema):
    ok: bool
    goals: int
    indicators: int
    targets: int
    errors: list[dict]
    ignored_columns: list[str] = Field(..., description="Columns of the file not read.")
    unknown_values: list[UnknownValueOut] = Field(
        [],
        description="Satuan and qualitative targets not on their list, each once with every "
        "cell that uses it (also among `errors`). The bureau adds them with POST "
        "/api/v1/lists/add-unknown, then imports the same file again.",
    )


class DraftSectionOut(Schema):
    id: int
    key: str
    title: str
    text: str
    revision: int


class DraftOut(Schema):
    year: int
    status: str
    version: int
    compilation: int | None
    sections: list[DraftSectionOut]
    tables: dict


class DraftSectionIn(Schema):
    revision: int
    text: str


class DraftCommentIn(Schema):
    section_key: str
    text: str


class DraftReasonIn(Schema):
    reason: str


class DraftVersionOut(Schema):
    number: int
    submitted_by: str
    submitted_at: str
    decision: str
    content: dict
    comments: list[dict]


# --- Goals ------------------------------------------------------------------------------


@router.get("/analysis/periods", response={200: list[PeriodOut], **REFUSALS})
def list_periods(request):
    require(request, "analysis.view_goals")
    return list(RenstraPeriod.objects.all())


@router.get("/analysis/periods/{int:period_id}/goals", response={200: list[GoalOut], **RESPONSES})
def list_goals(request, period_id: int):
    """The goals of a period with their ministry indicators and yearly targets."""
    require(request, "analysis.view_goals")
    period = get_object_or_404(RenstraPeriod, pk=period_id)
    return list(
        StrategicGoal.objects.filter(period=period)
        .prefetch_related(*GOAL_PREFETCH)
        .order_by("sort_order", "code")
    )


GOAL_PREFETCH = ("indicators__targets", "indicators__responsible_units")


@router.get(
    "/analysis/periods/{int:period_id}/goals.xlsx",
    response={200: None, **RESPONSES},
)
def export_goals(request, period_id: int):
    """The goals, indicators (polarity, perspective, responsible units by code) and targets
    of a period as the import sheet: importing it back changes nothing."""
    require(request, "analysis.view_goals")
    period = get_object_or_404(RenstraPeriod, pk=period_id)
    response = HttpResponse(goal_import.template_workbook(period), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="sasaran-stratejik.xlsx"'
    return response


def _goal_out(goal_id: int):
    return StrategicGoal.objects.prefetch_related(*GOAL_PREFETCH).get(pk=goal_id)


def _indicator_fields(payload: IndicatorIn) -> tuple[dict, dict | None]:
    """(indicator keywords, year -> target keywords) of a payload; unknown unit codes and
    a year given twice are refused naming them."""
    data = payload.dict()
    targets = data.pop("targets")
    ids, codes = data.pop("responsible_unit_ids"), data.pop("responsible_unit_codes")
    fields = {k: v for k, v in data.items() if v is not None}
    if ids is not None or codes is not None:
        units = list(ids or [])
        if codes:
            found = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
            unknown = [c for c in codes if c not in found]
            if unknown:
                raise ValidationError(
                    {"responsible_unit_codes": f"No unit has the code {', '.join(unknown)}."}
                )
            units += [found[c] for c in codes]
        fields["responsible_units"] = units
    if targets is None:
        return fields, None
    by_year: dict[int, dict] = {}
    for target in targets:
        year = target.pop("year")
        if year in by_year:
            raise ValidationError({"targets": f"The year {year} is given twice."})
        by_year[year] = target
    return fields, by_year


@router.post("/analysis/periods/{int:period_id}/goals", response={201: GoalOut, **RESPONSES})
def create_goal(request, period_id: int, payload: GoalIn):
    period = get_object_or_404(RenstraPeriod, pk=period_id)
    goal = services.create_goal(
        actor=request.user, period=period, code=payload.code, text=payload.text
    )
    return Status(201, _goal_out(goal.pk))


@router.put("/analysis/goals/{int:goal_id}", response={200: GoalOut, **RESPONSES})
def update_goal(request, goal_id: int, payload: GoalIn):
    goal = get_object_or_404(StrategicGoal, pk=goal_id)
    services.update_goal(actor=request.user, goal=goal, code=payload.code, text=payload.text)
    return _goal_out(goal.pk)


@router.delete("/analysis/goals/{int:goal_id}", response={204: None, **RESPONSES})
def delete_goal(request, goal_id: int):
    goal = get_object_or_404(StrategicGoal, pk=goal_id)
    services.delete_goal(actor=request.user, goal=goal)
    return Status(204, None)


@router.post("/analysis/goals/{int:goal_id}/indicators", response={201: GoalOut, **RESPONSES})
def create_indicator(request, goal_id: int, payload: IndicatorIn):
    """Add a ministry indicator (polarity, perspective, responsible units) with its targets."""
    goal = get_object_or_404(StrategicGoal, pk=goal_id)
    fields, targets = _indicator_fields(payload)
    services.save_indicator(actor=request.user, goal=goal, fields=fields, targets=targets)
    return Status(201, _goal_out(goal.pk))


def _indicator(indicator_id: int) -> MinistryIndicator:
    return get_object_or_404(
        MinistryIndicator.objects.select_related("goal__period"), pk=indicator_id
    )


@router.put("/analysis/indicators/{int:indicator_id}", response={200: GoalOut, **RESPONSES})
def update_indicator(request, indicator_id: int, payload: IndicatorIn):
    """Change an indicator and, optionally, its targets together (all or nothing)."""
    indicator = _indicator(indicator_id)
    fields, targets = _indicator_fields(payload)
    services.save_indicator(
        actor=request.user,
        goal=indicator.goal,
        indicator=indicator,
        fields=fields,
        targets=targets,
    )
    return _goal_out(indicator.goal_id)


@router.delete("/analysis/indicators/{int:indicator_id}", response={204: None, **RESPONSES})
def delete_indicator(request, indicator_id: int):
    services.delete_indicator(actor=request.user, indicator=_indicator(indicator_id))
    return Status(204, None)


@router.put(
    "/analysis/indicators/{int:indicator_id}/targets/{int:year}",
    response={200: GoalOut, **RESPONSES},
)
def set_target(request, indicator_id: int, year: int, payload: TargetIn):
    """Set a year's target: a number (`value`), a range (`min_value` ≤ `max_value`,
    negatives allowed) or a value of the qualitative list (`text`), as suits the indicator's
    polarity; send none of them (and no `manual_value`) to remove it."""
    indicator = _indicator(indicator_id)
    services.set_target(actor=request.user, indicator=indicator, year=year, **payload.dict())
    return _goal_out(indicator.goal_id)


@router.post("/analysis/goals/import", response={200: GoalImportOut, **RESPONSES})
def import_goals(request, file: File[UploadedFile]):
    """Import an XLSX sheet (periode, kode sasaran, sasaran, kode indikator, indikator,
    satuan, agregasi, polaritas, perspektif, unit penanggung jawab, tahun, target, angka
    manual). All or nothing: with errors, nothing is written. Columns not read are listed
    in `ignored_columns`. A satuan or qualitative target not on its reference list is in
    `unknown_values` once, with every cell that uses it: the bureau adds them with POST
    /api/v1/lists/add-unknown, then the same file imports."""
    try:
        summary = services.import_goals(actor=request.user, upload=file, filename=file.name)
    except SheetFileError as error:
        raise ValidationError({"file": error.message}) from error
    return {
        "ok": summary.ok,
        "goals": summary.goals if summary.ok else 0,
        "indicators": summary.indicators if summary.ok else 0,
        "targets": summary.targets if summary.ok else 0,
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.label, "message": e.message}
            for e in summary.errors
        ],
        "ignored_columns": summary.ignored_columns,
        "unknown_values": summary.unknown_values,
    }


# --- Draft ------------------------------------------------------------------------------


def _draft(year: int) -> AnalysisDraft:
    draft = selectors.draft_of(year)
    if draft is None:
        raise Http404
    return draft


def _draft_out(draft: AnalysisDraft) -> dict:
    return {
        "year": draft.year,
        "status": draft.status,
        "version": draft.version,
        "compilation": draft.compilation.number if draft.compilation else None,
        "sections": list(draft.sections.all()),
        "tables": drafts.generate_tables(draft.year, draft.compilation),
    }


@router.get("/analysis/drafts/{int:year}", response={200: DraftOut, **RESPONSES})
def get_draft(request, year: int):
    require(request, "analysis.view_drafts")
    return _draft_out(_draft(year))


@router.post("/analysis/drafts/{int:year}", response={200: DraftOut, **RESPONSES})
def create_or_refresh(request, year: int):
    """Create the year's draft, or refresh an editable one (written text is kept)."""
    return _draft_out(services_drafts.create_or_refresh_draft(actor=request.user, year=year))


@router.put(
    "/analysis/drafts/{int:year}/sections/{key}", response={200: DraftSectionOut, **RESPONSES}
)
def update_section(request, year: int, key: str, payload: DraftSectionIn):
    """Save a section; `revision` must be the one you read (409 when someone saved since)."""
    require(request, "analysis.view_drafts")
    section = get_object_or_404(AnalysisSection, draft=_draft(year), key=key)
    return services_drafts.update_section(
        actor=request.user, section=section, revision=payload.revision, text=payload.text
    )


@router.post("/analysis/drafts/{int:year}/submit", response={200: DraftOut, **RESPONSES})
def submit(request, year: int):
    draft = _draft(year)
    services_drafts.submit(actor=request.user, draft=draft)
    return _draft_out(_draft(year))


@router.post("/analysis/drafts/{int:year}/comments", response={201: dict, **RESPONSES})
def comment(request, year: int, payload: DraftCommentIn):
    """The head of bureau's comment on a section of the submitted version."""
    draft = _draft(year)
    version = draft.versions.order_by("-number").first()
    if version is None:
        raise Http404
    note = services_drafts.comment(
        actor=request.user, version=version, section_key=payload.section_key, text=payload.text
    )
    return Status(201, {"id": note.pk, "version": version.number, "section_key": note.section_key})


@router.post("/analysis/drafts/{int:year}/approve", response={200: DraftOut, **RESPONSES})
def approve(request, year: int):
    """Approve the submitted version; completes step 5 of the year's cycle."""
    services_drafts.approve(actor=request.user, draft=_draft(year))
    return _draft_out(_draft(year))


@router.post("/analysis/drafts/{int:year}/return", response={200: DraftOut, **RESPONSES})
def return_draft(request, year: int, payload: DraftReasonIn):
    services_drafts.return_draft(actor=request.user, draft=_draft(year), reason=payload.reason)
    return _draft_out(_draft(year))


@router.get(
    "/analysis/drafts/{int:year}/versions", response={200: list[DraftVersionOut], **RESPONSES}
)
def versions(request, year: int):
    require(request, "analysis.view_drafts")
    draft = _draft(year)
    result = []
    for v in draft.versions.select_related("submitted_by").prefetch_related("comments__author"):
        result.append(
            {
                "number": v.number,
                "submitted_by": v.submitted_by.get_username(),
                "submitted_at": v.submitted_at.isoformat(),
                "decision": v.decision,
                "content": v.content,
                "comments": [
                    {
                        "section_key": c.section_key,
                        "text": c.text,
                        "author": c.author.get_username(),
                        "at": c.created_at.isoformat(),
                    }
                    for c in v.comments.all()
                ],
            }
        )
    return result


@router.get("/analysis/drafts/{int:year}/compare", response={200: list[dict], **RESPONSES})
def compare(request, year: int, a: int, b: int):
    """Per section: old and new text and the word-level differences between versions a and b."""
    require(request, "analysis.view_drafts")
    draft = _draft(year)
    va = get_object_or_404(draft.versions, number=a)
    vb = get_object_or_404(draft.versions, number=b)
    return drafts.compare_versions(va, vb)

"""Strategic goals (with ministry indicators, targets, XLSX import) and the analysis draft
(sections, submit, comments, approve, return, versions, compare). Every write calls
rkpk.analysis.goals / rkpk.analysis.drafts, as the web pages do."""

from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from rkpk.analysis import drafts
from rkpk.analysis import goals as goal_services
from rkpk.analysis.models import (
    AnalysisDraft,
    AnalysisSection,
    MinistryIndicator,
    RenstraPeriod,
    StrategicGoal,
)
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut

router = Router(tags=["analysis: goals and draft"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}


class TargetOut(Schema):
    year: int
    value: Decimal | None
    text: str


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    measure: str
    aggregation: str
    targets: list[TargetOut]

    @staticmethod
    def resolve_targets(obj) -> list:
        return list(obj.targets.all())


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


class IndicatorIn(Schema):
    code: str
    name: str
    measure: str = ""
    aggregation: str = "sum"


class TargetIn(Schema):
    value: str | float | None = None
    text: str = ""


class ImportOut(Schema):
    ok: bool
    goals: int
    indicators: int
    targets: int
    errors: list[dict]


class SectionOut(Schema):
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
    sections: list[SectionOut]
    tables: dict


class SectionIn(Schema):
    revision: int
    text: str


class CommentIn(Schema):
    section_key: str
    text: str


class ReasonIn(Schema):
    reason: str


class VersionOut(Schema):
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
        .prefetch_related("indicators__targets")
        .order_by("sort_order", "code")
    )


def _goal_out(goal_id: int):
    return StrategicGoal.objects.prefetch_related("indicators__targets").get(pk=goal_id)


@router.post("/analysis/periods/{int:period_id}/goals", response={201: GoalOut, **RESPONSES})
def create_goal(request, period_id: int, payload: GoalIn):
    period = get_object_or_404(RenstraPeriod, pk=period_id)
    goal = goal_services.create_goal(
        actor=request.user, period=period, code=payload.code, text=payload.text
    )
    return Status(201, _goal_out(goal.pk))


@router.put("/analysis/goals/{int:goal_id}", response={200: GoalOut, **RESPONSES})
def update_goal(request, goal_id: int, payload: GoalIn):
    goal = get_object_or_404(StrategicGoal, pk=goal_id)
    goal_services.update_goal(actor=request.user, goal=goal, code=payload.code, text=payload.text)
    return _goal_out(goal.pk)


@router.delete("/analysis/goals/{int:goal_id}", response={204: None, **RESPONSES})
def delete_goal(request, goal_id: int):
    goal = get_object_or_404(StrategicGoal, pk=goal_id)
    goal_services.delete_goal(actor=request.user, goal=goal)
    return Status(204, None)


@router.post("/analysis/goals/{int:goal_id}/indicators", response={201: GoalOut, **RESPONSES})
def create_indicator(request, goal_id: int, payload: IndicatorIn):
    goal = get_object_or_404(StrategicGoal, pk=goal_id)
    goal_services.create_indicator(actor=request.user, goal=goal, **payload.dict())
    return Status(201, _goal_out(goal.pk))


def _indicator(indicator_id: int) -> MinistryIndicator:
    return get_object_or_404(
        MinistryIndicator.objects.select_related("goal__period"), pk=indicator_id
    )


@router.put("/analysis/indicators/{int:indicator_id}", response={200: GoalOut, **RESPONSES})
def update_indicator(request, indicator_id: int, payload: IndicatorIn):
    indicator = _indicator(indicator_id)
    goal_services.update_indicator(actor=request.user, indicator=indicator, **payload.dict())
    return _goal_out(indicator.goal_id)


@router.delete("/analysis/indicators/{int:indicator_id}", response={204: None, **RESPONSES})
def delete_indicator(request, indicator_id: int):
    goal_services.delete_indicator(actor=request.user, indicator=_indicator(indicator_id))
    return Status(204, None)


@router.put(
    "/analysis/indicators/{int:indicator_id}/targets/{int:year}",
    response={200: GoalOut, **RESPONSES},
)
def set_target(request, indicator_id: int, year: int, payload: TargetIn):
    """Set a year's target (a number, or a qualitative text); send neither to remove it."""
    indicator = _indicator(indicator_id)
    goal_services.set_target(
        actor=request.user, indicator=indicator, year=year, value=payload.value, text=payload.text
    )
    return _goal_out(indicator.goal_id)


@router.post("/analysis/goals/import", response={200: ImportOut, **RESPONSES})
def import_goals(request, file: File[UploadedFile]):
    """Import an XLSX sheet (periode, kode sasaran, sasaran, kode indikator, indikator,
    satuan, agregasi, tahun, target). All or nothing: with errors, nothing is written."""
    from django.core.exceptions import ValidationError

    try:
        summary = goal_services.import_goals(actor=request.user, upload=file, filename=file.name)
    except goal_services.ImportFileError as error:
        raise ValidationError({"file": error.message}) from error
    return {
        "ok": summary.ok,
        "goals": summary.goals if summary.ok else 0,
        "indicators": summary.indicators if summary.ok else 0,
        "targets": summary.targets if summary.ok else 0,
        "errors": [
            {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
            for e in summary.errors
        ],
    }


# --- Draft ------------------------------------------------------------------------------


def _draft(year: int) -> AnalysisDraft:
    draft = AnalysisDraft.objects.filter(year=year).select_related("compilation").first()
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
    return _draft_out(drafts.create_or_refresh_draft(actor=request.user, year=year))


@router.put("/analysis/drafts/{int:year}/sections/{key}", response={200: SectionOut, **RESPONSES})
def update_section(request, year: int, key: str, payload: SectionIn):
    """Save a section; `revision` must be the one you read (409 when someone saved since)."""
    require(request, "analysis.view_drafts")
    section = get_object_or_404(AnalysisSection, draft=_draft(year), key=key)
    return drafts.update_section(
        actor=request.user, section=section, revision=payload.revision, text=payload.text
    )


@router.post("/analysis/drafts/{int:year}/submit", response={200: DraftOut, **RESPONSES})
def submit(request, year: int):
    draft = _draft(year)
    drafts.submit(actor=request.user, draft=draft)
    return _draft_out(_draft(year))


@router.post("/analysis/drafts/{int:year}/comments", response={201: dict, **RESPONSES})
def comment(request, year: int, payload: CommentIn):
    """The head of bureau's comment on a section of the submitted version."""
    draft = _draft(year)
    version = draft.versions.order_by("-number").first()
    if version is None:
        raise Http404
    note = drafts.comment(
        actor=request.user, version=version, section_key=payload.section_key, text=payload.text
    )
    return Status(201, {"id": note.pk, "version": version.number, "section_key": note.section_key})


@router.post("/analysis/drafts/{int:year}/approve", response={200: DraftOut, **RESPONSES})
def approve(request, year: int):
    """Approve the submitted version; completes step 5 of the year's cycle."""
    drafts.approve(actor=request.user, draft=_draft(year))
    return _draft_out(_draft(year))


@router.post("/analysis/drafts/{int:year}/return", response={200: DraftOut, **RESPONSES})
def return_draft(request, year: int, payload: ReasonIn):
    drafts.return_draft(actor=request.user, draft=_draft(year), reason=payload.reason)
    return _draft_out(_draft(year))


@router.get("/analysis/drafts/{int:year}/versions", response={200: list[VersionOut], **RESPONSES})
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

"""Unit plans (RK-PK): content, PK parties, checks, submissions, decisions, clarifications.

Every write calls rkpk.plans.services — the same functions as the web pages — so the
permission checks, revision conflicts, audit events and notifications are the same.
"""

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut
from rkpk.core.downloads import stored_file_response
from rkpk.organisation.models import Official, Unit
from rkpk.organisation.selectors import pk_parties
from rkpk.plans import (
    checks,
    diff,
    document_tasks,
    documents,
    excel,
    rendered,
    services,
    services_content,
)
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Attachment,
    Goal,
    Indicator,
    Submission,
    UnitPlan,
)
from rkpk.plans.selectors import plans_for
from rkpk.plans.snapshot import plan_snapshot

router = Router(tags=["plans"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}

ROW_MODELS = {
    "goals": Goal,
    "indicators": Indicator,
    "activities": Activity,
    "activity-indicators": ActivityIndicator,
}
NUMBER_FIELDS = ("target_value", "target_min", "target_max", "q1", "q2", "q3", "q4", "budget")


class UnitPlanOut(Schema):
    unit: str
    unit_name: str
    year: int
    status: str
    revision: int
    latest_version: int | None = None


class UnitPlanIn(Schema):
    unit: str
    year: int


class ExpectedPartyOut(Schema):
    """Who the organisation records for a PK party today: the unit's head or the official
    acting for it; for the second party the parent's head, or the minister for a unit
    directly under the minister. `official_id` names one without NIP in PUT .../parties."""

    official_id: int | None
    nip: str | None
    name: str
    acting: str  # "", "Plt" or "Plh"
    post: str  # as printed, e.g. "Plt. Kepala Biro Umum"


class PlanDetailOut(UnitPlanOut):
    editable: bool
    content: dict
    revisions: dict
    expected_parties: dict[str, ExpectedPartyOut | None] = {}


class PartiesIn(Schema):
    revision: int
    first_party_nip: str | None = None
    first_party_acting: str = ""
    second_party_nip: str | None = None
    second_party_acting: str = ""


class RowIn(Schema):
    """The fields of a goal, indicator, activity or activity indicator; send only those to
    change. Numbers may be JSON numbers or Indonesian text ("1.234,5", "85%")."""

    revision: int | None = None
    goal_id: int | None = None
    activity_id: int | None = None
    code: str | None = None
    text: str | None = None
    level: str | None = None
    name: str | None = None
    definition: str | None = None
    formula: str | None = None
    measure: str | None = None
    polarity: str | None = None
    data_source: str | None = None
    indicator_type: str | None = None
    target_kind: str | None = None
    target_value: str | float | None = None
    target_min: str | float | None = None
    target_max: str | float | None = None
    target_text: str | None = None
    q1: str | float | None = None
    q2: str | float | None = None
    q3: str | float | None = None
    q4: str | float | None = None
    in_pk: bool | None = None
    kind: str | None = None
    budget: str | float | None = None
    notes: str | None = None
    # An activity standing for the whole plan of a unit below: that unit's code ("" or null
    # to clear). The compilation reconciles such a line and never adds it to the totals.
    rolls_up: str | None = None


class RowOut(Schema):
    id: int
    revision: int


class RowMoveIn(Schema):
    direction: str


class PlanDecisionIn(Schema):
    reasons: list[str] = []
    remarks: str = ""


class CheckOut(Schema):
    code: str
    title: str
    severity: str
    passed: bool
    problems: list[str]


class SubmissionOut(Schema):
    number: int
    submitted_by: str
    submitted_at: str
    decision: str
    decided_by: str | None
    decided_at: str | None
    reasons: list[str]
    remarks: str
    failed_checks: int


class SubmissionDetailOut(SubmissionOut):
    content: dict
    checks: list[CheckOut]


class PlanAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    author: str
    body: str
    created_at: str
    version: int | None
    attachments: list[PlanAttachmentOut]


def visible_plan(request, unit_code: str, year: int) -> UnitPlan:
    require(request, "plans.view_plans")
    plan = plans_for(request.user).filter(unit__code=unit_code, year=year).first()
    if plan is None:
        raise Http404
    return plan


def _plan_out(plan: UnitPlan, latest: int | None = None) -> dict:
    return {
        "unit": plan.unit.code,
        "unit_name": plan.unit.name,
        "year": plan.year,
        "status": plan.status,
        "revision": plan.revision,
        "latest_version": latest,
    }


def _revisions(plan: UnitPlan) -> dict:
    return {
        "goals": dict(Goal.objects.filter(plan=plan).values_list("id", "revision")),
        "indicators": dict(Indicator.objects.filter(plan=plan).values_list("id", "revision")),
        "activities": dict(Activity.objects.filter(plan=plan).values_list("id", "revision")),
        "activity-indicators": dict(
            ActivityIndicator.objects.filter(activity__plan=plan).values_list("id", "revision")
        ),
    }


def _expected_parties(plan: UnitPlan) -> dict:
    def out(party):
        if party.official is None and not party.post:
            return None
        official = party.official
        return {
            "official_id": official.pk if official else None,
            "nip": official.nip if official else None,
            "name": official.name if official else "",
            "acting": party.acting,
            "post": party.printed_post,
        }

    first, second = pk_parties(plan.unit)
    return {"first": out(first), "second": out(second)}


def _detail(request, plan: UnitPlan) -> dict:
    plan.refresh_from_db()
    latest = plan.submissions.order_by("-number").values_list("number", flat=True).first()
    return {
        **_plan_out(plan, latest),
        "editable": plan.is_editable and request.user.has_perm("plans.edit_plan", plan),
        "content": plan_snapshot(plan),
        "revisions": _revisions(plan),
        "expected_parties": _expected_parties(plan),
    }


@router.get("/plans", response={200: list[UnitPlanOut], **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=500)
def list_plans(
    request, year: int | None = None, unit: str | None = None, status: str | None = None
):
    """The plans you may see (a unit's people: their own unit's)."""
    require(request, "plans.view_plans")
    plans = plans_for(request.user).order_by("-year", "unit__sort_order", "unit__code")
    if year:
        plans = plans.filter(year=year)
    if unit:
        plans = plans.filter(unit__code=unit)
    if status:
        plans = plans.filter(status=status)
    return [_plan_out(p) for p in plans]


@router.post("/plans", response={201: PlanDetailOut, **RESPONSES})
def create_plan(request, payload: UnitPlanIn):
    """Start a unit's plan for a year (or get it when it exists)."""
    unit = Unit.objects.filter(code=payload.unit, is_active=True).first()
    if unit is None:
        raise Http404
    plan = services.get_or_create_plan(actor=request.user, unit=unit, year=payload.year)
    return Status(201, _detail(request, plan))


@router.get("/plans/{unit_code}/{int:year}", response={200: PlanDetailOut, **RESPONSES})
def get_plan(request, unit_code: str, year: int):
    """The plan's content (the same shape a submission freezes) and each row's revision."""
    return _detail(request, visible_plan(request, unit_code, year))


@router.post(
    "/plans/{unit_code}/{int:year}/copy-previous", response={200: PlanDetailOut, **RESPONSES}
)
def copy_previous(request, unit_code: str, year: int):
    plan = visible_plan(request, unit_code, year)
    services_content.copy_previous_year(actor=request.user, plan=plan)
    return _detail(request, plan)


def _official(nip: str | None):
    """An active official named by NIP or, for one without NIP (a pejabat negara such as the
    minister), by the officials register's id (`id` in /api/v1/officials)."""
    if not nip:
        return None
    ref = str(nip).strip()
    official = Official.objects.filter(nip=ref, is_active=True).first()
    if official is None and ref.isdigit() and len(ref) < 18:
        official = Official.objects.filter(pk=int(ref), nip=None, is_active=True).first()
    if official is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"nip": f"No active official has NIP (or register id) {ref}."})
    return official


@router.put("/plans/{unit_code}/{int:year}/parties", response={200: PlanDetailOut, **RESPONSES})
def set_parties(request, unit_code: str, year: int, payload: PartiesIn):
    """The PK parties by NIP (an official without NIP, e.g. the minister, by the register's
    id), with their acting flags ("", "Plt" or "Plh")."""
    plan = visible_plan(request, unit_code, year)
    services.set_parties(
        actor=request.user,
        plan=plan,
        revision=payload.revision,
        first_party=_official(payload.first_party_nip),
        second_party=_official(payload.second_party_nip),
        first_party_acting=payload.first_party_acting,
        second_party_acting=payload.second_party_acting,
    )
    return _detail(request, plan)


def _values(payload: RowIn, plan: UnitPlan) -> dict:
    from django.core.exceptions import ValidationError

    data = payload.dict(exclude_unset=True)
    data.pop("revision", None)
    data.pop("activity_id", None)
    errors = {}
    for name in NUMBER_FIELDS:
        # Read and judged by the services' one validator (rkpk.plans.validation), like the
        # editor's and the workbook's numbers; an empty value clears the field.
        if name in data and data[name] == "":
            data[name] = None
    if "rolls_up" in data:
        code = (data["rolls_up"] or "").strip()
        data["rolls_up"] = Unit.objects.filter(code=code).first() if code else None
        if code and data["rolls_up"] is None:
            errors["rolls_up"] = f"No unit has the code {code!r}."
    if "goal_id" in data:
        goal = Goal.objects.filter(pk=data.pop("goal_id"), plan=plan).first()
        if goal is None:
            errors["goal_id"] = "No goal of this plan has that id."
        data["goal"] = goal
    if errors:
        raise ValidationError(errors)
    return data


def _row(plan: UnitPlan, kind: str, row_id: int):
    model = ROW_MODELS.get(kind)
    if model is None:
        raise Http404
    rows = (
        model.objects.filter(activity__plan=plan)
        if model is ActivityIndicator
        else model.objects.filter(plan=plan)
    )
    row = rows.filter(pk=row_id).first()
    if row is None:
        raise Http404
    return row


@router.post("/plans/{unit_code}/{int:year}/rows/{kind}", response={201: RowOut, **RESPONSES})
def add_row(request, unit_code: str, year: int, kind: str, payload: RowIn):
    """Add a goal, indicator (goal_id), activity or activity indicator (activity_id)."""
    plan = visible_plan(request, unit_code, year)
    model = ROW_MODELS.get(kind)
    if model is None:
        raise Http404
    activity = None
    if model is ActivityIndicator:
        activity = Activity.objects.filter(pk=payload.activity_id, plan=plan).first()
        if activity is None:
            raise Http404
    row = services.create_row(
        actor=request.user, model=model, plan=plan, activity=activity, **_values(payload, plan)
    )
    return Status(201, {"id": row.pk, "revision": row.revision})


@router.patch(
    "/plans/{unit_code}/{int:year}/rows/{kind}/{int:row_id}", response={200: RowOut, **RESPONSES}
)
def change_row(request, unit_code: str, year: int, kind: str, row_id: int, payload: RowIn):
    """Change fields of a row; `revision` must be the one you read (409 when stale)."""
    plan = visible_plan(request, unit_code, year)
    row = _row(plan, kind, row_id)
    row = services.update_row(
        actor=request.user, row=row, revision=payload.revision, **_values(payload, plan)
    )
    return {"id": row.pk, "revision": row.revision}


@router.delete(
    "/plans/{unit_code}/{int:year}/rows/{kind}/{int:row_id}", response={204: None, **RESPONSES}
)
def delete_row(request, unit_code: str, year: int, kind: str, row_id: int, revision: int):
    plan = visible_plan(request, unit_code, year)
    services.delete_row(actor=request.user, row=_row(plan, kind, row_id), revision=revision)
    return Status(204, None)


@router.post(
    "/plans/{unit_code}/{int:year}/rows/{kind}/{int:row_id}/move",
    response={200: RowOut, **RESPONSES},
)
def move_row(request, unit_code: str, year: int, kind: str, row_id: int, payload: RowMoveIn):
    plan = visible_plan(request, unit_code, year)
    row = _row(plan, kind, row_id)
    services.move_row(actor=request.user, row=row, direction=payload.direction)
    row.refresh_from_db()
    return {"id": row.pk, "revision": row.revision}


@router.get("/plans/{unit_code}/{int:year}/checks", response={200: list[CheckOut], **RESPONSES})
def plan_checks(request, unit_code: str, year: int):
    """The form-conformity rules on the current content; errors block a submission."""
    return checks.run_checks(plan_snapshot(visible_plan(request, unit_code, year)))


def _submission_out(s: Submission) -> dict:
    return {
        "number": s.number,
        "submitted_by": s.submitted_by.get_username(),
        "submitted_at": s.submitted_at.isoformat(),
        "decision": s.decision,
        "decided_by": s.decided_by.get_username() if s.decided_by else None,
        "decided_at": s.decided_at.isoformat() if s.decided_at else None,
        "reasons": s.reasons,
        "remarks": s.remarks,
        "failed_checks": sum(1 for c in s.checks if not c.get("passed")),
    }


@router.post("/plans/{unit_code}/{int:year}/submit", response={201: SubmissionOut, **RESPONSES})
def submit(request, unit_code: str, year: int):
    """Freeze the plan as the next version and send it to the bureau. When the organisation
    asks for the unit head's approval, only the unit head submits (403 for an operator, who
    sends the plan for approval with `request-approval`)."""
    plan = visible_plan(request, unit_code, year)
    return Status(201, _submission_out(services.submit(actor=request.user, plan=plan)))


class HeadReturnIn(Schema):
    note: str  # what the operator should change; required


@router.post(
    "/plans/{unit_code}/{int:year}/request-approval", response={200: UnitPlanOut, **RESPONSES}
)
def request_approval(request, unit_code: str, year: int):
    """The operator sends the plan to the unit head for approval (status `awaiting_head`,
    read-only). Refused while a blocking check fails or when the unit has no recorded head."""
    from rkpk.plans import services_approval

    plan = visible_plan(request, unit_code, year)
    return _plan_out(services_approval.request_approval(actor=request.user, plan=plan))


@router.post("/plans/{unit_code}/{int:year}/approve", response={201: SubmissionOut, **RESPONSES})
def approve(request, unit_code: str, year: int):
    """The unit head (or the official acting for them) approves a plan awaiting them: it is
    submitted to the bureau as the next version, with the submission's checks."""
    from rkpk.plans import services_approval

    plan = visible_plan(request, unit_code, year)
    submission = services_approval.approve(actor=request.user, plan=plan)
    return Status(201, _submission_out(submission))


@router.post(
    "/plans/{unit_code}/{int:year}/return-to-operator", response={200: UnitPlanOut, **RESPONSES}
)
def return_to_operator(request, unit_code: str, year: int, payload: HeadReturnIn):
    """The unit head returns a plan awaiting them to the operator with a note (required); the
    plan is editable again."""
    from rkpk.plans import services_approval

    plan = visible_plan(request, unit_code, year)
    returned = services_approval.return_to_operator(
        actor=request.user, plan=plan, note=payload.note
    )
    return _plan_out(returned)


def _decision(request, unit_code, year, function, payload: PlanDecisionIn, **extra):
    plan = visible_plan(request, unit_code, year)
    return _submission_out(
        function(actor=request.user, plan=plan, remarks=payload.remarks, **extra)
    )


@router.post(
    "/plans/{unit_code}/{int:year}/clarification", response={200: SubmissionOut, **RESPONSES}
)
def request_clarification(request, unit_code: str, year: int, payload: PlanDecisionIn):
    """Ask the unit to clarify; reasons are codes of the maintained checklist."""
    return _decision(
        request, unit_code, year, services.request_clarification, payload, reasons=payload.reasons
    )


@router.post("/plans/{unit_code}/{int:year}/return", response={200: SubmissionOut, **RESPONSES})
def return_plan(request, unit_code: str, year: int, payload: PlanDecisionIn):
    return _decision(
        request, unit_code, year, services.return_plan, payload, reasons=payload.reasons
    )


@router.post("/plans/{unit_code}/{int:year}/accept", response={200: SubmissionOut, **RESPONSES})
def accept(request, unit_code: str, year: int, payload: PlanDecisionIn):
    """Accept and lock the latest version (not by the person who submitted it)."""
    return _decision(request, unit_code, year, services.accept, payload)


@router.get(
    "/plans/{unit_code}/{int:year}/submissions", response={200: list[SubmissionOut], **RESPONSES}
)
def list_submissions(request, unit_code: str, year: int):
    plan = visible_plan(request, unit_code, year)
    rows = plan.submissions.select_related("submitted_by", "decided_by").order_by("-number")
    return [_submission_out(s) for s in rows]


@router.get(
    "/plans/{unit_code}/{int:year}/submissions/{int:number}",
    response={200: SubmissionDetailOut, **RESPONSES},
)
def get_submission(request, unit_code: str, year: int, number: int):
    """A submitted version exactly as it was frozen, with its check results."""
    plan = visible_plan(request, unit_code, year)
    submission = (
        plan.submissions.select_related("submitted_by", "decided_by").filter(number=number).first()
    )
    if submission is None:
        raise Http404
    return {
        **_submission_out(submission),
        "content": submission.snapshot,
        "checks": submission.checks,
    }


def _message_out(m) -> dict:
    return {
        "id": m.pk,
        "author": m.author.get_username(),
        "body": m.body,
        "created_at": m.created_at.isoformat(),
        "version": m.submission.number if m.submission else None,
        "attachments": [
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in m.attachments.all()
        ],
    }


@router.get("/plans/{unit_code}/{int:year}/messages", response={200: list[MessageOut], **RESPONSES})
def list_messages(request, unit_code: str, year: int):
    """The clarification thread, oldest first."""
    plan = visible_plan(request, unit_code, year)
    messages = (
        plan.messages.select_related("author", "submission")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    return [_message_out(m) for m in messages]


@router.post("/plans/{unit_code}/{int:year}/messages", response={201: MessageOut, **RESPONSES})
def post_message(
    request,
    unit_code: str,
    year: int,
    body: Form[str],
    files: File[list[UploadedFile]] = None,
):
    """A message with optional attachments (multipart/form-data; PDF, DOCX, XLSX, PNG, JPEG)."""
    plan = visible_plan(request, unit_code, year)
    message = services.post_message(actor=request.user, plan=plan, body=body, files=files or [])
    return Status(201, _message_out(message))


@router.get("/attachments/{int:attachment_id}", response={200: None, **RESPONSES})
def download_attachment(request, attachment_id: int):
    """An attachment's file, only for those who may see its plan."""
    require(request, "plans.view_plans")
    attachment = (
        Attachment.objects.select_related("message__plan")
        .filter(pk=attachment_id, message__plan__in=plans_for(request.user))
        .first()
    )
    if attachment is None:
        raise Http404
    return stored_file_response(
        attachment.file,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
    )


class FieldChangeOut(Schema):
    field: str
    label: str
    old: str
    new: str


class ChangeOut(Schema):
    section: str
    kind: str
    label: str
    context: str
    fields: list[FieldChangeOut]


class PlanCompareOut(Schema):
    old_version: int
    new_version: int
    counts: dict
    changes: list[ChangeOut]


@router.get("/plans/{unit_code}/{int:year}/compare", response={200: PlanCompareOut, **RESPONSES})
def compare(request, unit_code: str, year: int, a: int, b: int):
    """What changed between two submitted versions: added, removed and changed rows."""
    plan = visible_plan(request, unit_code, year)
    versions = {s.number: s for s in plan.submissions.filter(number__in=[a, b])}
    if a not in versions or b not in versions:
        raise Http404
    result = diff.compare_submissions(versions[a], versions[b])
    return {
        "old_version": a,
        "new_version": b,
        "counts": result.counts,
        "changes": [
            {
                "section": change.section,
                "kind": change.kind,
                "label": change.label,
                "context": change.context,
                "fields": [
                    {"field": f.name, "label": str(f.label), "old": f.old, "new": f.new}
                    for f in change.fields
                ],
            }
            for change in result.changes
        ],
    }


class PdfPendingOut(Schema):
    """A PDF not rendered yet: the background worker renders it; ask again after
    `retry_after` seconds (also the Retry-After header)."""

    status: str  # queued | running | failed
    detail: str
    retry_after: int


PDF_RETRY_SECONDS = 2


@router.get(
    "/plans/{unit_code}/{int:year}/documents/{doc}.{fmt}",
    response={200: None, 202: PdfPendingOut, **RESPONSES},
)
def document(
    request,
    unit_code: str,
    year: int,
    doc: str,
    fmt: str,
    version: int | None = None,
    retry: bool = False,
):
    """The RK, PK or both (doc: rk | pk | rkpk) as docx or pdf; `version` prints a submitted
    version as it was frozen. A PDF is sent from its stored rendering; while the background
    worker renders it the answer is 202 (ask again; `retry=true` after a failed rendering)."""
    plan = visible_plan(request, unit_code, year)
    if doc not in documents.DOCS or fmt not in documents.FORMATS:
        raise Http404
    source = plan
    if version is not None:
        source = plan.submissions.filter(number=version).first()
        if source is None:
            raise Http404
    name = documents.document_filename(plan, doc=doc, fmt=fmt, version=version)
    if fmt == "pdf":
        place, path = rendered.find(plan, source, doc=doc)
        if path is None:
            wait = document_tasks.request_pdf(place, retry=retry)
            failed = wait.state == document_tasks.FAILED
            pending = JsonResponse(
                {
                    "status": wait.state,
                    "detail": _("The PDF could not be prepared.")
                    if failed
                    else _("The PDF is being prepared. Ask again shortly."),
                    "retry_after": PDF_RETRY_SECONDS,
                },
                status=202,
            )
            pending["Retry-After"] = str(PDF_RETRY_SECONDS)
            return pending
        response = FileResponse(path.open("rb"), content_type=documents.CONTENT_TYPES[fmt])
    else:
        response = HttpResponse(
            documents.render_plan_document(source, doc=doc, fmt=fmt),
            content_type=documents.CONTENT_TYPES[fmt],
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class CellErrorOut(Schema):
    sheet: str
    row: int | None
    column: str
    header: str
    message: str


class RollupOut(Schema):
    """An activity line of the imported plan recognised as a roll-up of a unit below."""

    activity_id: int
    row: int
    name: str
    budget: str
    unit_code: str
    unit_name: str
    applied: bool


class WorkbookImportOut(Schema):
    counts: dict
    rollups: list[RollupOut] = []


class UnknownCellOut(Schema):
    sheet: str
    row: int | None
    column: str
    header: str


class UnknownValueOut(Schema):
    """A value not on its list (or deactivated), once, with every cell that uses it."""

    list: str  # "measure-units" or "qualitative-values"
    value: str
    inactive: bool
    count: int
    where: str
    cells: list[UnknownCellOut]


class WorkbookImportRefusedOut(Schema):
    detail: str
    conflict: bool
    shrink: bool = False  # fewer than half the plan's rows: send allow_shrink=true to replace
    errors: list[CellErrorOut]
    # The bureau adds them with POST /api/v1/lists/add-unknown, then imports again.
    unknown_values: list[UnknownValueOut] = []


@router.get("/plans/{unit_code}/{int:year}/workbook.xlsx", response={200: None, **RESPONSES})
def workbook(request, unit_code: str, year: int):
    """The plan as the pre-filled XLSX workbook (drop-downs, locked structure)."""
    plan = visible_plan(request, unit_code, year)
    response = HttpResponse(
        excel.build_workbook(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="RK-PK-{year}-{unit_code}.xlsx"'
    return response


@router.post(
    "/plans/{unit_code}/{int:year}/workbook",
    response={
        200: WorkbookImportOut,
        **REFUSALS,
        **NOT_FOUND,
        # The import's own refusals name the cells; a request ninja refuses before the
        # import (no file, a bad flag) or a conflict raised by a service has the error body.
        409: WorkbookImportRefusedOut | ErrorOut,
        422: WorkbookImportRefusedOut | ErrorOut,
    },
)
def import_workbook(
    request,
    unit_code: str,
    year: int,
    file: File[UploadedFile],
    overwrite: Form[bool] = False,
    apply_rollups: Form[bool] = True,
    allow_shrink: Form[bool] = False,
):
    """Replace the plan's content with a filled-in workbook. Every row is checked first;
    nothing is imported while one is wrong (422 with sheet, row, column and reason). A
    workbook downloaded before the plan changed is refused (409) unless `overwrite`. A
    workbook without data rows is refused (422); one holding fewer than half of the plan's
    current rows is refused (422, `shrink` true) unless `allow_shrink` (form field or query
    parameter). The replaced content is kept as a version in the `plan.imported` audit event.

    Activity lines that name a unit below and carry exactly its plan total are roll-ups
    (`rollups` in the answer): marked as such unless `apply_rollups` is false (then only
    proposed; mark them with PATCH .../rows/activities/{id} {"rolls_up": code})."""
    plan = visible_plan(request, unit_code, year)
    if file.size > excel.MAX_BYTES:
        return Status(422, {"detail": excel.too_large_message(), "conflict": False, "errors": []})
    result = excel.import_workbook(
        actor=request.user,
        plan=plan,
        data=file.read(),
        filename=file.name,
        overwrite=overwrite,
        apply_rollups=apply_rollups,
        allow_shrink=allow_shrink
        or request.GET.get("allow_shrink", "").lower() in ("1", "true", "yes", "on"),
    )
    if result.ok:
        return {"counts": result.counts, "rollups": result.rollups}
    errors = [e.as_dict() for e in result.errors]
    detail = "; ".join(e["message"] for e in errors[:5])
    return Status(
        409 if result.conflict else 422,
        {
            "detail": detail,
            "conflict": result.conflict,
            "shrink": result.shrink,
            "errors": errors,
            "unknown_values": result.unknown_values,
        },
    )

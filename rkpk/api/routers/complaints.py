"""Complaints (pengaduan, keluhan, masukan): file, list, handle, statistics.

Every write calls rkpk.complaints.services — the same functions as the web pages — so the
permission checks, audit events and notifications are the same. Those who read the
register (the bureau, the administrator, viewers) list every complaint; everyone else
lists only the complaints they filed, and gets 404 for others'.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.complaints import export, selectors, services
from rkpk.complaints.models import Complaint
from rkpk.complaints.selectors import allowed_actions
from rkpk.complaints.views.complaint import attachment_response
from rkpk.core.calendar import today
from rkpk.organisation.models import User
from rkpk.procedure.models import Cycle

router = Router(tags=["complaints"])
RESPONSES = {**NOT_FOUND, **REFUSALS}


class ComplaintAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class ComplaintOut(Schema):
    """Built from the model by resolvers, so that the list pages in the database."""

    id: int
    number: str = Field(..., description='"ADU-<year>-<nnnn>", without gaps in a year.')
    category: str = Field(..., description="pengaduan, keluhan or masukan.")
    subject: str
    status: str = Field(
        ..., description="received, delegated, in_follow_up, answered, closed or withdrawn."
    )
    complainant: str
    unit: str | None
    cycle_year: int | None
    step_number: int | None
    received_at: datetime
    delegation_due: date
    answer_due: date
    delegated_to: str | None
    answered_on: date | None
    answered_in_time: bool | None
    overdue: bool
    satisfaction: int | None

    @staticmethod
    def resolve_complainant(c) -> str:
        return c["complainant"] if isinstance(c, dict) else c.complainant.get_username()

    @staticmethod
    def resolve_unit(c) -> str | None:
        if isinstance(c, dict):
            return c["unit"]
        return c.unit.code if c.unit_id else None

    @staticmethod
    def resolve_cycle_year(c) -> int | None:
        if isinstance(c, dict):
            return c["cycle_year"]
        return c.cycle.year if c.cycle_id else None

    @staticmethod
    def resolve_delegated_to(c) -> str | None:
        if isinstance(c, dict):
            return c["delegated_to"]
        return c.delegated_to.get_username() if c.delegated_to_id else None

    @staticmethod
    def resolve_overdue(c) -> bool:
        return c["overdue"] if isinstance(c, dict) else c.is_overdue(today())


class FollowUpOut(Schema):
    id: int
    action: str
    by: str
    at: datetime


class ActionsOut(Schema):
    delegate: bool
    follow_up: bool
    answer: bool
    close: bool
    withdraw: bool
    rate: bool


class ComplaintDetailOut(ComplaintOut):
    text: str
    delegation_note: str = Field(..., description="Empty unless you read the register.")
    answer: str
    answered_by: str | None
    closing_note: str
    withdrawal_reason: str
    satisfaction_note: str
    attachments: list[ComplaintAttachmentOut]
    follow_ups: list[FollowUpOut] = Field(..., description="Empty unless you read the register.")
    actions: ActionsOut = Field(..., description="What you may do with it now.")


class DelegateIn(Schema):
    to: str = Field(..., description="The username of a Head of Section.")
    note: str = Field("", max_length=10_000)


class FollowUpIn(Schema):
    action: str = Field(..., max_length=10_000)


class ComplaintAnswerIn(Schema):
    text: str = Field(..., max_length=10_000)


class CloseIn(Schema):
    note: str = Field("", max_length=10_000)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=10_000)


class RateIn(Schema):
    satisfaction: int = Field(..., description="1 not satisfied … 4 very satisfied.")
    note: str = Field("", max_length=10_000)


class CountOut(Schema):
    key: str
    label: str
    count: int


class YearRowOut(Schema):
    year: int
    total: int
    answered: int
    in_time: int
    share_in_time: float | None
    median_days: float | None


class StatisticsOut(Schema):
    year: int | None
    total: int
    answered: int
    answered_in_time: int
    share_in_time: float | None = Field(..., description="Percent answered by the due date.")
    median_days_to_answer: float | None = Field(..., description="Working days, receipt→answer.")
    overdue_now: int
    by_category: list[CountOut]
    by_status: list[CountOut]
    by_month: list[int] = Field(..., description="Twelve counts, January first.")
    per_year: list[YearRowOut]
    delegate_days: int
    answer_days: int


def _out(c: Complaint, on: date) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "category": c.category,
        "subject": c.subject,
        "status": c.status,
        "complainant": c.complainant.get_username(),
        "unit": c.unit.code if c.unit_id else None,
        "cycle_year": c.cycle.year if c.cycle_id else None,
        "step_number": c.step_number,
        "received_at": c.received_at,
        "delegation_due": c.delegation_due,
        "answer_due": c.answer_due,
        "delegated_to": c.delegated_to.get_username() if c.delegated_to_id else None,
        "answered_on": c.answered_on,
        "answered_in_time": c.answered_in_time,
        "overdue": c.is_overdue(on),
        "satisfaction": c.satisfaction,
    }


def _detail_out(request, c: Complaint) -> dict:
    internal = request.user.has_perm("complaints.view_register")
    follow_ups = c.follow_ups.select_related("by").order_by("at", "id") if internal else []
    return {
        **_out(c, today()),
        "text": c.text,
        "delegation_note": c.delegation_note if internal else "",
        "answer": c.answer,
        "answered_by": c.answered_by.get_username() if c.answered_by_id else None,
        "closing_note": c.closing_note,
        "withdrawal_reason": c.withdrawal_reason,
        "satisfaction_note": c.satisfaction_note,
        "attachments": [
            {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}
            for a in c.attachments.all()
        ],
        "follow_ups": [
            {"id": f.pk, "action": f.action, "by": f.by.get_username(), "at": f.at}
            for f in follow_ups
        ],
        "actions": allowed_actions(request.user, c),
    }


def _may_use(request) -> None:
    user = request.user
    if not (user.has_perm("complaints.file") or user.has_perm("complaints.view_register")):
        raise PermissionDenied


def visible(request, complaint_id: int) -> Complaint:
    _may_use(request)
    complaint = selectors.complaints_for(request.user).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    return complaint


def _filtered(request, q, status, category, year, overdue):
    return selectors.search(
        selectors.complaints_for(request.user),
        text=(q or "").strip(),
        status=status or "",
        category=category or "",
        year=year,
        overdue=bool(overdue),
        on=today(),
    )


@router.get("/complaints", response={200: list[ComplaintOut], **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=500)
def list_complaints(
    request,
    q: str | None = None,
    status: str | None = None,
    category: str | None = None,
    year: int | None = None,
    overdue: bool = False,
):
    """The register if you read it (the bureau, admin, viewer); otherwise your own complaints.
    Newest first."""
    _may_use(request)
    return _filtered(request, q, status, category, year, overdue)


@router.post("/complaints", response={201: ComplaintDetailOut, **RESPONSES})
def file_complaint(
    request,
    category: Form[str],
    subject: Form[str],
    text: Form[str],
    cycle_year: Form[int | None] = None,
    step_number: Form[int | None] = None,
    files: File[list[UploadedFile]] = None,
):
    """File a complaint (multipart/form-data; attachments PDF, DOCX, XLSX, PNG, JPEG, checked
    by content, at most 5). A cycle you cannot see, or a step it lacks, is refused (422)."""
    require(request, "complaints.file")
    cycle = None
    if cycle_year is not None:
        cycle = Cycle.objects.filter(year=cycle_year).first()
        if cycle is None:
            raise ValidationError({"cycle": [_("There is no cycle for that year.")]})
    complaint = services.file_complaint(
        actor=request.user,
        category=category,
        subject=subject,
        text=text,
        cycle=cycle,
        step_number=step_number,
        files=files or [],
    )
    return Status(201, _detail_out(request, complaint))


@router.get("/complaints/statistics", response={200: StatisticsOut, **REFUSALS})
def complaint_statistics(request, year: int | None = None):
    """Counts per category, status and month; median working days to answer; the share
    answered within the limit; a row per year. Without `year`: every year together."""
    require(request, "complaints.view_statistics")
    stats = selectors.statistics(year=year)
    return {
        "year": stats.year,
        "total": stats.total,
        "answered": stats.answered,
        "answered_in_time": stats.answered_in_time,
        "share_in_time": stats.share_in_time,
        "median_days_to_answer": stats.median_days_to_answer,
        "overdue_now": stats.overdue_now,
        "by_category": [
            {"key": k, "label": str(label), "count": n} for k, label, n in stats.by_category
        ],
        "by_status": [
            {"key": k, "label": str(label), "count": n} for k, label, n in stats.by_status
        ],
        "by_month": [n for _m, n in stats.by_month],
        "per_year": stats.per_year,
        "delegate_days": services.delegate_days(),
        "answer_days": services.answer_days(),
    }


@router.get("/complaints/export.xlsx", response={200: None, **REFUSALS})
def export_register(
    request,
    q: str | None = None,
    status: str | None = None,
    category: str | None = None,
    year: int | None = None,
    overdue: bool = False,
):
    """The register, filtered like the list, as XLSX."""
    require(request, "complaints.view_register")
    complaints = _filtered(request, q, status, category, year, overdue)
    response = HttpResponse(
        export.register_workbook(complaints, today()), content_type=export.XLSX_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="pengaduan.xlsx"'
    return response


@router.get("/complaints/{int:complaint_id}", response={200: ComplaintDetailOut, **RESPONSES})
def get_complaint(request, complaint_id: int):
    """A complaint with its answer, attachments and (for the register's readers) follow-ups."""
    return _detail_out(request, visible(request, complaint_id))


@router.post(
    "/complaints/{int:complaint_id}/delegate", response={200: ComplaintDetailOut, **RESPONSES}
)
def delegate(request, complaint_id: int, payload: DelegateIn):
    """The Head of Bureau (or their Plt/Plh) delegates to a Head of Section."""
    complaint = visible(request, complaint_id)
    to = User.objects.filter(username=payload.to).first()
    complaint = services.delegate(actor=request.user, complaint=complaint, to=to, note=payload.note)
    return _detail_out(request, complaint)


@router.get(
    "/complaints/{int:complaint_id}/follow-ups", response={200: list[FollowUpOut], **RESPONSES}
)
def list_follow_ups(request, complaint_id: int):
    """The follow-up actions, oldest first (for the register's readers)."""
    complaint = visible(request, complaint_id)
    require(request, "complaints.view_register")
    return [
        {"id": f.pk, "action": f.action, "by": f.by.get_username(), "at": f.at}
        for f in complaint.follow_ups.select_related("by").order_by("at", "id")
    ]


@router.post("/complaints/{int:complaint_id}/follow-ups", response={201: FollowUpOut, **RESPONSES})
def add_follow_up(request, complaint_id: int, payload: FollowUpIn):
    """Record a follow-up action (the delegate, Head of Section, staff, Head of Bureau)."""
    complaint = visible(request, complaint_id)
    follow_up = services.add_follow_up(
        actor=request.user, complaint=complaint, action=payload.action
    )
    return Status(
        201,
        {
            "id": follow_up.pk,
            "action": follow_up.action,
            "by": request.user.get_username(),
            "at": follow_up.at,
        },
    )


@router.post(
    "/complaints/{int:complaint_id}/answer", response={200: ComplaintDetailOut, **RESPONSES}
)
def answer(request, complaint_id: int, payload: ComplaintAnswerIn):
    """Answer the complainant (the delegate or the Head of Bureau); once."""
    complaint = visible(request, complaint_id)
    complaint = services.answer(actor=request.user, complaint=complaint, text=payload.text)
    return _detail_out(request, complaint)


@router.post(
    "/complaints/{int:complaint_id}/close", response={200: ComplaintDetailOut, **RESPONSES}
)
def close(request, complaint_id: int, payload: CloseIn):
    """Close an answered complaint (the Head of Bureau or the delegate)."""
    complaint = visible(request, complaint_id)
    complaint = services.close(actor=request.user, complaint=complaint, note=payload.note)
    return _detail_out(request, complaint)


@router.post(
    "/complaints/{int:complaint_id}/withdraw", response={200: ComplaintDetailOut, **RESPONSES}
)
def withdraw(request, complaint_id: int, payload: WithdrawIn):
    """The complainant withdraws the complaint before it is answered."""
    complaint = visible(request, complaint_id)
    complaint = services.withdraw(actor=request.user, complaint=complaint, reason=payload.reason)
    return _detail_out(request, complaint)


@router.post("/complaints/{int:complaint_id}/rate", response={200: ComplaintDetailOut, **RESPONSES})
def rate(request, complaint_id: int, payload: RateIn):
    """The complainant rates the answer, once (1 to 4)."""
    complaint = visible(request, complaint_id)
    complaint = services.rate(
        actor=request.user,
        complaint=complaint,
        satisfaction=payload.satisfaction,
        note=payload.note,
    )
    return _detail_out(request, complaint)


@router.get(
    "/complaints/{int:complaint_id}/attachments/{int:attachment_id}",
    response={200: None, **RESPONSES},
)
def download_attachment(request, complaint_id: int, attachment_id: int):
    """An attachment's file, only for those who may see the complaint."""
    complaint = visible(request, complaint_id)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment)

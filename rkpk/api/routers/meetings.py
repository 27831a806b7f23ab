"""Discussion meetings (step 6): schedule, invitees and attendance, agenda and notes,
decisions, the invitation (naskah dinas), the meeting report (JSON, DOCX, PDF) and its
filing. Every write calls rkpk.meetings.services, as the web pages do; a meeting you may
not see answers 404."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut
from rkpk.meetings import documents, selectors, services
from rkpk.meetings.dates import format_day_date_id, format_time_id
from rkpk.meetings.models import AgendaItem, Decision, Invitee, Meeting
from rkpk.organisation.models import Official, Unit
from rkpk.procedure.models import Cycle

router = Router(tags=["meetings"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}
VIEW = "meetings.view_meetings"


# --- Schemas ------------------------------------------------------------------------------


class OfficialRef(Schema):
    id: int
    nip: str | None = None  # none for a pejabat negara
    name: str
    position: str


class InviteeOut(Schema):
    id: int
    kind: str
    name: str
    unit: str | None = Field(None, description="The unit's code, for an invited unit.")
    official: str | None = Field(
        None, description="The official's NIP (or register id when without NIP), for an official."
    )
    attendance: str | None = Field(None, description="Hidden (null) until you may read it.")
    represented_by: str | None = None


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    notes: str | None
    revision: int


class MeetingDecisionOut(Schema):
    id: int
    text: str
    agenda_item: int | None
    owner_unit: str | None
    owner_official: str | None
    owner_text: str
    owner: str
    due_date: date | None
    status: str
    revision: int


class MeetingOut(Schema):
    id: int
    year: int
    title: str
    starts_at: datetime
    ends_at: datetime | None
    date_text: str = Field(..., description='As documents print it: "Senin, 25 November 2026".')
    time_text: str = Field(..., description='"09.00–11.00 WIB"')
    place: str
    chair: OfficialRef | None
    status: str
    revision: int
    invitation: int | None = Field(None, description="The invitation's document id.")
    report_sha256: str
    filed_at: datetime | None


class MeetingDetailOut(MeetingOut):
    invitees: list[InviteeOut]
    agenda: list[AgendaItemOut]
    decisions: list[MeetingDecisionOut] | None = Field(
        None, description="Null until you may read it."
    )
    filing_problems: list[str]


class MeetingIn(Schema):
    year: int = Field(..., description="The plan year of the cycle.")
    title: str
    starts_at: datetime = Field(..., description="With offset, e.g. 2027-03-01T09:00:00+07:00.")
    ends_at: datetime | None = None
    place: str
    chair: str | None = Field(None, description="The chair's NIP; default: the head of bureau.")


class MeetingUpdateIn(Schema):
    revision: int
    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    chair: str | None = None


class MeetingReasonIn(Schema):
    reason: str


class InviteIn(Schema):
    units: list[str] = Field([], description="Unit codes.")
    officials: list[str] = Field([], description="NIPs.")
    guests: list[str] = Field([], description="Names of other guests.")


class AttendanceLine(Schema):
    invitee: int
    attendance: str = Field(..., description="present, absent, represented or unknown")
    represented_by: str = ""


class AttendanceIn(Schema):
    entries: list[AttendanceLine]


class AgendaItemIn(Schema):
    title: str
    notes: str = ""


class AgendaItemUpdateIn(Schema):
    revision: int
    title: str | None = None
    notes: str | None = None


class OrderIn(Schema):
    order: list[int] = Field(..., description="Every agenda item's id, in the new order.")


class MeetingDecisionIn(Schema):
    text: str
    agenda_item: int | None = None
    owner_unit: str | None = Field(None, description="A unit code.")
    owner_official: str | None = Field(
        None, description="An official's NIP, or register id when without NIP."
    )
    owner_text: str = ""
    due_date: date | None = None


class DecisionUpdateIn(Schema):
    revision: int
    text: str | None = None
    agenda_item: int | None = None
    owner_unit: str | None = None
    owner_official: str | None = None
    owner_text: str | None = None
    due_date: date | None = None
    status: str | None = None


class InvitationOut(Schema):
    document: int
    subject: str
    status: str
    addressee: str


# --- Helpers ------------------------------------------------------------------------------


def _meeting(request, meeting_id: int) -> Meeting:
    """The meeting if the user may see it; 404 otherwise (its existence is not revealed)."""
    return selectors.visible_meeting(request.user, meeting_id)


def _official(ref: str | int | None) -> Official | None:
    """An official named by NIP (18 digits) or, for one without NIP (a pejabat negara), by
    the register's id."""
    if ref in (None, ""):
        return None
    ref = str(ref).strip()
    if len(ref) == 18 and ref.isdigit():
        return get_object_or_404(Official, nip=ref)
    if ref.isdigit():
        return get_object_or_404(Official, pk=int(ref))
    return get_object_or_404(Official, nip=ref)


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    return get_object_or_404(Unit, code=code)


def _official_ref(official: Official | None) -> dict | None:
    if official is None:
        return None
    return {
        "id": official.pk,
        "nip": official.nip,
        "name": official.name,
        "position": official.position,
    }


def _ref_of(official: Official) -> str:
    """How the API names an official: the NIP, or the id of one without NIP."""
    return official.nip or str(official.pk)


def _summary(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "year": meeting.cycle.year,
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "date_text": format_day_date_id(meeting.starts_at),
        "time_text": format_time_id(meeting.starts_at, meeting.ends_at),
        "place": meeting.place,
        "chair": _official_ref(meeting.chair),
        "status": meeting.status,
        "revision": meeting.revision,
        "invitation": meeting.invitation_id,
        "report_sha256": meeting.report_sha256,
        "filed_at": meeting.filed_at,
    }


def _decision_out(d: Decision) -> dict:
    return {
        "id": d.pk,
        "text": d.text,
        "agenda_item": d.agenda_item_id,
        "owner_unit": d.owner_unit.code if d.owner_unit_id else None,
        "owner_official": _ref_of(d.owner_official) if d.owner_official_id else None,
        "owner_text": d.owner_text,
        "owner": d.owner_name,
        "due_date": d.due_date,
        "status": d.status,
        "revision": d.revision,
    }


def _detail(request, meeting_id: int) -> dict:
    meeting = selectors.visible_meeting(request.user, meeting_id)
    details = selectors.may_read_details(request.user, meeting)
    return {
        **_summary(meeting),
        "invitees": [
            {
                "id": i.pk,
                "kind": i.kind,
                "name": i.display_name,
                "unit": i.unit.code if i.unit_id else None,
                "official": _ref_of(i.official) if i.official_id else None,
                "attendance": i.attendance if details else None,
                "represented_by": i.represented_by if details else None,
            }
            for i in meeting.invitees.all()
        ],
        "agenda": [
            {
                "id": item.pk,
                "position": item.position,
                "title": item.title,
                "notes": item.notes if details else None,
                "revision": item.revision,
            }
            for item in meeting.agenda_items.all()
        ],
        "decisions": [_decision_out(d) for d in meeting.decisions.all()] if details else None,
        "filing_problems": services.filing_problems(meeting)
        if details and meeting.is_editable
        else [],
    }


# --- Meetings -----------------------------------------------------------------------------


@router.get("/meetings", response={200: list[MeetingOut], **REFUSALS})
@paginate(BoundedLimitOffsetPagination, max_limit=200)
def list_meetings(request, year: int | None = None):
    """The meetings you may see (a unit's people: those their unit is invited to)."""
    require(request, VIEW)
    return [_summary(m) for m in selectors.meeting_list(request.user, year=year)]


@router.post("/meetings", response={201: MeetingDetailOut, **RESPONSES})
def create_meeting(request, payload: MeetingIn):
    require(request, services.EDIT)
    cycle = get_object_or_404(Cycle, year=payload.year)
    meeting = services.schedule(
        actor=request.user,
        cycle=cycle,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        chair=_official(payload.chair),
    )
    return Status(201, _detail(request, meeting.pk))


@router.get("/meetings/{int:meeting_id}", response={200: MeetingDetailOut, **RESPONSES})
def get_meeting(request, meeting_id: int):
    return _detail(request, meeting_id)


@router.put("/meetings/{int:meeting_id}", response={200: MeetingDetailOut, **RESPONSES})
def update_meeting(request, meeting_id: int, payload: MeetingUpdateIn):
    """Change the schedule; `revision` must be the one you read (409 when stale). Send only
    the fields to change."""
    meeting = _meeting(request, meeting_id)
    fields = payload.dict(exclude_unset=True)
    revision = fields.pop("revision")
    if "chair" in fields:
        fields["chair"] = _official(fields["chair"])
    services.update(actor=request.user, meeting=meeting, revision=revision, **fields)
    return _detail(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/cancel", response={200: MeetingDetailOut, **RESPONSES})
def cancel_meeting(request, meeting_id: int, payload: MeetingReasonIn):
    services.cancel(
        actor=request.user, meeting=_meeting(request, meeting_id), reason=payload.reason
    )
    return _detail(request, meeting_id)


# --- Invitees and attendance ------------------------------------------------------------


@router.post("/meetings/{int:meeting_id}/invitees", response={200: MeetingDetailOut, **RESPONSES})
def invite(request, meeting_id: int, payload: InviteIn):
    """Invite units (codes), officials (NIPs) and guests (names); the invited are skipped."""
    meeting = _meeting(request, meeting_id)
    units = [_unit(code) for code in payload.units]
    officials = [_official(nip) for nip in payload.officials]
    services.invite(
        actor=request.user,
        meeting=meeting,
        units=units,
        officials=officials,
        guests=payload.guests,
    )
    return _detail(request, meeting_id)


@router.delete(
    "/meetings/{int:meeting_id}/invitees/{int:invitee_id}", response={204: None, **RESPONSES}
)
def uninvite(request, meeting_id: int, invitee_id: int):
    meeting = _meeting(request, meeting_id)
    invitee = get_object_or_404(Invitee, pk=invitee_id, meeting=meeting)
    services.uninvite(actor=request.user, invitee=invitee)
    return Status(204, None)


@router.put("/meetings/{int:meeting_id}/attendance", response={200: MeetingDetailOut, **RESPONSES})
def attendance(request, meeting_id: int, payload: AttendanceIn):
    """Record attendance, from the meeting's start; a representative needs a name."""
    meeting = _meeting(request, meeting_id)
    services.record_attendance(
        actor=request.user, meeting=meeting, entries=[e.dict() for e in payload.entries]
    )
    return _detail(request, meeting_id)


# --- Agenda -------------------------------------------------------------------------------


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)


@router.post("/meetings/{int:meeting_id}/agenda", response={201: AgendaItemOut, **RESPONSES})
def add_agenda_item(request, meeting_id: int, payload: AgendaItemIn):
    item = services.add_agenda_item(
        actor=request.user,
        meeting=_meeting(request, meeting_id),
        title=payload.title,
        notes=payload.notes,
    )
    return Status(201, item)


@router.put(
    "/meetings/{int:meeting_id}/agenda/order", response={200: list[AgendaItemOut], **RESPONSES}
)
def reorder_agenda(request, meeting_id: int, payload: OrderIn):
    return services.reorder_agenda(
        actor=request.user, meeting=_meeting(request, meeting_id), order=payload.order
    )


@router.put(
    "/meetings/{int:meeting_id}/agenda/{int:item_id}", response={200: AgendaItemOut, **RESPONSES}
)
def update_agenda_item(request, meeting_id: int, item_id: int, payload: AgendaItemUpdateIn):
    """Save an item's title and/or notes; `revision` must be the one you read."""
    meeting = _meeting(request, meeting_id)
    fields = payload.dict(exclude_unset=True)
    revision = fields.pop("revision")
    return services.update_agenda_item(
        actor=request.user, item=_item(meeting, item_id), revision=revision, **fields
    )


@router.delete("/meetings/{int:meeting_id}/agenda/{int:item_id}", response={204: None, **RESPONSES})
def delete_agenda_item(request, meeting_id: int, item_id: int):
    meeting = _meeting(request, meeting_id)
    services.delete_agenda_item(actor=request.user, item=_item(meeting, item_id))
    return Status(204, None)


# --- Decisions ----------------------------------------------------------------------------


def _decision_fields(meeting: Meeting, fields: dict) -> dict:
    if "owner_unit" in fields:
        fields["owner_unit"] = _unit(fields["owner_unit"])
    if "owner_official" in fields:
        fields["owner_official"] = _official(fields["owner_official"])
    if fields.get("agenda_item") is not None:
        fields["agenda_item"] = _item(meeting, fields["agenda_item"])
    if "owner_text" in fields and fields["owner_text"] is None:
        fields["owner_text"] = ""
    return fields


def _decision_with_refs(pk: int) -> Decision:
    return Decision.objects.select_related("owner_unit", "owner_official").get(pk=pk)


@router.post(
    "/meetings/{int:meeting_id}/decisions", response={201: MeetingDecisionOut, **RESPONSES}
)
def add_decision(request, meeting_id: int, payload: MeetingDecisionIn):
    """Name one owner (a unit code, an official's NIP or another name) and a due date not
    before the meeting."""
    meeting = _meeting(request, meeting_id)
    fields = _decision_fields(meeting, payload.dict())
    decision = services.add_decision(actor=request.user, meeting=meeting, **fields)
    return Status(201, _decision_out(_decision_with_refs(decision.pk)))


@router.put(
    "/meetings/{int:meeting_id}/decisions/{int:decision_id}",
    response={200: MeetingDecisionOut, **RESPONSES},
)
def update_decision(request, meeting_id: int, decision_id: int, payload: DecisionUpdateIn):
    meeting = _meeting(request, meeting_id)
    decision = get_object_or_404(Decision, pk=decision_id, meeting=meeting)
    fields = payload.dict(exclude_unset=True)
    revision = fields.pop("revision")
    fields = _decision_fields(meeting, fields)
    services.update_decision(actor=request.user, decision=decision, revision=revision, **fields)
    return _decision_out(_decision_with_refs(decision.pk))


@router.delete(
    "/meetings/{int:meeting_id}/decisions/{int:decision_id}", response={204: None, **RESPONSES}
)
def delete_decision(request, meeting_id: int, decision_id: int):
    meeting = _meeting(request, meeting_id)
    decision = get_object_or_404(Decision, pk=decision_id, meeting=meeting)
    services.delete_decision(actor=request.user, decision=decision)
    return Status(204, None)


# --- Invitation, report, filing -------------------------------------------------------------


@router.post("/meetings/{int:meeting_id}/invitation", response={201: InvitationOut, **RESPONSES})
def create_invitation(request, meeting_id: int):
    """Draft the invitation (naskah dinas) addressed to the invitees; review, sign, register
    and dispatch it through the correspondence endpoints."""
    document = services.create_invitation(actor=request.user, meeting=_meeting(request, meeting_id))
    return Status(
        201,
        {
            "document": document.pk,
            "subject": document.subject,
            "status": document.status,
            "addressee": document.addressee,
        },
    )


def _readable_report(request, meeting_id: int) -> Meeting:
    meeting = _meeting(request, meeting_id)
    if not selectors.may_read_details(request.user, meeting):
        raise PermissionDenied(_("The report is available once it has been filed."))
    return meeting


@router.get("/meetings/{int:meeting_id}/report", response={200: dict, **RESPONSES})
def report(request, meeting_id: int):
    """The report's content: the frozen report once filed, else the draft ("draft": true)."""
    meeting = _readable_report(request, meeting_id)
    content, draft = documents.current_report(meeting)
    return {"draft": draft, "sha256": meeting.report_sha256, "content": content}


@router.get("/meetings/{int:meeting_id}/report.{fmt}", response={200: None, **RESPONSES})
def report_file(request, meeting_id: int, fmt: str):
    """The report as DOCX or PDF (watermarked "DRAF" until filed)."""
    if fmt not in documents.FORMATS:
        from django.http import Http404

        raise Http404
    meeting = _readable_report(request, meeting_id)
    data, draft = documents.render(meeting, fmt)
    response = HttpResponse(data, content_type=documents.CONTENT_TYPES[fmt])
    name = documents.filename(meeting, fmt, draft=draft)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/meetings/{int:meeting_id}/file", response={200: MeetingDetailOut, **RESPONSES})
def file_report(request, meeting_id: int):
    """File the report: frozen, the meeting read-only, step 6 of the cycle completed.
    Refused (422) with what is missing, or when the cycle cannot move."""
    services.file_report(actor=request.user, meeting=_meeting(request, meeting_id))
    return _detail(request, meeting_id)

"""Writes of the discussion meeting (step 6). Every function takes keyword arguments, runs
in one transaction, checks who may act and audits what it changed.

Rules kept here, whatever the caller (web page or API):
- the bureau (staff, head of section, head of bureau) prepares and edits a meeting; the
  head of bureau or the staff file its report;
- a filed or cancelled meeting never changes;
- attendance is recorded from the meeting's start;
- a decision names at most one owner (a unit, an official or someone else), and its due
  date is not before the meeting;
- filing needs the meeting time reached, someone present, an agenda item with notes and
  every decision with an owner and a due date; it freezes the report (JSON and its
  SHA-256) and completes step 6 of the cycle through rkpk.procedure.services.complete_step
  — when the cycle cannot move, nothing is filed.
"""

import hashlib
import json
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.meetings import rules  # noqa: F401  (registers the permissions)
from rkpk.meetings.dates import format_day_date_id, format_time_id, local
from rkpk.meetings.models import AgendaItem, Decision, Invitee, Meeting
from rkpk.organisation.models import Official, Role, Unit, User
from rkpk.plans import services as plan_services
from rkpk.plans.services import CONTROL_CHARACTERS
from rkpk.procedure.models import Cycle

Status = Meeting.Status
Attendance = Invitee.Attendance
MEETING_STEP = 6
INVITATION_TEMPLATE = "step6-meeting-invitation"
EDIT = "meetings.edit"
FILE = "meetings.file"
MAX_NOTES = 100_000
MAX_GUESTS = 50
MEETING_FIELDS = ["title", "starts_at", "ends_at", "place", "chair", "status", "revision"]
DECISION_FIELDS = [
    "text",
    "agenda_item",
    "owner_unit",
    "owner_official",
    "owner_text",
    "due_date",
    "status",
]
_UNSET = object()


class ConflictError(plan_services.ConflictError):
    """Someone saved the meeting (or the row) after the editor loaded it (409 in the API)."""


# --- Helpers ---------------------------------------------------------------------------------


def _require_editor(actor) -> None:
    require(actor, EDIT, message=_("Only the bureau prepares and edits discussion meetings."))


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _editable(meeting: Meeting) -> None:
    if meeting.status == Status.FILED:
        raise ValidationError(
            _("The meeting report has been filed; the meeting can no longer be changed."),
            code="filed",
        )
    if meeting.status == Status.CANCELLED:
        raise ValidationError(
            _("The meeting was cancelled; it can no longer be changed."), code="cancelled"
        )


def _check_revision(current: int, given) -> None:
    try:
        stale = given is None or int(given) != current
    except (TypeError, ValueError):
        stale = True
    if stale:
        raise ConflictError(
            _("Someone saved this meanwhile. Reload to see their change, then edit again."),
            code="stale",
        )


def _text(value, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    text = str(value or "").replace("\r\n", "\n").translate(CONTROL_CHARACTERS).strip()
    if required and not text:
        raise ValidationError({field: label or _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": f"{max_length:,}"}})
    return text


def _line(value, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    """A one-line text: inner white space (new lines too) collapsed."""
    text = " ".join(str(value or "").translate(CONTROL_CHARACTERS).split())
    return _text(text, field=field, max_length=max_length, required=required, label=label)


def meeting_day(meeting: Meeting) -> date:
    return local(meeting.starts_at).date()


def default_chair() -> Official | None:
    """The official of an active user holding the head of bureau's role, if one is linked."""
    return (
        Official.objects.filter(
            is_active=True,
            users__is_active=True,
            users__role_assignments__role=Role.HEAD_OF_BUREAU,
        )
        .order_by("name")
        .first()
    )


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def _people_to_tell(meeting: Meeting):
    """Invited units' people, invited officials' accounts and the bureau."""
    invitees = list(meeting.invitees.values_list("unit_id", "official_id"))
    unit_ids = [u for u, _o in invitees if u]
    official_ids = [o for _u, o in invitees if o]
    return User.objects.filter(
        Q(
            role_assignments__unit_id__in=unit_ids,
            role_assignments__role__in=[Role.UNIT_OPERATOR, Role.UNIT_HEAD],
        )
        | Q(role_assignments__role__in=[Role.STAFF, Role.HEAD_OF_SECTION, Role.HEAD_OF_BUREAU])
        | Q(official_id__in=official_ids),
        is_active=True,
    ).distinct()


def _notify(meeting: Meeting, *, event: str, title: str, body: str = "") -> None:
    from rkpk.notifications.services import notify

    notify(
        recipients=_people_to_tell(meeting),
        event=event,
        title=title,
        body=body,
        url=_meeting_url(meeting),
    )


def _clean_schedule(values: dict) -> dict:
    """Validate the schedule's fields given in `values` (the others are left out)."""
    cleaned, errors = {}, {}
    for name, max_length, message in (
        ("title", 200, _("Give the meeting a title.")),
        ("place", 200, _("Say where the meeting takes place.")),
    ):
        if name in values:
            try:
                cleaned[name] = _line(
                    values[name], field=name, max_length=max_length, required=True, label=message
                )
            except ValidationError as error:
                errors.update(error.message_dict)
    for name in ("starts_at", "ends_at"):
        if name in values:
            moment = values[name]
            if moment is None:
                if name == "starts_at":
                    errors[name] = [_("Give the date and time of the meeting.")]
                cleaned[name] = None
            elif not isinstance(moment, datetime) or timezone.is_naive(moment):
                errors[name] = [_("Give a date and time with its time zone.")]
            else:
                cleaned[name] = moment
    if "chair" in values:
        chair = values["chair"]
        if chair is not None and not isinstance(chair, Official):
            chair = Official.objects.filter(pk=chair).first()
            if chair is None:
                errors["chair"] = [_("Choose the chair from the officials.")]
        if chair is not None and not chair.is_active:
            errors["chair"] = [_("The chosen official is no longer active.")]
        cleaned["chair"] = chair
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_times(starts_at: datetime, ends_at: datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


# --- The meeting -----------------------------------------------------------------------------


@transaction.atomic
def schedule(
    *,
    actor,
    cycle: Cycle,
    title: str,
    starts_at: datetime,
    place: str,
    ends_at: datetime | None = None,
    chair: Official | None = None,
) -> Meeting:
    """Schedule a discussion meeting of the cycle; the chair defaults to the head of
    bureau's official (when their account is linked to one)."""
    _require_editor(actor)
    if cycle.status != Cycle.Status.ACTIVE:
        raise ValidationError(_("This cycle is completed; no meeting can be scheduled in it."))
    values = _clean_schedule(
        {"title": title, "place": place, "starts_at": starts_at, "ends_at": ends_at, "chair": chair}
    )
    _check_times(values["starts_at"], values["ends_at"])
    if values["chair"] is None:
        values["chair"] = default_chair()
    meeting = Meeting.objects.create(cycle=cycle, created_by=actor, **values)
    audit.record(
        actor=actor,
        action="meeting.scheduled",
        obj=meeting,
        after={"cycle": cycle.year, **audit.snapshot(meeting, MEETING_FIELDS)},
    )
    return meeting


@transaction.atomic
def update(*, actor, meeting: Meeting, revision: int, **fields) -> Meeting:
    """Change the schedule (title, starts_at, ends_at, place, chair); `revision` is the one
    the editor loaded (stale: ConflictError)."""
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    _check_revision(meeting.revision, revision)
    unknown = set(fields) - {"title", "starts_at", "ends_at", "place", "chair"}
    if unknown:
        raise ValidationError(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    values = _clean_schedule(fields)
    before = audit.snapshot(meeting, MEETING_FIELDS)
    for name, value in values.items():
        setattr(meeting, name, value)
    _check_times(meeting.starts_at, meeting.ends_at)
    meeting.revision += 1
    meeting.save()
    audit.record(
        actor=actor,
        action="meeting.updated",
        obj=meeting,
        before=before,
        after=audit.snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


@transaction.atomic
def cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    reason = _line(
        reason, field="reason", max_length=300, required=True, label=_("Say why it is cancelled.")
    )
    before = meeting.status
    meeting.status, meeting.cancel_reason = Status.CANCELLED, reason
    meeting.revision += 1
    meeting.save(update_fields=["status", "cancel_reason", "revision"])
    audit.record(
        actor=actor,
        action="meeting.cancelled",
        obj=meeting,
        before={"status": before},
        after={"status": meeting.status, "reason": reason},
    )
    _notify(
        meeting,
        event="meeting.cancelled",
        title=_("Meeting cancelled: %(title)s") % {"title": meeting.title},
        body=reason,
    )
    return meeting


# --- Invitees and attendance ------------------------------------------------------------------


def _ids(values, field: str) -> set[int]:
    try:
        return {int(getattr(v, "pk", v)) for v in values or ()}
    except (TypeError, ValueError) as error:
        raise ValidationError({field: _("Choose from the list.")}) from error


@transaction.atomic
def invite(*, actor, meeting: Meeting, units=(), officials=(), guests=()) -> list[Invitee]:
    """Invite units, officials and named guests; those already invited are skipped."""
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    unit_ids, official_ids = _ids(units, "units"), _ids(officials, "officials")
    found_units = list(Unit.objects.filter(pk__in=unit_ids, is_active=True))
    if len(found_units) != len(unit_ids):
        raise ValidationError({"units": _("One of the chosen units is unknown or inactive.")})
    found_officials = list(Official.objects.filter(pk__in=official_ids, is_active=True))
    if len(found_officials) != len(official_ids):
        raise ValidationError(
            {"officials": _("One of the chosen officials is unknown or inactive.")}
        )
    names, seen = [], set()
    for raw in guests or ():
        name = _line(raw, field="guests", max_length=200)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    if len(names) > MAX_GUESTS:
        raise ValidationError({"guests": _("At most %(n)s guests at once.") % {"n": MAX_GUESTS}})
    if not (found_units or found_officials or names):
        raise ValidationError(_("Choose the units, officials or guests to invite."))
    have = list(meeting.invitees.values_list("unit_id", "official_id", "name"))
    have_units = {u for u, _o, _n in have if u}
    have_officials = {o for _u, o, _n in have if o}
    have_names = {n.lower() for u, o, n in have if not u and not o}
    position = (meeting.invitees.aggregate(m=Max("position"))["m"] or 0) + 1
    new = []
    for unit in sorted(found_units, key=lambda u: (u.sort_order, u.code)):
        if unit.pk not in have_units:
            new.append(Invitee(meeting=meeting, kind=Invitee.Kind.UNIT, unit=unit))
    for official in sorted(found_officials, key=lambda o: o.name):
        if official.pk not in have_officials:
            new.append(Invitee(meeting=meeting, kind=Invitee.Kind.OFFICIAL, official=official))
    for name in names:
        if name.lower() not in have_names:
            new.append(Invitee(meeting=meeting, kind=Invitee.Kind.GUEST, name=name))
    for offset, invitee in enumerate(new):
        invitee.position = position + offset
    Invitee.objects.bulk_create(new)
    if new:
        audit.record(
            actor=actor,
            action="meeting.invited",
            obj=meeting,
            after={"invited": [i.display_name for i in new]},
        )
    return new


@transaction.atomic
def uninvite(*, actor, invitee: Invitee) -> None:
    _require_editor(actor)
    meeting = _locked(invitee.meeting)
    _editable(meeting)
    invitee = Invitee.objects.select_related("unit", "official").get(pk=invitee.pk)
    name = invitee.display_name
    invitee.delete()
    audit.record(actor=actor, action="meeting.uninvited", obj=meeting, before={"invitee": name})


@transaction.atomic
def record_attendance(*, actor, meeting: Meeting, entries) -> list[Invitee]:
    """Record attendance: `entries` are dicts with `invitee` (an Invitee or its id),
    `attendance` (present, absent, represented or unknown) and, when represented, the
    representative's name in `represented_by`. The meeting must have started."""
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    if timezone.now() < meeting.starts_at:
        raise ValidationError(
            _("The meeting has not started yet; attendance is recorded from its start.")
        )
    invitees = {
        i.pk: i
        for i in meeting.invitees.select_related("unit", "official").select_for_update(of=("self",))
    }
    changed, errors = [], []
    for entry in entries or ():
        pk = getattr(entry.get("invitee"), "pk", entry.get("invitee"))
        try:
            invitee = invitees.get(int(pk))
        except (TypeError, ValueError):
            invitee = None
        if invitee is None:
            errors.append(_("An attendance line names someone not invited to this meeting."))
            continue
        attendance = entry.get("attendance") or Attendance.UNKNOWN
        if attendance not in Attendance.values:
            errors.append(_("Unknown attendance %(a)s.") % {"a": attendance})
            continue
        by = _line(entry.get("represented_by"), field="represented_by", max_length=200)
        if attendance == Attendance.REPRESENTED and not by:
            errors.append(_("%(name)s: say who represented them.") % {"name": invitee.display_name})
            continue
        if attendance != Attendance.REPRESENTED:
            by = ""
        if (invitee.attendance, invitee.represented_by) != (attendance, by):
            changed.append((invitee, invitee.attendance, attendance, by))
    if errors:
        raise ValidationError(errors)
    for invitee, _old, attendance, by in changed:
        invitee.attendance, invitee.represented_by = attendance, by
    Invitee.objects.bulk_update([c[0] for c in changed], ["attendance", "represented_by"])
    if meeting.status == Status.PLANNED:
        meeting.status = Status.HELD
        meeting.save(update_fields=["status"])
    if changed:
        audit.record(
            actor=actor,
            action="meeting.attendance_recorded",
            obj=meeting,
            before={c[0].display_name: c[1] for c in changed},
            after={c[0].display_name: c[2] + (f" ({c[3]})" if c[3] else "") for c in changed},
        )
    return [c[0] for c in changed]


# --- Agenda ------------------------------------------------------------------------------


def _item_values(title, notes) -> dict:
    values = {}
    if title is not _UNSET:
        values["title"] = _line(
            title, field="title", max_length=300, required=True, label=_("Give the item a title.")
        )
    if notes is not _UNSET:
        values["notes"] = _text(notes, field="notes", max_length=MAX_NOTES)
    return values


@transaction.atomic
def add_agenda_item(*, actor, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    values = _item_values(title, notes)
    position = (meeting.agenda_items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, position=position, **values)
    audit.record(
        actor=actor,
        action="meeting.agenda_added",
        obj=item,
        after={"meeting": meeting.pk, "title": item.title, "notes": item.notes},
    )
    return item


@transaction.atomic
def update_agenda_item(
    *, actor, item: AgendaItem, revision: int, title=_UNSET, notes=_UNSET
) -> AgendaItem:
    """Save an item's title and/or notes; `revision` is the one the editor loaded."""
    _require_editor(actor)
    meeting = _locked(item.meeting)
    _editable(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    _check_revision(item.revision, revision)
    values = _item_values(title, notes)
    before = {"title": item.title, "notes": item.notes, "revision": item.revision}
    for name, value in values.items():
        setattr(item, name, value)
    item.revision += 1
    item.save()
    audit.record(
        actor=actor,
        action="meeting.agenda_updated",
        obj=item,
        before=before,
        after={"title": item.title, "notes": item.notes, "revision": item.revision},
    )
    return item


@transaction.atomic
def reorder_agenda(*, actor, meeting: Meeting, order: list[int]) -> list[AgendaItem]:
    """Put the agenda in the given order: every item's id, once."""
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    items = {i.pk: i for i in meeting.agenda_items.all()}
    try:
        order = [int(getattr(pk, "pk", pk)) for pk in order or ()]
    except (TypeError, ValueError) as error:
        raise ValidationError({"order": _("Give the ids of the agenda items.")}) from error
    if sorted(order) != sorted(items) or len(set(order)) != len(order):
        raise ValidationError({"order": _("Give every agenda item of the meeting, once.")})
    before = [i.pk for i in sorted(items.values(), key=lambda i: (i.position, i.pk))]
    for position, pk in enumerate(order, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(items.values(), ["position"])
    audit.record(
        actor=actor,
        action="meeting.agenda_reordered",
        obj=meeting,
        before={"order": before},
        after={"order": order},
    )
    return [items[pk] for pk in order]


def move_agenda_item(*, actor, item: AgendaItem, direction: str) -> list[AgendaItem]:
    """Move an item one place up or down (the buttons of the page)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move up or down."))
    order = list(
        AgendaItem.objects.filter(meeting_id=item.meeting_id)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = order.index(item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    return reorder_agenda(actor=actor, meeting=item.meeting, order=order)


@transaction.atomic
def delete_agenda_item(*, actor, item: AgendaItem) -> None:
    _require_editor(actor)
    meeting = _locked(item.meeting)
    _editable(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    before = {"title": item.title, "notes": item.notes}
    audit.record(actor=actor, action="meeting.agenda_deleted", obj=item, before=before)
    item.delete()


# --- Decisions -----------------------------------------------------------------------------


def _decision_values(meeting: Meeting, fields: dict) -> dict:
    values, errors = {}, {}
    if "text" in fields:
        try:
            values["text"] = _text(
                fields["text"],
                field="text",
                max_length=5000,
                required=True,
                label=_("Write the decision."),
            )
        except ValidationError as error:
            errors.update(error.message_dict)
    if "agenda_item" in fields:
        item = fields["agenda_item"]
        if item is not None and not isinstance(item, AgendaItem):
            item = AgendaItem.objects.filter(pk=item).first()
        if item is not None and item.meeting_id != meeting.pk:
            errors["agenda_item"] = [_("Choose an item of this meeting's agenda.")]
        values["agenda_item"] = item
    for name, model in (("owner_unit", Unit), ("owner_official", Official)):
        if name in fields:
            value = fields[name]
            if value is not None and not isinstance(value, model):
                value = model.objects.filter(pk=value).first()
                if value is None:
                    errors[name] = [_("Choose from the list.")]
            values[name] = value
    if "owner_text" in fields:
        values["owner_text"] = _line(fields["owner_text"], field="owner_text", max_length=200)
    if "due_date" in fields:
        due = fields["due_date"]
        if due is not None and not isinstance(due, date):
            errors["due_date"] = [_("Give a date.")]
        elif due is not None and due < meeting_day(meeting):
            errors["due_date"] = [
                _("The due date cannot lie before the meeting (%(d)s).")
                % {"d": format_day_date_id(meeting.starts_at)}
            ]
        values["due_date"] = due
    if "status" in fields:
        if fields["status"] not in Decision.Status.values:
            errors["status"] = [_("Open or done.")]
        values["status"] = fields["status"]
    if errors:
        raise ValidationError(errors)
    return values


def _check_one_owner(decision: Decision) -> None:
    owners = [decision.owner_unit_id, decision.owner_official_id, decision.owner_text.strip()]
    if sum(1 for o in owners if o) > 1:
        raise ValidationError(
            {"owner_text": _("Name one owner: a unit, an official or someone else.")}
        )


def _decision_snapshot(decision: Decision) -> dict:
    return audit.snapshot(decision, DECISION_FIELDS)


@transaction.atomic
def add_decision(
    *,
    actor,
    meeting: Meeting,
    text: str,
    agenda_item: AgendaItem | None = None,
    owner_unit: Unit | None = None,
    owner_official: Official | None = None,
    owner_text: str = "",
    due_date: date | None = None,
) -> Decision:
    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    values = _decision_values(
        meeting,
        {
            "text": text,
            "agenda_item": agenda_item,
            "owner_unit": owner_unit,
            "owner_official": owner_official,
            "owner_text": owner_text,
            "due_date": due_date,
        },
    )
    position = (meeting.decisions.aggregate(m=Max("position"))["m"] or 0) + 1
    decision = Decision(meeting=meeting, position=position, **values)
    _check_one_owner(decision)
    decision.save()
    audit.record(
        actor=actor,
        action="meeting.decision_added",
        obj=decision,
        after={"meeting": meeting.pk, **_decision_snapshot(decision)},
    )
    return decision


@transaction.atomic
def update_decision(*, actor, decision: Decision, revision: int, **fields) -> Decision:
    """Change a decision (text, agenda_item, owner_unit, owner_official, owner_text,
    due_date, status); `revision` is the one the editor loaded."""
    _require_editor(actor)
    meeting = _locked(decision.meeting)
    _editable(meeting)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _check_revision(decision.revision, revision)
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field(s): %(f)s") % {"f": ", ".join(sorted(unknown))})
    values = _decision_values(meeting, fields)
    before = _decision_snapshot(decision)
    for name, value in values.items():
        setattr(decision, name, value)
    _check_one_owner(decision)
    decision.revision += 1
    decision.save()
    audit.record(
        actor=actor,
        action="meeting.decision_updated",
        obj=decision,
        before=before,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def delete_decision(*, actor, decision: Decision) -> None:
    _require_editor(actor)
    meeting = _locked(decision.meeting)
    _editable(meeting)
    decision = Decision.objects.get(pk=decision.pk)
    audit.record(
        actor=actor,
        action="meeting.decision_deleted",
        obj=decision,
        before=_decision_snapshot(decision),
    )
    decision.delete()


# --- The invitation (naskah dinas) ----------------------------------------------------------


def invitation_values(meeting: Meeting) -> dict:
    """The placeholders of the invitation template."""
    invitees = list(meeting.invitees.select_related("unit", "official"))
    agenda = [i.title for i in meeting.agenda_items.order_by("position", "id")]
    recipients = "\n".join(i.display_name for i in invitees)
    return {
        "year": str(meeting.cycle.year),
        "cycle": meeting.cycle.name,
        "date": format_day_date_id(meeting.starts_at),
        "time": format_time_id(meeting.starts_at, meeting.ends_at),
        "place": meeting.place,
        "agenda": "; ".join(agenda) if agenda else meeting.title,
        "recipients": recipients,
        "title": meeting.title,
    }


@transaction.atomic
def create_invitation(*, actor, meeting: Meeting):
    """The invitation as a draft naskah dinas from the "step6-meeting-invitation" template,
    addressed to every invitee (one per line), linked to the meeting. From there the
    correspondence pages review, sign, register and dispatch it."""
    from rkpk.correspondence import services as correspondence
    from rkpk.correspondence.models import Document, LetterTemplate

    _require_editor(actor)
    meeting = _locked(meeting)
    _editable(meeting)
    if meeting.invitation_id:
        current = Document.objects.get(pk=meeting.invitation_id)
        if current.status != Document.Status.SUPERSEDED:
            raise ValidationError(
                _("The meeting already has its invitation; change or correct it on its page."),
                code="invitation_exists",
            )
    template = LetterTemplate.objects.filter(key=INVITATION_TEMPLATE).first()
    if template is None:
        raise ValidationError(
            _("The document template %(key)s is missing; an administrator must restore it.")
            % {"key": INVITATION_TEMPLATE}
        )
    values = invitation_values(meeting)
    if not values["recipients"]:
        raise ValidationError(_("Invite someone before writing the invitation."))
    document = correspondence.create_from_template(
        actor=actor,
        template=template,
        values=values,
        addressee=values["recipients"],
        cycle=meeting.cycle,
        purpose=INVITATION_TEMPLATE,
    )
    meeting.invitation = document
    meeting.save(update_fields=["invitation"])
    audit.record(
        actor=actor,
        action="meeting.invitation_created",
        obj=meeting,
        after={"document": document.pk, "subject": document.subject},
    )
    return document


# --- Filing the report -----------------------------------------------------------------------


def filing_problems(meeting: Meeting, *, now: datetime | None = None) -> list[str]:
    """What still stands in the way of filing the report (empty: it can be filed)."""
    problems = []
    if meeting.status == Status.FILED:
        return [_("The meeting report has already been filed.")]
    if meeting.status == Status.CANCELLED:
        return [_("The meeting was cancelled.")]
    if (now or timezone.now()) < meeting.starts_at:
        problems.append(_("The meeting has not taken place yet."))
    if meeting.chair_id is None:
        problems.append(_("Name the chair of the meeting."))
    invitees = list(meeting.invitees.all())
    if not any(i.attendance in (Attendance.PRESENT, Attendance.REPRESENTED) for i in invitees):
        problems.append(_("Record the attendance: nobody is recorded as present."))
    items = list(meeting.agenda_items.all())
    if not any(i.notes.strip() for i in items):
        problems.append(_("Write the notes of at least one agenda item."))
    day = meeting_day(meeting)
    for number, decision in enumerate(meeting.decisions.all(), start=1):
        if not decision.has_owner:
            problems.append(_("Decision %(n)s has no owner.") % {"n": number})
        if decision.due_date is None:
            problems.append(_("Decision %(n)s has no due date.") % {"n": number})
        elif decision.due_date < day:
            problems.append(
                _("Decision %(n)s is due before the meeting took place.") % {"n": number}
            )
    return problems


def report_sha256(report: dict) -> str:
    canonical = json.dumps(report, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def file_report(*, actor, meeting: Meeting) -> Meeting:
    """File the meeting report: freeze it and complete step 6 of the cycle. Refused, with
    nothing changed, when something is missing or the cycle cannot move."""
    from rkpk.meetings.documents import report_content
    from rkpk.procedure.services import complete_step

    require(
        actor, FILE, message=_("The head of bureau or the bureau's staff file the meeting report.")
    )
    meeting = _locked(meeting)
    if meeting.status == Status.FILED:
        raise ValidationError(_("The meeting report has already been filed."), code="filed")
    _editable(meeting)
    meeting = (
        Meeting.objects.select_related("cycle", "chair")
        .prefetch_related("invitees__unit", "invitees__official", "agenda_items")
        .prefetch_related("decisions__owner_unit", "decisions__owner_official")
        .prefetch_related("decisions__agenda_item")
        .get(pk=meeting.pk)
    )
    problems = filing_problems(meeting)
    if problems:
        raise ValidationError(problems, code="incomplete")
    now = timezone.now()
    report = report_content(meeting, filed_at=now, filed_by=actor)
    before = meeting.status
    meeting.report = audit.to_json(report)
    meeting.report_sha256 = report_sha256(meeting.report)
    meeting.status, meeting.filed_by, meeting.filed_at = Status.FILED, actor, now
    meeting.revision += 1
    meeting.save(
        update_fields=["report", "report_sha256", "status", "filed_by", "filed_at", "revision"]
    )
    step = complete_step(
        actor=actor,
        cycle=meeting.cycle,
        number=MEETING_STEP,
        reason=_("Meeting report filed: %(title)s") % {"title": meeting.title},
    )
    audit.record(
        actor=actor,
        action="meeting.report_filed",
        obj=meeting,
        before={"status": before},
        after={
            "status": meeting.status,
            "report_sha256": meeting.report_sha256,
            "cycle_step": MEETING_STEP if step else None,
        },
    )
    _notify(
        meeting,
        event="meeting.report_filed",
        title=_("Meeting report filed: %(title)s") % {"title": meeting.title},
        body=_("The report of the discussion meeting of %(date)s is available.")
        % {"date": format_day_date_id(meeting.starts_at)},
    )
    return meeting

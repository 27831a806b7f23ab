"""The meeting itself (schedule, update, cancel), its invitees and their attendance."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.meetings.models import Invitee, Meeting
from rkpk.meetings.services.base import (
    MAX_GUESTS,
    MEETING_FIELDS,
    Attendance,
    Status,
    _check_revision,
    _check_times,
    _clean_schedule,
    _editable,
    _line,
    _locked,
    _notify,
    _require_editor,
    default_chair,
)
from rkpk.organisation.models import Official, Unit
from rkpk.procedure.models import Cycle

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

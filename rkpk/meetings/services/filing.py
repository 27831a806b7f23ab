"""The meeting's invitation (naskah dinas) and the filing of its report."""

import hashlib
import json
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.meetings.dates import format_day_date_id, format_time_id
from rkpk.meetings.models import Meeting
from rkpk.meetings.services.base import (
    FILE,
    INVITATION_TEMPLATE,
    MEETING_STEP,
    Attendance,
    Status,
    _editable,
    _locked,
    _notify,
    _require_editor,
    meeting_day,
)

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

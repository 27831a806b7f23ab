"""What the meeting's pages share: finding the meeting the user may see, and the meeting
page's context, which the forms on it re-render with their errors."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from rkpk.core.actions import flash_errors, form_errors
from rkpk.meetings import selectors, services
from rkpk.meetings.dates import format_day_date_id, format_time_id
from rkpk.meetings.forms import AgendaItemForm, CancelForm, DecisionForm, InviteForm
from rkpk.meetings.models import Invitee, Meeting


def meeting_for(request, pk: int) -> Meeting:
    return selectors.visible_meeting(request.user, pk)


def detail_url(meeting, anchor: str = "") -> str:
    return reverse("meetings:detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else "")


def show_errors(request, form, error: ValidationError) -> None:
    """A service's field errors on the form's fields; a refusal without fields as messages."""
    if hasattr(error, "error_dict"):
        form_errors(form, error)
    else:
        flash_errors(request, error)


def detail_context(request, meeting: Meeting, **extra) -> dict:
    user = request.user
    can_edit = user.has_perm(services.EDIT) and meeting.is_editable
    invitees = list(meeting.invitees.all())
    items = list(meeting.agenda_items.all())
    conflict = extra.pop("conflict", None)
    for item in items:
        if conflict and conflict["pk"] == item.pk:
            item.conflict_title, item.conflict_notes = conflict["title"], conflict["notes"]
    context = {
        "meeting": meeting,
        "invitees": invitees,
        "agenda_items": items,
        "decisions": list(meeting.decisions.all()),
        "details": selectors.may_read_details(user, meeting),
        "can_edit": can_edit,
        "can_file": user.has_perm(services.FILE) and meeting.is_editable,
        "can_draft_report": user.has_perm("meetings.view_drafts"),
        "attendance_choices": Invitee.Attendance.choices,
        "date_text": format_day_date_id(meeting.starts_at),
        "time_text": format_time_id(meeting.starts_at, meeting.ends_at),
        "invitation_url": invitation_url(meeting),
    }
    if can_edit:
        context.update(
            {
                "invite_form": extra.pop("invite_form", None) or InviteForm(),
                "agenda_form": extra.pop("agenda_form", None) or AgendaItemForm(),
                "decision_form": extra.pop("decision_form", None) or DecisionForm(meeting=meeting),
                "cancel_form": CancelForm(),
            }
        )
    context.update(extra)
    return context


def invitation_url(meeting: Meeting) -> str:
    if not meeting.invitation_id:
        return ""
    from rkpk.correspondence.dispatch import document_url

    return document_url(meeting.invitation)

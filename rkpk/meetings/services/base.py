"""What every write of the discussion meeting shares: the permissions, the lock and the
revision check, text cleaning, the schedule's checks and the notices."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core.actions import require
from rkpk.meetings import rules  # noqa: F401  (registers the permissions)
from rkpk.meetings.dates import local
from rkpk.meetings.models import Invitee, Meeting
from rkpk.organisation.models import Official, Role, User
from rkpk.plans import services as plan_services
from rkpk.plans.services import CONTROL_CHARACTERS

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

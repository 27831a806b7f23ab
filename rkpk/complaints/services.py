"""Writes of complaints: file, delegate, follow up, answer, close, withdraw, rate.

Every write locks the complaint, checks the permission (rkpk.complaints.rules) and the
state, records an audit event on the complaint and tells who must know:
the Head of Bureau on filing, the delegate on delegation, the complainant on the answer
and the closure.

Time limits (working days from the day of receipt, settings with their defaults):
RKPK_COMPLAINT_DELEGATE_DAYS (1) to delegate, RKPK_COMPLAINT_ANSWER_DAYS (5) to answer.
"""

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.complaints import selectors
from rkpk.complaints.models import Complaint, ComplaintAttachment, ComplaintCounter, FollowUp
from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.formatting import format_date_id
from rkpk.notifications.services import notify
from rkpk.organisation import roles
from rkpk.organisation.models import Role, Unit
from rkpk.plans.services import ALLOWED_ATTACHMENTS, MAX_ATTACHMENT_BYTES, check_attachment
from rkpk.procedure.selectors import cycles_for

Status = Complaint.Status
CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
MAX_ATTACHMENTS = 5
MAX_SUBJECT = 200
MAX_TEXT = 10_000


def delegate_days() -> int:
    return int(getattr(settings, "RKPK_COMPLAINT_DELEGATE_DAYS", 1))


def answer_days() -> int:
    return int(getattr(settings, "RKPK_COMPLAINT_ANSWER_DAYS", 5))


def due_dates(received_on: date, cal: WorkingCalendar | None = None) -> tuple[date, date]:
    """(delegation due, answer due): working days after the day of receipt."""
    cal = cal or WorkingCalendar()
    return (
        cal.add_working_days(received_on, delegate_days()),
        cal.add_working_days(received_on, answer_days()),
    )


def complaint_path(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def _clean(text) -> str:
    return str(text or "").translate(CONTROL_CHARACTERS).strip()


def _require(actor, perm: str, complaint: Complaint | None = None) -> None:
    require(actor, perm, complaint, message=_("You may not do this with this complaint."))


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _next_number(year: int) -> str:
    """ADU-<year>-<nnnn>, without gaps: the year's counter is locked until the commit."""
    ComplaintCounter.objects.get_or_create(year=year)
    counter = ComplaintCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"ADU-{year}-{counter.last:04d}"


def _checked_files(files) -> list[tuple[str, bytes, str]]:
    files = [f for f in (files or ()) if f]
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachment": _("At most %(n)s attachments at once.") % {"n": MAX_ATTACHMENTS}}
        )
    checked = []
    for upload in files:
        name = (getattr(upload, "name", "") or "lampiran").rsplit("/", 1)[-1][:200]
        if (getattr(upload, "size", 0) or 0) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {"attachment": _("%(name)s is larger than 10 MB.") % {"name": name}}
            )
        data = upload.read()
        try:
            mime = check_attachment(name, data)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
        checked.append((name, data, mime))
    return checked


def _store(complaint: Complaint, actor, checked) -> list[ComplaintAttachment]:
    stored = []
    for name, data, mime in checked:
        attachment = ComplaintAttachment(
            complaint=complaint,
            original_name=name,
            content_type=mime,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        # A random stored name: the user's file name never becomes a path.
        attachment.file.save(
            f"{secrets.token_hex(16)}.{ALLOWED_ATTACHMENTS[mime]}", ContentFile(data), save=False
        )
        attachment.save()
        stored.append(attachment)
    return stored


def _unit_of(actor) -> Unit | None:
    ids = roles.unit_ids(actor)
    return Unit.objects.filter(pk__in=ids).order_by("code").first() if ids else None


def _snapshot(complaint: Complaint, *names: str) -> dict:
    return audit.snapshot(complaint, names or None)


# --- Filing ----------------------------------------------------------------------------------


def _filing_errors(actor, category: str, subject: str, text: str, cycle, step_number) -> dict:
    """{field: [messages]} of what is wrong with a new complaint; empty when nothing is."""
    errors: dict[str, list] = {}
    if category not in Complaint.Category.values:
        errors["category"] = [_("Choose a complaint, a grievance or a suggestion.")]
    if not subject:
        errors["subject"] = [_("Give a subject.")]
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = [_("At most %(n)s characters.") % {"n": MAX_SUBJECT}]
    if not text:
        errors["text"] = [_("Describe the complaint.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
    if cycle is not None and not cycles_for(actor).filter(pk=cycle.pk).exists():
        errors["cycle"] = [_("You cannot see this cycle; choose one from the list.")]
    if step_number is not None:
        if cycle is None:
            errors["step_number"] = [_("Choose the cycle the step belongs to.")]
        elif "cycle" not in errors and not cycle.steps.filter(number=step_number).exists():
            errors["step_number"] = [
                _("The cycle %(cycle)s has no step %(n)s.") % {"cycle": cycle, "n": step_number}
            ]
    return errors


def _notify_filed(complaint: Complaint, actor) -> None:
    """Tell the Heads of Bureau of a new complaint and its due dates."""
    notify(
        recipients=selectors.heads_of_bureau(),
        event="complaints.filed",
        title=_("New %(category)s %(number)s: %(subject)s")
        % {
            "category": complaint.get_category_display().lower(),
            "number": complaint.number,
            "subject": complaint.subject,
        },
        body=_("Filed by %(who)s. Delegate it by %(due)s; it must be answered by %(answer)s.")
        % {
            "who": actor,
            "due": format_date_id(complaint.delegation_due),
            "answer": format_date_id(complaint.answer_due),
        }
        + "\n\n"
        + complaint.text[:500],
        url=complaint_path(complaint),
    )


@transaction.atomic
def file_complaint(
    *,
    actor,
    category: str,
    subject: str,
    text: str,
    cycle=None,
    step_number: int | None = None,
    files=(),
) -> Complaint:
    """A new complaint from `actor`, numbered ADU-<year>-<nnnn>; the Head of Bureau is told."""
    _require(actor, "complaints.file")
    subject, text = _clean(subject), _clean(text)
    errors = _filing_errors(actor, category, subject, text, cycle, step_number)
    if errors:
        raise ValidationError(errors)
    checked = _checked_files(files)

    now = timezone.now()
    received_on = timezone.localdate(now)
    delegation_due, answer_due = due_dates(received_on)
    complaint = Complaint.objects.create(
        number=_next_number(received_on.year),
        year=received_on.year,
        category=category,
        subject=subject,
        text=text,
        complainant=actor,
        unit=_unit_of(actor),
        cycle=cycle,
        step_number=step_number,
        status=Status.RECEIVED,
        received_at=now,
        received_on=received_on,
        delegation_due=delegation_due,
        answer_due=answer_due,
    )
    stored = _store(complaint, actor, checked)
    audit.record(
        actor=actor,
        action="complaint.filed",
        obj=complaint,
        after={
            **_snapshot(
                complaint,
                "number",
                "category",
                "subject",
                "cycle",
                "step_number",
                "status",
                "delegation_due",
                "answer_due",
            ),
            "attachments": [a.original_name for a in stored],
        },
    )
    _notify_filed(complaint, actor)
    return complaint


# --- Handling --------------------------------------------------------------------------------


@transaction.atomic
def delegate(*, actor, complaint: Complaint, to, note: str = "") -> Complaint:
    """The Head of Bureau (or their Plt/Plh) hands the complaint to a Head of Section."""
    complaint = _locked(complaint)
    require(
        actor,
        "complaints.delegate",
        message=_("Only the Head of Bureau (or their Plt/Plh) delegates."),
    )
    acting = roles.printed_acting_kind(actor, Role.HEAD_OF_BUREAU)
    if not complaint.is_open:
        raise ValidationError(
            _("The complaint is %(status)s and can no longer be delegated.")
            % {"status": complaint.get_status_display().lower()}
        )
    if to is None or not selectors.delegate_candidates().filter(pk=to.pk).exists():
        raise ValidationError({"to": [_("Choose a Head of Section.")]})
    note = _clean(note)
    before = _snapshot(complaint, "status", "delegated_to")
    complaint.delegated_to = to
    complaint.delegated_by = actor
    complaint.delegated_by_acting = acting
    complaint.delegated_at = timezone.now()
    complaint.delegation_note = note
    if complaint.status == Status.RECEIVED:
        complaint.status = Status.DELEGATED
    complaint.save()
    audit.record(
        actor=actor,
        action="complaint.delegated",
        obj=complaint,
        before=before,
        after={
            **_snapshot(complaint, "status", "delegated_to", "delegation_note"),
            "delegated_to_name": str(to),
            "acting": acting,
        },
    )
    notify(
        recipients=[to],
        event="complaints.delegated",
        title=_("Complaint %(number)s delegated to you: %(subject)s")
        % {"number": complaint.number, "subject": complaint.subject},
        body=(note + "\n\n" if note else "")
        + _("Answer the complainant by %(due)s.") % {"due": format_date_id(complaint.answer_due)},
        url=complaint_path(complaint),
    )
    return complaint


@transaction.atomic
def add_follow_up(*, actor, complaint: Complaint, action: str) -> FollowUp:
    """Record an action taken on a delegated complaint."""
    complaint = _locked(complaint)
    _require(actor, "complaints.follow_up", complaint)
    if complaint.status == Status.RECEIVED:
        raise ValidationError(_("The Head of Bureau must delegate the complaint first."))
    if complaint.status not in (Status.DELEGATED, Status.IN_FOLLOW_UP):
        raise ValidationError(
            _("The complaint is %(status)s; no more follow-up actions are recorded.")
            % {"status": complaint.get_status_display().lower()}
        )
    action = _clean(action)
    if not action:
        raise ValidationError({"action": [_("Describe the action taken.")]})
    if len(action) > MAX_TEXT:
        raise ValidationError({"action": [_("At most %(n)s characters.") % {"n": MAX_TEXT}]})
    follow_up = FollowUp.objects.create(
        complaint=complaint, action=action, by=actor, at=timezone.now()
    )
    before = _snapshot(complaint, "status")
    if complaint.status == Status.DELEGATED:
        complaint.status = Status.IN_FOLLOW_UP
        complaint.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="complaint.followed_up",
        obj=complaint,
        before=before,
        after={"status": complaint.status, "follow_up": follow_up.pk, "action": action},
    )
    return follow_up


@transaction.atomic
def answer(*, actor, complaint: Complaint, text: str) -> Complaint:
    """The answer to the complainant, given once, by the delegate or the Head of Bureau."""
    complaint = _locked(complaint)
    _require(actor, "complaints.answer", complaint)
    if complaint.status in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("The complaint has already been answered."))
    if complaint.status == Status.WITHDRAWN:
        raise ValidationError(_("The complainant withdrew the complaint."))
    text = _clean(text)
    if not text:
        raise ValidationError({"text": [_("Write the answer.")]})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": [_("At most %(n)s characters.") % {"n": MAX_TEXT}]})
    before = _snapshot(complaint, "status")
    now = timezone.now()
    complaint.answer = text
    complaint.answered_by = actor
    complaint.answered_at = now
    complaint.answered_on = timezone.localdate(now)
    complaint.status = Status.ANSWERED
    complaint.save()
    acting = roles.printed_acting_kind(actor, Role.HEAD_OF_BUREAU)
    audit.record(
        actor=actor,
        action="complaint.answered",
        obj=complaint,
        before=before,
        after={**_snapshot(complaint, "status", "answer", "answered_on"), "acting": acting},
    )
    notify(
        recipients=[complaint.complainant],
        event="complaints.answered",
        title=_("Your complaint %(number)s has been answered") % {"number": complaint.number},
        body=text[:1000],
        url=complaint_path(complaint),
    )
    return complaint


@transaction.atomic
def close(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    """Close an answered complaint (the Head of Bureau or the delegate)."""
    complaint = _locked(complaint)
    _require(actor, "complaints.close", complaint)
    if complaint.status == Status.CLOSED:
        raise ValidationError(_("The complaint is already closed."))
    if complaint.status == Status.WITHDRAWN:
        raise ValidationError(_("The complainant withdrew the complaint."))
    if complaint.status != Status.ANSWERED or not complaint.answer:
        raise ValidationError(
            _("A complaint cannot be closed before the complainant has been answered.")
        )
    note = _clean(note)
    before = _snapshot(complaint, "status")
    complaint.status = Status.CLOSED
    complaint.closed_by = actor
    complaint.closed_at = timezone.now()
    complaint.closing_note = note
    complaint.save()
    audit.record(
        actor=actor,
        action="complaint.closed",
        obj=complaint,
        before=before,
        after=_snapshot(complaint, "status", "closing_note"),
    )
    notify(
        recipients=[complaint.complainant],
        event="complaints.closed",
        title=_("Your complaint %(number)s has been closed") % {"number": complaint.number},
        body=note,
        url=complaint_path(complaint),
    )
    return complaint


@transaction.atomic
def withdraw(*, actor, complaint: Complaint, reason: str = "") -> Complaint:
    """The complainant withdraws the complaint before it is answered."""
    complaint = _locked(complaint)
    _require(actor, "complaints.withdraw", complaint)
    if not complaint.is_open:
        raise ValidationError(
            _("The complaint is %(status)s and can no longer be withdrawn.")
            % {"status": complaint.get_status_display().lower()}
        )
    reason = _clean(reason)
    before = _snapshot(complaint, "status")
    complaint.status = Status.WITHDRAWN
    complaint.withdrawn_at = timezone.now()
    complaint.withdrawal_reason = reason
    complaint.save()
    audit.record(
        actor=actor,
        action="complaint.withdrawn",
        obj=complaint,
        before=before,
        after=_snapshot(complaint, "status", "withdrawal_reason"),
    )
    handlers = [complaint.delegated_to] if complaint.delegated_to_id else []
    notify(
        recipients=handlers + selectors.heads_of_bureau(),
        event="complaints.withdrawn",
        title=_("Complaint %(number)s was withdrawn") % {"number": complaint.number},
        body=reason,
        url=complaint_path(complaint),
    )
    return complaint


@transaction.atomic
def rate(*, actor, complaint: Complaint, satisfaction: int, note: str = "") -> Complaint:
    """The complainant says, once, how satisfied they are with the answer (1 to 4)."""
    complaint = _locked(complaint)
    _require(actor, "complaints.rate", complaint)
    if complaint.status not in (Status.ANSWERED, Status.CLOSED):
        raise ValidationError(_("The complaint can be rated once it has been answered."))
    if complaint.satisfaction is not None:
        raise ValidationError(_("You have already rated the answer."))
    try:
        value = int(satisfaction)
    except (TypeError, ValueError):
        value = 0
    if value not in Complaint.Satisfaction.values:
        raise ValidationError({"satisfaction": [_("Choose a value from 1 to 4.")]})
    complaint.satisfaction = value
    complaint.satisfaction_note = _clean(note)[:MAX_TEXT]
    complaint.rated_at = timezone.now()
    complaint.save()
    audit.record(
        actor=actor,
        action="complaint.rated",
        obj=complaint,
        after=_snapshot(complaint, "satisfaction", "satisfaction_note"),
    )
    return complaint

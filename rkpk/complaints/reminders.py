"""Reminders about complaints' time limits, run daily by the worker (tasks.py).

On a working day `on_date`:
- a complaint still not delegated after its delegation due date: the Head of Bureau
  (and their Plt/Plh) are reminded;
- a complaint not answered, exactly one working day before its answer due date: the
  delegate is reminded (the Head of Bureau while nobody is delegated);
- a complaint not answered after its answer due date: the delegate and the Head of
  Bureau are reminded.

Each (complaint, kind, day) is written to ReminderLog (unique) in the transaction of its
notification: running twice on a day sends nothing twice.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rkpk.complaints import selectors
from rkpk.complaints.models import Complaint, ReminderLog
from rkpk.complaints.services import complaint_path
from rkpk.core import audit
from rkpk.core.calendar import WorkingCalendar
from rkpk.core.formatting import format_date_id
from rkpk.notifications.services import notify

Kind = ReminderLog.Kind


def kinds_due(complaint: Complaint, on_date: date, cal: WorkingCalendar) -> list[str]:
    """The reminders a complaint calls for on `on_date` (a working day)."""
    if not complaint.is_open:
        return []
    kinds = []
    if complaint.status == Complaint.Status.RECEIVED and on_date > complaint.delegation_due:
        kinds.append(Kind.DELEGATION_LATE)
    if on_date > complaint.answer_due:
        kinds.append(Kind.ANSWER_LATE)
    elif cal.count_working_days(on_date, complaint.answer_due) == 1:
        kinds.append(Kind.ANSWER_SOON)
    return kinds


def _message(complaint: Complaint, kind: str, on_date: date, cal: WorkingCalendar):
    values = {
        "number": complaint.number,
        "subject": complaint.subject,
        "due": format_date_id(complaint.delegation_due),
        "answer_due": format_date_id(complaint.answer_due),
    }
    if kind == Kind.DELEGATION_LATE:
        values["n"] = cal.count_working_days(complaint.delegation_due, on_date)
        return (
            _("Complaint %(number)s not yet delegated (%(n)s working day(s) late)") % values,
            _(
                "%(subject)s — was to be delegated to the Head of Section by %(due)s and "
                "answered by %(answer_due)s."
            )
            % values,
        )
    if kind == Kind.ANSWER_SOON:
        return (
            _("Complaint %(number)s must be answered by %(answer_due)s") % values,
            _("%(subject)s — the answer is due in one working day.") % values,
        )
    values["n"] = cal.count_working_days(complaint.answer_due, on_date)
    return (
        _("Complaint %(number)s not answered in time (%(n)s working day(s) late)") % values,
        _("%(subject)s — the answer was due on %(answer_due)s.") % values,
    )


def _recipients(complaint: Complaint, kind: str, heads: list) -> list:
    delegate = [complaint.delegated_to] if complaint.delegated_to_id else []
    if kind == Kind.DELEGATION_LATE:
        return heads
    if kind == Kind.ANSWER_SOON:
        return delegate or heads
    return delegate + heads


def send_reminders(*, on_date: date, actor=None) -> dict:
    """Remind about every open complaint on `on_date`; a summary fit for JSON."""
    cal = WorkingCalendar()
    summary = {
        "date": on_date.isoformat(),
        "working_day": cal.is_working_day(on_date),
        "reminded": [],
        "notifications": 0,
    }
    if not summary["working_day"]:
        return summary
    heads = selectors.heads_of_bureau()
    candidates = Complaint.objects.filter(status__in=Complaint.OPEN).select_related("delegated_to")
    for complaint in candidates.order_by("number"):
        for kind in kinds_due(complaint, on_date, cal):
            sent = _remind(complaint, kind, on_date, cal, heads, actor)
            if sent is not None:
                summary["reminded"].append({"number": complaint.number, "kind": str(kind)})
                summary["notifications"] += sent
    return summary


def _remind(complaint, kind, on_date, cal, heads, actor) -> int | None:
    """Send one reminder unless it already went out today; the number of notifications."""
    try:
        with transaction.atomic():
            _log, created = ReminderLog.objects.get_or_create(
                complaint=complaint, kind=kind, on_date=on_date
            )
            if not created:
                return None
            title, body = _message(complaint, kind, on_date, cal)
            sent = notify(
                recipients=_recipients(complaint, kind, heads),
                event=f"complaints.reminder.{kind}",
                title=title,
                body=body,
                url=complaint_path(complaint),
            )
            audit.record(
                actor=actor,
                action="complaint.reminded",
                obj=complaint,
                after={"kind": str(kind), "date": on_date.isoformat(), "sent": len(sent)},
            )
            return len(sent)
    except IntegrityError:  # another run logged it at the same moment
        return None

"""Background work of the complaints app, run by the database worker (`rkpk db_worker`)."""

from datetime import date

from django_tasks import task

from rkpk.complaints import reminders
from rkpk.core.calendar import today


@task()
def remind_overdue_complaints(on_date: str | None = None) -> dict:
    """Reminders about complaints' time limits for `on_date` (YYYY-MM-DD, default today);
    see rkpk.complaints.reminders. Queued daily by `rkpk run_scheduled`."""
    day = date.fromisoformat(on_date) if on_date else today()
    return reminders.send_reminders(on_date=day)

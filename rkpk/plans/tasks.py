"""Background work of the plans app, run by the database worker (`rkpk db_worker`)."""

from datetime import date

from django_tasks import task

from rkpk.plans import reminders


@task()
def send_reminders(on_date: str, days_before: int | None = None) -> dict:
    """Reminders and lateness warnings for `on_date` (YYYY-MM-DD); see rkpk.plans.reminders."""
    return reminders.send_reminders(
        actor=None, on_date=date.fromisoformat(on_date), days_before=days_before
    )

"""Background work of the survey app, run by the database worker (`rkpk db_worker`)."""

from datetime import date

from django_tasks import task

from rkpk.survey import services


@task()
def close_expired_surveys(on_date: str | None = None) -> dict:
    """Close the open surveys whose last day (closes_on) is before `on_date` (YYYY-MM-DD,
    default today); their units' people and the bureau are told the results are out."""
    day = date.fromisoformat(on_date) if on_date else None
    return {"closed": services.close_expired(actor=None, on_date=day)}

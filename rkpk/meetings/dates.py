"""Meeting dates and times as Indonesian documents print them: "Senin, 25 November 2026",
"09.00 WIB" or "09.00–11.00 WIB". Times are shown in Asia/Jakarta (WIB), whatever the
server's time zone."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from rkpk.core.formatting import format_date_id

JAKARTA = ZoneInfo("Asia/Jakarta")
DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(JAKARTA) if moment is not None else None


def combine(day: date, at: time) -> datetime:
    """A date and a wall-clock time in Jakarta as an aware datetime."""
    return datetime.combine(day, at, tzinfo=JAKARTA)


def format_day_date_id(day: date | datetime | None) -> str:
    """ "Senin, 25 November 2026" """
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{DAYS_ID[day.weekday()]}, {format_date_id(day)}"


def format_time_id(starts_at: datetime | None, ends_at: datetime | None = None) -> str:
    """ "09.00 WIB", or "09.00–11.00 WIB" with an end time."""
    if starts_at is None:
        return ""
    start = local(starts_at)
    text = f"{start:%H.%M}"
    if ends_at is not None:
        text += f"–{local(ends_at):%H.%M}"
    return f"{text} WIB"

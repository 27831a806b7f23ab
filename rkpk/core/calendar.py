"""The working-day calendar.

Working days are Monday to Friday, less Indonesian national holidays and cuti
bersama (collective leave) from the `holidays` package, corrected by the admin's
overrides (CalendarOverride: close a day, or reopen one).

Counting rule (DESIGN.md §4): a duration of N working days that starts on day D
ends at the end of the N-th working day *after* D. D itself is day 0, whether or
not it is a working day. So `add_working_days(D, 0) == D`, and
`count_working_days(D, E)` counts the working days in the interval (D, E].
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone

from rkpk.core.models import CalendarOverride

HOLIDAY_CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> dict[date, str]:
    found = holidays.country_holidays(
        "ID", categories=HOLIDAY_CATEGORIES, language="id", years=year
    )
    return dict(found.items())


@dataclass(frozen=True)
class DayInfo:
    date: date
    is_working: bool
    reasons: tuple[str, ...]  # holiday names, override reason, "Sabtu"/"Minggu"


WEEKEND_NAMES = {5: "Sabtu", 6: "Minggu"}


class WorkingCalendar:
    """A snapshot of the calendar: overrides are read once, in one query."""

    def __init__(self, overrides: dict[date, CalendarOverride] | None = None):
        if overrides is None:
            overrides = {o.date: o for o in CalendarOverride.objects.all()}
        self.overrides = overrides

    def holiday_name(self, day: date) -> str | None:
        return _national_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override.kind == CalendarOverride.Kind.OPEN
        return day.weekday() < 5 and self.holiday_name(day) is None

    def day_info(self, day: date) -> DayInfo:
        reasons = []
        if day.weekday() in WEEKEND_NAMES:
            reasons.append(WEEKEND_NAMES[day.weekday()])
        name = self.holiday_name(day)
        if name:
            reasons.append(name)
        override = self.overrides.get(day)
        if override is not None:
            reasons.append(override.reason)
        return DayInfo(day, self.is_working_day(day), tuple(reasons))

    def add_working_days(self, start: date, n: int) -> date:
        """The date on which a duration of n working days that starts on `start` ends."""
        if n < 0:
            raise ValueError("A duration cannot be negative.")
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def count_working_days(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if end < start)."""
        if end < start:
            return -self.count_working_days(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def next_working_day(self, day: date) -> date:
        return self.add_working_days(day, 1)

    def non_working_days(self, year: int) -> list[DayInfo]:
        """Every non-working weekday and every reopened or closed day of the year, with names.

        Weekends appear only when something else is said of them (a holiday or an override).
        """
        days = []
        day = date(year, 1, 1)
        while day.year == year:
            info = self.day_info(day)
            plain_weekend = day.weekday() >= 5 and len(info.reasons) == 1 and not info.is_working
            if (not info.is_working or day in self.overrides) and not plain_weekend:
                days.append(info)
            day += timedelta(days=1)
        return days


def today() -> date:
    """Today in the service's time zone (Asia/Jakarta)."""
    return timezone.localdate()


def calendar() -> WorkingCalendar:
    return WorkingCalendar()

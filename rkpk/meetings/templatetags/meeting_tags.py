from django import template

from rkpk.core.formatting import format_date_id
from rkpk.meetings.dates import format_day_date_id, format_time_id

register = template.Library()


@register.filter
def day_date_id(value) -> str:
    """ "Senin, 25 November 2026" (the date in Jakarta)."""
    return format_day_date_id(value)


@register.filter
def meeting_time(meeting) -> str:
    """ "09.00–11.00 WIB" """
    return format_time_id(meeting.starts_at, meeting.ends_at) if meeting else ""


@register.filter
def plain_date_id(value) -> str:
    return format_date_id(value) if value else ""

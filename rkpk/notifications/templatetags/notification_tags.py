"""The unread-notification count for the navigation bar.

In a template: `{% load notification_tags %}{% notification_bell %}` renders a link to the
list with the count; `{% unread_notification_count as n %}` gives the number alone.
"""

from django import template

from rkpk.notifications.models import Notification

register = template.Library()


def unread_count(user) -> int:
    """Unread notifications of a user (0 for anonymous users); one indexed query."""
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(user, "_rkpk_unread_notifications", None)
    if cached is None:
        cached = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        user._rkpk_unread_notifications = cached
    return cached


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    return unread_count(context.get("user"))


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context) -> dict:
    user = context.get("user")
    return {"user": user, "unread": unread_count(user)}


@register.filter
def datetime_id(value) -> str:
    """A moment as "25 November 2026 14.30 WIB" (in the site's time zone)."""
    from rkpk.notifications.digest import format_datetime_id

    return format_datetime_id(value) if value else ""


@register.filter
def area_label(event: str) -> str:
    """The area of the application an event belongs to ("Unit plans", "Meetings", …)."""
    from rkpk.notifications.selectors import area_label as label
    from rkpk.notifications.selectors import area_of

    return label(area_of(event))

"""Reads of the notification centre: a user's notifications, filters and e-mail preferences."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from rkpk.notifications.models import EmailChoice, Notification, NotificationPreference

SHOW_ALL, SHOW_UNREAD, SHOW_READ = "all", "unread", "read"
SHOW_CHOICES = (SHOW_ALL, SHOW_UNREAD, SHOW_READ)

# Areas of the application, for the event-type filter: an event "plan.submitted" or
# "plans.reminder.late" belongs to the area whose prefixes hold its first part.
AREAS = {
    "plan": (_("Unit plans"), ("plan", "plans")),
    "ministry": (_("Ministry RK-PK"), ("ministry",)),
    "meeting": (_("Meetings"), ("meeting", "meetings")),
    "correspondence": (_("Correspondence"), ("correspondence",)),
    "procedure": (_("Procedure"), ("procedure", "cycle")),
    "analysis": (_("Analysis"), ("analysis",)),
    "complaint": (_("Complaints"), ("complaint", "complaints")),
    "survey": (_("Satisfaction survey"), ("survey",)),
}


def area_of(event: str) -> str:
    prefix = (event or "").split(".", 1)[0]
    for key, (_label, prefixes) in AREAS.items():
        if prefix in prefixes:
            return key
    return prefix


def area_label(area: str) -> str:
    if area in AREAS:
        return str(AREAS[area][0])
    return area.replace("_", " ").capitalize() or str(_("Other"))


def area_filter(area: str) -> Q:
    prefixes = AREAS[area][1] if area in AREAS else (area,)
    query = Q()
    for prefix in prefixes:
        query |= Q(event__startswith=f"{prefix}.") | Q(event=prefix)
    return query


def notifications_for(user, *, show: str = SHOW_ALL, area: str = "") -> QuerySet[Notification]:
    """The user's own notifications, newest first; `show` all, unread or read; `area` filter."""
    found = Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
    if show == SHOW_UNREAD:
        found = found.filter(read_at__isnull=True)
    elif show == SHOW_READ:
        found = found.filter(read_at__isnull=False)
    if area:
        found = found.filter(area_filter(area))
    return found


def areas_for(user) -> list[tuple[str, str]]:
    """(key, label) of the areas the user has notifications in; one query."""
    events = (
        Notification.objects.filter(recipient=user)
        .order_by()
        .values_list("event", flat=True)
        .distinct()
    )
    keys = {area_of(event) for event in events}
    return sorted(((key, area_label(key)) for key in keys), key=lambda item: item[1])


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_for(user) -> NotificationPreference:
    """The user's preference; an unsaved default (immediate e-mail) when they never chose."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user, email=EmailChoice.IMMEDIATE)


def email_choices_for(user_ids: Iterable[int]) -> dict[int, str]:
    """The e-mail choice of each user, immediate when unset; one query for all of them."""
    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "email")
    )
    return {pk: chosen.get(pk, EmailChoice.IMMEDIATE) for pk in ids}

"""The caller's own notifications: list (read/unread, type), mark read or unread, mark all
read, and the e-mail preference (immediately, daily digest, none).

Every endpoint touches only the caller's notifications: another user's id answers 404.
Writes call rkpk.notifications.services, as the web pages do.
"""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.notifications import selectors, services
from rkpk.notifications.models import EmailChoice, Notification

router = Router(tags=["notifications"])
RESPONSES = {**NOT_FOUND, **REFUSALS}
P = "/notifications"
USE = "notifications.use"
MAX_PAGE = 200


class NotificationFilters(Schema):
    show: Literal["all", "unread", "read"] = Field("all", description="all | unread | read")
    event: str = Field(
        "",
        description=(
            "An area of the application (plan, ministry, meeting, correspondence, procedure, "
            "analysis, complaint, survey) or the first part of an event name; all when empty."
        ),
    )


class NotificationOut(Schema):
    id: int
    event: str
    area: str = Field(..., description="The area of the application the event belongs to.")
    title: str
    body: str
    url: str = Field(..., description="Where the notification leads; may be empty.")
    created_at: datetime
    read: bool
    read_at: datetime | None
    emailed_at: datetime | None

    @staticmethod
    def resolve_area(obj) -> str:
        return selectors.area_of(obj.event)

    @staticmethod
    def resolve_read(obj) -> bool:
        return obj.read_at is not None


class MarkedOut(Schema):
    marked: int = Field(..., description="How many notifications changed.")
    unread: int = Field(..., description="Unread notifications left.")


class UnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    email: str = Field(..., description="immediate | digest | none")
    digest_since: datetime | None = Field(
        None, description="The digest covers notifications from this moment on."
    )
    last_digest_at: datetime | None


class PreferenceIn(Schema):
    email: Literal["immediate", "digest", "none"] = Field(
        ...,
        description=(
            "immediate: one e-mail per notification; digest: one e-mail a day listing them; "
            "none: in the app only."
        ),
    )


def _mine(request, notification_id: int) -> Notification:
    return get_object_or_404(Notification, pk=notification_id, recipient=request.user)


@router.get(P, response={200: list[NotificationOut], **REFUSALS}, url_name="notification_list")
@paginate(BoundedLimitOffsetPagination, max_limit=MAX_PAGE)
def list_notifications(request, filters: Query[NotificationFilters]):
    """Your notifications, newest first."""
    require(request, USE)
    return selectors.notifications_for(request.user, show=filters.show, area=filters.event)


@router.get(f"{P}/unread-count", response={200: UnreadOut, **REFUSALS})
def unread_count(request):
    """How many of your notifications are unread (the bell's number)."""
    require(request, USE)
    return {"unread": selectors.unread_count(request.user)}


@router.post(f"{P}/read-all", response={200: MarkedOut, **REFUSALS})
def read_all(request):
    """Mark all your notifications read."""
    require(request, USE)
    marked = services.mark_read(user=request.user)
    return {"marked": marked, "unread": selectors.unread_count(request.user)}


@router.get(f"{P}/preferences", response={200: PreferenceOut, **REFUSALS})
def get_preferences(request):
    """How you are e-mailed about notifications; `immediate` until you choose."""
    require(request, USE)
    return selectors.preference_for(request.user)


@router.put(f"{P}/preferences", response={200: PreferenceOut, **REFUSALS})
def put_preferences(request, payload: PreferenceIn):
    """Choose how you are e-mailed: immediately, in a daily digest, or not at all."""
    require(request, USE)
    return services.set_email_preference(
        actor=request.user, user=request.user, email=EmailChoice(payload.email)
    )


@router.get(f"{P}/{{int:notification_id}}", response={200: NotificationOut, **RESPONSES})
def get_notification(request, notification_id: int):
    """One of your notifications (reading it here does not mark it read)."""
    require(request, USE)
    return _mine(request, notification_id)


@router.post(f"{P}/{{int:notification_id}}/read", response={200: NotificationOut, **RESPONSES})
def read_one(request, notification_id: int):
    """Mark one of your notifications read (no change if it already is)."""
    require(request, USE)
    return services.set_read(
        user=request.user, notification=_mine(request, notification_id), read=True
    )


@router.post(f"{P}/{{int:notification_id}}/unread", response={200: NotificationOut, **RESPONSES})
def unread_one(request, notification_id: int):
    """Mark one of your notifications unread again."""
    require(request, USE)
    return services.set_read(
        user=request.user, notification=_mine(request, notification_id), read=False
    )

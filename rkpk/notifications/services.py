"""Writes of the notification centre: creating notifications, read state, e-mail preferences."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core.audit import record
from rkpk.notifications.models import EmailChoice, Notification, NotificationPreference
from rkpk.notifications.selectors import email_choices_for


def notify(*, recipients: Iterable, event: str, title: str, body: str = "", url: str = "") -> list:
    """Create one in-app notification per recipient and queue the e-mails of those who want them.

    Recipients who chose immediate e-mail (the default) get theirs from the worker; the
    daily digest (rkpk.notifications.digest) e-mails the others who chose it; nobody else
    is e-mailed. Two queries whatever the number of recipients. The e-mail task is queued
    only when the surrounding transaction commits.
    """
    from rkpk.notifications.tasks import send_notification_emails

    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    if url and url.startswith("/"):
        url = settings.RKPK_BASE_URL.rstrip("/") + url
    created = Notification.objects.bulk_create(
        Notification(recipient=user, event=event, title=title[:200], body=body, url=url[:300])
        for user in unique.values()
    )
    if not created:
        return created
    choices = email_choices_for(unique)
    ids = [n.pk for n in created if choices[n.recipient_id] == EmailChoice.IMMEDIATE]
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


@transaction.atomic
def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications (all, or those of `notification_ids`) read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


@transaction.atomic
def mark_unread(*, user, notification_ids: Iterable[int]) -> int:
    """Mark some of the user's read notifications unread again."""
    read = Notification.objects.filter(
        recipient=user, read_at__isnull=False, pk__in=list(notification_ids)
    )
    return read.update(read_at=None)


def set_read(*, user, notification: Notification, read: bool) -> Notification:
    """Mark one of the user's own notifications read or unread; someone else's is refused."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if read:
        mark_read(user=user, notification_ids=[notification.pk])
    else:
        mark_unread(user=user, notification_ids=[notification.pk])
    notification.refresh_from_db(fields=["read_at"])
    return notification


def toggle_read(*, user, notification: Notification) -> Notification:
    return set_read(user=user, notification=notification, read=notification.read_at is None)


@transaction.atomic
def set_email_preference(*, actor, user, email: str) -> NotificationPreference:
    """Choose how `user` is e-mailed: immediately, in a daily digest, or not at all.

    Only users themselves choose. Choosing the digest starts it from now: what arrived
    while no e-mail was wanted is not e-mailed later.
    """
    if actor is None or actor.pk != user.pk or not actor.has_perm("notifications.use"):
        raise PermissionDenied
    if email not in EmailChoice.values:
        raise ValidationError({"email": _("Choose one of the offered e-mail options.")})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user, defaults={"email": EmailChoice.IMMEDIATE}
    )
    before = preference.email
    if before == email:
        return preference
    if email == EmailChoice.DIGEST and before != EmailChoice.DIGEST:
        preference.digest_since = timezone.now()
    preference.email = email
    preference.save()
    record(
        actor=actor,
        action="notifications.preference_changed",
        obj=preference,
        before={"email": before},
        after={"email": email},
    )
    return preference

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rkpk.notifications.models import Notification


def notify(*, recipients: Iterable, event: str, title: str, body: str = "", url: str = "") -> list:
    """Create one in-app notification per recipient and queue their e-mails for the worker.

    The e-mail task is queued only when the surrounding transaction commits.
    """
    from rkpk.notifications.tasks import send_notification_emails

    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    if url and url.startswith("/"):
        url = settings.RKPK_BASE_URL.rstrip("/") + url
    created = Notification.objects.bulk_create(
        Notification(recipient=user, event=event, title=title[:200], body=body, url=url[:300])
        for user in unique.values()
    )
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


@transaction.atomic
def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())

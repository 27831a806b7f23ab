from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from rkpk.notifications.models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail notifications not yet e-mailed; safe to run twice (emailed_at is checked)."""
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for notification in pending.select_related("recipient"):
        address = notification.recipient.email
        if address:
            body = notification.body
            if notification.url:
                body = f"{body}\n\n{notification.url}"
            send_mail(f"[RK-PK] {notification.title}", body, None, [address])
            sent += 1
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent

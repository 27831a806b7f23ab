"""Background work of the notification centre, run by the database worker (`rkpk db_worker`)."""

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from rkpk.notifications import digest
from rkpk.notifications.models import EmailChoice, Notification
from rkpk.notifications.selectors import email_choices_for
from rkpk.organisation.profile import current_profile


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail notifications not yet e-mailed; safe to run twice (emailed_at is checked).

    A recipient who has since chosen the digest or no e-mail is not e-mailed now.
    """
    sent = 0
    pending = list(
        Notification.objects.filter(
            pk__in=notification_ids, emailed_at__isnull=True
        ).select_related("recipient")
    )
    choices = email_choices_for({n.recipient_id for n in pending})
    for notification in pending:
        if choices[notification.recipient_id] != EmailChoice.IMMEDIATE:
            continue
        address = notification.recipient.email
        if address:
            body = notification.body
            if notification.url:
                body = f"{body}\n\n{notification.url}"
            body = f"{body}\n\n-- \nRK-PK · {current_profile().name}"
            send_mail(f"[RK-PK] {notification.title}", body, None, [address])
            sent += 1
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent


@task()
def send_daily_digests() -> dict:
    """The daily e-mail digest for users who chose it (see rkpk.notifications.digest)."""
    return digest.send_daily_digests()

"""Background work of the notification centre, run by the database worker (`rkpk db_worker`)."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from rkpk.notifications import digest
from rkpk.notifications.models import EmailChoice, Notification
from rkpk.notifications.selectors import email_choices_for
from rkpk.organisation.profile import current_profile


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail notifications not yet e-mailed; safe to run twice, and by two workers at once.

    Each notification is claimed by a guarded update of its `emailed_at` in the transaction
    that sends its e-mail: a rerun after a crash (rkpk.core.jobs) skips what went out, and
    what did not go out is rolled back and sent then. Only a crash between the mail
    server's acceptance and the commit can send one twice.
    A recipient who has since chosen the digest or no e-mail is not e-mailed now.
    """
    sent = 0
    pending = list(
        Notification.objects.filter(
            pk__in=notification_ids, emailed_at__isnull=True
        ).select_related("recipient")
    )
    choices = email_choices_for({n.recipient_id for n in pending})
    footer = f"\n\n-- \nRK-PK · {current_profile().name}"
    for notification in pending:
        if choices[notification.recipient_id] != EmailChoice.IMMEDIATE:
            continue
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
            if not claimed:  # e-mailed meanwhile (another run, the digest)
                continue
            address = notification.recipient.email
            if address:
                body = notification.body
                if notification.url:
                    body = f"{body}\n\n{notification.url}"
                send_mail(f"[RK-PK] {notification.title}", body + footer, None, [address])
                sent += 1
    return sent


@task()
def send_daily_digests() -> dict:
    """The daily e-mail digest for users who chose it (see rkpk.notifications.digest)."""
    return digest.send_daily_digests()

"""The daily digest: one e-mail per user who chose it, listing what arrived since the last one.

Run daily by the worker (tasks.send_daily_digests, queued by `rkpk run_scheduled`).
Idempotent: a notification is e-mailed once (its `emailed_at` is set in the same
transaction as the e-mail goes out), so running twice sends nothing new.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rkpk.core.formatting import format_date_id
from rkpk.notifications.models import EmailChoice, Notification, NotificationPreference
from rkpk.organisation.profile import current_profile

logger = logging.getLogger(__name__)

# At most this many notifications are listed one by one; the rest are counted.
MAX_LISTED = 100


def format_datetime_id(moment: datetime) -> str:
    """'25 November 2026 14.30 WIB' in the site's time zone."""
    local = timezone.localtime(moment)
    zone = local.strftime("%Z")
    text = f"{format_date_id(local.date())} {local:%H.%M}"
    return f"{text} {zone}" if zone and not zone.startswith(("+", "-")) else text


def absolute(path: str) -> str:
    return settings.RKPK_BASE_URL.rstrip("/") + path


def email_language(user) -> str:
    """The language of e-mails to `user`: theirs if the account records one, else the site's."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def pending_for(preference: NotificationPreference):
    pending = Notification.objects.filter(recipient_id=preference.user_id, emailed_at__isnull=True)
    if preference.digest_since is not None:
        pending = pending.filter(created_at__gte=preference.digest_since)
    return pending.order_by("created_at", "id")


def build_digest(user, notifications: list[Notification], *, now: datetime):
    """The e-mail (plain text and HTML) listing `notifications` for `user`."""
    with translation.override(email_language(user)):
        today = format_date_id(timezone.localdate(now))
        listed = notifications[:MAX_LISTED]
        context = {
            "user": user,
            "date": today,
            "items": [
                {
                    "title": n.title,
                    "body": n.body,
                    "time": format_datetime_id(n.created_at),
                    "link": absolute(reverse("notifications:open", args=[n.pk])),
                }
                for n in listed
            ],
            "more": len(notifications) - len(listed),
            "total": len(notifications),
            "centre_url": absolute(reverse("notifications:list")),
            "settings_url": absolute(reverse("notifications:settings")),
            "organisation": current_profile().name,
            "language": translation.get_language(),
        }
        subject = _("RK-PK notification digest, %(date)s") % {"date": today}
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_daily_digests(*, now: datetime | None = None) -> dict:
    """E-mail every digest user what they have not been e-mailed yet; a summary fit for JSON."""
    now = now or timezone.now()
    summary = {"sent": 0, "notifications": 0, "skipped_no_address": 0}
    users = (
        NotificationPreference.objects.filter(email=EmailChoice.DIGEST, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    for user_id in list(users):
        with transaction.atomic():
            preference = (
                NotificationPreference.objects.select_for_update()
                .select_related("user")
                .filter(user_id=user_id, email=EmailChoice.DIGEST)
                .first()
            )
            if preference is None:  # changed meanwhile
                continue
            user = preference.user
            if not user.email:
                summary["skipped_no_address"] += 1
                continue
            notifications = list(pending_for(preference))
            if not notifications:
                continue
            build_digest(user, notifications, now=now).send()
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
            NotificationPreference.objects.filter(pk=preference.pk).update(last_digest_at=now)
            summary["sent"] += 1
            summary["notifications"] += len(notifications)
    logger.info("Notification digests: %s", summary)
    return summary

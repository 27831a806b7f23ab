from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app message to one user; e-mailed by the worker (see tasks.send_notification_email)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_unread")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("Daily digest")
    NONE = "none", _("No e-mail")


class NotificationPreference(models.Model):
    """How a user wants to hear of notifications by e-mail.

    Created the first time the user saves a choice; a user without one gets every
    notification e-mailed at once (EmailChoice.IMMEDIATE).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.CharField(
        _("e-mail"), max_length=10, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE
    )
    # The daily digest covers notifications from this moment on (when the digest was chosen):
    # what arrived while the user wanted no e-mail is never e-mailed later.
    digest_since = models.DateTimeField(_("digest since"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        indexes = [models.Index(fields=["email"], name="notif_pref_email")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"

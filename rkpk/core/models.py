from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """An admin's correction of the working-day calendar for one date.

    The `holidays` package only estimates future Islamic holidays and cannot know a
    joint decree (SKB) before it appears; an override closes or reopens a day.
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Closed (not a working day)")
        OPEN = "open", _("Open (a working day)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}: {self.reason}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One state change: who did what to which object, with its state before and after.

    Events form a hash chain: each event's hash covers its own content and the
    previous event's hash, so altering or removing an event breaks every later link
    (`rkpk verify_audit`). The hash is an HMAC keyed with `RKPK_AUDIT_KEY`, kept outside
    the database, so whoever can write to the database still cannot recompute it; events
    recorded before the key was introduced keep their plain SHA-256 (`scheme`).
    """

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    # How `hash` was computed: "hmac-sha256" with the key `key_id` names (see
    # rkpk.core.audit.key_id_of), or "sha256" for the unkeyed events from before 0005.
    scheme = models.CharField(max_length=16, editable=False)
    key_id = models.CharField(max_length=16, blank=True, default="", editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")


class AuditChainHead(models.Model):
    """The single row that serialises appends to the chain and remembers its end.

    Locking it (SELECT ... FOR UPDATE) gives concurrent writers a strict order; its
    last_seq lets the verifier notice events removed from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at #{self.last_seq}"


# The lease of a running background job lives with the worker's code (rkpk.core.jobs).
from rkpk.core.jobs import JobLease  # noqa: E402, F401

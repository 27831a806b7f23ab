"""The discussion meeting of step 6 (rapat pembahasan RK-PK), chaired by the head of bureau.

A `Meeting` of a cycle is scheduled (date, time, place, chair), its units, officials and
guests are invited (the invitation is a naskah dinas of rkpk.correspondence), attendance
is recorded per invitee, notes are written per agenda item, and decisions are recorded
with an owner and a due date. Filing the meeting report freezes it (JSON with its SHA-256)
and completes step 6 of the cycle; a filed meeting never changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        FILED = "filed", _("Report filed")
        CANCELLED = "cancelled", _("Cancelled")

    EDITABLE = (Status.PLANNED, Status.HELD)

    cycle = models.ForeignKey(
        "procedure.Cycle",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("cycle"),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    chair = models.ForeignKey(
        "organisation.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chair"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    invitation = models.ForeignKey(
        "correspondence.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=1)
    # The filed meeting report (laporan hasil pembahasan), frozen.
    report = models.JSONField(null=True, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]
        verbose_name = _("discussion meeting")
        verbose_name_plural = _("discussion meetings")

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Invitee(models.Model):
    """One invited unit, official or guest, and their attendance."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Unit")
        OFFICIAL = "official", _("Official")
        GUEST = "guest", _("Guest")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not recorded")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        REPRESENTED = "represented", _("Represented")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    official = models.ForeignKey(
        "organisation.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("official"),
    )
    name = models.CharField(_("guest"), max_length=200, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    represented_by = models.CharField(_("represented by"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "unit"],
                condition=Q(unit__isnull=False),
                name="meeting_unit_invited_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "official"],
                condition=Q(official__isnull=False),
                name="meeting_official_invited_once",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="unit", unit__isnull=False, official__isnull=True)
                    | Q(kind="official", official__isnull=False, unit__isnull=True)
                    | (Q(kind="guest", unit__isnull=True, official__isnull=True) & ~Q(name=""))
                ),
                name="invitee_kind_matches",
            ),
        ]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == self.Kind.UNIT and self.unit_id:
            return self.unit.name
        if self.kind == self.Kind.OFFICIAL and self.official_id:
            return f"{self.official.name} ({self.official.position})"
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("decision status", "Open")
        DONE = "done", _("Done")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("decision"))
    owner_unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (unit)"),
    )
    owner_official = models.ForeignKey(
        "organisation.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (official)"),
    )
    owner_text = models.CharField(_("owner (other)"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    position = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner_name(self) -> str:
        if self.owner_unit_id:
            return self.owner_unit.name
        if self.owner_official_id:
            return f"{self.owner_official.name} ({self.owner_official.position})"
        return self.owner_text

    @property
    def has_owner(self) -> bool:
        return bool(self.owner_unit_id or self.owner_official_id or self.owner_text.strip())

"""Complaints about the service (pengaduan, keluhan, masukan), section I of the standard.

A complaint reaches the Head of Bureau, who delegates it to the Head of Section; the
section follows it up, answers the complainant and closes it. Time limits are counted
in working days from the day of receipt (rkpk.core.calendar).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rkpk.organisation.models import Unit
from rkpk.procedure.models import Cycle


class ComplaintCounter(models.Model):
    """The last number given in a year; locked while a number is taken (no gaps)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    class Category(models.TextChoices):
        COMPLAINT = "pengaduan", _("Complaint (pengaduan)")
        GRIEVANCE = "keluhan", _("Grievance (keluhan)")
        SUGGESTION = "masukan", _("Suggestion (masukan)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        DELEGATED = "delegated", _("Delegated")
        IN_FOLLOW_UP = "in_follow_up", _("In follow-up")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Satisfaction(models.IntegerChoices):
        NOT_SATISFIED = 1, _("Not satisfied")
        LESS_SATISFIED = 2, _("Less satisfied")
        SATISFIED = 3, _("Satisfied")
        VERY_SATISFIED = 4, _("Very satisfied")

    # Not yet answered: the answer limit runs, the complainant may still withdraw.
    OPEN = (Status.RECEIVED, Status.DELEGATED, Status.IN_FOLLOW_UP)

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"))
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("complainant"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit of the complainant"),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("related cycle"),
    )
    step_number = models.PositiveSmallIntegerField(_("related step"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"))
    delegation_due = models.DateField(_("delegation due"))
    answer_due = models.DateField(_("answer due"))

    delegated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegated_complaints",
        verbose_name=_("delegated to"),
    )
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delegated_by_acting = models.CharField(max_length=3, blank=True)  # "Plt"/"Plh"
    delegated_at = models.DateTimeField(_("delegated at"), null=True, blank=True)
    delegation_note = models.TextField(_("delegation note"), blank=True)

    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)

    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, blank=True
    )
    satisfaction_note = models.TextField(_("satisfaction comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=4),
                name="complaint_satisfaction_1_to_4",
            )
        ]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def delegation_overdue(self, on) -> bool:
        return self.status == self.Status.RECEIVED and on > self.delegation_due

    def answer_overdue(self, on) -> bool:
        return self.is_open and on > self.answer_due

    def is_overdue(self, on) -> bool:
        return self.delegation_overdue(on) or self.answer_overdue(on)

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_on is None:
            return None
        return self.answered_on <= self.answer_due


class FollowUp(models.Model):
    """An action taken to follow a complaint up (by the section, its staff or the bureau)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.TextField(_("action taken"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["complaint", "at", "id"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return f"{self.complaint.number}: {self.action[:40]}"


class ComplaintAttachment(models.Model):
    """A file sent with a complaint; checked by its content, stored under a random name
    outside the web root and served only through a permission-checked view."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["complaint", "id"]
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")

    def __str__(self) -> str:
        return self.original_name


class ReminderLog(models.Model):
    """Which reminder about which complaint went out on which day: reminders run once a day."""

    class Kind(models.TextChoices):
        DELEGATION_LATE = "delegation_late", _("Not delegated in time")
        ANSWER_SOON = "answer_soon", _("Answer due in one working day")
        ANSWER_LATE = "answer_late", _("Not answered in time")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind", "on_date"], name="one_complaint_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint.number} {self.kind} {self.on_date}"

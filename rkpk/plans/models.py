"""A unit's annual RK-PK: goals, indicators, activities, the PK parties, and its submissions.

Every editable row carries a `revision` that each save increments: an edit made on a
stale copy is refused with a conflict instead of overwriting a newer one.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rkpk.organisation.models import Official, Unit


class MeasureUnit(models.Model):
    """A unit of measure (satuan) offered in the editor's and the workbook's drop-downs."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")

    def __str__(self) -> str:
        return self.name


class QualitativeValue(models.Model):
    """A value a qualitative target may take (e.g. "WTP", "Baik", "A")."""

    value = models.CharField(_("value"), max_length=60, unique=True)
    # The order is also the scale: a lower sort_order is a better value.
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "value"]
        verbose_name = _("qualitative target value")
        verbose_name_plural = _("qualitative target values")

    def __str__(self) -> str:
        return self.value


class ReturnReason(models.Model):
    """The bureau's checklist of reasons to return a plan or ask for clarification."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    text_id = models.CharField(_("text (Indonesian)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("return reason")
        verbose_name_plural = _("return reasons")

    def __str__(self) -> str:
        return self.text_id


class ActingKind(models.TextChoices):
    NONE = "", _("Definitive")
    PLT = "Plt", _("Plt (acting)")
    PLH = "Plh", _("Plh (daily acting)")


class UnitPlan(models.Model):
    """The RK-PK of one unit for one plan year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_HEAD = "awaiting_head", _("Awaiting the unit head's approval")
        SUBMITTED = "submitted", _("Submitted")
        CLARIFICATION = "clarification", _("Clarification requested")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    EDITABLE = (Status.DRAFT, Status.CLARIFICATION, Status.RETURNED)
    AWAITING_BUREAU = (Status.SUBMITTED, Status.RESUBMITTED)
    AWAITING_HEAD = Status.AWAITING_HEAD

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("plan year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    first_party = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first party (unit head)"),
    )
    first_party_acting = models.CharField(
        _("first party acting"), max_length=3, choices=ActingKind.choices, blank=True
    )
    second_party = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second party (direct superior)"),
    )
    second_party_acting = models.CharField(
        _("second party acting"), max_length=3, choices=ActingKind.choices, blank=True
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The unit head's last note when returning the plan to the operator (shown on the plan
    # page until the plan is sent for approval again); who and when are in the audit trail.
    head_note = models.TextField(_("unit head's note"), blank=True)
    head_note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    head_note_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_year")
        ]
        verbose_name = _("unit plan")
        verbose_name_plural = _("unit plans")

    def __str__(self) -> str:
        return f"RK-PK {self.year} — {self.unit}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class TargetKind(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENT = "percent", _("Percentage")
    RANGE = "range", _("Range")
    QUALITATIVE = "qualitative", _("Qualitative value")


class TargetFields(models.Model):
    """An annual target: a number, a percentage, a range, or a value from the qualitative list."""

    target_kind = models.CharField(
        _("target kind"), max_length=12, choices=TargetKind.choices, default=TargetKind.NUMBER
    )
    target_value = models.DecimalField(
        _("target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_min = models.DecimalField(
        _("target from"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_max = models.DecimalField(
        _("target to"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_text = models.CharField(_("qualitative target"), max_length=60, blank=True)

    class Meta:
        abstract = True


class Goal(models.Model):
    class Level(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic goal")
        PROGRAM = "program", _("Program goal")
        ACTIVITY = "activity", _("Activity goal")

    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20, blank=True)
    text = models.TextField(_("goal (sasaran)"))
    level = models.CharField(
        _("level"), max_length=12, choices=Level.choices, default=Level.STRATEGIC
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(TargetFields):
    """A performance indicator (indikator kinerja) with the IKU manual fields."""

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")
        RANGE = "range", _("Within a range")

    class Type(models.TextChoices):
        INPUT = "input", _("Input")
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")

    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=20, blank=True)
    name = models.TextField(_("indicator"))
    definition = models.TextField(_("operational definition"), blank=True)
    formula = models.TextField(_("formula"), blank=True)
    measure = models.CharField(_("unit of measure (satuan)"), max_length=60, blank=True)
    polarity = models.CharField(
        _("polarity"), max_length=10, choices=Polarity.choices, default=Polarity.HIGHER
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    indicator_type = models.CharField(
        _("type"), max_length=10, choices=Type.choices, default=Type.OUTCOME
    )
    q1 = models.DecimalField(_("Q1 target"), max_digits=20, decimal_places=4, null=True, blank=True)
    q2 = models.DecimalField(_("Q2 target"), max_digits=20, decimal_places=4, null=True, blank=True)
    q3 = models.DecimalField(_("Q3 target"), max_digits=20, decimal_places=4, null=True, blank=True)
    q4 = models.DecimalField(_("Q4 target"), max_digits=20, decimal_places=4, null=True, blank=True)
    in_pk = models.BooleanField(_("in the PK"), default=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last year's indicator"),
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "goal__position", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name[:80]


class Activity(models.Model):
    """A program or activity (kegiatan) with its budget."""

    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program")
        ACTIVITY = "activity", _("Activity")

    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ACTIVITY)
    code = models.CharField(_("code"), max_length=30, blank=True)
    name = models.TextField(_("program/activity"))
    budget = models.DecimalField(_("budget (Rp)"), max_digits=18, decimal_places=2, default=0)
    notes = models.CharField(_("remarks"), max_length=300, blank=True)
    # A parent unit's line that stands for a child unit's whole plan (its budget is that
    # plan's total): reconciled against the child's plan, never added to the totals.
    rolls_up = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rolls up the plan of"),
    )
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("program/activity")
        verbose_name_plural = _("programs/activities")

    def __str__(self) -> str:
        return self.name[:80]


class ActivityIndicator(TargetFields):
    """An output indicator of an activity (indikator kinerja kegiatan)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(_("order"), default=0)
    name = models.TextField(_("output indicator"))
    measure = models.CharField(_("unit of measure (satuan)"), max_length=60, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["activity", "position", "id"]
        verbose_name = _("activity indicator")
        verbose_name_plural = _("activity indicators")

    def __str__(self) -> str:
        return self.name[:80]


class Submission(models.Model):
    """One submitted version of a plan: an immutable snapshot with the bureau's decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting the bureau")
        CLARIFICATION = "clarification", _("Clarification requested")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")
        SUPERSEDED = "superseded", _("Superseded by a later version")

    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    checks = models.JSONField(_("check results"), default=list)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list)  # ReturnReason codes
    remarks = models.TextField(_("remarks"), blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_submission_number")
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class Message(models.Model):
    """The clarification thread of a plan, between the bureau and the unit."""

    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="messages")
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at", "id"]
        verbose_name = _("clarification message")
        verbose_name_plural = _("clarification messages")

    def __str__(self) -> str:
        return f"{self.plan}: {self.body[:40]}"


class Attachment(models.Model):
    """A file attached to a message; stored under MEDIA_ROOT (outside the web root)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="plans/attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ReminderLog(models.Model):
    """What reminder went to which plan's unit on which day: makes send_reminders idempotent."""

    class Kind(models.TextChoices):
        BEFORE_DEADLINE = "before", _("Before the deadline")
        LATE = "late", _("Late")
        ESCALATION = "escalation", _("Escalation")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    on_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind", "on_date"], name="one_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.kind} {self.on_date}"


class StatementTemplate(models.Model):
    """The regulated wording of the PK statement page, kept as data an admin edits.

    Placeholders in `body`: {year}, {unit}, {first_name}, {first_position}, {second_name},
    {second_position}. The newest active template is used.
    """

    title = models.CharField(_("title"), max_length=200, default="PENETAPAN KINERJA TAHUN {year}")
    body = models.TextField(_("statement text"))
    regulation = models.CharField(_("legal basis"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("PK statement template")
        verbose_name_plural = _("PK statement templates")

    def __str__(self) -> str:
        return self.title

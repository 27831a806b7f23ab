from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RenstraPeriod(models.Model):
    """A strategic-plan (Renstra) period, e.g. 2025–2029, to which the strategic goals belong."""

    name = models.CharField(_("name"), max_length=100)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["start_year", "end_year"], name="unique_renstra_period"
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="renstra_years_ordered",
            ),
        ]
        verbose_name = _("strategic-plan period")
        verbose_name_plural = _("strategic-plan periods")

    def __str__(self) -> str:
        return self.name


class StrategicGoal(models.Model):
    """One of the ministry's strategic goals (sasaran stratejik) of a Renstra period."""

    period = models.ForeignKey(
        RenstraPeriod, on_delete=models.PROTECT, related_name="goals", verbose_name=_("period")
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("goal"))
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Demo data, not the ministry's real goal."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["period", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="unique_goal_code_per_period")
        ]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class MinistryIndicator(models.Model):
    """An indicator of a strategic goal at ministry level, with its rule for combining the
    unit indicators mapped to it into one ministry figure."""

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        AVERAGE = "average", _("Average")
        WEIGHTED = "weighted", _("Weighted average (by budget)")
        MINIMUM = "min", _("Minimum")
        MAXIMUM = "max", _("Maximum")
        LATEST = "latest", _("Latest entered")
        MANUAL = "manual", _("Entered by hand")

    goal = models.ForeignKey(
        StrategicGoal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("goal")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.TextField(_("indicator"))

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")
        RANGE = "range", _("Within a range")
        QUALITATIVE = "qualitative", _("Qualitative")

    measure = models.CharField(_("unit of measure (satuan)"), max_length=60, blank=True)
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    polarity = models.CharField(
        _("polarity"), max_length=12, choices=Polarity.choices, default=Polarity.HIGHER
    )
    perspective = models.CharField(_("perspective"), max_length=100, blank=True)
    responsible_units = models.ManyToManyField(
        "organisation.Unit", blank=True, related_name="+", verbose_name=_("responsible units")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["goal", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "code"], name="unique_ministry_indicator")
        ]
        verbose_name = _("ministry indicator")
        verbose_name_plural = _("ministry indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"


class MinistryTarget(models.Model):
    indicator = models.ForeignKey(
        MinistryIndicator, on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    # A range target ("-1,0 s.d. 1,0"): both ends, negative allowed.
    min_value = models.DecimalField(
        _("target from"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("target to"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    text = models.CharField(_("qualitative target"), max_length=60, blank=True)
    # For the "entered by hand" aggregation: the compiled ministry figure.
    manual_value = models.DecimalField(
        _("figure entered by hand"), max_digits=20, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"


class Mapping(models.Model):
    """Which strategic goal (and ministry indicator) a unit indicator serves: the analyst's
    decision, with the suggestion it came from."""

    class Source(models.TextChoices):
        SUGGESTED = "suggested", _("Suggestion accepted")
        MANUAL = "manual", _("Chosen by hand")

    indicator = models.OneToOneField(
        "plans.Indicator", on_delete=models.CASCADE, related_name="mapping"
    )
    goal = models.ForeignKey(StrategicGoal, on_delete=models.PROTECT, related_name="mappings")
    ministry_indicator = models.ForeignKey(
        MinistryIndicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="mappings"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    score = models.FloatField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("goal mapping")
        verbose_name_plural = _("goal mappings")

    def __str__(self) -> str:
        return f"{self.indicator_id} → {self.goal}"


class Compilation(models.Model):
    """One compiled version of the ministry RK-PK of a year; earlier versions are kept."""

    year = models.PositiveSmallIntegerField(_("plan year"))
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("consolidated content"))
    missing_units = models.JSONField(_("units missing"), default=list)
    warnings = models.JSONField(_("warnings"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_compilation_version")
        ]
        verbose_name = _("compilation")
        verbose_name_plural = _("compilations")

    def __str__(self) -> str:
        return f"RK-PK {self.year} v{self.number}"


class AnalysisDraft(models.Model):
    """The analysis of a year's RK against the strategic goals: generated tables plus
    narrative sections; reviewed by the head of bureau."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the head of bureau")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("plan year"), unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    compilation = models.ForeignKey(
        Compilation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("analysis draft")
        verbose_name_plural = _("analysis drafts")

    def __str__(self) -> str:
        return f"Analisis RK {self.year}"


class AnalysisSection(models.Model):
    draft = models.ForeignKey(AnalysisDraft, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["draft", "position"]
        constraints = [models.UniqueConstraint(fields=["draft", "key"], name="unique_section_key")]

    def __str__(self) -> str:
        return self.title


class AnalysisVersion(models.Model):
    """The draft as submitted each time: sections and tables frozen, for comparing versions."""

    draft = models.ForeignKey(AnalysisDraft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=10, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draft", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="unique_analysis_version")
        ]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"


class SectionComment(models.Model):
    """The head of bureau's comment on one section of a submitted version."""

    version = models.ForeignKey(AnalysisVersion, on_delete=models.CASCADE, related_name="comments")
    section_key = models.SlugField(max_length=60)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "created_at"]

    def __str__(self) -> str:
        return f"{self.section_key}: {self.text[:40]}"

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ServiceStandard(models.Model):
    """One version of the service standard. Versions are never edited once a cycle uses them;
    an admin's edit creates the next version."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    name = models.CharField(_("name"), max_length=300)
    notes = models.TextField(_("change notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def total_days(self) -> int:
        return sum(step.standard_days or 0 for step in self.steps.all())


class StandardStep(models.Model):
    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(_("number"))
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    # None: the standard sets no duration (step 11, the Minister's signature).
    standard_days = models.PositiveSmallIntegerField(
        _("standard working days"), null=True, blank=True
    )
    responsible_roles = models.JSONField(_("responsible roles"), default=list)
    activities = models.JSONField(_("activities"), default=list)
    done_when = models.CharField(_("done when"), max_length=300, blank=True)

    class Meta:
        ordering = ["standard", "number"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="unique_step_number")
        ]
        verbose_name = _("standard step")
        verbose_name_plural = _("standard steps")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "id").startswith("en") else self.title_id


class Cycle(models.Model):
    """The coordination of one plan year's RK-PK, e.g. "RK-PK 2027"."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")

    year = models.PositiveSmallIntegerField(_("plan year"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    standard = models.ForeignKey(
        ServiceStandard, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("standard")
    )
    start_date = models.DateField(_("start date"))
    submission_days = models.PositiveSmallIntegerField(
        _("working days for the units to submit"),
        default=10,
        help_text=_("Counted from the dispatch of the call for submissions (step 2)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.name


class CycleStep(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="steps")
    standard_step = models.ForeignKey(StandardStep, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="unique_cycle_step")
        ]
        verbose_name = _("cycle step")
        verbose_name_plural = _("cycle steps")

    def __str__(self) -> str:
        return f"{self.cycle} — {self.standard_step}"


class StepTransition(models.Model):
    """The history of a cycle step: every start, completion and return, with who and why."""

    class Action(models.TextChoices):
        START = "start", _("Started")
        COMPLETE = "complete", _("Completed")
        RETURN = "return", _("Returned")
        REOPEN = "reopen", _("Reopened")

    step = models.ForeignKey(CycleStep, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("time"))
    on_date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("step transition")
        verbose_name_plural = _("step transitions")

    def __str__(self) -> str:
        return f"{self.step}: {self.get_action_display()} {self.on_date:%Y-%m-%d}"

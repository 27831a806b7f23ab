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

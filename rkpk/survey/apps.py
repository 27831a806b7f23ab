from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "rkpk.survey"
    label = "survey"
    verbose_name = _("Satisfaction survey")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    home_tasks = [(50, "rkpk.survey.home.tasks_for")]
    daily_jobs = [(40, "rkpk.survey.tasks.close_expired_surveys")]

    def ready(self):
        from rkpk.ministry.signals import plan_published

        plan_published.connect(open_on_publication, dispatch_uid="rkpk.survey")


def open_on_publication(sender, *, cycle, actor, **kwargs) -> None:
    """The units are asked how the service went (SKM) once they have the RK-PK."""
    from rkpk.survey.services import open_after_distribution

    open_after_distribution(actor=actor, cycle=cycle)

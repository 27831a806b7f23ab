from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyConfig(AppConfig):
    name = "rkpk.survey"
    label = "survey"
    verbose_name = _("Satisfaction survey")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    home_tasks = [(50, "rkpk.survey.home.tasks_for")]
    daily_jobs = [(40, "rkpk.survey.tasks.close_expired_surveys")]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "rkpk.plans"
    label = "plans"
    verbose_name = _("Unit plans")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    home_tasks = [(30, "rkpk.plans.home.tasks_for")]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinistryConfig(AppConfig):
    name = "rkpk.ministry"
    label = "ministry"
    verbose_name = _("Ministry RK-PK")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    home_tasks = [
        (10, "rkpk.ministry.home.tasks_for"),
        (40, "rkpk.ministry.home.binding_tasks"),
    ]

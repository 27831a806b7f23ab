from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "rkpk.plans"
    label = "plans"
    verbose_name = _("Unit plans")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    home_tasks = [(30, "rkpk.plans.home.tasks_for")]

    def ready(self):
        from rkpk.plans.monitoring import submissions
        from rkpk.procedure import lateness
        from rkpk.procedure.selectors import register_workplaces

        lateness.register(submissions)
        register_workplaces(workplaces)


def workplaces(cycle) -> dict[int, tuple[str, str]]:
    """Step 3 (monitoring the submissions) is worked on the monitoring board."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return {3: (reverse("plans:monitoring_board", args=[cycle.year]), _("Monitoring board"))}

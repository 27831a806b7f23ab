from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "rkpk.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    home_tasks = [(20, "rkpk.complaints.home.tasks_for")]
    daily_jobs = [(30, "rkpk.complaints.tasks.remind_overdue_complaints")]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rkpk.core"
    label = "core"
    verbose_name = _("Core")

    # The jobs `rkpk run_scheduled` queues every day, as (position, dotted path): the audit
    # trail is checked, then anchored, before any other daily job writes to it.
    daily_jobs = [
        (10, "rkpk.core.tasks.verify_audit_trail"),
        (20, "rkpk.core.tasks.anchor_audit_chain"),
    ]

    def ready(self):
        from rkpk.core import cache, signals  # noqa: F401  (connects the receivers)

        cache.connect()

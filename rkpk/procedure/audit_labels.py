"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "cycle.started": _("Cycle started"),
    "cycle_step.start": _("Step started"),
    "cycle_step.complete": _("Step completed"),
    "cycle_step.return": _("Step returned"),
    "cycle_step.reopen": _("Step reopened"),
    "standard.version_created": _("New version of the service standard"),
}

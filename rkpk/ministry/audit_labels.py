"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "ministry_plan.created": _("Ministry plan created"),
    "ministry_plan.tables_refreshed": _("Ministry plan tables refreshed"),
    "ministry_plan.submitted": _("Ministry plan submitted for approval"),
    "ministry_plan.commented": _("Ministry plan commented"),
    "ministry_plan.approved_by_bureau": _("Ministry plan approved by the head of bureau"),
    "ministry_plan.approved_by_deputy": _("Ministry plan approved by the deputy"),
    "ministry_plan.returned_by_bureau": _("Ministry plan returned by the head of bureau"),
    "ministry_plan.returned_by_deputy": _("Ministry plan returned by the deputy"),
    "ministry_plan.signed": _("Ministry plan signed"),
    "ministry_plan.published": _("Ministry plan published"),
    "ministry_section.updated": _("Ministry plan section changed"),
}

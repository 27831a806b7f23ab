"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "survey.opened": _("Satisfaction survey opened"),
    "survey.closed": _("Satisfaction survey closed"),
    "survey.answered": _("Satisfaction survey answered"),
    "survey.questionnaire_changed": _("Questionnaire changed"),
    "survey.questionnaire_versioned": _("New version of the questionnaire"),
}

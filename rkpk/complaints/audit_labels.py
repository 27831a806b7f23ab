"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "complaint.filed": _("Complaint filed"),
    "complaint.delegated": _("Complaint delegated"),
    "complaint.followed_up": _("Complaint followed up"),
    "complaint.answered": _("Complaint answered"),
    "complaint.rated": _("Answer to a complaint rated"),
    "complaint.closed": _("Complaint closed"),
    "complaint.withdrawn": _("Complaint withdrawn"),
    "complaint.reminded": _("Reminder about a complaint sent"),
}

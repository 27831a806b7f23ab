"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "document.created": _("Document drafted"),
    "document.edited": _("Document edited"),
    "document.sent_for_review": _("Document sent for review"),
    "document.review_approved": _("Document approved by the reviewer"),
    "document.review_changes": _("Changes to the document requested"),
    "document.signed": _("Document signed"),
    "document.registered": _("Document registered"),
    "document.corrected": _("Document corrected"),
    "document.dispatched": _("Document dispatched"),
    "document.courier_delivery": _("Delivery by courier recorded"),
    "document.opened": _("Document opened by the recipient"),
    "document.acknowledged": _("Receipt acknowledged"),
    "document.binding_confirmed": _("Binding of the documents confirmed"),
    "number.cancelled": _("Letter number cancelled"),
    "letter_template.created": _("Letter template created"),
    "letter_template.edited": _("Letter template edited"),
    "register.created": _("Letter register created"),
    "register.edited": _("Letter register edited"),
}

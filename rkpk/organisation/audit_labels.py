"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "organisation.profile_created": _("Organisation profile created"),
    "organisation.profile_updated": _("Organisation profile changed"),
    "unit.created": _("Unit created"),
    "unit.updated": _("Unit changed"),
    "unit.deleted": _("Unit deleted"),
    "unit.activated": _("Unit activated"),
    "unit.deactivated": _("Unit deactivated"),
    "unit.imported": _("Units imported"),
    "official.created": _("Official added"),
    "official.updated": _("Official changed"),
    "official.imported": _("Officials imported"),
    "headship.created": _("Head of unit appointed"),
    "headship.updated": _("Headship changed"),
    "headship.ended": _("Headship ended"),
    "acting.created": _("Acting official appointed"),
    "acting.ended": _("Acting appointment ended"),
    "acting.deleted": _("Acting appointment deleted"),
    "user.created": _("Account created"),
    "user.updated": _("Account changed"),
    "user.password_set": _("Password set"),
    "role.assigned": _("Role assigned"),
    "role.removed": _("Role removed"),
}

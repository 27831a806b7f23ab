"""Labels of the audit actions this app records (collected by rkpk.core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "rkpk.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from rkpk.organisation import profile  # noqa: F401  (connects the profile cache signals)

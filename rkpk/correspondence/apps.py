from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "rkpk.correspondence"
    label = "correspondence"
    verbose_name = _("Correspondence")

    # URLconf modules of the apps above whose pages live in the correspondence namespace
    # (filled in their ready(); read by rkpk.correspondence.urls).
    more_urls: list[str] = []

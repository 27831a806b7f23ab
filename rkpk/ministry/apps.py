from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinistryConfig(AppConfig):
    name = "rkpk.ministry"
    label = "ministry"
    verbose_name = _("Ministry RK-PK")

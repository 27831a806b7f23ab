from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top of the project: the home page, the navigation, the set-up checklist and the
    commands that work across apps (seed_demo, run_scheduled). It reads what each app
    declares on its own AppConfig (rkpk.site.registry), so adding an app edits nothing here."""

    name = "rkpk.site"
    label = "site"
    verbose_name = _("Site")

    def ready(self):
        from rkpk.core import tasks
        from rkpk.site.mail import administrators

        if administrators not in tasks.administrators:
            tasks.administrators.append(administrators)

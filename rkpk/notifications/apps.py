from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "rkpk.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    # Registries read by the site app (rkpk.site.registry): (position, dotted path).
    # The digests go last: they carry the notifications the jobs before them wrote.
    daily_jobs = [(90, "rkpk.notifications.tasks.send_daily_digests")]

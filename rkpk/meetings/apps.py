from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "rkpk.meetings"
    label = "meetings"
    verbose_name = _("Discussion meetings")

    def ready(self):
        from rkpk.procedure.selectors import register_workplaces

        register_workplaces(workplaces)


def workplaces(cycle) -> dict[int, tuple[str, str]]:
    """Step 6 (the discussion meetings) is worked on the meetings list of the year."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return {6: (f"{reverse('meetings:list')}?year={cycle.year}", _("Discussion meetings"))}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "rkpk.analysis"
    label = "analysis"
    verbose_name = _("Analysis")

    def ready(self):
        from rkpk.procedure.selectors import register_workplaces

        register_workplaces(workplaces)


def workplaces(cycle) -> dict[int, tuple[str, str]]:
    """Steps 4 and 5 (compilation, analysis draft) are worked on the analysis pages."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    year = cycle.year
    return {
        4: (reverse("analysis:compilation_list", args=[year]), _("Compilation")),
        5: (reverse("analysis:draft_detail", args=[year]), _("Analysis draft")),
    }

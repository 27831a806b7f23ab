"""Where the ministry's steps of a cycle are worked on, for the cycle page's links
(rkpk.procedure.selectors.workplaces; registered in rkpk.ministry.apps)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.ministry.models import MinistryPlan
from rkpk.procedure.models import Cycle


def workplaces(cycle: Cycle) -> dict[int, tuple[str, str]]:
    year = cycle.year
    documents = (reverse("correspondence:dispatch_cycle", args=[year]), _("Procedure documents"))
    # Until the ministry RK-PK is drafted it has no page of its own: the index, where it is
    # started, is where the work of step 7 begins. (No query when the caller read the cycle
    # with its ministry plan.)
    try:
        drafted = cycle.ministry_plan is not None
    except MinistryPlan.DoesNotExist:
        drafted = False
    ministry = (
        reverse("ministry:plan", args=[year]) if drafted else reverse("ministry:index"),
        _("Ministry RK-PK"),
    )
    return {
        1: documents,
        2: documents,
        7: ministry,
        8: ministry,
        9: ministry,
        10: documents,
        11: ministry,
        12: documents,
        13: documents,
    }

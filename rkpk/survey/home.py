"""What the satisfaction survey asks of a person on their home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.core.selectors import Task
from rkpk.organisation import roles
from rkpk.survey.models import Invitation, Survey


def tasks_for(user) -> list[Task]:
    """Each open survey of the user's units that the unit has not answered yet (one query)."""
    unit_ids = roles.unit_ids(user)
    if not unit_ids:
        return []
    invitations = Invitation.objects.filter(
        unit_id__in=unit_ids,
        answered_at__isnull=True,
        survey__status=Survey.Status.OPEN,
    ).select_related("survey__cycle", "unit")
    return [
        Task(
            _("Satisfaction survey %(cycle)s: %(unit)s has not answered yet.")
            % {"cycle": invitation.survey.cycle.name, "unit": invitation.unit.name},
            reverse("survey:answer", args=[invitation.survey_id, invitation.unit.code]),
        )
        for invitation in invitations
    ]

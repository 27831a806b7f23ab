"""What the complaints ask of a person on their home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.complaints.models import Complaint
from rkpk.core.selectors import Task
from rkpk.organisation import roles
from rkpk.organisation.models import Role


def tasks_for(user) -> list[Task]:
    """Complaints to delegate (head of bureau) or to answer (whom they were delegated to).
    One count query per kind, only for the roles concerned."""
    tasks = []
    if roles.acts_as(user, Role.HEAD_OF_BUREAU)[0]:
        count = Complaint.objects.filter(status=Complaint.Status.RECEIVED).count()
        if count:
            tasks.append(
                Task(
                    _("%(n)s complaint(s) to delegate.") % {"n": count},
                    reverse("complaints:register") + "?status=received",
                )
            )
    if roles.has_role(user, Role.HEAD_OF_SECTION) or roles.acting_roles(user):
        count = Complaint.objects.filter(
            delegated_to=user,
            status__in=(Complaint.Status.DELEGATED, Complaint.Status.IN_FOLLOW_UP),
        ).count()
        if count:
            tasks.append(
                Task(
                    _("%(n)s complaint(s) delegated to you await an answer.") % {"n": count},
                    reverse("complaints:register"),
                )
            )
    return tasks

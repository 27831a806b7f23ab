"""What the complaints ask of a person on their home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.complaints.models import Complaint
from rkpk.core.selectors import Task


def tasks_for(user) -> list[Task]:
    """Complaints to delegate (head of bureau) or to answer (whom they were delegated to).
    One count query per kind, only for the roles concerned."""
    tasks = []
    if user.has_perm("complaints.delegate"):
        count = Complaint.objects.filter(status=Complaint.Status.RECEIVED).count()
        if count:
            tasks.append(
                Task(
                    _("%(n)s complaint(s) to delegate.") % {"n": count},
                    reverse("complaints:register") + "?status=received",
                )
            )
    if user.has_perm("complaints.receive_delegations"):
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

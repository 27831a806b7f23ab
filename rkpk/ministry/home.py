"""What the ministry RK-PK and its procedure documents ask of a person on their home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rkpk.core.selectors import Task
from rkpk.correspondence.dispatch import document_url
from rkpk.correspondence.models import Document
from rkpk.ministry import procedure_documents
from rkpk.ministry.models import MinistryPlan
from rkpk.ministry.rules import awaited_statuses


def tasks_for(user) -> list[Task]:
    """A ministry RK-PK version to review or sign. One query, only for the roles concerned."""
    mine = awaited_statuses(user)
    if not mine:
        return []
    tasks = []
    for plan in MinistryPlan.objects.filter(status__in=mine).order_by("year"):
        text = (
            _("The ministry RK-PK %(year)s awaits your signature.")
            if plan.status == MinistryPlan.Status.APPROVED
            else _("The draft ministry RK-PK %(year)s awaits your review.")
        )
        tasks.append(Task(text % {"year": plan.year}, reverse("ministry:plan", args=[plan.year])))
    return tasks


def binding_tasks(user) -> list[Task]:
    """Biro Umum: each dispatched binding request (step 12) whose binding is not confirmed."""
    if not user.has_perm("ministry.confirm_binding"):
        return []
    requests = (
        Document.objects.filter(
            purpose=procedure_documents.BINDING,
            cycle__isnull=False,
            status=Document.Status.DISPATCHED,
        )
        .select_related("cycle")
        .order_by("cycle__year", "version")
    )
    # One request per cycle in practice: one confirmation query each is bounded.
    return [
        Task(
            _("Bind the RK-PK %(year)s as requested (step 12) and confirm the binding.")
            % {"year": document.cycle.year},
            document_url(document),
        )
        for document in requests
        if not procedure_documents.binding_confirmed(document)
    ]

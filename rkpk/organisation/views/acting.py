"""Acting assignments (Plt/Plh) screens, for the administrator: the list (current, upcoming
and past), a new assignment, ending one early, deleting one. Every write goes through
rkpk.organisation.services_acting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from rkpk.core.actions import form_errors
from rkpk.core.calendar import today
from rkpk.core.selectors import paginate
from rkpk.organisation import services_acting
from rkpk.organisation.forms_acting import (
    ActingAssignmentForm,
    ActingFilterForm,
    EndAssignmentForm,
)
from rkpk.organisation.models import ActingAssignment
from rkpk.organisation.views.common import query_without_page

MANAGE = services_acting.MANAGE


def _assignment(pk: int) -> ActingAssignment:
    return get_object_or_404(
        ActingAssignment.objects.select_related("user__official", "created_by"), pk=pk
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def acting_list(request):
    form = ActingFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"role": data["role"], "state": data["state"], "query": data["q"]}
    page = paginate(request, services_acting.search(**filters), per_page=50)
    day = today()
    for assignment in page.object_list:
        assignment.state = services_acting.state_of(assignment, day)
        assignment.may_end = services_acting.may_end(assignment, day)
    return render(
        request,
        "organisation/acting_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "filtered": any(filters.values()),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def acting_create(request):
    form = ActingAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services_acting.create_assignment(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s acts as %(kind)s. %(role)s.")
                % {
                    "user": assignment.user.username,
                    "kind": assignment.kind,
                    "role": assignment.get_role_display(),
                },
            )
            return redirect("organisation:acting_list")
    return render(request, "organisation/acting_form.html", {"form": form})


@login_required
@permission_required(MANAGE, raise_exception=True)
def acting_end(request, pk: int):
    """GET: the confirmation with the last day; POST: end the assignment early."""
    assignment = _assignment(pk)
    form = EndAssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_acting.end_assignment(
                actor=request.user, assignment=assignment, last_day=form.cleaned_data["last_day"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("The acting assignment of %(user)s was ended early.")
                % {"user": assignment.user.username},
            )
            return redirect("organisation:acting_list")
    return render(request, "organisation/acting_end.html", {"assignment": assignment, "form": form})


@login_required
@permission_required(MANAGE, raise_exception=True)
def acting_delete(request, pk: int):
    """GET: the confirmation; POST: delete the assignment."""
    assignment = _assignment(pk)
    error = None
    if request.method == "POST":
        try:
            services_acting.delete_assignment(actor=request.user, assignment=assignment)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("The acting assignment of %(user)s was deleted.")
                % {"user": assignment.user.username},
            )
            return redirect("organisation:acting_list")
    return render(
        request,
        "organisation/acting_confirm_delete.html",
        {"assignment": assignment, "error": error},
        status=422 if error else 200,
    )

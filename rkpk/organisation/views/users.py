"""Users and their roles, for the administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import error_sentence, form_errors
from rkpk.core.selectors import paginate
from rkpk.organisation import selectors, services
from rkpk.organisation.forms import (
    PasswordForm,
    RoleForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from rkpk.organisation.models import RoleAssignment, User
from rkpk.organisation.views.common import MANAGE, query_without_page


@login_required
@permission_required(MANAGE, raise_exception=True)
def user_list(request):
    form = UserFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {"query": form.cleaned_data["q"], "role": form.cleaned_data["role"]}
    return render(
        request,
        "organisation/user_list.html",
        {
            "form": form,
            "page": paginate(request, selectors.search_users(**filters), per_page=50),
            "query": query_without_page(request),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("password_confirm")
        try:
            user = services.create_user(actor=request.user, **data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("User %(username)s created. Now give them a role.") % {"username": user.username},
            )
            return redirect("organisation:user_edit", pk=user.pk)
    return render(request, "organisation/user_form.html", {"form": form})


def _user_page(request, account, *, form=None, password_form=None, role_form=None):
    return render(
        request,
        "organisation/user_edit.html",
        {
            "account": account,
            "form": form or UserEditForm(user=account),
            "password_form": password_form or PasswordForm(),
            "role_form": role_form or RoleForm(),
            "assignments": selectors.user_roles(account),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def user_edit(request, pk):
    account = get_object_or_404(User.objects.select_related("official"), pk=pk)
    form = UserEditForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.update_user(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("User %(username)s saved.") % {"username": account.username}
            )
            return redirect("organisation:user_edit", pk=account.pk)
    return _user_page(request, account, form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def user_password(request, pk):
    account = get_object_or_404(User, pk=pk)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            services.set_password(
                actor=request.user, user=account, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("Password of %(username)s changed.") % {"username": account.username}
            )
            return redirect("organisation:user_edit", pk=account.pk)
    return _user_page(request, account, password_form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def role_add(request, pk):
    account = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            assignment = services.add_role(actor=request.user, user=account, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request,
                _("%(username)s now holds the role %(role)s.")
                % {"username": account.username, "role": assignment},
            )
            return redirect("organisation:user_edit", pk=account.pk)
    return _user_page(request, account, role_form=form)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def role_remove(request, pk):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "unit"), pk=pk)
    account, label = assignment.user, str(assignment)
    try:
        services.remove_role(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, error_sentence(error))
    else:
        messages.success(
            request,
            _("The role %(role)s of %(username)s was removed.")
            % {"role": label, "username": account.username},
        )
    return redirect("organisation:user_edit", pk=account.pk)

"""Organisation screens: the unit tree, officials, users and roles, and the import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.selectors import paginate
from rkpk.organisation import importers, selectors, services
from rkpk.organisation.forms import (
    EndHeadshipForm,
    HeadshipForm,
    ImportForm,
    OfficialFilterForm,
    OfficialForm,
    PasswordForm,
    RoleForm,
    UnitForm,
    UnitSearchForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    apply_errors,
)
from rkpk.organisation.models import Headship, Official, RoleAssignment, Unit, User

MANAGE = "organisation.manage"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Units --------------------------------------------------------------------------------


@login_required
@permission_required("organisation.view_units", raise_exception=True)
def unit_list(request):
    form = UnitSearchForm(request.GET or None)
    query, inactive = "", False
    if form.is_bound and form.is_valid():
        query, inactive = form.cleaned_data["q"], form.cleaned_data["inactive"]
    rows = selectors.unit_tree(request.user, query=query, include_inactive=inactive)
    return render(
        request,
        "organisation/unit_list.html",
        {"form": form, "rows": rows, "query": query},
    )


def _unit_page(request, unit, *, headship_form=None, status=200):
    context = selectors.unit_detail(request.user, unit)
    if request.user.has_perm(MANAGE):
        context["headship_form"] = headship_form or HeadshipForm()
        context["end_form"] = EndHeadshipForm()
    return render(request, "organisation/unit_detail.html", context, status=status)


@login_required
@permission_required("organisation.view_units", raise_exception=True)
def unit_detail(request, pk):
    unit = get_object_or_404(selectors.units_for(request.user), pk=pk)
    return _unit_page(request, unit)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def headship_add(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    form = HeadshipForm(request.POST)
    if form.is_valid():
        try:
            headship = services.record_headship(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s recorded as %(post)s.")
                % {
                    "name": headship.official.name,
                    "post": selectors.post_title(unit, headship.kind) or unit.name,
                },
            )
            return redirect("organisation:unit_detail", pk=unit.pk)
    return _unit_page(request, unit, headship_form=form, status=400)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def headship_end(request, pk):
    headship = get_object_or_404(Headship.objects.select_related("unit", "official"), pk=pk)
    form = EndHeadshipForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("organisation:unit_detail", pk=headship.unit_id)
    try:
        services.end_headship(
            actor=request.user, headship=headship, ends_on=form.cleaned_data["ends_on"]
        )
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(
            request,
            _("The headship of %(name)s was ended.") % {"name": headship.official.name},
        )
    return redirect("organisation:unit_detail", pk=headship.unit_id)


@login_required
@permission_required(MANAGE, raise_exception=True)
def unit_create(request):
    initial = {}
    parent_id = request.GET.get("parent", "")
    if parent_id.isdigit():
        parent = Unit.objects.filter(pk=parent_id, is_active=True).first()
        if parent is not None:
            initial = {"parent": parent.pk, "level": min(parent.level + 1, 4)}
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Unit %(code)s created.") % {"code": unit.code})
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form, "unit": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def unit_edit(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    form = UnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.update_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Unit %(code)s saved.") % {"code": unit.code})
            return redirect("organisation:unit_detail", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"form": form, "unit": unit})


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def unit_deactivate(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    try:
        changed = services.deactivate_unit(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        if len(changed) > 1:
            messages.success(
                request,
                _("Unit %(code)s and %(n)s sub-units deactivated.")
                % {"code": unit.code, "n": len(changed) - 1},
            )
        else:
            messages.success(request, _("Unit %(code)s deactivated.") % {"code": unit.code})
    return redirect("organisation:unit_detail", pk=unit.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def unit_activate(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    try:
        services.activate_unit(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, _errors_text(error))
    else:
        messages.success(request, _("Unit %(code)s activated.") % {"code": unit.code})
    return redirect("organisation:unit_detail", pk=unit.pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def unit_delete(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    code = unit.code
    try:
        services.delete_unit(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, _errors_text(error))
        return redirect("organisation:unit_detail", pk=unit.pk)
    messages.success(request, _("Unit %(code)s deleted.") % {"code": code})
    return redirect("organisation:unit_list")


# --- Officials ----------------------------------------------------------------------------


@login_required
@permission_required("organisation.view_officials", raise_exception=True)
def official_list(request):
    form = OfficialFilterForm(request.GET or None, units=selectors.units_for(request.user))
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"query": data["q"], "unit": data["unit"], "status": data["status"]}
    officials = selectors.search_officials(request.user, **filters).prefetch_related(
        selectors.current_posts_prefetch()
    )
    return render(
        request,
        "organisation/official_list.html",
        {
            "form": form,
            "page": paginate(request, officials, per_page=50),
            "query": _query_without_page(request),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def official_create(request):
    form = OfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            official = services.create_official(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Official %(name)s created.") % {"name": official.name})
            return redirect("organisation:official_list")
    return render(request, "organisation/official_form.html", {"form": form, "official": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def official_edit(request, pk):
    official = get_object_or_404(Official.objects.select_related("unit"), pk=pk)
    form = OfficialForm(request.POST or None, official=official)
    if request.method == "POST" and form.is_valid():
        try:
            official = services.update_official(
                actor=request.user, official=official, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Official %(name)s saved.") % {"name": official.name})
            return redirect("organisation:official_list")
    posts = list(official.headships.select_related("unit").order_by("-starts_on", "-pk"))
    for post in posts:
        post.title = selectors.post_title(post.unit, post.kind) or post.unit.name
    return render(
        request,
        "organisation/official_form.html",
        {"form": form, "official": official, "posts": posts},
    )


# --- Users and roles ----------------------------------------------------------------------


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
            "query": _query_without_page(request),
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
            apply_errors(form, error)
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
            apply_errors(form, error)
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
            apply_errors(form, error)
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
            apply_errors(form, error)
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
        messages.error(request, _errors_text(error))
    else:
        messages.success(
            request,
            _("The role %(role)s of %(username)s was removed.")
            % {"role": label, "username": account.username},
        )
    return redirect("organisation:user_edit", pk=account.pk)


# --- Import -------------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        result = importers.parse_upload(upload, kind=kind)
        if result.ok:
            write = services.import_units if kind == importers.UNITS else services.import_officials
            try:
                counts = write(actor=request.user, rows=result.rows, source=upload.name)
            except ValidationError as error:
                # Someone changed the organisation between the check and the write.
                messages.error(request, _errors_text(error))
            else:
                if result.ignored:
                    messages.warning(request, _ignored_text(result.ignored))
                messages.success(
                    request,
                    _(
                        "Import of %(file)s done: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "file": upload.name,
                        "created": counts.created,
                        "updated": counts.updated,
                        "unchanged": counts.unchanged,
                    },
                )
                return redirect("organisation:import")
    return render(
        request,
        "organisation/import.html",
        {"form": form, "result": result, "kinds": importers.KIND_CHOICES},
    )


def _ignored_text(columns: list[str]) -> str:
    return _("These columns were not read (ignored): %(columns)s.") % {
        "columns": ", ".join(columns)
    }


def _kind_or_404(kind: str) -> str:
    if kind not in importers.COLUMNS:
        raise Http404
    return kind


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def import_template(request, kind):
    kind = _kind_or_404(kind)
    return _xlsx_response(importers.build_workbook(kind), f"rkpk-{kind}-template.xlsx")


@login_required
@permission_required(MANAGE, raise_exception=True)
def export_data(request, kind):
    kind = _kind_or_404(kind)
    rows = selectors.unit_rows() if kind == importers.UNITS else selectors.official_rows()
    return _xlsx_response(importers.build_workbook(kind, rows), f"rkpk-{kind}.xlsx")

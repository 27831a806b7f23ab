"""The unit tree: list, detail, create, edit, deactivate, activate, delete, and the units'
heads (headships)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import error_sentence, form_errors
from rkpk.organisation import selectors, services
from rkpk.organisation.forms import EndHeadshipForm, HeadshipForm, UnitForm, UnitSearchForm
from rkpk.organisation.models import Headship, Unit
from rkpk.organisation.views.common import MANAGE


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
            form_errors(form, error)
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
        messages.error(request, error_sentence(error))
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
            form_errors(form, error)
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
            form_errors(form, error)
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
        messages.error(request, error_sentence(error))
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
        messages.error(request, error_sentence(error))
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
        messages.error(request, error_sentence(error))
        return redirect("organisation:unit_detail", pk=unit.pk)
    messages.success(request, _("Unit %(code)s deleted.") % {"code": code})
    return redirect("organisation:unit_list")

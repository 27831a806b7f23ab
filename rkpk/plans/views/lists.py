"""Pages of the reference lists (units of measure, qualitative values, return reasons):
list with search and pages, add, rename, deactivate/reactivate, merge, reorder, XLSX
export and import; and the import report's "add these values to the lists" action.

Everyone with a role reads the lists; the bureau and the admin change them
(`plans.manage_lists`). Deactivating and merging ask for confirmation on their own page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rkpk.core.actions import flash_errors, form_errors, require
from rkpk.core.selectors import paginate
from rkpk.plans import lists, lists_xlsx
from rkpk.plans.forms_lists import ListFilterForm, ListUploadForm, MergeForm, ValueForm

VIEW = "plans.view_lists"
MANAGE = "plans.manage_lists"


def _kind(slug: str) -> lists.ListKind:
    if slug not in lists.KINDS:
        raise Http404
    return lists.KINDS[slug]


def _value(slug: str, pk: int):
    return get_object_or_404(_kind(slug).model, pk=pk)


def _back(slug: str) -> str:
    return reverse("plans:list_values", args=[slug])


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@permission_required(VIEW, raise_exception=True)
def list_index(request):
    return render(request, "plans/lists/index.html", {"kinds": lists.kind_counts()})


@login_required
@permission_required(VIEW, raise_exception=True)
def list_values(request, slug):
    kind = _kind(slug)
    form = ListFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {"query": form.cleaned_data["q"], "status": form.cleaned_data["status"]}
    can_manage = request.user.has_perm(MANAGE)
    return render(
        request,
        "plans/lists/values.html",
        {
            "kind": kind,
            "form": form,
            "page": paginate(request, lists.values(slug, **filters), per_page=50),
            "query": _query_without_page(request),
            "can_manage": can_manage,
            "add_form": ValueForm(slug=slug) if can_manage else None,
            "is_reason": kind.model is lists.ReturnReason,
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def value_add(request, slug):
    kind = _kind(slug)
    form = ValueForm(request.POST or None, slug=slug)
    if request.method == "POST" and form.is_valid():
        try:
            obj = lists.create_value(actor=request.user, slug=slug, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("“%(value)s” added.") % {"value": lists.label(obj)})
            return redirect(_back(slug))
    return render(request, "plans/lists/value_form.html", {"kind": kind, "form": form, "obj": None})


@login_required
@permission_required(MANAGE, raise_exception=True)
def value_rename(request, slug, pk):
    kind = _kind(slug)
    obj = _value(slug, pk)
    initial = {"value": getattr(obj, kind.key)}
    if kind.model is lists.ReturnReason:
        initial |= {"text_id": obj.text_id, "text_en": obj.text_en}
    form = ValueForm(request.POST or None, slug=slug, renaming=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            obj = lists.rename_value(actor=request.user, slug=slug, obj=obj, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved: “%(value)s”.") % {"value": lists.label(obj)})
            return redirect(_back(slug))
    return render(
        request,
        "plans/lists/value_form.html",
        {
            "kind": kind,
            "form": form,
            "obj": obj,
            "counts": lists.reference_counts(slug, getattr(obj, kind.key)),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def value_activation(request, slug, pk, action):
    """GET: the confirmation page; POST: deactivate or reactivate."""
    kind = _kind(slug)
    if action not in ("deactivate", "reactivate"):
        raise Http404
    obj = _value(slug, pk)
    active = action == "reactivate"
    if request.method == "POST":
        lists.set_active(actor=request.user, slug=slug, obj=obj, active=active)
        message = _("“%(value)s” reactivated.") if active else _("“%(value)s” deactivated.")
        messages.success(request, message % {"value": lists.label(obj)})
        return redirect(_back(slug))
    return render(
        request,
        "plans/lists/confirm_activation.html",
        {
            "kind": kind,
            "obj": obj,
            "active": active,
            "counts": lists.reference_counts(slug, getattr(obj, kind.key)),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def value_merge(request, slug, pk):
    """Choose the value to merge into, see what changes, confirm."""
    kind = _kind(slug)
    obj = _value(slug, pk)
    form = MergeForm(request.POST or request.GET or None, source=obj, slug=slug)
    target = None
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["target"]
        if request.method == "POST" and request.POST.get("confirm") == "1":
            try:
                outcome = lists.merge_values(
                    actor=request.user, slug=slug, source=obj, target=target
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "“%(source)s” merged into “%(target)s”; %(n)s rows changed (plans "
                        "still editable and the ministry's indicators)."
                    )
                    % {
                        "source": outcome["source"],
                        "target": outcome["target"],
                        "n": outcome["rewritten_rows"],
                    },
                )
                return redirect(_back(slug))
    return render(
        request,
        "plans/lists/merge.html",
        {
            "kind": kind,
            "obj": obj,
            "form": form,
            "target": target,
            "counts": lists.reference_counts(slug, getattr(obj, kind.key)),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def value_move(request, slug, pk):
    obj = _value(slug, pk)
    try:
        lists.move_value(
            actor=request.user, slug=slug, obj=obj, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(_back(slug))


@login_required
@permission_required(VIEW, raise_exception=True)
def list_export(request, slug):
    _kind(slug)
    response = HttpResponse(lists_xlsx.export_list(slug), content_type=lists_xlsx.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slug}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required(MANAGE, raise_exception=True)
def list_import(request, slug):
    kind = _kind(slug)
    form = ListUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = lists_xlsx.import_list(
            actor=request.user, slug=slug, upload=upload, filename=upload.name
        )
        if result.ok:
            messages.success(
                request,
                _("%(file)s imported: %(added)s added, %(updated)s changed.")
                % {"file": upload.name, "added": result.added, "updated": result.updated},
            )
            if result.ignored_columns:
                messages.warning(
                    request,
                    _("Ignored columns: %(cols)s.") % {"cols": ", ".join(result.ignored_columns)},
                )
            return redirect(_back(slug))
    return render(
        request,
        "plans/lists/import.html",
        {
            "kind": kind,
            "form": form,
            "result": result,
            "columns": [name for name, _required in lists_xlsx.columns(slug)],
        },
    )


@login_required
@require_POST
def add_unknown(request):
    """From a workbook's import report: add the chosen unknown values to their lists."""
    require(
        request.user, MANAGE, message=_("Only the bureau may add values to the reference lists.")
    )
    entries = []
    for item in request.POST.getlist("value"):
        slug, _sep, value = item.partition(":")
        if slug in (lists.MEASURES, lists.QUALITATIVE) and value.strip():
            entries.append((slug, value))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("plans:list_index")
    if not entries:
        messages.error(request, _("Choose at least one value to add."))
        return redirect(next_url)
    try:
        created = lists.add_unknown_values(
            actor=request.user, entries=entries, source=request.POST.get("source", "")[:200]
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(next_url)
    if created:
        messages.success(
            request,
            _("Added to the lists: %(values)s. Import the workbook again.")
            % {"values": ", ".join(lists.label(o) for o in created)},
        )
    else:
        messages.info(request, _("These values are already on the lists."))
    return redirect(next_url)

"""The agenda books (registers) and the administrator's master data: registers and letter
templates. URLs in rkpk.correspondence.urls."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.core.actions import form_errors, require
from rkpk.correspondence import admin_services, selectors
from rkpk.correspondence.exports import book_workbook
from rkpk.correspondence.forms import LetterTemplateForm, ReasonForm, RegisterForm
from rkpk.correspondence.models import Document, LetterTemplate, NumberAllocation, Register

Status = Document.Status
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- Registers (agenda books) ---------------------------------------------------------------


def _register(code: str) -> Register:
    return get_object_or_404(Register, code=code)


@login_required
@permission_required("correspondence.view_registers", raise_exception=True)
def register_list(request):
    return render(
        request,
        "correspondence/register_list.html",
        {
            "registers": selectors.registers_overview(),
            "year": timezone.localdate().year,
            "may_manage": request.user.has_perm("correspondence.manage_registers"),
        },
    )


def _book_context(request, register: Register, year: int, **extra) -> dict:
    rows = list(selectors.register_book(register, year))
    may_cancel = request.user.has_perm("correspondence.cancel_number")
    years = sorted(set(selectors.register_years(register)) | {timezone.localdate().year, year})
    return {
        "register": register,
        "year": year,
        "years": sorted(years, reverse=True),
        "rows": rows,
        "may_cancel": may_cancel,
        "cancellable": {
            row.pk
            for row in rows
            if may_cancel
            and row.status == NumberAllocation.Status.ISSUED
            and (
                row.document is None
                or (row.document.status != Status.DISPATCHED and row.document.dispatched_at is None)
            )
        },
        "cancel_form": ReasonForm(prefix="cancel"),
        "issued": sum(row.status == NumberAllocation.Status.ISSUED for row in rows),
        "cancelled": sum(row.status == NumberAllocation.Status.CANCELLED for row in rows),
        **extra,
    }


@login_required
@permission_required("correspondence.view_registers", raise_exception=True)
def register_book(request, code, year):
    register = _register(code)
    return render(
        request, "correspondence/register_book.html", _book_context(request, register, year)
    )


@login_required
@permission_required("correspondence.view_registers", raise_exception=True)
def register_book_xlsx(request, code, year):
    register = _register(code)
    response = HttpResponse(book_workbook(register, year), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="agenda-{register.code}-{year}.xlsx"'
    return response


@login_required
@require_POST
def number_cancel(request, code, year, seq):
    require(request.user, "correspondence.view_registers")
    register = _register(code)
    allocation = get_object_or_404(NumberAllocation, register=register, year=year, seq=seq)
    require(request.user, "correspondence.cancel_number", allocation)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            fresh = admin_services.cancel_number(
                actor=request.user, allocation=allocation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            if fresh is not None:
                messages.success(
                    request,
                    _("Number %(n)s was cancelled; the document became version %(v)s, a new draft.")
                    % {"n": allocation.number, "v": fresh.version},
                )
            else:
                messages.success(
                    request, _("Number %(n)s was cancelled.") % {"n": allocation.number}
                )
            return redirect("correspondence:register_book", code=register.code, year=year)
    context = _book_context(request, register, year, cancel_form=form, failed_seq=allocation.seq)
    return render(request, "correspondence/register_book.html", context, status=400)


# --- Administration: templates and registers -------------------------------------------------


@login_required
@permission_required("correspondence.manage_templates", raise_exception=True)
def template_list(request):
    return render(
        request,
        "correspondence/template_list.html",
        {"templates": LetterTemplate.objects.select_related("register").order_by("name")},
    )


def _edit_master(request, *, form, save, instance, done, template_name, extra):
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                saved = save(actor=request.user, **{instance[0]: instance[1]}, **values)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, done)
                return saved
    return render(request, template_name, {"form": form, **extra}, status=status)


@login_required
@permission_required("correspondence.manage_templates", raise_exception=True)
@require_http_methods(["GET", "POST"])
def template_edit(request, pk=None):
    template = get_object_or_404(LetterTemplate, pk=pk) if pk else None
    form = LetterTemplateForm(request.POST or None, instance=template)
    result = _edit_master(
        request,
        form=form,
        save=admin_services.save_template,
        instance=("template", template),
        done=_("The template was saved."),
        template_name="correspondence/template_form.html",
        extra={"template": template},
    )
    if isinstance(result, LetterTemplate):
        return redirect("correspondence:template_list")
    return result


@login_required
@permission_required("correspondence.manage_registers", raise_exception=True)
@require_http_methods(["GET", "POST"])
def register_edit(request, code=None):
    register = _register(code) if code else None
    form = RegisterForm(request.POST or None, instance=register)
    result = _edit_master(
        request,
        form=form,
        save=admin_services.save_register,
        instance=("register", register),
        done=_("The register was saved."),
        template_name="correspondence/register_form.html",
        extra={"register": register},
    )
    if isinstance(result, Register):
        return redirect("correspondence:register_list")
    return result

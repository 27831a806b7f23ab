"""Dispatch, the expedition book and the cycle's procedure documents (web pages).

Under /correspondence/ (URL names in the "correspondence" namespace):
  documents/<pk>/dispatch/                          dispatch form (GET, POST)
  documents/<pk>/recipients/<rid>/courier/          enter a courier delivery (POST)
  documents/<pk>/recipients/<rid>/acknowledge/      acknowledge receipt (POST)
  documents/<pk>/expedition.xlsx                    the expedition book as XLSX
  documents/<pk>/confirm-binding/                   Biro Umum confirms the binding (POST)
  cycles/<year>/                                    the cycle's procedure documents
  cycles/<year>/drafts/                             create a draft (POST key=… or key=all)
  cycles/<year>/sync/                               complete the steps the documents allow (POST)

A user who may not see the document gets 404; one who sees it but may not act, 403.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.core.forms import BootstrapForm
from rkpk.correspondence import dispatch as dispatching
from rkpk.correspondence import procedure_documents
from rkpk.correspondence.models import Recipient
from rkpk.organisation import roles
from rkpk.organisation.models import Role, Unit
from rkpk.procedure.models import Cycle

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > dispatching.MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(n)s files.") % {"n": dispatching.MAX_ATTACHMENTS}
            )
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class DispatchForm(BootstrapForm):
    all_units = forms.BooleanField(label=gettext_lazy("Every active unit"), required=False)
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )
    others = forms.CharField(
        label=gettext_lazy("Other addressees"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line, e.g. “Menteri Negara PAN”."),
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Delivery"), choices=Recipient.Method.choices, initial="electronic"
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attachments"),
        required=False,
        help_text=gettext_lazy("PDF, Word (DOCX), Excel (XLSX), PNG or JPEG; at most 10 MB each."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = Unit.objects.filter(is_active=True).order_by(
            "sort_order", "code"
        )


class CourierForm(BootstrapForm):
    delivered_at = forms.DateTimeField(
        label=gettext_lazy("Delivered at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    courier = forms.CharField(label=gettext_lazy("Courier"), max_length=100)
    received_by_name = forms.CharField(label=gettext_lazy("Received by"), max_length=200)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _flash_error(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _notes(request, notes) -> None:
    for note in notes or ():
        messages.warning(request, note)


def _back(document) -> str:
    return dispatching.document_url(document) + "#expedition"


# --- Dispatch -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dispatch_form(request, pk: int):
    document = dispatching.get_visible(request.user, pk)
    if not dispatching.may_dispatch(request.user):
        raise PermissionDenied
    spec = procedure_documents.spec_for(document)
    if request.method == "POST":
        form = DispatchForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                lines = dispatching.dispatch(
                    actor=request.user,
                    document=document,
                    units=list(data["units"]),
                    all_units=data["all_units"],
                    others=data["others"].splitlines(),
                    method=data["method"],
                    attachments=data["attachments"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Dispatched to %(n)s recipients.") % {"n": len(lines)},
                )
                _notes(request, _pending_notes(document, request.user))
                return redirect(_back(document))
        status = 422
    else:
        initial = {"method": "electronic"}
        if spec:
            initial.update(
                all_units=spec.all_units,
                others="\n".join(procedure_documents.with_profile(o) for o in spec.others),
            )
        form = DispatchForm(initial=initial)
        status = 200
    context = {
        "document": document,
        "form": form,
        "document_url": dispatching.document_url(document),
        "ready": dispatching.can_be_dispatched(document),
        "already": document.recipients.count(),
    }
    return render(request, "correspondence/dispatch_form.html", context, status=status)


def _pending_notes(document, user) -> list[str]:
    """After an action: which of the document's steps wait for someone else."""
    return procedure_documents.waiting_notes(document, user)


# --- The expedition book --------------------------------------------------------------------


def _line(request, pk: int, rid: int) -> Recipient:
    document = dispatching.get_visible(request.user, pk)
    line = dispatching.recipient_lines(request.user, document).filter(pk=rid).first()
    if line is None:
        raise Http404
    return line


@login_required
@require_POST
def dispatch_courier(request, pk: int, rid: int):
    line = _line(request, pk, rid)
    if not dispatching.may_dispatch(request.user):
        raise PermissionDenied
    form = CourierForm(request.POST)
    if form.is_valid():
        try:
            dispatching.record_courier_delivery(
                actor=request.user, recipient=line, **form.cleaned_data
            )
        except ValidationError as error:
            _flash_error(request, error)
        else:
            messages.success(request, _("Delivery to %(name)s recorded.") % {"name": line.name})
            _notes(request, _pending_notes(line.document, request.user))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for text in errors:
                messages.error(request, f"{label}: {text}" if label else text)
    return redirect(_back(line.document))


@login_required
@require_POST
def dispatch_acknowledge(request, pk: int, rid: int):
    line = _line(request, pk, rid)
    if not dispatching.may_acknowledge(request.user, line):
        raise PermissionDenied
    try:
        dispatching.acknowledge(actor=request.user, recipient=line)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(request, _("Receipt acknowledged."))
    return redirect(_back(line.document))


@login_required
def dispatch_expedition_xlsx(request, pk: int):
    document = dispatching.get_visible(request.user, pk)
    if not roles.sees_whole_ministry(request.user):
        raise PermissionDenied
    response = HttpResponse(dispatching.expedition_book_xlsx(document), content_type=XLSX)
    name = f"ekspedisi-{document.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def dispatch_confirm_binding(request, pk: int):
    document = dispatching.get_visible(request.user, pk)
    if not roles.has_role(request.user, Role.GENERAL_BUREAU):
        raise PermissionDenied
    try:
        notes = procedure_documents.confirm_binding(actor=request.user, document=document)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(request, _("Binding confirmed."))
        _notes(request, notes)
    if document.cycle_id:
        return redirect(reverse("correspondence:dispatch_cycle", args=[document.cycle.year]))
    return redirect(_back(document))


# --- The cycle's procedure documents --------------------------------------------------------


def _cycle(request, year: int) -> Cycle:
    if not request.user.has_perm("procedure.view_cycle"):
        raise PermissionDenied
    cycle = get_object_or_404(Cycle, year=year)
    if not roles.sees_whole_ministry(request.user):
        raise PermissionDenied
    return cycle


@login_required
def dispatch_cycle(request, year: int):
    cycle = _cycle(request, year)
    user = request.user
    context = {
        "cycle": cycle,
        "rows": procedure_documents.rows(cycle),
        "may_draft": roles.has_role(user, *procedure_documents.BUREAU_ROLES),
        "may_sync": roles.has_role(
            user, *procedure_documents.BUREAU_ROLES, Role.DEPUTY, Role.MINISTER
        ),
        "may_dispatch": dispatching.may_dispatch(user),
        "is_general_bureau": roles.has_role(user, Role.GENERAL_BUREAU),
    }
    return render(request, "correspondence/dispatch_cycle.html", context)


@login_required
@require_POST
def dispatch_cycle_drafts(request, year: int):
    cycle = _cycle(request, year)
    if not roles.has_role(request.user, *procedure_documents.BUREAU_ROLES):
        raise PermissionDenied
    key = request.POST.get("key", "")
    try:
        if key == "all":
            made = procedure_documents.create_missing(actor=request.user, cycle=cycle)
            messages.success(request, _("%(n)s drafts created.") % {"n": len(made)})
        else:
            procedure_documents.create_draft(actor=request.user, cycle=cycle, key=key)
            messages.success(request, _("Draft created."))
    except ValidationError as error:
        _flash_error(request, error)
    return redirect(reverse("correspondence:dispatch_cycle", args=[year]))


@login_required
@require_POST
def dispatch_cycle_sync(request, year: int):
    cycle = _cycle(request, year)
    try:
        notes = procedure_documents.sync(actor=request.user, cycle=cycle)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        _notes(request, notes)
        if not notes:
            messages.success(request, _("The cycle's steps are up to date with its documents."))
    return redirect(reverse("correspondence:dispatch_cycle", args=[year]))


DOC = "documents/<int:pk>/"
urlpatterns = [
    path(f"{DOC}dispatch/", dispatch_form, name="dispatch_form"),
    path(f"{DOC}recipients/<int:rid>/courier/", dispatch_courier, name="dispatch_courier"),
    path(
        f"{DOC}recipients/<int:rid>/acknowledge/", dispatch_acknowledge, name="dispatch_acknowledge"
    ),
    path(f"{DOC}expedition.xlsx", dispatch_expedition_xlsx, name="dispatch_expedition_xlsx"),
    path(f"{DOC}confirm-binding/", dispatch_confirm_binding, name="dispatch_confirm_binding"),
    path("cycles/<int:year>/", dispatch_cycle, name="dispatch_cycle"),
    path("cycles/<int:year>/drafts/", dispatch_cycle_drafts, name="dispatch_cycle_drafts"),
    path("cycles/<int:year>/sync/", dispatch_cycle_sync, name="dispatch_cycle_sync"),
]

"""Dispatch and the expedition book (web pages).

Under /correspondence/ (URL names in the "correspondence" namespace):
  documents/<pk>/dispatch/                          dispatch form (GET, POST)
  documents/<pk>/recipients/<rid>/courier/          enter a courier delivery (POST)
  documents/<pk>/recipients/<rid>/acknowledge/      acknowledge receipt (POST)
  documents/<pk>/expedition.xlsx                    the expedition book as XLSX

A user who may not see the document gets 404; one who sees it but may not act, 403.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rkpk.core.actions import flash_errors, form_errors
from rkpk.core.forms import BootstrapForm
from rkpk.correspondence import dispatch as dispatching
from rkpk.correspondence import purposes
from rkpk.correspondence.models import Recipient
from rkpk.organisation.models import Unit

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
    purpose = purposes.of(document)
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
                form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Dispatched to %(n)s recipients.") % {"n": len(lines)},
                )
                _notes(request, purpose.waiting_notes(document, request.user))
                return redirect(_back(document))
        status = 422
    else:
        initial = {"method": "electronic", **purpose.dispatch_initial(document)}
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
            flash_errors(request, error)
        else:
            messages.success(request, _("Delivery to %(name)s recorded.") % {"name": line.name})
            waiting = purposes.of(line.document).waiting_notes(line.document, request.user)
            _notes(request, waiting)
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
        flash_errors(request, error)
    else:
        messages.success(request, _("Receipt acknowledged."))
    return redirect(_back(line.document))


@login_required
def dispatch_expedition_xlsx(request, pk: int):
    document = dispatching.get_visible(request.user, pk)
    if not request.user.has_perm("correspondence.export_expedition_book"):
        raise PermissionDenied
    response = HttpResponse(dispatching.expedition_book_xlsx(document), content_type=XLSX)
    name = f"ekspedisi-{document.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

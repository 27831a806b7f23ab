"""The public verification page of official PDFs (no login), mounted at /verify/
(rkpk.correspondence.verify_urls).

  <token>/   what the QR code on an issued PDF leads to: for a registered memorandum or
             letter its number, subject, signer's position, dates; for a PDF another app
             issued (rkpk.correspondence.verification.IssuedKind, e.g. the ministry's signed
             RK or PK) the facts that app gives; and for both the SHA-256 of the authentic
             PDF and a form to upload a file and learn whether it is that document, unchanged
  (empty)    upload any PDF: it is looked up by its SHA-256 among every issued document

The page never shows a document's body, addressees or copies.
"""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rkpk.core.forms import BootstrapForm
from rkpk.correspondence import verification
from rkpk.correspondence.models import Document

MAX_UPLOAD = 10 * 1024 * 1024
TOKEN_MAX = 40


class VerifyForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("PDF file to check"),
        help_text=gettext_lazy("The file as you received it, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        upload.seek(0)
        if upload.read(5) != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."))
        upload.seek(0)
        return upload


def _read(upload) -> bytes:
    upload.seek(0)
    return b"".join(upload.chunks())


def _respond(request, template: str, context: dict):
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def _signer_position(document: Document) -> str:
    acting = document.signed_acting
    return f"{acting}. {document.signer_position}" if acting else document.signer_position


@require_http_methods(["GET", "POST"])
def verify_document(request, token: str):
    """The page the QR code leads to."""
    if len(token) > TOKEN_MAX:
        raise Http404
    document, other, kind = verification.find_by_token(token)
    if document is None and other is None:
        raise Http404
    outcome = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            data = _read(form.cleaned_data["file"])
            outcome = verification.check(data, document=document, other=other, kind=kind)
    else:
        form = VerifyForm()
    if other is not None:
        return _respond(
            request, kind.template, {**kind.facts(other), "form": form, "outcome": outcome}
        )
    return _respond(
        request,
        "correspondence/verify_document.html",
        {
            "document": document,
            "signer_position": _signer_position(document),
            "superseded": document.status == Document.Status.SUPERSEDED,
            "form": form,
            "outcome": outcome,
        },
    )


@require_http_methods(["GET", "POST"])
def verify_upload(request):
    """Upload any PDF: found among issued documents by its SHA-256, or not."""
    outcome = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = verification.check(_read(form.cleaned_data["file"]))
    else:
        form = VerifyForm()
    authentic = outcome is not None and outcome.authentic
    document = outcome.document if authentic else None
    other = outcome.other if authentic and document is None else None
    context = {
        "form": form,
        "outcome": outcome,
        "document": document,
        "signer_position": _signer_position(document) if document else "",
        "other_facts_template": outcome.kind.facts_template if other is not None else "",
    }
    if other is not None:
        context.update(outcome.kind.facts(other))
    return _respond(request, "correspondence/verify_upload.html", context)

"""The public verification page of official PDFs (no login), mounted at /verify/.

  <token>/   what the QR code on a registered document leads to: the document's number,
             subject, signer's position, dates and the SHA-256 of the authentic PDF, and a
             form to upload a file and learn whether it is that document, unchanged
  (empty)    upload any PDF: it is looked up by its SHA-256 among registered documents

A file is authentic and unchanged when its SHA-256 equals the issued PDF's
(`Document.pdf_sha256`) and — when a signer that embeds signatures is configured and the
file carries one — its embedded signature is intact and valid. Nothing else counts: a
file with other content, one changed byte, or no PDF at all is "not the authentic
document, or altered". The page never shows a document's body, addressees or copies.
"""

import hashlib
from dataclasses import dataclass

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from rkpk.core.forms import BootstrapForm
from rkpk.correspondence import signing
from rkpk.correspondence.models import Document

MAX_UPLOAD = 10 * 1024 * 1024
ISSUED = (Document.Status.REGISTERED, Document.Status.DISPATCHED, Document.Status.SUPERSEDED)
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


@dataclass
class Outcome:
    authentic: bool
    sha256: str
    document: Document | None = None
    signature: signing.VerificationResult | None = None
    superseded: bool = False

    @property
    def message(self) -> str:
        if self.authentic:
            return _("Authentic and unchanged: this is the document as it was issued.")
        return _("Not the authentic document, or altered.")


def issued_documents():
    return Document.objects.filter(status__in=ISSUED).exclude(pdf_sha256="")


def check(data: bytes, *, document: Document | None = None) -> Outcome:
    """Is `data` the authentic PDF of `document` — or, without one, of any issued document?"""
    sha = hashlib.sha256(data).hexdigest()
    if document is None:
        document = issued_documents().filter(pdf_sha256=sha).first()
    if document is None or not document.pdf_sha256 or document.pdf_sha256 != sha:
        return Outcome(authentic=False, sha256=sha, document=document)
    signature = None
    signer = signing.get_signer()
    if signer.embeds_signature:
        signature = signer.verify(data)
        if signature.signed and not (signature.intact and signature.valid):
            return Outcome(authentic=False, sha256=sha, document=document, signature=signature)
    return Outcome(
        authentic=True,
        sha256=sha,
        document=document,
        signature=signature,
        superseded=document.status == Document.Status.SUPERSEDED,
    )


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
    document = issued_documents().filter(verification_token=token).first()
    if document is None:
        raise Http404
    outcome = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = check(_read(form.cleaned_data["file"]), document=document)
    else:
        form = VerifyForm()
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
            outcome = check(_read(form.cleaned_data["file"]))
    else:
        form = VerifyForm()
    document = outcome.document if outcome and outcome.authentic else None
    return _respond(
        request,
        "correspondence/verify_upload.html",
        {
            "form": form,
            "outcome": outcome,
            "document": document,
            "signer_position": _signer_position(document) if document else "",
        },
    )


urlpatterns = [
    path("", verify_upload, name="verify_upload"),
    path("<str:token>/", verify_document, name="verify_document"),
]

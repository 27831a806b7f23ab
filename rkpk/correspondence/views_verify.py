"""The public verification page of official PDFs (no login), mounted at /verify/.

  <token>/   what the QR code on an issued PDF leads to: for a registered memorandum or
             letter its number, subject, signer's position, dates; for the ministry's signed
             RK or PK (`rkpk.ministry.models.FinalDocument`) its title and year, who signed it
             (name, position, Plt./Plh.) and when; and for both the SHA-256 of the authentic
             PDF and a form to upload a file and learn whether it is that document, unchanged
  (empty)    upload any PDF: it is looked up by its SHA-256 among registered documents and
             the ministry's signed RK and PK

A file is authentic and unchanged when its SHA-256 equals the issued PDF's
(`Document.pdf_sha256`, `FinalDocument.pdf_sha256`) and — when a signer that embeds
signatures is configured and the file carries one — its embedded signature is intact and
valid. Nothing else counts: a file with other content, one changed byte, or no PDF at all
is "not the authentic document, or altered". The page never shows a document's body,
addressees or copies, nor the content of the RK-PK.
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
from rkpk.ministry.models import FinalDocument

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
    final: FinalDocument | None = None

    @property
    def message(self) -> str:
        if self.authentic:
            return _("Authentic and unchanged: this is the document as it was issued.")
        return _("Not the authentic document, or altered.")


def issued_documents():
    return Document.objects.filter(status__in=ISSUED).exclude(pdf_sha256="")


def issued_finals():
    """The ministry's signed RK and PK (issued when the minister signs)."""
    return FinalDocument.objects.select_related("plan").exclude(pdf_sha256="")


def check(
    data: bytes, *, document: Document | None = None, final: FinalDocument | None = None
) -> Outcome:
    """Is `data` the authentic PDF of `document` (or of the ministry's `final` RK/PK) — or,
    without either, of any issued document?"""
    sha = hashlib.sha256(data).hexdigest()
    if document is None and final is None:
        document = issued_documents().filter(pdf_sha256=sha).first()
        if document is None:
            final = issued_finals().filter(pdf_sha256=sha).first()
    issued = document if document is not None else final
    if issued is None or not issued.pdf_sha256 or issued.pdf_sha256 != sha:
        return Outcome(authentic=False, sha256=sha, document=document, final=final)
    signature = None
    signer = signing.get_signer()
    if signer.embeds_signature:
        signature = signer.verify(data)
        if signature.signed and not (signature.intact and signature.valid):
            return Outcome(
                authentic=False, sha256=sha, document=document, final=final, signature=signature
            )
    return Outcome(
        authentic=True,
        sha256=sha,
        document=document,
        final=final,
        signature=signature,
        superseded=document is not None and document.status == Document.Status.SUPERSEDED,
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


def _final_facts(final: FinalDocument) -> dict:
    from rkpk.ministry import documents

    plan = final.plan
    return {
        "final": final,
        "final_title": documents.final_title(
            final.kind,
            plan.year,
            ((plan.signed_version.content or {}).get("organisation") or {}).get("name", "")
            if plan.signed_version
            else "",
        ),
        "signer_name": plan.signed_name,
        "signer_position": documents.signer_position(plan),
        "signed_acting": plan.signed_acting,
    }


@require_http_methods(["GET", "POST"])
def verify_document(request, token: str):
    """The page the QR code leads to."""
    if len(token) > TOKEN_MAX:
        raise Http404
    document = issued_documents().filter(verification_token=token).first()
    final = None
    if document is None:
        final = issued_finals().filter(verification_token=token).first()
        if final is None:
            raise Http404
    outcome = None
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = check(_read(form.cleaned_data["file"]), document=document, final=final)
    else:
        form = VerifyForm()
    if final is not None:
        return _respond(
            request,
            "correspondence/verify_final.html",
            {**_final_facts(final), "form": form, "outcome": outcome},
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
            outcome = check(_read(form.cleaned_data["file"]))
    else:
        form = VerifyForm()
    authentic = outcome is not None and outcome.authentic
    document = outcome.document if authentic else None
    final = outcome.final if authentic and document is None else None
    context = {
        "form": form,
        "outcome": outcome,
        "document": document,
        "signer_position": _signer_position(document) if document else "",
    }
    if final is not None:
        context.update(_final_facts(final))
    return _respond(request, "correspondence/verify_upload.html", context)


urlpatterns = [
    path("", verify_upload, name="verify_upload"),
    path("<str:token>/", verify_document, name="verify_document"),
]

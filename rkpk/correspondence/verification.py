"""Is a file the authentic PDF of an issued document?

A file is authentic and unchanged when its SHA-256 equals the issued PDF's
(`Document.pdf_sha256`, or the `pdf_sha256` of another issued kind) and — when a signer
that embeds signatures is configured and the file carries one — its embedded signature is
intact and valid. Nothing else counts: a file with other content, one changed byte, or no
PDF at all is "not the authentic document, or altered".

Besides correspondence's registered documents, the apps above issue PDFs of their own with
a verification QR code (the ministry's signed RK and PK); each registers an `IssuedKind`
in its `apps.py` `ready()` (`register(...)`), and the verification page finds them too.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rkpk.correspondence import signing
from rkpk.correspondence.models import Document

ISSUED = (Document.Status.REGISTERED, Document.Status.DISPATCHED, Document.Status.SUPERSEDED)


class IssuedKind:
    """PDFs an app above correspondence issues with a verification code."""

    # The page shown for one of them; its context is `facts(item)`, `form` and `outcome`.
    template = ""
    # The facts' fragment, included by the upload page when a file is one of them.
    facts_template = ""

    def issued(self):
        """The issued items: a queryset with `verification_token` and `pdf_sha256`."""
        raise NotImplementedError

    def facts(self, item) -> dict:
        """What the page shows about the item (never its content)."""
        raise NotImplementedError


_kinds: list[IssuedKind] = []


def register(kind: IssuedKind) -> None:
    if kind not in _kinds:
        _kinds.append(kind)


@dataclass
class Outcome:
    authentic: bool
    sha256: str
    document: Document | None = None
    signature: signing.VerificationResult | None = None
    superseded: bool = False
    other: object | None = None  # an item of a registered IssuedKind
    kind: IssuedKind | None = None

    @property
    def message(self) -> str:
        if self.authentic:
            return _("Authentic and unchanged: this is the document as it was issued.")
        return _("Not the authentic document, or altered.")


def issued_documents():
    return Document.objects.filter(status__in=ISSUED).exclude(pdf_sha256="")


def find_by_token(token: str) -> tuple[Document | None, object | None, IssuedKind | None]:
    """(document, None, None), (None, item, its kind), or (None, None, None)."""
    document = issued_documents().filter(verification_token=token).first()
    if document is not None:
        return document, None, None
    for kind in _kinds:
        item = kind.issued().filter(verification_token=token).first()
        if item is not None:
            return None, item, kind
    return None, None, None


def check(
    data: bytes,
    *,
    document: Document | None = None,
    other: object | None = None,
    kind: IssuedKind | None = None,
) -> Outcome:
    """Is `data` the authentic PDF of `document` (or of `other`, an item of `kind`) — or,
    without either, of any issued document?"""
    sha = hashlib.sha256(data).hexdigest()
    if document is None and other is None:
        document = issued_documents().filter(pdf_sha256=sha).first()
        if document is None:
            for candidate in _kinds:
                other = candidate.issued().exclude(pdf_sha256="").filter(pdf_sha256=sha).first()
                if other is not None:
                    kind = candidate
                    break
    found = {"document": document, "other": other, "kind": kind}
    issued = document if document is not None else other
    if issued is None or not issued.pdf_sha256 or issued.pdf_sha256 != sha:
        return Outcome(authentic=False, sha256=sha, **found)
    signature = None
    signer = signing.get_signer()
    if signer.embeds_signature:
        signature = signer.verify(data)
        if signature.signed and not (signature.intact and signature.valid):
            return Outcome(authentic=False, sha256=sha, signature=signature, **found)
    return Outcome(
        authentic=True,
        sha256=sha,
        signature=signature,
        superseded=document is not None and document.status == Document.Status.SUPERSEDED,
        **found,
    )

"""The lifecycle of an official document: draft → review (when the template asks for it)
→ signed by the signer's role → registered and numbered (the official PDF is issued and
sealed) → dispatched (rkpk.correspondence.dispatch).

Signing fixes the content: a signed document never changes; a correction is a new
version, and the old one's number is cancelled (it stays in the register as cancelled).
"""

import hashlib
import json
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.correspondence import numbering, signals
from rkpk.correspondence.models import Document, LetterTemplate, NumberAllocation, Review
from rkpk.organisation import roles
from rkpk.organisation.models import Role

Status = Document.Status
CONTENT_FIELDS = [
    "kind",
    "classification",
    "nature",
    "attachments_note",
    "subject",
    "addressee",
    "body",
    "copies",
    "place",
    "signer_role",
    "signer_position",
]
EDIT_FIELDS = [f for f in CONTENT_FIELDS if f not in ("kind", "signer_role")]


class ConflictError(ValidationError):
    """Someone saved the document after the editor loaded it."""


def fill(text: str, values: dict) -> str:
    """Replace {placeholders} with values; unknown ones stay as written."""

    class Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"

    try:
        return text.format_map(Keep({k: "" if v is None else v for k, v in values.items()}))
    except (ValueError, IndexError):
        return text  # a stray brace in an admin's template: print it as it is


def profile_values(values: dict | None) -> dict:
    """The document's values over the organisation profile's placeholders."""
    from rkpk.organisation.profile import placeholder_values

    return {**placeholder_values(), **(values or {})}


def frozen_from_template(template: LetterTemplate, values: dict) -> dict:
    """What a new document copies from its template and the organisation profile, filled:
    letterhead, signer's position and place (later edits of either do not change it)."""
    from rkpk.correspondence.reference_data import LETTERHEAD

    return {
        "letterhead": fill(template.letterhead or LETTERHEAD, values),
        "signer_position": fill(template.signer_position, values)[:200],
        "place": (values.get("signing_city") or "Jakarta")[:60],
    }


def content_hash(document: Document) -> str:
    """The hash of what was signed: the content fields, canonically serialised."""
    data = {name: getattr(document, name) for name in CONTENT_FIELDS}
    data["version"] = document.version
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def _require_drafter(actor) -> None:
    require(actor, "correspondence.draft", message=_("Only the bureau drafts official documents."))


@transaction.atomic
def create_from_template(
    *,
    actor,
    template: LetterTemplate,
    values: dict | None = None,
    addressee: str = "",
    copies: str = "",
    cycle=None,
    purpose: str = "",
) -> Document:
    """A new draft from a template, its placeholders filled with `values`."""
    _require_drafter(actor)
    if not template.is_active or not template.register.is_active:
        raise ValidationError(_("This template or its register is no longer in use."))
    if not (addressee or "").strip():
        raise ValidationError({"addressee": _("Name the addressee (Yth.).")})
    values = profile_values(values)
    document = Document.objects.create(
        **frozen_from_template(template, values),
        kind=template.kind,
        template=template,
        register=template.register,
        cycle=cycle,
        purpose=purpose or template.key,
        requires_review=template.requires_review,
        classification=template.register.classification,
        subject=fill(template.subject, values)[:300],
        addressee=addressee,
        body=fill(template.body, values),
        copies=copies,
        signer_role=template.signer_role,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="document.created",
        obj=document,
        after=audit.snapshot(document, CONTENT_FIELDS + ["purpose"]),
    )
    return document


@transaction.atomic
def update_draft(*, actor, document: Document, revision: int, **fields) -> Document:
    document = _locked(document)
    _require_drafter(actor)
    if not document.is_editable:
        raise ValidationError(
            _("The document is %(status)s; a signed document never changes — make a correction.")
            % {"status": document.get_status_display().lower()}
        )
    if int(revision) != document.revision:
        raise ConflictError(_("Someone saved this document after you opened it. Reload first."))
    values = {k: v for k, v in fields.items() if k in EDIT_FIELDS}
    if "subject" in values and not (values["subject"] or "").strip():
        raise ValidationError({"subject": _("A document needs a subject (hal).")})
    if "body" in values and not (values["body"] or "").strip():
        raise ValidationError({"body": _("A document needs a body.")})
    before = audit.snapshot(document, EDIT_FIELDS)
    for name, value in values.items():
        setattr(document, name, value)
    document.revision += 1
    document.save()
    audit.record(
        actor=actor,
        action="document.edited",
        obj=document,
        before=before,
        after=audit.snapshot(document, EDIT_FIELDS),
    )
    return document


@transaction.atomic
def send_for_review(*, actor, document: Document) -> Document:
    document = _locked(document)
    _require_drafter(actor)
    if document.status != Status.DRAFT:
        raise ValidationError(_("Only a draft goes to review."))
    if not document.requires_review:
        raise ValidationError(_("This document needs no review; it goes straight to signature."))
    document.status = Status.IN_REVIEW
    document.save(update_fields=["status"])
    audit.record(actor=actor, action="document.sent_for_review", obj=document)
    return document


@transaction.atomic
def review(*, actor, document: Document, approve: bool, comment: str = "") -> Review:
    document = _locked(document)
    require(
        actor,
        "correspondence.review",
        message=_("Only the head of section or the head of bureau reviews."),
    )
    if document.status != Status.IN_REVIEW:
        raise ValidationError(_("The document is not in review."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what has to change.")})
    decision = Review.Decision.APPROVED if approve else Review.Decision.CHANGES
    entry = Review.objects.create(
        document=document, reviewer=actor, decision=decision, comment=comment
    )
    document.status = Status.APPROVED if approve else Status.DRAFT
    document.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=f"document.review_{decision}",
        obj=document,
        after={"decision": decision, "comment": comment},
    )
    return entry


def may_sign(user, document: Document) -> bool:
    return user.has_perm("correspondence.sign", document)


@transaction.atomic
def sign(*, actor, document: Document, acting: str = "") -> Document:
    """The signer's role signs: who and when are recorded and the content is fixed."""
    document = _locked(document)
    if not may_sign(actor, document):
        raise PermissionDenied(
            _("This document is signed by the %(role)s.")
            % {"role": Role(document.signer_role).label}
        )
    ready = Status.APPROVED if document.requires_review else Status.DRAFT
    if document.status != ready:
        raise ValidationError(
            _("The document cannot be signed while it is %(status)s.")
            % {"status": document.get_status_display().lower()}
        )
    if acting not in ("", "Plt", "Plh"):
        raise ValidationError({"acting": _("Acting is Plt or Plh, or empty.")})
    # Someone acting for the signer by an acting assignment always signs as such.
    acting = roles.printed_acting_kind(actor, document.signer_role) or acting
    official = getattr(actor, "official", None)
    document.status = Status.SIGNED
    document.signed_by, document.signed_at = actor, timezone.now()
    document.signed_name = official.name if official else actor.get_full_name() or actor.username
    document.signed_nip = (official.nip or "") if official else ""  # none for a pejabat negara
    document.signed_acting = acting
    document.content_hash = content_hash(document)
    document.save()
    audit.record(
        actor=actor,
        action="document.signed",
        obj=document,
        after={
            "content_hash": document.content_hash,
            "signed_name": document.signed_name,
            "acting": acting,
        },
    )
    signals.document_signed.send(sender=Document, document=document, actor=actor)
    return document


@transaction.atomic
def produce_signed(
    *, actor, template: LetterTemplate, values: dict, addressee: str, cycle, purpose: str
) -> Document:
    """A document made and signed in one act by its signer, as part of a decision they take
    (a reviewer approving a draft produces the memorandum to the next reviewer). A draft of
    the same purpose the bureau prepared is used; nothing already signed is touched."""
    existing = (
        Document.objects.select_for_update()
        .filter(
            cycle=cycle,
            purpose=purpose,
            status__in=(Status.DRAFT, Status.IN_REVIEW, Status.APPROVED),
        )
        .order_by("-version", "-id")
        .first()
    )
    if existing is None:
        values = profile_values(values)
        existing = Document.objects.create(
            **frozen_from_template(template, values),
            kind=template.kind,
            template=template,
            register=template.register,
            cycle=cycle,
            purpose=purpose,
            classification=template.register.classification,
            subject=fill(template.subject, values)[:300],
            addressee=addressee,
            body=fill(template.body, values),
            signer_role=template.signer_role,
            created_by=actor,
        )
        audit.record(
            actor=actor,
            action="document.created",
            obj=existing,
            after=audit.snapshot(existing, CONTENT_FIELDS + ["purpose"]),
        )
    existing.requires_review = False
    existing.status = Status.DRAFT
    existing.save(update_fields=["requires_review", "status"])
    return sign(actor=actor, document=existing)


@transaction.atomic
def register(*, actor, document: Document) -> Document:
    """Number the signed document in its register and issue the official, sealed PDF."""
    from rkpk.correspondence import rendering, signing

    document = _locked(document)
    require(actor, "correspondence.register", message=_("The bureau's staff register documents."))
    if document.status != Status.SIGNED:
        raise ValidationError(_("Only a signed document is registered and numbered."))
    if document.content_hash != content_hash(document):
        raise ValidationError(_("The content changed after signing; it cannot be registered."))
    allocation = numbering.allocate(
        register=document.register,
        actor=actor,
        document=document,
        classification=document.classification,
        recipient_summary=document.addressee.splitlines()[0] if document.addressee else "",
        subject=document.subject,
    )
    document.number = allocation.number
    document.registered_at = allocation.issued_at
    document.status = Status.REGISTERED
    document.verification_token = secrets.token_urlsafe(24)
    pdf = signing.sign_pdf(
        rendering.render_document(document, fmt="pdf"),
        reason=f"{document.number} — {document.subject}"[:200],
        signer_name=document.signed_name,
    )
    document.pdf.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    document.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    document.save()
    audit.record(
        actor=actor,
        action="document.registered",
        obj=document,
        after={"number": document.number, "pdf_sha256": document.pdf_sha256},
    )
    signals.document_registered.send(sender=Document, document=document, actor=actor)
    return document


@transaction.atomic
def correct(*, actor, document: Document, reason: str) -> Document:
    """A new draft version of a signed document; the old one is superseded and its number
    (if it had one) cancelled."""
    document = _locked(document)
    _require_drafter(actor)
    if document.status in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
        raise ValidationError(_("A draft is edited, not corrected."))
    if document.status == Status.SUPERSEDED:
        raise ValidationError(_("This version was already corrected."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the correction is for.")})
    fresh = Document.objects.create(
        **{name: getattr(document, name) for name in CONTENT_FIELDS},
        letterhead=document.letterhead,
        template=document.template,
        register=document.register,
        cycle=document.cycle,
        purpose=document.purpose,
        requires_review=document.requires_review,
        version=document.version + 1,
        previous=document,
        created_by=actor,
    )
    # An undispatched document's number is cancelled; a dispatched one keeps its number,
    # which its recipients hold, and the correction gets its own.
    allocation = getattr(document, "allocation", None)
    issued = allocation is not None and allocation.status == NumberAllocation.Status.ISSUED
    if issued and document.status != Status.DISPATCHED:
        numbering.cancel(
            allocation=document.allocation,
            actor=actor,
            reason=_("Corrected by version %(v)s: %(r)s") % {"v": fresh.version, "r": reason},
        )
    document.status = Status.SUPERSEDED
    document.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="document.corrected",
        obj=document,
        after={"new_version": fresh.version, "new_document": fresh.pk, "reason": reason},
    )
    return fresh

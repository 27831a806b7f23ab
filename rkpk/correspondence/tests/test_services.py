"""The lifecycle services of an official document (rkpk.correspondence.services):
draft → review (when configured) → signed by the signer's role → registered and numbered;
a signed document never changes and a correction is a new version."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.core.models import AuditEvent
from rkpk.correspondence import rendering, services, signing
from rkpk.correspondence.models import Document, LetterTemplate, NumberAllocation, Recipient

Status = Document.Status
FAKE_PDF = b"%PDF-1.7\n% official copy\n%%EOF\n"
CALL = "step1-call-for-submissions"  # signed by the deputy, reviewed first
TO_DEPUTY = "step1-bureau-to-deputy"  # signed by the head of bureau


# --- Helpers shared by the correspondence UI tests ------------------------------------------


@pytest.fixture
def fake_pdf(monkeypatch):
    """Registration issues a PDF: render and seal it instantly (rendering and signing have
    their own tests)."""
    calls = []

    def render_document(document, *, fmt):
        calls.append((document.number, fmt))
        return FAKE_PDF + document.number.encode()

    def sign_pdf(pdf, *, reason, signer_name):
        return pdf + b"% sealed\n"

    monkeypatch.setattr(rendering, "render_document", render_document)
    monkeypatch.setattr(signing, "sign_pdf", sign_pdf)
    return calls


def template(key: str = CALL) -> LetterTemplate:
    return LetterTemplate.objects.get(key=key)


def draft(actor, key: str = CALL, **values) -> Document:
    return services.create_from_template(
        actor=actor,
        template=template(key),
        values={"year": 2027, "deadline": "15 Januari 2027", **values},
        addressee="Para Pimpinan Satuan Organisasi",
        copies="Menteri Sekretaris Negara",
    )


def approved(users, key: str = CALL) -> Document:
    document = draft(users["staff"], key)
    if document.requires_review:
        services.send_for_review(actor=users["staff"], document=document)
        services.review(actor=users["head_of_bureau"], document=document, approve=True)
    document.refresh_from_db()
    return document


def signed(users, key: str = CALL) -> Document:
    document = approved(users, key)
    return services.sign(actor=users[document.signer_role], document=document)


def registered(users, key: str = CALL) -> Document:
    return services.register(actor=users["staff"], document=signed(users, key))


def addressed(document: Document, unit, *, delivered=True) -> Recipient:
    from django.utils import timezone

    return Recipient.objects.create(
        document=document,
        unit=unit,
        name=unit.name,
        delivered_at=timezone.now() if delivered else None,
    )


def actions(document: Document) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="correspondence.document", object_id=str(document.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- Drafting -------------------------------------------------------------------------------


def test_a_draft_fills_the_templates_placeholders(role_users):
    document = draft(role_users["staff"])
    assert document.status == Status.DRAFT
    assert document.subject.endswith("Tahun 2027")
    assert "15 Januari 2027" in document.body and "{deadline}" not in document.body
    assert document.signer_role == "deputy"
    assert document.register.code == "nd-deputi-was"
    assert document.classification == "PR.01.01"
    assert actions(document) == ["document.created"]


def test_an_unknown_placeholder_stays_as_written(role_users):
    t = template()
    t.body = "Yth. {recipients} — {unknown} — {year}"
    t.save()
    document = draft(role_users["staff"], recipients="seluruh unit")
    assert document.body == "Yth. seluruh unit — {unknown} — 2027"


@pytest.mark.parametrize(
    "role",
    ["admin", "deputy", "minister", "unit_operator", "unit_head", "general_bureau", "viewer"],
)
def test_only_the_bureau_drafts(role_users, role):
    with pytest.raises(PermissionDenied):
        draft(role_users[role])
    assert not Document.objects.exists()


def test_editing_a_draft_with_a_stale_revision_is_refused(role_users):
    document = draft(role_users["staff"])
    services.update_draft(
        actor=role_users["staff"], document=document, revision=1, subject="Hal baru"
    )
    with pytest.raises(services.ConflictError):
        services.update_draft(
            actor=role_users["head_of_section"], document=document, revision=1, subject="Lain"
        )
    document.refresh_from_db()
    assert (document.subject, document.revision) == ("Hal baru", 2)


def test_a_draft_needs_a_subject_and_a_body(role_users):
    document = draft(role_users["staff"])
    with pytest.raises(ValidationError) as error:
        services.update_draft(actor=role_users["staff"], document=document, revision=1, body=" ")
    assert "body" in error.value.message_dict


# --- Review ---------------------------------------------------------------------------------


def test_review_is_required_when_the_template_asks_for_it(role_users):
    document = draft(role_users["staff"])
    assert document.requires_review
    with pytest.raises(ValidationError, match="cannot be signed while it is draft"):
        services.sign(actor=role_users["deputy"], document=document)
    services.send_for_review(actor=role_users["staff"], document=document)
    with pytest.raises(ValidationError, match="cannot be signed while it is in review"):
        services.sign(actor=role_users["deputy"], document=document)
    services.review(actor=role_users["head_of_section"], document=document, approve=True)
    signed_doc = services.sign(actor=role_users["deputy"], document=document)
    assert signed_doc.status == Status.SIGNED


def test_a_document_without_review_goes_straight_to_signature(role_users):
    t = template(TO_DEPUTY)
    t.requires_review = False
    t.save()
    document = draft(role_users["staff"], TO_DEPUTY)
    with pytest.raises(ValidationError, match="needs no review"):
        services.send_for_review(actor=role_users["staff"], document=document)
    assert services.sign(actor=role_users["head_of_bureau"], document=document).status == "signed"


@pytest.mark.parametrize("role", ["staff", "deputy", "minister", "unit_head", "viewer"])
def test_only_the_head_of_section_or_bureau_reviews(role_users, role):
    document = draft(role_users["staff"])
    services.send_for_review(actor=role_users["staff"], document=document)
    with pytest.raises(PermissionDenied):
        services.review(actor=role_users[role], document=document, approve=True)
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW and not document.reviews.exists()


def test_requesting_changes_needs_a_comment_and_returns_the_draft(role_users):
    document = draft(role_users["staff"])
    services.send_for_review(actor=role_users["staff"], document=document)
    with pytest.raises(ValidationError):
        services.review(actor=role_users["head_of_bureau"], document=document, approve=False)
    services.review(
        actor=role_users["head_of_bureau"],
        document=document,
        approve=False,
        comment="Perbaiki tenggat",
    )
    document.refresh_from_db()
    assert document.status == Status.DRAFT
    assert document.reviews.get().comment == "Perbaiki tenggat"
    assert "document.review_changes" in actions(document)


# --- Signing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["staff", "head_of_section", "head_of_bureau", "minister", "admin", "unit_head"]
)
def test_signing_by_the_wrong_role_is_refused_and_changes_nothing(role_users, role):
    document = approved(role_users)
    with pytest.raises(PermissionDenied, match="signed by the Deputy"):
        services.sign(actor=role_users[role], document=document)
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    assert document.signed_at is None and document.content_hash == ""
    assert "document.signed" not in actions(document)


def test_signing_records_who_and_when_and_fixes_the_content(role_users):
    document = approved(role_users)
    document = services.sign(actor=role_users["deputy"], document=document, acting="Plt")
    document.refresh_from_db()
    assert document.signed_by == role_users["deputy"] and document.signed_at is not None
    assert document.signed_name == "u_deputy" and document.signed_acting == "Plt"
    assert document.content_hash == services.content_hash(document)
    with pytest.raises(ValidationError, match="never changes"):
        services.update_draft(
            actor=role_users["staff"], document=document, revision=document.revision, body="x"
        )
    document.refresh_from_db()
    assert document.body != "x" and document.content_hash == services.content_hash(document)


def test_acting_is_plt_plh_or_nothing(role_users):
    document = approved(role_users)
    with pytest.raises(ValidationError):
        services.sign(actor=role_users["deputy"], document=document, acting="Pj")


def test_a_document_is_signed_once(role_users):
    document = signed(role_users)
    with pytest.raises(ValidationError):
        services.sign(actor=role_users["deputy"], document=document)


# --- Registration ---------------------------------------------------------------------------


def test_registration_numbers_and_issues_the_sealed_pdf(role_users, fake_pdf):
    document = registered(role_users)
    document.refresh_from_db()
    assert document.status == Status.REGISTERED
    assert document.number.startswith("ND-1/Kemensetneg/Was/PR.01.01/")
    assert document.verification_token
    stored = document.pdf.read()
    assert stored.endswith(b"% sealed\n")
    assert document.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    allocation = document.allocation
    assert (allocation.seq, allocation.subject) == (1, document.subject)
    assert allocation.recipient_summary == "Para Pimpinan Satuan Organisasi"
    assert fake_pdf == [(document.number, "pdf")]


@pytest.mark.parametrize("role", ["deputy", "minister", "admin", "unit_operator", "viewer"])
def test_only_the_bureau_registers(role_users, fake_pdf, role):
    document = signed(role_users)
    with pytest.raises(PermissionDenied):
        services.register(actor=role_users[role], document=document)
    assert not NumberAllocation.objects.exists()


def test_an_unsigned_document_is_not_registered(role_users, fake_pdf):
    document = approved(role_users)
    with pytest.raises(ValidationError, match="Only a signed"):
        services.register(actor=role_users["staff"], document=document)
    assert not NumberAllocation.objects.exists()


def test_content_changed_behind_the_services_back_is_not_registered(role_users, fake_pdf):
    document = signed(role_users)
    Document.objects.filter(pk=document.pk).update(body="Isi yang diubah diam-diam")
    with pytest.raises(ValidationError, match="content changed"):
        services.register(actor=role_users["staff"], document=document)
    assert not NumberAllocation.objects.exists()


# --- Correction -----------------------------------------------------------------------------


def test_a_correction_is_a_new_version_and_cancels_the_old_number(role_users, fake_pdf):
    old = registered(role_users)
    fresh = services.correct(actor=role_users["staff"], document=old, reason="Salah tenggat")
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    assert (fresh.version, fresh.previous, fresh.status) == (2, old, Status.DRAFT)
    assert (fresh.subject, fresh.body) == (old.subject, old.body)
    assert fresh.number == "" and fresh.signed_at is None
    allocation = NumberAllocation.objects.get(document=old)
    assert allocation.status == "cancelled" and "Salah tenggat" in allocation.cancel_reason
    # The corrected version goes through the lifecycle again and gets the next number.
    services.send_for_review(actor=role_users["staff"], document=fresh)
    services.review(actor=role_users["head_of_bureau"], document=fresh, approve=True)
    services.sign(actor=role_users["deputy"], document=fresh)
    fresh = services.register(actor=role_users["staff"], document=fresh)
    assert fresh.allocation.seq == 2 and fresh.number != old.number


def test_a_draft_is_edited_not_corrected_and_a_version_is_corrected_once(role_users):
    document = draft(role_users["staff"])
    with pytest.raises(ValidationError, match="edited, not corrected"):
        services.correct(actor=role_users["staff"], document=document, reason="x")
    document = signed(role_users)
    with pytest.raises(ValidationError):
        services.correct(actor=role_users["staff"], document=document, reason=" ")
    services.correct(actor=role_users["staff"], document=document, reason="Typo")
    with pytest.raises(ValidationError, match="already corrected"):
        services.correct(actor=role_users["staff"], document=document, reason="Again")


def test_the_lifecycle_is_audited(role_users, fake_pdf):
    document = registered(role_users)
    assert actions(document) == [
        "document.created",
        "document.sent_for_review",
        "document.review_approved",
        "document.signed",
        "document.registered",
    ]

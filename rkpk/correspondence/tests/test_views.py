"""The correspondence screens: documents list and page, drafting, the lifecycle actions,
downloads and the administrator's templates and registers — for every role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rkpk.core.models import AuditEvent
from rkpk.correspondence import services
from rkpk.correspondence.models import Document, LetterTemplate, Register
from rkpk.correspondence.tests.test_services import (
    addressed,
    approved,
    draft,
    fake_pdf,  # noqa: F401 — a fixture
    registered,
    signed,
    template,
)

Status = Document.Status
ROLES = [
    "admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
    "unit_operator", "unit_head", "general_bureau", "viewer", "operator_b", "nobody",
]  # fmt: skip
MINISTRY = {
    "admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
    "general_bureau", "viewer",
}  # fmt: skip
BUREAU = {"staff", "head_of_section", "head_of_bureau"}
UNIT_A = {"unit_operator", "unit_head"}


def url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(f"correspondence:{name}", args=args)


def expected_for_document(role: str, *, allowed: set[str], addressed_to_a: bool = False) -> int:
    """404 for who may not see the document, 403 for who sees it but may not act."""
    sees = role in MINISTRY or (addressed_to_a and role in UNIT_A)
    if not sees:
        return 404
    return 200 if role in allowed else 403


# --- Documents list -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_documents_list_shows_what_the_role_may_see(role_users, units, client_for, role):
    own = registered(role_users)
    addressed(own, units["a"])
    other = draft(role_users["staff"], "step1-bureau-to-deputy")
    response = client_for(role_users[role]).get(url("document_list"))
    if role == "nobody":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    listed = {d.pk for d in response.context["page"].object_list}
    if role in MINISTRY:
        assert listed == {own.pk, other.pk}
    elif role in UNIT_A:
        assert listed == {own.pk}
    else:
        assert listed == set()
        assert "No document matches." in response.content.decode()


def test_documents_list_needs_a_login(client):
    response = client.get(url("document_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_documents_list_searches_and_filters(role_users, client_for):
    first = draft(role_users["staff"])
    second = draft(role_users["staff"], "step1-bureau-to-deputy")
    Document.objects.filter(pk=second.pk).update(status=Status.SIGNED, number="ND-7/BAK/2027")
    client = client_for(role_users["viewer"])

    def listed(**params):
        response = client.get(url("document_list"), params)
        assert response.status_code == 200
        return {d.pk for d in response.context["page"].object_list}

    assert listed(q="ND-7") == {second.pk}
    assert listed(q="permintaan dokumen") == {first.pk}
    assert listed(status="draft") == {first.pk}
    assert listed(register=first.register.pk) == {first.pk}
    assert listed(kind="letter") == set()
    assert listed(status="nonsense") == {first.pk, second.pk}  # an invalid filter is ignored


def test_documents_list_query_count_is_constant(role_users, units, client_for):
    client = client_for(role_users["unit_operator"])

    def count_for(n):
        for _ in range(n):
            addressed(draft(role_users["staff"]), units["a"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("document_list"))
        assert response.status_code == 200
        return len(queries), len(response.context["page"].object_list)

    few, n_few = count_for(2)
    many, n_many = count_for(8)
    assert (n_few, n_many) == (2, 10)
    assert few == many


# --- Document page --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_document_page_visibility(role_users, units, client_for, role):
    document = approved(role_users)
    addressed(document, units["a"])
    response = client_for(role_users[role]).get(url("document_detail", document.pk))
    assert response.status_code == expected_for_document(
        role, allowed=set(ROLES), addressed_to_a=True
    )
    if response.status_code == 200:
        body = response.content.decode()
        assert document.subject in body and "Yth." in body
        assert 'id="expedition"' in body
        # Only the deputy is offered the signature.
        assert (url("document_sign", document.pk) in body) == (role == "deputy")


def test_document_page_offers_each_role_its_actions(role_users, client_for):
    document = draft(role_users["staff"])
    page = client_for(role_users["staff"]).get(url("document_detail", document.pk))
    body = page.content.decode()
    assert url("document_edit", document.pk) in body
    assert url("document_send_for_review", document.pk) in body
    assert url("document_sign", document.pk) not in body
    viewer = client_for(role_users["viewer"]).get(url("document_detail", document.pk))
    assert "Nothing to do for you on this document now." in viewer.content.decode()


def test_a_unit_opening_its_copy_is_recorded(role_users, units, client_for):
    document = approved(role_users)
    line = addressed(document, units["a"])
    client_for(role_users["unit_head"]).get(url("document_detail", document.pk))
    line.refresh_from_db()
    assert line.opened_by == role_users["unit_head"] and line.opened_at is not None


# --- Creating and editing -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_document_is_for_the_bureau(role_users, client_for, role):
    client = client_for(role_users[role])
    response = client.get(url("document_create"))
    assert response.status_code == (200 if role in BUREAU else 403)
    response = client.post(
        url("document_create"),
        {"template": template().pk, "year": "2027", "addressee": "Para Pimpinan"},
    )
    if role in BUREAU:
        document = Document.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("document_detail", document.pk)
        assert document.subject.endswith("2027") and document.created_by == role_users[role]
    else:
        assert response.status_code == 403 and not Document.objects.exists()


def test_creating_fills_the_placeholders_from_the_cycle_and_the_deadline(role_users, client_for):
    from datetime import date

    from rkpk.procedure.models import Cycle, ServiceStandard

    cycle = Cycle.objects.create(
        year=2028,
        name="RK-PK 2028",
        standard=ServiceStandard.objects.first(),
        start_date=date(2027, 11, 1),
    )
    response = client_for(role_users["staff"]).post(
        url("document_create"),
        {
            "template": template().pk,
            "cycle": cycle.pk,
            "deadline": "2027-11-26",
            "addressee": "Para Pimpinan\nSatuan Organisasi",
            "copies": "Menteri",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.cycle == cycle and "Tahun 2028" in document.subject
    assert "26 November 2027" in document.body
    assert document.addressee == "Para Pimpinan\nSatuan Organisasi"


def test_creating_without_an_addressee_keeps_the_input(role_users, client_for):
    response = client_for(role_users["staff"]).post(
        url("document_create"), {"template": template().pk, "recipients": "seluruh unit"}
    )
    assert response.status_code == 400
    assert response.context["form"]["recipients"].value() == "seluruh unit"
    assert not Document.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_editing_a_draft_is_for_the_bureau(role_users, client_for, role):
    document = draft(role_users["staff"])
    response = client_for(role_users[role]).get(url("document_edit", document.pk))
    assert response.status_code == expected_for_document(role, allowed=BUREAU)


def test_editing_saves_and_is_audited(role_users, client_for):
    document = draft(role_users["staff"])
    data = {name: getattr(document, name) for name in services.EDIT_FIELDS}
    response = client_for(role_users["head_of_section"]).post(
        url("document_edit", document.pk), {**data, "subject": "Hal yang diperbaiki", "revision": 1}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.subject, document.revision) == ("Hal yang diperbaiki", 2)
    assert AuditEvent.objects.filter(action="document.edited").exists()


def test_a_stale_edit_is_refused_with_the_input_kept(role_users, client_for):
    document = draft(role_users["staff"])
    data = {name: getattr(document, name) for name in services.EDIT_FIELDS}
    services.update_draft(
        actor=role_users["staff"], document=document, revision=1, subject="Theirs"
    )
    client = client_for(role_users["head_of_section"])
    response = client.post(
        url("document_edit", document.pk), {**data, "subject": "Mine", "revision": 1}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone saved this document after you opened it" in body
    assert "Mine" in body and "Theirs" in body
    document.refresh_from_db()
    assert document.subject == "Theirs"
    # Saving again (the form now carries the current revision) writes the user's version.
    assert response.context["form"].data["revision"] == 2
    again = client.post(
        url("document_edit", document.pk), {**data, "subject": "Mine", "revision": 2}
    )
    assert again.status_code == 302
    document.refresh_from_db()
    assert document.subject == "Mine"


def test_editing_after_signing_is_refused(role_users, client_for):
    document = signed(role_users)
    client = client_for(role_users["staff"])
    response = client.get(url("document_edit", document.pk))
    assert response.status_code == 302
    data = {name: getattr(document, name) for name in services.EDIT_FIELDS}
    response = client.post(
        url("document_edit", document.pk),
        {**data, "body": "Isi baru", "revision": document.revision},
    )
    assert response.status_code == 400
    assert "never changes" in response.content.decode()
    document.refresh_from_db()
    assert document.body != "Isi baru"
    assert document.content_hash == services.content_hash(document)


# --- Lifecycle actions ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_signing_by_the_wrong_role_is_forbidden_and_changes_nothing(role_users, client_for, role):
    document = approved(role_users)
    response = client_for(role_users[role]).post(url("document_sign", document.pk), {})
    expected = expected_for_document(role, allowed={"deputy"})
    assert response.status_code == (302 if expected == 200 else expected)
    document.refresh_from_db()
    if role == "deputy":
        assert document.status == Status.SIGNED and document.signed_by == role_users["deputy"]
    else:
        assert document.status == Status.APPROVED and document.signed_at is None


def test_signing_as_plt(role_users, client_for):
    document = approved(role_users)
    response = client_for(role_users["deputy"]).post(
        url("document_sign", document.pk), {"sign-acting": "Plt"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.signed_acting == "Plt"


def test_signing_before_review_is_refused(role_users, client_for):
    document = draft(role_users["staff"])
    response = client_for(role_users["deputy"]).post(url("document_sign", document.pk), {})
    assert response.status_code == 400
    assert "cannot be signed while it is draft" in response.content.decode()
    document.refresh_from_db()
    assert document.status == Status.DRAFT


@pytest.mark.parametrize("role", ROLES)
def test_review_through_the_page(role_users, client_for, role):
    document = draft(role_users["staff"])
    services.send_for_review(actor=role_users["staff"], document=document)
    response = client_for(role_users[role]).post(
        url("document_review", document.pk),
        {"review-decision": "changes", "review-comment": "Tambahkan tembusan"},
    )
    expected = expected_for_document(role, allowed={"head_of_section", "head_of_bureau"})
    assert response.status_code == (302 if expected == 200 else expected)
    document.refresh_from_db()
    if expected == 200:
        assert document.status == Status.DRAFT
        assert document.reviews.get().comment == "Tambahkan tembusan"
    else:
        assert document.status == Status.IN_REVIEW and not document.reviews.exists()


def test_requesting_changes_without_a_comment_is_refused(role_users, client_for):
    document = draft(role_users["staff"])
    services.send_for_review(actor=role_users["staff"], document=document)
    response = client_for(role_users["head_of_bureau"]).post(
        url("document_review", document.pk), {"review-decision": "changes"}
    )
    assert response.status_code == 400
    assert "Say what has to change." in response.content.decode()
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW


def test_the_whole_lifecycle_through_the_pages(role_users, client_for, fake_pdf):  # noqa: F811
    staff = client_for(role_users["staff"])
    staff.post(url("document_create"), {"template": template().pk, "addressee": "Yth. Unit"})
    document = Document.objects.get()
    assert staff.post(url("document_send_for_review", document.pk)).status_code == 302
    head = client_for(role_users["head_of_bureau"])
    assert (
        head.post(url("document_review", document.pk), {"review-decision": "approve"}).status_code
        == 302
    )
    deputy = client_for(role_users["deputy"])
    assert deputy.post(url("document_sign", document.pk), {}).status_code == 302
    staff = client_for(role_users["staff"])
    response = staff.post(url("document_register", document.pk))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.REGISTERED and document.number.startswith("ND-1/")
    page = staff.get(url("document_detail", document.pk)).content.decode()
    assert document.number in page and url("document_file", document.pk, "pdf") in page
    pdf = staff.get(url("document_file", document.pk, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).endswith(b"% sealed\n")


@pytest.mark.parametrize("role", ROLES)
def test_registering_is_for_the_bureau(role_users, client_for, fake_pdf, role):  # noqa: F811
    document = signed(role_users)
    response = client_for(role_users[role]).post(url("document_register", document.pk))
    expected = expected_for_document(role, allowed=BUREAU)
    assert response.status_code == (302 if expected == 200 else expected)
    document.refresh_from_db()
    assert (document.status == Status.REGISTERED) == (expected == 200)


def test_registering_an_unsigned_document_is_refused(role_users, client_for, fake_pdf):  # noqa: F811
    document = approved(role_users)
    response = client_for(role_users["staff"]).post(url("document_register", document.pk))
    assert response.status_code == 400
    assert "Only a signed document" in response.content.decode()
    assert not document.__class__.objects.filter(status=Status.REGISTERED).exists()


def test_a_correction_through_the_page(role_users, client_for, fake_pdf):  # noqa: F811
    old = registered(role_users)
    client = client_for(role_users["staff"])
    refused = client.post(url("document_correct", old.pk), {"correct-reason": ""})
    assert refused.status_code == 400
    response = client.post(url("document_correct", old.pk), {"correct-reason": "Salah alamat"})
    fresh = Document.objects.get(previous=old)
    assert response.status_code == 302 and response["Location"] == url("document_detail", fresh.pk)
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED and old.allocation.status == "cancelled"
    page = client.get(url("document_detail", fresh.pk)).content.decode()
    assert "Version 1" in page and url("document_detail", old.pk) in page


@pytest.mark.parametrize("role", sorted(MINISTRY - BUREAU))
def test_a_correction_is_for_the_bureau(role_users, client_for, role):
    document = signed(role_users)
    response = client_for(role_users[role]).post(
        url("document_correct", document.pk), {"correct-reason": "x"}
    )
    assert response.status_code == 403
    assert not Document.objects.filter(previous=document).exists()


# --- Files ----------------------------------------------------------------------------------


def test_a_draft_downloads_as_docx(role_users, client_for):
    document = draft(role_users["staff"])
    response = client_for(role_users["staff"]).get(url("document_file", document.pk, "docx"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert ".docx" in response["Content-Disposition"]


def test_files_of_an_unseen_document_are_404(role_users, client_for):
    document = draft(role_users["staff"])
    for fmt in ("pdf", "docx", "odt"):
        response = client_for(role_users["operator_b"]).get(url("document_file", document.pk, fmt))
        assert response.status_code == 404
    response = client_for(role_users["staff"]).get(url("document_file", document.pk, "odt"))
    assert response.status_code == 404


# --- Administration: templates and registers ------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_templates_are_managed_by_the_admin(role_users, client_for, role):
    client = client_for(role_users[role])
    t = template()
    for name, args in (("template_list", ()), ("template_create", ()), ("template_edit", (t.pk,))):
        assert client.get(url(name, *args)).status_code == (200 if role == "admin" else 403)


def test_the_admin_edits_a_template_and_it_is_audited(role_users, client_for):
    t = template()
    data = {
        "key": t.key,
        "kind": t.kind,
        "name": t.name,
        "letterhead": "KEMENTERIAN CONTOH",
        "subject": t.subject,
        "body": "Isi baru {year}",
        "signer_role": "deputy",
        "signer_position": "Deputi",
        "register": t.register.pk,
        "requires_review": "",
        "is_active": "on",
    }
    response = client_for(role_users["admin"]).post(url("template_edit", t.pk), data)
    assert response.status_code == 302
    t.refresh_from_db()
    assert (t.letterhead, t.body, t.requires_review) == (
        "KEMENTERIAN CONTOH",
        "Isi baru {year}",
        False,
    )
    event = AuditEvent.objects.get(action="letter_template.edited")
    assert event.before["requires_review"] is True and event.after["requires_review"] is False
    # A new draft follows the edited template.
    document = draft(role_users["staff"])
    assert document.body == "Isi baru 2027" and not document.requires_review


def test_a_template_signed_by_a_unit_role_is_refused(role_users, client_for):
    t = template()
    response = client_for(role_users["admin"]).post(
        url("template_create"),
        {
            "key": "x", "kind": "memo", "name": "X", "letterhead": "H", "subject": "S",
            "body": "B", "signer_role": "unit_head", "signer_position": "P",
            "register": t.register.pk, "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 400
    assert not LetterTemplate.objects.filter(key="x").exists()


@pytest.mark.parametrize("role", ROLES)
def test_registers_are_edited_by_the_admin(role_users, client_for, role):
    client = client_for(role_users[role])
    register = Register.objects.first()
    for name, args in (("register_create", ()), ("register_edit", (register.code,))):
        assert client.get(url(name, *args)).status_code == (200 if role == "admin" else 403)


def test_a_register_pattern_is_validated(role_users, client_for):
    client = client_for(role_users["admin"])
    data = {"code": "uji", "name": "Register Uji", "unit_code": "U", "classification": "PR"}
    for pattern, message in (
        ("B-{month}/{year}", "exactly one {seq}"),
        ("B-{seq}/{bulan}", "Unknown token"),
    ):
        response = client.post(url("register_create"), {**data, "pattern": pattern})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Register.objects.filter(code="uji").exists()
    response = client.post(
        url("register_create"), {**data, "pattern": "B-{seq:03}/{unit}/{month_roman}/{year}"}
    )
    assert response.status_code == 302
    assert Register.objects.get(code="uji").pattern == "B-{seq:03}/{unit}/{month_roman}/{year}"
    assert AuditEvent.objects.filter(action="register.created").exists()


def test_whoever_acts_for_the_signer_signs_on_the_page_too(role_users, client_for, make_user):
    """The page and the service ask the same rule: an acting deputy (Plh.) signs, as Plh."""
    from datetime import timedelta

    from rkpk.core.calendar import today
    from rkpk.organisation.models import ActingAssignment, Role

    plh = make_user("plh_deputi_surat", Role.HEAD_OF_SECTION)
    ActingAssignment.objects.create(
        user=plh,
        role=Role.DEPUTY,
        kind="Plh",
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=1),
        reason="Deputi dinas luar.",
    )
    document = approved(role_users)
    page = client_for(plh).get(url("document_detail", document.pk))
    assert page.status_code == 200
    assert url("document_sign", document.pk) in page.content.decode()
    response = client_for(plh).post(url("document_sign", document.pk), {})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.SIGNED and document.signed_by == plh
    assert document.signed_acting == "Plh"

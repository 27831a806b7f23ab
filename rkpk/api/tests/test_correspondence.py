"""The correspondence API: documents and their lifecycle, dispatch, the expedition book,
registers, the inbox and the cycle's procedure documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rkpk.api.tests.conftest import API
from rkpk.correspondence import dispatch
from rkpk.correspondence.models import Document, NumberAllocation, Recipient
from rkpk.correspondence.tests.test_dispatch import PDF, make_document, quick_pdf  # noqa: F401
from rkpk.ministry import procedure_documents

pytestmark = [pytest.mark.django_db]
C = f"{API}/correspondence"


@pytest.fixture
def registered(role_users):
    return make_document(role_users)


def test_documents_are_listed_by_visibility(role_users, units, registered, api_as):
    other = make_document(role_users, until="draft")
    dispatch.dispatch(actor=role_users["staff"], document=registered, units=[units["a"]])
    for code in ("staff", "deputy", "minister", "viewer", "general_bureau", "admin"):
        listed = api_as(role_users[code]).get(f"{C}/documents").json()
        assert {d["id"] for d in listed["items"]} == {registered.pk, other.pk}, code
    for code in ("unit_operator", "unit_head"):
        listed = api_as(role_users[code]).get(f"{C}/documents").json()
        assert [d["id"] for d in listed["items"]] == [registered.pk], code
    assert api_as(role_users["operator_b"]).get(f"{C}/documents").json()["items"] == []
    assert api_as(role_users["nobody"]).get(f"{C}/documents").status_code == 403
    assert api_as(None).get(f"{C}/documents").status_code == 401
    assert api_as(role_users["operator_b"]).get(f"{C}/documents/{registered.pk}").status_code == 404
    filtered = api_as(role_users["staff"]).get(f"{C}/documents?status=draft").json()
    assert [d["id"] for d in filtered["items"]] == [other.pk]


def test_a_unit_user_reading_the_document_opens_it(role_users, units, registered, api_as):
    dispatch.dispatch(actor=role_users["staff"], document=registered, units=[units["a"]])
    detail = api_as(role_users["unit_head"]).get(f"{C}/documents/{registered.pk}").json()
    assert detail["number"] == registered.number and detail["body"]
    line = Recipient.objects.get(document=registered)
    assert line.opened_by == role_users["unit_head"]


def test_the_lifecycle_through_the_api(role_users, units, api_as):
    staff = api_as(role_users["staff"])
    created = staff.post(
        f"{C}/documents",
        {"template": "step1-bureau-to-deputy", "values": {"year": "2027"}, "addressee": "Deputi"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    doc = created.json()
    assert "2027" in doc["subject"] and doc["status"] == "draft"
    url = f"{C}/documents/{doc['id']}"
    refused = api_as(role_users["unit_operator"]).post(
        f"{C}/documents", {"template": "step1-bureau-to-deputy"}, content_type="application/json"
    )
    assert refused.status_code == 403
    edited = staff.patch(
        url, {"revision": doc["revision"], "subject": "Hal baru"}, content_type="application/json"
    )
    assert edited.status_code == 200 and edited.json()["subject"] == "Hal baru"
    stale = staff.patch(
        url, {"revision": doc["revision"], "subject": "Lama"}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert staff.post(f"{url}/send-for-review").status_code == 200
    assert (
        api_as(role_users["staff"])
        .post(f"{url}/review", {"approve": True}, content_type="application/json")
        .status_code
        == 403
    )
    reviewed = api_as(role_users["head_of_section"]).post(
        f"{url}/review", {"approve": True}, content_type="application/json"
    )
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "approved"
    # Signed by the head of bureau (the template's signer role), nobody else.
    for code in ("deputy", "staff", "minister"):
        wrong = api_as(role_users[code]).post(f"{url}/sign", {}, content_type="application/json")
        assert wrong.status_code == 403, code
    assert Document.objects.get(pk=doc["id"]).status == "approved"
    signed = api_as(role_users["head_of_bureau"]).post(
        f"{url}/sign", {"acting": "Plh"}, content_type="application/json"
    )
    assert signed.status_code == 200 and signed.json()["content_hash"]
    after = staff.patch(
        url, {"revision": signed.json()["revision"], "body": "x"}, content_type="application/json"
    )
    assert after.status_code == 422 and "never changes" in after.json()["detail"]
    early = staff.post(f"{url}/dispatch", {"all_units": "true"})
    assert early.status_code == 422 and "register" in early.json()["detail"]
    assert api_as(role_users["deputy"]).post(f"{url}/register").status_code == 403
    numbered = staff.post(f"{url}/register")
    assert numbered.status_code == 200 and numbered.json()["number"].startswith("ND-1/")
    assert numbered.json()["verification_url"]
    fresh = staff.post(f"{url}/correct", {"reason": "Salah"}, content_type="application/json")
    assert fresh.status_code == 201 and fresh.json()["version"] == 2


def test_dispatch_before_signing_and_without_recipients(role_users, units, registered, api_as):
    staff = api_as(role_users["staff"])
    draft = make_document(role_users, until="draft")
    early = staff.post(f"{C}/documents/{draft.pk}/dispatch", {"all_units": "true"})
    assert early.status_code == 422 and "signed and registered" in early.json()["detail"]
    url = f"{C}/documents/{registered.pk}/dispatch"
    empty = staff.post(url, {"method": "electronic"})
    assert empty.status_code == 422 and "at least one recipient" in empty.json()["detail"]
    unknown = staff.post(url, {"units": ["NOPE"]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "units"
    assert api_as(role_users["deputy"]).post(url, {"all_units": "true"}).status_code == 403
    assert api_as(role_users["operator_b"]).post(url, {"all_units": "true"}).status_code == 404
    assert not Recipient.objects.exists()


def test_dispatch_courier_and_acknowledge(role_users, units, registered, api_as):
    staff = api_as(role_users["staff"])
    url = f"{C}/documents/{registered.pk}"
    upload = SimpleUploadedFile("lampiran.pdf", PDF, content_type="application/pdf")
    sent = staff.post(
        f"{url}/dispatch",
        {
            "units": ["E1.A", "E1.B"],
            "others": ["Menteri Negara PAN"],
            "method": "courier",
            "attachments": [upload],
        },
    )
    assert sent.status_code == 201, sent.json()
    lines = {line["unit"]: line for line in sent.json()}
    assert set(lines) == {"E1.A", "E1.B", None}
    assert all(line["delivered_at"] is None for line in lines.values())
    attachments = staff.get(url).json()["attachments"]
    assert [a["name"] for a in attachments] == ["lampiran.pdf"]
    download = api_as(role_users["unit_operator"]).get(f"{url}/attachments/{attachments[0]['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    a_line = lines["E1.A"]["id"]
    courier = {
        "delivered_at": timezone.localtime().replace(microsecond=0).isoformat(),
        "courier": "Pak Darto",
        "received_by_name": "Sri",
    }
    path_ = f"{url}/recipients/{a_line}/courier"
    assert (
        api_as(role_users["unit_operator"])
        .post(path_, courier, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        api_as(role_users["operator_b"])
        .post(path_, courier, content_type="application/json")
        .status_code
        == 404
    )
    done = staff.post(path_, courier, content_type="application/json")
    assert done.status_code == 200 and done.json()["courier"] == "Pak Darto"
    again = staff.post(path_, courier, content_type="application/json")
    assert again.status_code == 422

    ack = f"{url}/recipients/{a_line}/acknowledge"
    assert api_as(role_users["staff"]).post(ack).status_code == 403
    assert api_as(role_users["operator_b"]).post(ack).status_code == 404
    first = api_as(role_users["unit_operator"]).post(ack)
    assert first.status_code == 200 and first.json()["acknowledged_by"] == "u_unit_operator"
    second = api_as(role_users["unit_head"]).post(ack).json()
    assert second["acknowledged_by"] == "u_unit_operator"
    assert second["acknowledged_at"] == first.json()["acknowledged_at"]

    book = api_as(role_users["unit_operator"]).get(f"{url}/recipients").json()
    assert [line["unit"] for line in book] == ["E1.A"]
    assert len(staff.get(f"{url}/recipients").json()) == 3
    assert staff.get(f"{url}/recipients.xlsx").status_code == 200
    assert api_as(role_users["unit_operator"]).get(f"{url}/recipients.xlsx").status_code == 403


def test_registers_books_and_cancelled_numbers(role_users, units, registered, api_as):
    staff = api_as(role_users["staff"])
    registers = staff.get(f"{C}/registers").json()
    assert {r["code"] for r in registers} >= {"nd-deputi-was", "nd-biro-ak", "surat-menteri"}
    assert api_as(role_users["unit_operator"]).get(f"{C}/registers").status_code == 403
    allocation = NumberAllocation.objects.get(document=registered)
    book = f"{C}/registers/{allocation.register.code}/{allocation.year}"
    assert [n["number"] for n in staff.get(book).json()] == [registered.number]
    dispatch.dispatch(actor=role_users["staff"], document=registered, units=[units["a"]])
    cancel = f"{book}/{allocation.seq}/cancel"
    refused = staff.post(cancel, {"reason": "Salah"}, content_type="application/json")
    assert refused.status_code == 422 and "dispatched" in refused.json()["detail"]
    # The number of an undispatched document: cancelled, it stays, it is never given again.
    second = make_document(role_users)
    seq = NumberAllocation.objects.get(document=second).seq
    assert (
        api_as(role_users["deputy"])
        .post(f"{book}/{seq}/cancel", {"reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    done = staff.post(
        f"{book}/{seq}/cancel", {"reason": "Salah alamat"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["number"]["status"] == "cancelled"
    third = make_document(role_users)
    assert NumberAllocation.objects.get(document=third).seq == seq + 1
    assert [n["status"] for n in staff.get(book).json()] == ["issued", "cancelled", "issued"]


def test_inbox(role_users, units, registered, api_as):
    dispatch.dispatch(actor=role_users["staff"], document=registered, units=[units["a"]])
    inbox = api_as(role_users["unit_operator"]).get(f"{C}/inbox").json()
    assert inbox["counts"]["acknowledge"] == 1
    assert inbox["items"][0]["kind"] == "acknowledge"
    assert inbox["items"][0]["document"]["id"] == registered.pk
    assert api_as(role_users["operator_b"]).get(f"{C}/inbox").json()["counts"]["total"] == 0
    assert api_as(role_users["nobody"]).get(f"{C}/inbox").status_code == 403


def test_cycle_procedure_documents(role_users, units, api_as):
    from datetime import timedelta

    from rkpk.core.calendar import today
    from rkpk.procedure import services as procedure_services

    procedure_services.start_cycle(
        actor=role_users["staff"], year=2027, start_date=today() - timedelta(days=30)
    )
    url = f"{C}/cycles/2027/documents"
    rows = api_as(role_users["deputy"]).get(url).json()
    assert [r["step"] for r in rows] == [1, 1, 8, 10, 12, 13, 13]
    assert all(r["document"] is None for r in rows)
    assert api_as(role_users["unit_operator"]).get(url).status_code == 403
    assert api_as(role_users["staff"]).get(f"{C}/cycles/2031/documents").status_code == 404
    body = {"key": procedure_documents.CALL}
    assert (
        api_as(role_users["deputy"]).post(url, body, content_type="application/json").status_code
        == 403
    )
    made = api_as(role_users["staff"]).post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["cycle"] == 2027
    twice = api_as(role_users["staff"]).post(url, body, content_type="application/json")
    assert twice.status_code == 422
    signed = api_as(role_users["staff"]).get(url).json()[1]["document"]
    assert signed["id"] == made.json()["id"]
    synced = api_as(role_users["staff"]).post(f"{C}/cycles/2027/sync")
    assert synced.status_code == 200 and synced.json() == {"notes": []}
    binding = f"{C}/documents/{made.json()['id']}/confirm-binding"
    assert api_as(role_users["staff"]).post(binding).status_code == 403
    assert api_as(role_users["general_bureau"]).post(binding).status_code == 422


def test_pdf_and_docx_downloads(role_users, units, api_as, monkeypatch):
    """The real renderer: the official PDF of a registered document, DOCX of a draft."""
    from rkpk.correspondence import rendering

    draft = make_document(role_users, until="draft")
    monkeypatch.undo()  # the real renderer from here on
    docx = api_as(role_users["staff"]).get(f"{C}/documents/{draft.pk}/file.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert rendering.render_document  # present
    pdf = api_as(role_users["staff"]).get(f"{C}/documents/{draft.pk}/file.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        api_as(role_users["operator_b"]).get(f"{C}/documents/{draft.pk}/file.pdf").status_code
        == 404
    )
    assert api_as(role_users["staff"]).get(f"{C}/documents/{draft.pk}/file.txt").status_code == 404


def test_the_schema_describes_the_correspondence_endpoints(role_users, api_as):
    response = api_as(role_users["staff"]).get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    dispatch_path = f"{C}/documents/{{document_id}}/dispatch"
    assert dispatch_path in paths
    assert "multipart/form-data" in paths[dispatch_path]["post"]["requestBody"]["content"]
    assert f"{C}/cycles/{{year}}/documents" in paths

"""Dispatch and the expedition book: services, pages, the panel and the XLSX export."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rkpk.core.models import AuditEvent
from rkpk.correspondence import dispatch, services
from rkpk.correspondence.models import Document, DocumentAttachment, LetterTemplate, Recipient
from rkpk.notifications.models import Notification
from rkpk.organisation.models import Unit

pytestmark = pytest.mark.django_db

CALL = "step1-call-for-submissions"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    """Registration renders and seals a PDF (tested in test_rendering/test_signing); here a
    stand-in keeps the tests fast."""
    from rkpk.correspondence import rendering, signing

    monkeypatch.setattr(rendering, "render_document", lambda document, fmt="pdf": PDF)
    monkeypatch.setattr(signing, "sign_pdf", lambda pdf, **kwargs: pdf)


def make_document(users, key=CALL, *, cycle=None, until="registered") -> Document:
    """A document of the template `key` taken through its lifecycle up to `until`."""
    template = LetterTemplate.objects.get(key=key)
    document = services.create_from_template(
        actor=users["staff"],
        template=template,
        values={"year": 2027, "cycle": "RK-PK 2027", "deadline": "1 Februari 2027"},
        addressee="Para Pimpinan Satuan Organisasi",
        cycle=cycle,
        purpose=key,
    )
    if until == "draft":
        return document
    if document.requires_review:
        services.send_for_review(actor=users["staff"], document=document)
        services.review(actor=users["head_of_section"], document=document, approve=True)
    services.sign(actor=users[document.signer_role], document=document)
    if until == "signed":
        return Document.objects.get(pk=document.pk)
    services.register(actor=users["staff"], document=document)
    return Document.objects.get(pk=document.pk)


@pytest.fixture
def registered(role_users):
    return make_document(role_users)


def test_dispatch_to_every_unit_in_one_action(role_users, units, registered):
    lines = dispatch.dispatch(actor=role_users["staff"], document=registered, all_units=True)
    assert len(lines) == 3
    document = Document.objects.get(pk=registered.pk)
    assert document.status == Document.Status.DISPATCHED and document.dispatched_at
    book = Recipient.objects.filter(document=document)
    assert set(book.values_list("unit__code", flat=True)) == {"E1", "E1.A", "E1.B"}
    assert all(line.delivered_at for line in book)  # electronic: delivered at once
    assert all(line.method == "electronic" for line in book)
    told = set(
        Notification.objects.filter(event="correspondence.dispatched").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"u_unit_operator", "u_unit_head", "u_operator_b"}
    events = AuditEvent.objects.filter(action="document.dispatched", object_id=str(document.pk))
    assert events.count() == 1 and events.get().after["recipients"] == 3


def test_dispatch_to_chosen_units_and_named_addressees(role_users, units, registered):
    lines = dispatch.dispatch(
        actor=role_users["head_of_bureau"],
        document=registered,
        units=[units["a"]],
        others=["Menteri Negara PAN", " menteri negara  PAN ", ""],
    )
    assert [(line.unit_id, line.name) for line in lines] == [
        (units["a"].pk, "Biro A"),
        (None, "Menteri Negara PAN"),
    ]
    # Later to one more unit: those who have it are skipped, sending them again is refused.
    more = dispatch.dispatch(
        actor=role_users["staff"], document=registered, units=[units["a"], units["b"]]
    )
    assert [line.unit_id for line in more] == [units["b"].pk]
    with pytest.raises(ValidationError, match="already been sent"):
        dispatch.dispatch(actor=role_users["staff"], document=registered, units=[units["b"]])
    assert registered.recipients.count() == 3


def test_dispatching_before_signing_or_registering_is_refused(role_users, units):
    draft = make_document(role_users, until="draft")
    with pytest.raises(ValidationError, match="signed and registered"):
        dispatch.dispatch(actor=role_users["staff"], document=draft, all_units=True)
    signed = make_document(role_users, until="signed")
    with pytest.raises(ValidationError, match="register"):
        dispatch.dispatch(actor=role_users["staff"], document=signed, all_units=True)
    assert not Recipient.objects.exists()
    assert Document.objects.get(pk=signed.pk).status == Document.Status.SIGNED


def test_no_recipients_is_refused(role_users, units, registered):
    for kwargs in ({}, {"units": []}, {"others": ["  ", ""]}):
        with pytest.raises(ValidationError, match="at least one recipient"):
            dispatch.dispatch(actor=role_users["staff"], document=registered, **kwargs)
    Unit.objects.update(is_active=False)
    with pytest.raises(ValidationError, match="at least one recipient"):
        dispatch.dispatch(actor=role_users["staff"], document=registered, all_units=True)
    assert Document.objects.get(pk=registered.pk).status == Document.Status.REGISTERED


@pytest.mark.parametrize(
    "code", ["deputy", "minister", "unit_operator", "unit_head", "general_bureau", "viewer"]
)
def test_only_the_bureau_dispatches(role_users, units, registered, code):
    with pytest.raises(PermissionDenied):
        dispatch.dispatch(actor=role_users[code], document=registered, all_units=True)
    assert not registered.recipients.exists()


def test_attachments_are_checked_and_stored_under_random_names(role_users, units, registered):
    upload = SimpleUploadedFile("../../RK-PK 2027.pdf", PDF, content_type="application/pdf")
    dispatch.dispatch(
        actor=role_users["staff"], document=registered, units=[units["a"]], attachments=[upload]
    )
    attachment = DocumentAttachment.objects.get(document=registered)
    assert attachment.original_name == "RK-PK 2027.pdf"
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    assert "RK-PK" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="not a PDF"):
        dispatch.dispatch(
            actor=role_users["staff"], document=registered, units=[units["b"]], attachments=[fake]
        )
    assert not registered.recipients.filter(unit=units["b"]).exists()  # nothing half-done


def test_courier_delivery_is_entered_by_hand(role_users, units, registered):
    dispatch.dispatch(
        actor=role_users["staff"], document=registered, all_units=True, method="courier"
    )
    line = registered.recipients.get(unit=units["a"])
    assert line.delivered_at is None
    when = timezone.now() - timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        dispatch.record_courier_delivery(
            actor=role_users["staff"],
            recipient=line,
            delivered_at=None,
            courier="",
            received_by_name="",
        )
    assert set(refused.value.message_dict) == {"delivered_at", "courier", "received_by_name"}
    with pytest.raises(ValidationError, match="future"):
        dispatch.record_courier_delivery(
            actor=role_users["staff"],
            recipient=line,
            delivered_at=timezone.now() + timedelta(days=1),
            courier="Pak Darto",
            received_by_name="Sri",
        )
    with pytest.raises(PermissionDenied):
        dispatch.record_courier_delivery(
            actor=role_users["unit_operator"],
            recipient=line,
            delivered_at=when,
            courier="Pak Darto",
            received_by_name="Sri",
        )
    dispatch.record_courier_delivery(
        actor=role_users["staff"],
        recipient=line,
        delivered_at=when,
        courier="Pak Darto",
        received_by_name="Sri Wahyuni",
    )
    line.refresh_from_db()
    assert (line.delivered_at, line.courier, line.received_by_name) == (
        when,
        "Pak Darto",
        "Sri Wahyuni",
    )
    with pytest.raises(ValidationError, match="already recorded"):
        dispatch.record_courier_delivery(
            actor=role_users["staff"],
            recipient=line,
            delivered_at=when,
            courier="X",
            received_by_name="Y",
        )


def test_courier_entry_is_refused_for_an_electronic_line(role_users, units, registered):
    dispatch.dispatch(actor=role_users["staff"], document=registered, units=[units["a"]])
    line = registered.recipients.get()
    with pytest.raises(ValidationError, match="electronically"):
        dispatch.record_courier_delivery(
            actor=role_users["staff"],
            recipient=line,
            delivered_at=timezone.now(),
            courier="X",
            received_by_name="Y",
        )


def test_opening_and_acknowledging_record_who_and_when_once(role_users, units, registered):
    dispatch.dispatch(actor=role_users["staff"], document=registered, all_units=True)
    line = registered.recipients.get(unit=units["a"])
    with pytest.raises(PermissionDenied):
        dispatch.mark_opened(actor=role_users["operator_b"], recipient=line)
    with pytest.raises(PermissionDenied):
        dispatch.acknowledge(actor=role_users["operator_b"], recipient=line)
    with pytest.raises(PermissionDenied):
        dispatch.acknowledge(actor=role_users["staff"], recipient=line)
    dispatch.mark_opened(actor=role_users["unit_head"], recipient=line)
    dispatch.mark_opened(actor=role_users["unit_operator"], recipient=line)
    line.refresh_from_db()
    assert line.opened_by == role_users["unit_head"]
    first = dispatch.acknowledge(actor=role_users["unit_operator"], recipient=line)
    assert first.acknowledged_by == role_users["unit_operator"] and first.acknowledged_at
    events = AuditEvent.objects.filter(action="document.acknowledged").count()
    again = dispatch.acknowledge(actor=role_users["unit_head"], recipient=line)
    assert again.acknowledged_by == role_users["unit_operator"]
    assert again.acknowledged_at == first.acknowledged_at
    assert AuditEvent.objects.filter(action="document.acknowledged").count() == events
    # The document page's helper marks the other units' lines of a user at once.
    assert dispatch.note_opened(actor=role_users["operator_b"], document=registered) == 1
    assert dispatch.note_opened(actor=role_users["operator_b"], document=registered) == 0
    assert dispatch.note_opened(actor=role_users["staff"], document=registered) == 0


def test_an_undelivered_hard_copy_cannot_be_acknowledged(role_users, units, registered):
    dispatch.dispatch(
        actor=role_users["staff"], document=registered, units=[units["a"]], method="courier"
    )
    with pytest.raises(ValidationError, match="not recorded yet"):
        dispatch.acknowledge(
            actor=role_users["unit_operator"], recipient=registered.recipients.get()
        )


def test_dispatch_query_count_does_not_grow_with_the_units(role_users, units):
    def queries(extra_units: int) -> int:
        first = Unit.objects.count()
        Unit.objects.bulk_create(
            Unit(code=f"X{first + n}", name=f"Unit {first + n}", level=2)
            for n in range(extra_units)
        )
        document = make_document(role_users)
        with CaptureQueriesContext(connection) as captured:
            dispatch.dispatch(actor=role_users["staff"], document=document, all_units=True)
        return len(captured)

    assert queries(0) == queries(25)


# --- Pages ----------------------------------------------------------------------------------


def test_dispatch_page_for_every_role(role_users, units, registered, client_for):
    url = reverse("correspondence:dispatch_form", args=[registered.pk])
    expected = {
        "staff": 200,
        "head_of_section": 200,
        "head_of_bureau": 200,
        "deputy": 403,
        "minister": 403,
        "admin": 403,
        "viewer": 403,
        "general_bureau": 403,
        "unit_operator": 404,  # not addressed to unit A: it does not exist for them
        "unit_head": 404,
        "operator_b": 404,
        "nobody": 404,
    }
    for code, status in expected.items():
        assert client_for(role_users[code]).get(url).status_code == status, code


def test_dispatch_page_sends_and_refuses_an_empty_choice(role_users, units, registered, client_for):
    client = client_for(role_users["staff"])
    url = reverse("correspondence:dispatch_form", args=[registered.pk])
    page = client.get(url)
    assert 'data-confirm="' in page.content.decode()
    empty = client.post(url, {"method": "electronic", "others": ""})
    assert empty.status_code == 422
    assert "Choose at least one recipient" in empty.content.decode()
    upload = SimpleUploadedFile("lampiran.pdf", PDF, content_type="application/pdf")
    sent = client.post(
        url,
        {
            "method": "electronic",
            "all_units": "on",
            "others": "Menteri Negara PAN",
            "attachments": [upload],
        },
    )
    assert sent.status_code == 302
    assert registered.recipients.count() == 4
    assert registered.attachments.count() == 1


def test_dispatch_page_refuses_a_draft(role_users, units, client_for):
    draft = make_document(role_users, until="draft")
    client = client_for(role_users["staff"])
    url = reverse("correspondence:dispatch_form", args=[draft.pk])
    assert "signed and registered" in client.get(url).content.decode()
    response = client.post(url, {"method": "electronic", "all_units": "on"})
    assert response.status_code == 422 and not draft.recipients.exists()


def test_acknowledge_and_courier_pages(role_users, units, registered, client_for):
    dispatch.dispatch(
        actor=role_users["staff"], document=registered, all_units=True, method="courier"
    )
    line = registered.recipients.get(unit=units["a"])
    courier = reverse("correspondence:dispatch_courier", args=[registered.pk, line.pk])
    acknowledge = reverse("correspondence:dispatch_acknowledge", args=[registered.pk, line.pk])
    data = {
        "delivered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "courier": "Pak Darto",
        "received_by_name": "Sri",
    }
    assert client_for(role_users["operator_b"]).post(courier, data).status_code == 404
    assert client_for(role_users["unit_operator"]).post(courier, data).status_code == 403
    assert client_for(role_users["deputy"]).post(courier, data).status_code == 403
    assert client_for(role_users["staff"]).post(courier, data).status_code == 302
    line.refresh_from_db()
    assert line.courier == "Pak Darto" and line.delivered_at
    assert client_for(role_users["nobody"]).post(acknowledge).status_code == 404
    assert client_for(role_users["operator_b"]).post(acknowledge).status_code == 404
    assert client_for(role_users["staff"]).post(acknowledge).status_code == 403
    assert client_for(role_users["unit_head"]).post(acknowledge).status_code == 302
    line.refresh_from_db()
    assert line.acknowledged_by == role_users["unit_head"]
    assert client_for(role_users["unit_head"]).get(acknowledge).status_code == 405


def test_expedition_book_xlsx(role_users, units, registered, client_for):
    from openpyxl import load_workbook

    dispatch.dispatch(
        actor=role_users["staff"],
        document=registered,
        others=['=HYPERLINK("x")'],
        units=[units["a"]],
    )
    url = reverse("correspondence:dispatch_expedition_xlsx", args=[registered.pk])
    response = client_for(role_users["viewer"]).get(url)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert names == ["Biro A", '\'=HYPERLINK("x")']
    assert client_for(role_users["unit_operator"]).get(url).status_code == 403
    assert client_for(role_users["operator_b"]).get(url).status_code == 404


def _panel(user, document) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "correspondence/_dispatch_panel.html", {"document": document}, request=request
    )


def test_the_panel_shows_each_role_what_it_may_see_and_do(role_users, units, registered):
    assert "Not dispatched yet" in _panel(role_users["staff"], registered)
    dispatch.dispatch(
        actor=role_users["staff"], document=registered, units=[units["a"], units["b"]]
    )
    dispatch.dispatch(
        actor=role_users["staff"],
        document=registered,
        others=["Menteri Negara PAN"],
        method="courier",
    )
    registered.refresh_from_db()
    staff = _panel(role_users["staff"], registered)
    assert "Biro A" in staff and "Biro B" in staff and "Menteri Negara PAN" in staff
    assert "Enter courier delivery" in staff and "expedition.xlsx" in staff
    assert "Acknowledge receipt" not in staff
    operator = _panel(role_users["unit_operator"], registered)
    assert "Biro A" in operator and "Biro B" not in operator
    assert "Acknowledge receipt" in operator and "Enter courier delivery" not in operator
    assert "expedition.xlsx" not in operator


def test_the_panel_query_count_is_constant(role_users, units):
    def queries(extra_units: int) -> int:
        first = Unit.objects.count()
        Unit.objects.bulk_create(
            Unit(code=f"Y{first + n}", name=f"Unit {first + n}", level=2)
            for n in range(extra_units)
        )
        document = make_document(role_users)
        dispatch.dispatch(actor=role_users["staff"], document=document, all_units=True)
        user = role_users["staff"]
        _panel(user, document)  # roles cached on the user
        with CaptureQueriesContext(connection) as captured:
            _panel(user, document)
        return len(captured)

    assert queries(0) == queries(20)


def test_the_document_page_includes_the_panel(role_users, units, registered, client_for):
    dispatch.dispatch(actor=role_users["staff"], document=registered, units=[units["a"]])
    url = reverse("correspondence:document_detail", args=[registered.pk])
    page = client_for(role_users["unit_operator"]).get(url).content.decode()
    assert 'id="expedition"' in page and "Acknowledge receipt" in page
    line = registered.recipients.get()
    assert line.opened_by == role_users["unit_operator"]  # opening is recorded
    staff = client_for(role_users["staff"]).get(url).content.decode()
    assert reverse("correspondence:dispatch_form", args=[registered.pk]) in staff

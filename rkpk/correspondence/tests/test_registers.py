"""The registers (agenda books): every number in order, cancelled numbers recorded and never
given again, the cancel action, the XLSX report, and the administrator's pages."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from rkpk.core.models import AuditEvent
from rkpk.correspondence import numbering
from rkpk.correspondence.models import Document, NumberAllocation, Register
from rkpk.correspondence.tests.test_services import (
    fake_pdf,  # noqa: F401 — a fixture
    registered,
)
from rkpk.correspondence.tests.test_views import (
    BUREAU,
    MINISTRY,
    ROLES,
    url,
)

Status = Document.Status
YEAR = timezone.localdate().year


@pytest.fixture
def register():
    return Register.objects.get(code="nd-deputi-was")


@pytest.mark.parametrize("role", ROLES)
def test_registers_are_seen_by_the_ministry(role_users, client_for, register, role):
    numbering.allocate(register=register, actor=None, subject="Hal satu")
    client = client_for(role_users[role])
    expected = 200 if role in MINISTRY else 403
    assert client.get(url("register_list")).status_code == expected
    response = client.get(url("register_book", register.code, YEAR))
    assert response.status_code == expected
    assert client.get(url("register_book_xlsx", register.code, YEAR)).status_code == expected
    if expected == 200:
        assert "Hal satu" in response.content.decode()
        may_cancel = role in BUREAU
        assert response.context["may_cancel"] is may_cancel
        assert (url("number_cancel", register.code, YEAR, 1) in response.content.decode()) is (
            may_cancel
        )


def test_an_unknown_register_is_404(role_users, client_for):
    response = client_for(role_users["staff"]).get(url("register_book", "nope", YEAR))
    assert response.status_code == 404


def test_the_book_lists_every_number_in_order_with_cancelled_ones(role_users, client_for, register):
    for n in range(1, 4):
        numbering.allocate(register=register, actor=None, subject=f"Hal {n}")
    second = NumberAllocation.objects.get(seq=2)
    numbering.cancel(allocation=second, actor=role_users["staff"], reason="Salah ketik")
    response = client_for(role_users["viewer"]).get(url("register_book", register.code, YEAR))
    rows = response.context["rows"]
    assert [(r.seq, r.status) for r in rows] == [(1, "issued"), (2, "cancelled"), (3, "issued")]
    body = response.content.decode()
    assert "Salah ketik" in body and 'data-status="cancelled"' in body
    assert (response.context["issued"], response.context["cancelled"]) == (2, 1)


@pytest.mark.parametrize("role", ROLES)
def test_cancelling_a_number_is_for_the_bureau(role_users, client_for, register, role):
    numbering.allocate(register=register, actor=None)
    response = client_for(role_users[role]).post(
        url("number_cancel", register.code, YEAR, 1), {"cancel-reason": "Tidak jadi dikirim"}
    )
    allocation = NumberAllocation.objects.get()
    if role in BUREAU:
        assert response.status_code == 302
        assert allocation.status == "cancelled"
        assert allocation.cancelled_by == role_users[role]
        assert AuditEvent.objects.filter(action="number.cancelled").exists()
    else:
        assert response.status_code == 403
        assert allocation.status == "issued"


def test_cancelling_needs_a_reason_and_happens_once(role_users, client_for, register):
    numbering.allocate(register=register, actor=None)
    client = client_for(role_users["staff"])
    target = url("number_cancel", register.code, YEAR, 1)
    response = client.post(target, {"cancel-reason": "  "})
    assert response.status_code == 400
    assert NumberAllocation.objects.get().status == "issued"
    assert client.post(target, {"cancel-reason": "Batal"}).status_code == 302
    again = client.post(target, {"cancel-reason": "Lagi"})
    assert again.status_code == 400 and "already cancelled" in again.content.decode()
    assert NumberAllocation.objects.get().cancel_reason == "Batal"


def test_a_cancelled_number_is_never_given_again(role_users, client_for, register, fake_pdf):  # noqa: F811
    numbering.allocate(register=register, actor=None)
    client = client_for(role_users["staff"])
    client.post(url("number_cancel", register.code, YEAR, 1), {"cancel-reason": "Batal"})
    document = registered(role_users)  # the next document of the register
    assert document.allocation.seq == 2
    assert NumberAllocation.objects.filter(seq=1).get().status == "cancelled"
    assert NumberAllocation.objects.filter(register=register, year=YEAR).count() == 2
    # The page offers no action on a cancelled number.
    response = client.get(url("register_book", register.code, YEAR))
    cancellable = response.context["cancellable"]
    assert cancellable == {document.allocation.pk}


def test_a_dispatched_documents_number_cannot_be_cancelled(role_users, client_for, fake_pdf):  # noqa: F811
    document = registered(role_users)
    Document.objects.filter(pk=document.pk).update(
        status=Status.DISPATCHED, dispatched_at=timezone.now()
    )
    client = client_for(role_users["head_of_bureau"])
    book = url("register_book", document.register.code, YEAR)
    assert client.get(book).context["cancellable"] == set()
    response = client.post(
        url("number_cancel", document.register.code, YEAR, document.allocation.seq),
        {"cancel-reason": "Salah"},
    )
    assert response.status_code == 400
    assert "dispatched document" in response.content.decode()
    document.refresh_from_db()
    assert document.status == Status.DISPATCHED and document.allocation.status == "issued"


def test_cancelling_a_registered_documents_number_makes_a_new_version(
    role_users,
    client_for,
    fake_pdf,  # noqa: F811
):
    document = registered(role_users)
    response = client_for(role_users["staff"]).post(
        url("number_cancel", document.register.code, YEAR, document.allocation.seq),
        {"cancel-reason": "Alamat salah"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.SUPERSEDED
    assert document.allocation.status == "cancelled"
    assert "Alamat salah" in document.allocation.cancel_reason
    fresh = Document.objects.get(previous=document)
    assert fresh.status == Status.DRAFT and fresh.version == 2


def test_the_book_as_xlsx_is_safe_from_formulas(role_users, client_for, register):
    numbering.allocate(
        register=register,
        actor=None,
        subject='=HYPERLINK("http://evil")',
        recipient_summary="+Para Pimpinan",
    )
    numbering.allocate(register=register, actor=None, subject="Hal biasa")
    numbering.cancel(
        allocation=NumberAllocation.objects.get(seq=2), actor=None, reason="-dibatalkan"
    )
    response = client_for(role_users["staff"]).get(url("register_book_xlsx", register.code, YEAR))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"agenda-{register.code}-{YEAR}.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert rows[0][0] == 1 and rows[0][4] == '\'=HYPERLINK("http://evil")'
    assert rows[0][3] == "'+Para Pimpinan"
    assert rows[1][5] == "Dibatalkan" and rows[1][7] == "'-dibatalkan"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_book_query_count_is_constant(role_users, client_for, register):
    client = client_for(role_users["staff"])

    def count_for(n):
        for _ in range(n):
            allocation = numbering.allocate(register=register, actor=role_users["staff"])
            if allocation.seq % 2:
                numbering.cancel(allocation=allocation, actor=role_users["staff"], reason="x")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("register_book", register.code, YEAR))
        assert response.status_code == 200
        return len(queries), len(response.context["rows"])

    few, n_few = count_for(2)
    many, n_many = count_for(9)
    assert (n_few, n_many) == (2, 11)
    assert few == many


def test_the_register_list_counts_issued_and_cancelled(role_users, client_for, register):
    for _ in range(3):
        numbering.allocate(register=register, actor=None)
    numbering.cancel(allocation=NumberAllocation.objects.first(), actor=None, reason="x")
    response = client_for(role_users["deputy"]).get(url("register_list"))
    row = next(r for r in response.context["registers"] if r.pk == register.pk)
    assert (row.issued, row.cancelled) == (2, 1)
    assert url("register_book", register.code, YEAR) in response.content.decode()


def test_a_register_that_gave_numbers_keeps_its_code(role_users, client_for, register):
    numbering.allocate(register=register, actor=None)
    response = client_for(role_users["admin"]).post(
        url("register_edit", register.code),
        {
            "code": "baru",
            "name": register.name,
            "pattern": "ND-{seq:04}/{year}",
            "unit_code": "",
            "classification": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "code cannot change" in response.content.decode()
    register.refresh_from_db()
    assert register.code == "nd-deputi-was"
    response = client_for(role_users["admin"]).post(
        url("register_edit", register.code),
        {
            "code": register.code,
            "name": register.name,
            "pattern": "ND-{seq:04}/{year}",
            "unit_code": "",
            "classification": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    # The next number follows the new pattern; the numbers given keep their text.
    second = numbering.allocate(register=Register.objects.get(pk=register.pk), actor=None)
    assert second.number == f"ND-0002/{YEAR}"
    assert NumberAllocation.objects.get(seq=1).number.startswith("ND-1/Kemensetneg/")

"""The complaint pages for every role: filing, my complaints, register, detail, statistics."""

import io

import pytest
from django.urls import reverse

from rkpk.complaints import services
from rkpk.complaints.models import Complaint
from rkpk.complaints.tests.helpers import MONDAY, PDF, file, office_zip, received_on, upload
from rkpk.procedure.tests.factories import cycle_done_through

pytestmark = pytest.mark.django_db
Status = Complaint.Status

REGISTER_ROLES = ("admin", "staff", "head_of_section", "head_of_bureau", "viewer")
OWN_ONLY = ("deputy", "minister", "general_bureau", "unit_operator", "unit_head", "operator_b")


@pytest.fixture
def complaint(role_users):
    return file(role_users["unit_operator"])


def test_filing_through_the_form_with_a_cycle_step_and_attachment(role_users, client_for):
    cycle = cycle_done_through(1)
    client = client_for(role_users["unit_head"])
    page = client.get(reverse("complaints:file"))
    assert page.status_code == 200
    assert f'value="{cycle.pk}"' in page.content.decode()
    response = client.post(
        reverse("complaints:file"),
        {
            "category": "keluhan",
            "subject": "Format tidak jelas",
            "text": "Format lampiran tidak dijelaskan.",
            "cycle": cycle.pk,
            "step_number": "2",
            "attachment": upload("bukti.pdf", PDF),
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert complaint.step_number == 2 and complaint.attachments.count() == 1


def test_the_form_shows_the_services_refusals_on_their_fields(role_users, client_for):
    cycle = cycle_done_through(1)
    client = client_for(role_users["unit_operator"])
    response = client.post(
        reverse("complaints:file"),
        {
            "category": "pengaduan",
            "subject": "Makro",
            "text": "Lampiran bermakro",
            "cycle": cycle.pk,
            "step_number": "99",
        },
    )
    assert response.status_code == 400
    assert "has no step 99" in response.content.decode()
    macro = client.post(
        reverse("complaints:file"),
        {
            "category": "pengaduan",
            "subject": "Makro",
            "text": "Lampiran bermakro",
            "attachment": upload("x.xlsx", office_zip("xl", macro=True)),
        },
    )
    assert macro.status_code == 400
    assert "contains macros" in macro.content.decode()
    assert not Complaint.objects.exists()


def test_step_options_for_the_chosen_cycle(role_users, client_for):
    cycle = cycle_done_through(1)
    client = client_for(role_users["unit_operator"])
    response = client.get(reverse("complaints:step_options"), {"cycle": cycle.pk})
    html = response.content.decode()
    assert html.count("<option") == 14 and 'value="13"' in html
    assert (
        client.get(reverse("complaints:step_options"), {"cycle": "x"})
        .content.decode()
        .count("<option")
        == 1
    )


def test_people_without_a_role_are_refused(role_users, client_for):
    client = client_for(role_users["nobody"])
    for name in ("index", "file", "mine", "register", "statistics", "step_options"):
        assert client.get(reverse(f"complaints:{name}")).status_code == 403, name


@pytest.mark.parametrize("code", REGISTER_ROLES)
def test_the_register_for_the_bureau_admin_and_viewer(role_users, client_for, complaint, code):
    client = client_for(role_users[code])
    assert client.get(reverse("complaints:index"))["Location"] == reverse("complaints:register")
    page = client.get(reverse("complaints:register"))
    assert page.status_code == 200 and complaint.number in page.content.decode()
    assert client.get(reverse("complaints:statistics")).status_code == 200
    assert client.get(reverse("complaints:register_xlsx")).status_code == 200
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 200


@pytest.mark.parametrize("code", OWN_ONLY)
def test_others_see_only_their_own(role_users, client_for, complaint, code):
    client = client_for(role_users[code])
    assert client.get(reverse("complaints:index"))["Location"] == reverse("complaints:mine")
    assert client.get(reverse("complaints:register")).status_code == 403
    assert client.get(reverse("complaints:register_xlsx")).status_code == 403
    assert client.get(reverse("complaints:statistics")).status_code == 403
    detail = client.get(reverse("complaints:detail", args=[complaint.pk]))
    mine = client.get(reverse("complaints:mine")).content.decode()
    if code == "unit_operator":
        assert detail.status_code == 200 and complaint.number in mine
    else:
        assert detail.status_code == 404 and complaint.number not in mine


def test_my_complaints_show_the_answer(role_users, client_for, complaint):
    services.answer(
        actor=role_users["head_of_bureau"], complaint=complaint, text="Jadwal sudah diperbaiki."
    )
    page = client_for(role_users["unit_operator"]).get(reverse("complaints:mine"))
    assert "Jadwal sudah diperbaiki." in page.content.decode()
    empty = client_for(role_users["unit_head"]).get(reverse("complaints:mine"))
    assert "You have not filed any complaint." in empty.content.decode()


def test_the_whole_handling_through_the_pages(role_users, client_for, complaint):
    detail = reverse("complaints:detail", args=[complaint.pk])
    head = client_for(role_users["head_of_bureau"])
    page = head.get(detail).content.decode()
    assert reverse("complaints:delegate", args=[complaint.pk]) in page
    assert reverse("complaints:close", args=[complaint.pk]) not in page
    response = head.post(
        reverse("complaints:delegate", args=[complaint.pk]),
        {"to": role_users["head_of_section"].pk, "note": "Mohon segera."},
    )
    assert response.status_code == 302
    section = client_for(role_users["head_of_section"])
    assert (
        section.post(
            reverse("complaints:follow_up", args=[complaint.pk]), {"action": "Rapat dengan unit"}
        ).status_code
        == 302
    )
    refused = section.post(reverse("complaints:close", args=[complaint.pk]), {"note": ""})
    assert refused.status_code == 400
    assert "cannot be closed before the complainant has been answered" in (refused.content.decode())
    empty = section.post(reverse("complaints:answer", args=[complaint.pk]), {"text": ""})
    assert empty.status_code == 400
    section.post(reverse("complaints:answer", args=[complaint.pk]), {"text": "Sudah diperbaiki."})
    page = section.get(detail).content.decode()
    assert 'data-confirm="Close this complaint? It cannot be reopened."' in page
    section.post(reverse("complaints:close", args=[complaint.pk]), {"note": "Tuntas"})
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    # The complainant's view: the timeline without the bureau's internal notes.
    own = client_for(role_users["unit_operator"]).get(detail).content.decode()
    assert "Sudah diperbaiki." in own and "Mohon segera." not in own
    assert "Rapat dengan unit" not in own
    internal = client_for(role_users["viewer"]).get(detail).content.decode()
    assert "Mohon segera." in internal and "Rapat dengan unit" in internal
    assert 'data-kind="closed"' in internal
    # The viewer only reads: no action forms.
    for action in ("delegate", "follow_up", "answer", "close", "withdraw", "rate"):
        assert reverse(f"complaints:{action}", args=[complaint.pk]) not in internal
    operator = client_for(role_users["unit_operator"])
    operator.post(reverse("complaints:rate", args=[complaint.pk]), {"satisfaction": "4"})
    complaint.refresh_from_db()
    assert complaint.satisfaction == 4


@pytest.mark.parametrize(
    "code,action,data",
    [
        ("staff", "delegate", {"to": 0}),
        ("viewer", "follow_up", {"action": "x"}),
        ("admin", "answer", {"text": "x"}),
        ("unit_head", "withdraw", {}),
    ],
)
def test_refused_actions_are_403_or_404(role_users, client_for, complaint, code, action, data):
    if action == "delegate":
        data = {"to": role_users["head_of_section"].pk}
    response = client_for(role_users[code]).post(
        reverse(f"complaints:{action}", args=[complaint.pk]), data
    )
    assert response.status_code == (404 if code == "unit_head" else 403)
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_the_complainant_withdraws_with_a_confirmation(role_users, client_for, complaint):
    client = client_for(role_users["unit_operator"])
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "data-confirm=" in page and reverse("complaints:withdraw", args=[complaint.pk]) in page
    client.post(reverse("complaints:withdraw", args=[complaint.pk]), {"reason": "Keliru"})
    complaint.refresh_from_db()
    assert complaint.status == Status.WITHDRAWN


def test_attachments_only_for_those_who_see_the_complaint(role_users, client_for):
    complaint = file(role_users["unit_operator"], files=[upload("bukti.pdf", PDF)])
    attachment = complaint.attachments.get()
    url = reverse("complaints:attachment", args=[complaint.pk, attachment.pk])
    response = client_for(role_users["staff"]).get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert client_for(role_users["operator_b"]).get(url).status_code == 404
    other = file(role_users["operator_b"])
    wrong = reverse("complaints:attachment", args=[other.pk, attachment.pk])
    assert client_for(role_users["staff"]).get(wrong).status_code == 404


def test_register_filters_overdue_in_red_and_export(role_users, client_for):
    late = received_on(file(role_users["unit_operator"], subject="Terlambat"), MONDAY)
    fresh = file(role_users["unit_head"], subject="Baru", category="masukan")
    client = client_for(role_users["head_of_bureau"])
    page = client.get(reverse("complaints:register")).content.decode()
    assert page.count('data-overdue="1"') == 1
    overdue = client.get(reverse("complaints:register"), {"overdue": "on"}).content.decode()
    assert late.number in overdue and fresh.number not in overdue
    by_category = client.get(reverse("complaints:register"), {"category": "masukan"})
    assert fresh.number in by_category.content.decode()
    assert late.number not in by_category.content.decode()
    searched = client.get(reverse("complaints:register"), {"q": "terlambat"}).content.decode()
    assert late.number in searched and fresh.number not in searched
    none = client.get(reverse("complaints:register"), {"q": "tidak-ada"}).content.decode()
    assert "No complaint matches." in none

    from openpyxl import load_workbook

    export = client.get(reverse("complaints:register_xlsx"), {"overdue": "on"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Number" and len(rows) == 2 and rows[1][0] == late.number


def test_formula_text_is_neutralised_in_the_export(role_users, client_for):
    file(role_users["unit_operator"], subject='=HYPERLINK("http://x")')
    from openpyxl import load_workbook

    export = client_for(role_users["staff"]).get(reverse("complaints:register_xlsx"))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["D2"].value.startswith("'=")


def test_register_queries_do_not_grow_with_the_rows(
    role_users, client_for, django_assert_max_num_queries
):
    client = client_for(role_users["head_of_bureau"])
    file(role_users["unit_operator"])
    client.get(reverse("complaints:register"))
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("complaints:register")).status_code == 200
    cycle = cycle_done_through(1)
    for n in range(15):
        c = file(role_users["unit_operator" if n % 2 else "unit_head"], cycle=cycle)
        if n % 3 == 0:
            services.delegate(
                actor=role_users["head_of_bureau"], complaint=c, to=role_users["head_of_section"]
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("complaints:register"))
        assert page.status_code == 200
    assert page.content.decode().count("complaints/") >= 16


def test_statistics_page(role_users, client_for):
    c = received_on(file(role_users["unit_operator"]), MONDAY)
    services.answer(actor=role_users["head_of_bureau"], complaint=c, text="Selesai")
    page = client_for(role_users["staff"]).get(reverse("complaints:statistics"), {"year": 2026})
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'data-month="2" data-count="1"' in html
    assert 'data-stat="total">1<' in html

import re
import subprocess
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from rkpk.dashboard.tests.factories import run_cycle
from rkpk.organisation.models import Unit
from rkpk.plans.tests.factories import complete_plan

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

ALLOWED = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
           "general_bureau", "viewer")  # fmt: skip
REFUSED = ("unit_operator", "unit_head", "operator_b", "nobody")


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_url_names():
    assert reverse("dashboard:index") == "/dashboard/"
    assert reverse("dashboard:cycle", args=[2026]) == "/dashboard/2026/"
    assert reverse("dashboard:report_xlsx", args=[2026]) == "/dashboard/2026/report.xlsx"
    assert reverse("dashboard:report_pdf", args=[2026]) == "/dashboard/2026/report.pdf"


@pytest.mark.parametrize("code", ALLOWED)
def test_ministry_roles_see_it(code, report_cycle, role_users, client_for):
    client = client_for(role_users[code])
    for name in ("dashboard:index",):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("dashboard:cycle", args=[2026])).status_code == 200


@pytest.mark.parametrize("code", REFUSED)
def test_unit_people_and_users_without_roles_are_refused(
    code, report_cycle, role_users, client_for
):
    client = client_for(role_users[code])
    for url in (
        reverse("dashboard:index"),
        reverse("dashboard:cycle", args=[2026]),
        reverse("dashboard:report_xlsx", args=[2026]),
        reverse("dashboard:report_pdf", args=[2026]),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_goes_to_login(client):
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_empty_state(role_users, client_for):
    response = client_for(role_users["staff"]).get(reverse("dashboard:index"))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="empty-state"' in body
    assert "No cycle yet." in body


def test_unknown_year_is_404(report_cycle, role_users, client_for):
    client = client_for(role_users["staff"])
    assert client.get(reverse("dashboard:cycle", args=[1999])).status_code == 404
    assert client.get(reverse("dashboard:report_pdf", args=[1999])).status_code == 404


def _figure(body: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', body).group(1).strip()


def test_page_figures(report_cycle, role_users, client_for):
    body = client_for(role_users["head_of_bureau"]).get("/dashboard/2026/").content.decode()
    assert _figure(body, "total-days") == "57"
    assert _figure(body, "share") == "75%"
    assert _figure(body, "late-steps") == "3"
    assert _figure(body, "late-units") == "2"
    assert _figure(body, "median") == "5"
    assert "late by 2 working days" in body
    assert "The analysis misses two strategic goals." in body
    assert "22 Oktober 2025" in body  # the deadline, in Indonesian
    assert re.search(r'<tr data-unit="E1.B">.*?27 Oktober 2025.*?30 Oktober 2025', body, re.S)
    assert "never submitted" in body
    # Three charts, each with a title, a description and a table next to it.
    assert body.count("<svg xmlns") == 3
    for key in ("chart-steps", "chart-units", "chart-years"):
        assert f'<title id="{key}-title">' in body and f'<desc id="{key}-desc">' in body
        assert f'aria-labelledby="{key}-title {key}-desc"' in body
    for table in ('id="steps"', 'id="late-units-table"', 'id="comparison-table"'):
        assert table in body
    assert 'fill="#dc3545"' in body  # the late steps in red
    assert "<script>" not in body  # no inline script (CSP)


def test_latest_cycle_by_default_and_year_picker(report_cycle, role_users, client_for):
    run_cycle(year=2027, start=date(2025, 10, 1), ends={1: date(2025, 10, 3)})
    client = client_for(role_users["viewer"])
    body = client.get("/dashboard/").content.decode()
    assert "RK-PK 2027" in body and '<option value="2027" selected>' in body
    assert '<tr data-year="2026"' in body and '<tr data-year="2027"' in body
    response = client.get("/dashboard/?year=2026")
    assert response.status_code == 302 and response["Location"] == "/dashboard/2026/"
    assert client.get("/dashboard/?year=abc").status_code == 200


def test_late_units_search_and_pages(report_cycle, role_users, client_for):
    root = Unit.objects.get(code="E1")
    for i in range(55):
        Unit.objects.create(code=f"E1.Y{i:02}", name=f"Biro Y{i}", level=2, parent=root)
    client = client_for(role_users["staff"])
    body = client.get("/dashboard/2026/").content.decode()
    assert body.count('<tr data-unit="') == 50 and "Page 1 of 2" in body
    body = client.get("/dashboard/2026/?page=2").content.decode()
    assert body.count('<tr data-unit="') == 7
    body = client.get("/dashboard/2026/?q=biro+b").content.decode()
    assert body.count('<tr data-unit="') == 1 and '<tr data-unit="E1.B">' in body
    assert "The 25 latest of 57 late units" in client.get("/dashboard/2026/").content.decode()


def test_page_query_count_constant(
    report_cycle, role_users, client_for, make_user, django_assert_max_num_queries
):
    client = client_for(role_users["staff"])
    client.get("/dashboard/2026/")  # warm the caches
    with django_assert_max_num_queries(12) as small:
        assert client.get("/dashboard/2026/").status_code == 200
    run_cycle(year=2027, start=date(2025, 10, 1), ends={1: date(2025, 10, 3)})
    run_cycle(year=2028, start=date(2025, 10, 1), ends={1: date(2025, 10, 3), 2: date(2025, 10, 6)})
    root = Unit.objects.get(code="E1")
    for i in range(8):
        unit = Unit.objects.create(code=f"E1.Z{i}", name=f"Biro Z{i}", level=2, parent=root)
        complete_plan(unit, 2026)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/dashboard/2026/")
        assert response.status_code == 200
    assert response.content.decode().count('<tr data-unit="') == 10


def test_xlsx_report(report_cycle, role_users, client_for):
    response = client_for(role_users["deputy"]).get("/dashboard/2026/report.xlsx")
    assert response.status_code == 200
    assert "LAPORAN-KINERJA-PELAYANAN-RKPK-2026.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Ringkasan", "Langkah", "Unit terlambat", "Perbandingan antar tahun"]
    assert book["Ringkasan"]["A1"].value == (
        "LAPORAN KINERJA PELAYANAN PENGKOORDINASIAN PENYUSUNAN RK-PK TAHUN 2026"
    )
    summary = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(min_row=4, values_only=True)}
    assert summary["Hari kerja terpakai"] == 57 and summary["Standar hari kerja"] == 52
    assert summary["Persentase sesuai standar"] == 0.75
    assert summary["Langkah terlambat"] == 3 and summary["Unit terlambat"] == 2
    assert summary["Median keterlambatan unit (hari kerja)"] == 5
    steps = list(book["Langkah"].iter_rows(min_row=4, values_only=True))
    assert [s[4] for s in steps[:13]] == [2, 3, 17, 8, 12, 3, 3, 2, 2, 1, 2, 1, 1]
    assert [s[10] for s in steps[:13]] == [None, 2, 2, None, 2] + [None] * 8
    assert steps[13][3:5] == (52, 57)
    assert "The analysis misses two strategic goals." in steps[5][13]
    assert book["Langkah"]["F4"].number_format == "dd/mm/yyyy"
    units = list(book["Unit terlambat"].iter_rows(min_row=4, values_only=True))
    assert [(u[1], u[5]) for u in units] == [("E1", 7), ("E1.B", 3)]
    assert units[1][3].date() == date(2025, 10, 27)
    comparison = list(book["Perbandingan antar tahun"].iter_rows(min_row=4, values_only=True))
    assert comparison == [(2026, "RK-PK 2026", "Selesai", 57, 52, 0.75, 3, 2, 5)]


def test_xlsx_neutralises_formulas(report_cycle, units, role_users, client_for):
    units["b"].name = '=HYPERLINK("http://x")'
    units["b"].save()
    response = client_for(role_users["staff"]).get("/dashboard/2026/report.xlsx")
    book = openpyxl.load_workbook(BytesIO(response.content))
    names = [r[2] for r in book["Unit terlambat"].iter_rows(min_row=4, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in names


def test_pdf_report(report_cycle, role_users, client_for):
    response = client_for(role_users["minister"]).get("/dashboard/2026/report.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    flat = " ".join(text.split())
    assert "LAPORAN KINERJA PELAYANAN PENGKOORDINASIAN PENYUSUNAN RK-PK TAHUN 2026" in flat
    assert "Hari kerja terpakai 57" in flat and "Standar hari kerja 52" in flat
    assert "Persentase sesuai standar 75,0%" in flat
    assert "Median keterlambatan unit (hari kerja) 5,0" in flat
    assert "Terlambat 2" in flat and "Dibuka kembali 27" in flat
    assert "E1.B" in flat and "27/10/2025" in flat and "tidak menyampaikan" in flat
    assert "Halaman 1 dari" in flat
    # The charts are embedded (their titles are the captions, their texts are in the PDF).
    assert "against actual working days per step" in flat or "langkah" in flat
    assert "7 E1 Sekretariat Uji" not in flat  # the late-unit rows are table rows
    assert "1 E1 Sekretariat Uji tidak menyampaikan — 7" in flat


def test_indonesian_ui_keeps_svg_numbers_plain(report_cycle, role_users, client_for, settings):
    settings.LANGUAGE_CODE = "id"
    client = client_for(role_users["staff"])
    body = client.get("/dashboard/2026/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    coordinates = re.findall(r' (?:x|y|width|height|x1|y1|x2|y2)="([^"]*)"', body)
    assert coordinates and all("," not in value for value in coordinates)

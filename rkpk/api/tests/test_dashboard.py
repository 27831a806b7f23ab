from datetime import date
from io import BytesIO

import openpyxl
import pytest

from rkpk.api.tests.conftest import API
from rkpk.dashboard.tests.factories import reference_cycle, run_cycle, submitted_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

ALLOWED = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister",
           "general_bureau", "viewer")  # fmt: skip
REFUSED = ("unit_operator", "unit_head", "operator_b", "nobody")


@pytest.fixture
def report_cycle(units, role_users):
    cycle = reference_cycle()
    submitted_plan(units["a"], 2026, role_users["unit_operator"], on=date(2025, 10, 22))
    submitted_plan(
        units["b"], 2026, role_users["operator_b"], on=date(2025, 10, 27),
        accepted_on=date(2025, 10, 30),
    )  # fmt: skip
    return cycle


def test_cycle_figures(report_cycle, role_users, api_as):
    response = api_as(role_users["head_of_bureau"]).get(f"{API}/dashboard/cycles/2026")
    assert response.status_code == 200
    body = response.json()
    assert body["working_days_used"] == 57 and body["standard_working_days"] == 52
    assert body["working_days_over"] == 5
    assert (body["measured_steps"], body["steps_within_standard"]) == (12, 9)
    assert body["share_within_standard"] == 0.75
    assert body["late_steps"] == 3 and body["returns"] == 2
    assert body["submission_deadline"] == "2025-10-22"
    assert body["late_units_count"] == 2 and body["never_submitted_count"] == 1
    assert body["median_unit_lateness"] == 5.0
    steps = {s["number"]: s for s in body["steps"]}
    assert steps[3]["working_days_used"] == 17 and steps[3]["working_days_late"] == 2
    assert steps[3]["planned_end"] == "2025-10-29" and steps[3]["actual_end"] == "2025-10-31"
    assert steps[3]["late_units"] == ["E1", "E1.B"]
    assert steps[11]["timeliness"] == "no_standard" and steps[11]["within_standard"] is None
    assert steps[6]["returns"][0]["action"] == "return"
    assert steps[6]["returns"][0]["on_date"] == "2025-11-27"
    assert body["late_units"] == [
        {"unit": "E1", "unit_name": "Sekretariat Uji", "first_submitted": None,
         "accepted": None, "working_days_late": 7, "never_submitted": True},
        {"unit": "E1.B", "unit_name": "Biro B", "first_submitted": "2025-10-27",
         "accepted": "2025-10-30", "working_days_late": 3, "never_submitted": False},
    ]  # fmt: skip


def test_comparison(report_cycle, role_users, api_as):
    run_cycle(year=2027, start=date(2025, 10, 1), ends={1: date(2025, 10, 7)})
    body = api_as(role_users["viewer"]).get(f"{API}/dashboard/comparison").json()
    assert [row["year"] for row in body] == [2026, 2027]
    assert body[0]["share_within_standard"] == 0.75 and body[0]["late_units_count"] == 2
    assert body[0]["finished"] and not body[1]["finished"]
    # 2027: step 1 took 4 working days against 2; today every later step is overdue too.
    assert body[1]["share_within_standard"] == 0.0 and body[1]["late_steps"] == 12


@pytest.mark.parametrize("code", ALLOWED)
def test_allowed_roles(code, report_cycle, role_users, api_as):
    client = api_as(role_users[code])
    assert client.get(f"{API}/dashboard/cycles/2026").status_code == 200
    assert client.get(f"{API}/dashboard/comparison").status_code == 200


@pytest.mark.parametrize("code", REFUSED)
def test_refused_roles(code, report_cycle, role_users, api_as):
    client = api_as(role_users[code])
    for path in ("cycles/2026", "comparison", "cycles/2026/report.xlsx", "cycles/2026/report.pdf"):
        assert client.get(f"{API}/dashboard/{path}").status_code == 403, path


def test_anonymous_refused(report_cycle, api_as):
    assert api_as(None).get(f"{API}/dashboard/cycles/2026").status_code == 401


def test_unknown_year(role_users, api_as):
    client = api_as(role_users["staff"])
    assert client.get(f"{API}/dashboard/cycles/1999").status_code == 404
    assert client.get(f"{API}/dashboard/cycles/1999/report.xlsx").status_code == 404
    assert client.get(f"{API}/dashboard/comparison").json() == []


def test_report_downloads(report_cycle, role_users, api_as):
    client = api_as(role_users["staff"])
    xlsx = client.get(f"{API}/dashboard/cycles/2026/report.xlsx")
    assert xlsx.status_code == 200
    book = openpyxl.load_workbook(BytesIO(xlsx.content))
    assert "Unit terlambat" in book.sheetnames
    pdf = client.get(f"{API}/dashboard/cycles/2026/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"

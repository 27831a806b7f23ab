"""The ministry's targets read their numbers through the one number reading of every path
(rkpk.plans.validation.parse_decimal, bounded by MinistryTarget's columns; issue 13.8): a
38-digit value is a field error in the form, a 4xx in the API and a row error in the import,
never a server error, and nothing is written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from rkpk.analysis import services as analysis_services
from rkpk.analysis.models import MinistryTarget

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 37
API = "/api/v1"


@pytest.fixture
def indicator(role_users):
    admin = role_users["admin"]
    period = analysis_services.create_period(
        actor=admin, name="Renstra", start_year=2025, end_year=2029
    )
    goal = analysis_services.create_goal(actor=admin, period=period, code="SS-01", text="Sasaran")
    return analysis_services.create_indicator(
        actor=admin, goal=goal, code="IKU-1", name="Indeks", measure="indeks"
    )


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.mark.parametrize(
    "posted",
    [
        {"target_2026": HUGE},
        {"min_2026": HUGE, "max_2026": HUGE},
        {"min_2026": "1", "max_2026": HUGE},
    ],
    ids=["target", "range min", "range max"],
)
def test_the_goal_form_refuses_a_38_digit_target(indicator, role_users, client_for, posted):
    url = f"/analysis/goals/goal/{indicator.goal_id}/indicator/{indicator.pk}/"
    base = {"code": "IKU-1", "name": "Indeks", "polarity": "higher", "units_shown": "1"}
    response = client_for(role_users["admin"]).post(url, {**base, **posted}, follow=True)
    assert response.status_code == 200
    assert "This number is too large." in messages_of(response)
    assert not MinistryTarget.objects.exists()


@pytest.mark.parametrize("field", ["value", "min_value", "max_value", "manual_value"])
@pytest.mark.parametrize("value", [HUGE, int(HUGE), float(HUGE), "1,00001"])
def test_the_api_refuses_a_38_digit_target(indicator, role_users, client_for, field, value):
    body = {field: value}
    if field in ("min_value", "max_value"):
        body = {"min_value": 1, "max_value": 2, field: value}
    response = client_for(role_users["admin"]).put(
        f"{API}/analysis/indicators/{indicator.pk}/targets/2026",
        body,
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert response.headers["Content-Type"].startswith("application/json")
    assert not MinistryTarget.objects.exists()


def xlsx(target, manual=None) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.title = "sasaran"
    wb.active.append(
        ["periode", "kode sasaran", "sasaran", "kode indikator", "indikator", "satuan",
         "agregasi", "tahun", "target", "angka manual"]
    )  # fmt: skip
    wb.active.append(
        ["2025-2029", "SS-01", "Sasaran", "IKU-1", "Indeks", "indeks", "sum", 2026, target, manual]
    )
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("sasaran.xlsx", out.getvalue())


@pytest.mark.parametrize(
    ("target", "manual"),
    [(HUGE, None), (f"1 s.d. {HUGE}", None), (5, HUGE), (5, 1e38)],
    ids=["target", "range", "manual text", "manual number"],
)
def test_the_import_refuses_a_38_digit_target_as_a_row_error(indicator, role_users, target, manual):
    summary = analysis_services.import_goals(actor=role_users["admin"], upload=xlsx(target, manual))
    assert not summary.ok
    assert any(e.row == 2 for e in summary.errors), summary.errors
    assert not MinistryTarget.objects.exists()

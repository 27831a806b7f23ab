import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from rkpk.analysis.demo_indicators import load_demo_ministry_indicators
from rkpk.analysis.models import MinistryIndicator, MinistryTarget, StrategicGoal

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def demo():
    call_command("seed_demo", "--no-cycle", verbosity=0)
    load_demo_ministry_indicators()


def test_goal_page_shows_examples_indicators_and_targets(role_users, client_for, demo):
    assert client_for(role_users["nobody"]).get("/analysis/goals/").status_code == 403
    response = client_for(role_users["unit_operator"]).get("/analysis/goals/")
    assert response.status_code == 200
    assert response.context["has_examples"] and not response.context["can_manage"]
    assert len(response.context["goals"]) == 21
    assert "IKU-01.1" in response.content.decode()
    assert client_for(role_users["admin"]).get("/analysis/goals/").context["can_manage"]


def test_admin_edits_through_the_forms(role_users, client_for, demo):
    goal = StrategicGoal.objects.get(code="SS-01")
    client = client_for(role_users["admin"])
    client.post(
        f"/analysis/goals/{goal.period_id}/goal/{goal.pk}/", {"code": "SS-01", "text": "Baru"}
    )
    goal.refresh_from_db()
    assert goal.text == "Baru" and not goal.is_example
    client.post(
        f"/analysis/goals/goal/{goal.pk}/indicator/",
        {
            "code": "IKU-X",
            "name": "Indikator",
            "measure": "%",
            "aggregation": "min",
            "target_2026": "90,5",
            "target_2027": "Baik",
        },
    )
    ind = MinistryIndicator.objects.get(code="IKU-X")
    assert ind.aggregation == "min"
    assert MinistryTarget.objects.get(indicator=ind, year=2027).text == "Baik"
    staff = client_for(role_users["staff"])
    assert staff.post(f"/analysis/goals/goal/{goal.pk}/indicator/", {}).status_code == 403


def test_import_page_lists_row_errors_and_template_downloads(role_users, client_for, demo):
    client = client_for(role_users["admin"])
    data = client.get("/analysis/goals/template.xlsx?period=1").content
    assert load_workbook(io.BytesIO(data)).active["B1"].value == "kode sasaran"
    bad = SimpleUploadedFile("x.xlsx", b"nope")
    page = client.post("/analysis/goals/import/", {"file": bad})
    assert page.context["file_error"]
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["periode", "kode sasaran", "sasaran"])
    wb.active.append(["2025-2029", "", "Tanpa kode"])
    out = io.BytesIO()
    wb.save(out)
    page = client.post(
        "/analysis/goals/import/", {"file": SimpleUploadedFile("s.xlsx", out.getvalue())}
    )
    assert page.status_code == 200 and page.context["summary"].errors

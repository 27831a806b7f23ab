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
            "measure": "Persen",
            "aggregation": "min",
            "target_2026": "90,5",
            "target_2027": "80 s.d. 90",
        },
    )
    ind = MinistryIndicator.objects.get(code="IKU-X")
    assert ind.aggregation == "min"
    assert MinistryTarget.objects.get(indicator=ind, year=2027).max_value == 90
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


def test_admin_sets_polarity_perspective_units_and_range_targets(role_users, client_for, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rkpk.analysis import services as analysis_services
    from rkpk.core.models import AuditEvent

    admin = role_users["admin"]
    period = analysis_services.create_period(
        actor=admin, name="Renstra", start_year=2025, end_year=2029
    )
    goal = analysis_services.create_goal(actor=admin, period=period, code="SS-01", text="Sasaran")
    client = client_for(admin)
    url = f"/analysis/goals/goal/{goal.pk}/indicator/"
    client.post(
        url,
        {
            "code": "IKU-1",
            "name": "Deviasi",
            "aggregation": "average",
            "polarity": "range",
            "perspective": "Proses Internal",
            "units_shown": "1",
            "responsible_units": [units["a"].pk, units["b"].pk],
            "min_2026": "-1,5",
            "max_2026": "1,5",
            "target_2027": "-1,0 s.d. 1,0",
        },
    )
    ind = MinistryIndicator.objects.get(code="IKU-1")
    assert (ind.polarity, ind.perspective) == ("range", "Proses Internal")
    assert {u.code for u in ind.responsible_units.all()} == {"E1.A", "E1.B"}
    targets = {t.year: t for t in ind.targets.all()}
    assert (targets[2026].min_value, targets[2026].max_value) == (-1.5, 1.5)
    assert (targets[2027].min_value, targets[2027].max_value) == (-1, 1)
    assert AuditEvent.objects.filter(action="ministry_indicator.created").exists()
    page = client.get(f"/analysis/goals/?period={period.pk}").content.decode()
    assert "-1,5 s.d. 1,5" in page and "Within a range" in page and "E1.A" in page
    # The edit form shows the range in its boxes and the chosen units selected.
    assert 'value="-1,5"' in page and 'value="1,5"' in page
    assert f'<option value="{units["a"].pk}" selected>' in page

    # min > max, a number for a range indicator, two kinds at once: clear errors, nothing kept.
    edit = f"{url}{ind.pk}/"
    base = {"code": "IKU-1", "name": "Deviasi", "polarity": "range", "units_shown": "1"}
    response = client.post(edit, {**base, "min_2026": "2", "max_2026": "1"}, follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "minimum 2 is above the maximum 1" in text
    response = client.post(edit, {**base, "target_2026": "5"}, follow=True)
    assert "give a minimum and maximum" in " ".join(str(m) for m in response.context["messages"])
    response = client.post(
        edit, {**base, "target_2026": "5", "text_2026": "WTP", "min_2026": "1"}, follow=True
    )
    assert "not more than one" in " ".join(str(m) for m in response.context["messages"])
    ind.refresh_from_db()
    assert ind.responsible_units.count() == 2 and ind.targets.get(year=2026).min_value == -1.5

    # Switch to qualitative with a value of the list for every year.
    client.post(
        edit,
        {**base, "polarity": "qualitative", **{f"text_{y}": "WTP" for y in range(2025, 2030)}},
    )
    ind.refresh_from_db()
    assert ind.polarity == "qualitative" and not ind.responsible_units.exists()
    assert set(ind.targets.values_list("text", flat=True)) == {"WTP"}

    # The list page's queries do not grow with the number of indicators.
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/analysis/goals/?period={period.pk}").status_code == 200
    for n in range(2, 8):
        other = analysis_services.create_indicator(
            actor=admin, goal=goal, code=f"IKU-{n}", name="x"
        )
        other.responsible_units.set([units["a"]])
        analysis_services.set_target(actor=admin, indicator=other, year=2026, value=n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/analysis/goals/?period={period.pk}").status_code == 200
    assert len(many) == len(few)


def test_import_page_says_which_columns_it_did_not_read(role_users, client_for):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["periode", "kode sasaran", "sasaran", "catatan"])
    wb.active.append(["2025-2029", "SS-01", "Satu", "apa saja"])
    out = io.BytesIO()
    wb.save(out)
    response = client_for(role_users["admin"]).post(
        "/analysis/goals/import/",
        {"file": SimpleUploadedFile("s.xlsx", out.getvalue())},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Imported 1 goals" in text and "These columns were not read: D (catatan)." in text

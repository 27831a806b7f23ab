"""A plan workbook with values not on the lists: each value reported once with its cells (page,
API, command); the bureau adds them from the report and the same workbook then imports;
the unit sees the report but cannot add."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from rkpk.core.models import AuditEvent
from rkpk.plans import excel, lists
from rkpk.plans.excel import ACTIVITY_INDICATORS, INDICATORS, build_workbook, parse_workbook
from rkpk.plans.models import Indicator, MeasureUnit, QualitativeValue, UnitPlan
from rkpk.plans.tests.test_excel import col, edit, fill_plan

pytestmark = pytest.mark.django_db

XLSX = excel.XLSX_CONTENT_TYPE
ROWS = 125


@pytest.fixture
def plan(units):
    # 25 goals × 5 indicators = 125 indicator rows
    return fill_plan(UnitPlan.objects.create(unit=units["a"], year=2027), goals=25, per_goal=5)


def unknown_workbook(plan) -> bytes:
    measure = col(INDICATORS, "measure")
    changes = {INDICATORS: {f"{measure}{row}": "Ekor" for row in range(2, ROWS + 2)}}
    changes[ACTIVITY_INDICATORS] = {f"{col(ACTIVITY_INDICATORS, 'target_text')}2": "Istimewa"}
    changes[ACTIVITY_INDICATORS][f"{col(ACTIVITY_INDICATORS, 'kind')}2"] = "Kualitatif"
    changes[ACTIVITY_INDICATORS][f"{col(ACTIVITY_INDICATORS, 'target')}2"] = None
    changes[ACTIVITY_INDICATORS][f"{col(ACTIVITY_INDICATORS, 'target_min')}2"] = None
    changes[ACTIVITY_INDICATORS][f"{col(ACTIVITY_INDICATORS, 'target_max')}2"] = None
    return edit(build_workbook(plan), changes)


def upload_url(plan) -> str:
    return reverse("plans:excel_upload", args=[plan.unit.code, plan.year])


def test_each_unknown_value_is_reported_once_with_its_rows(plan):
    assert Indicator.objects.filter(plan=plan).count() == ROWS
    parsed = parse_workbook(unknown_workbook(plan))
    ekor = [g for g in parsed.unknown_values if g["value"] == "Ekor"]
    assert len(ekor) == 1
    assert ekor[0]["count"] == ROWS and ekor[0]["list"] == lists.MEASURES
    assert {c["row"] for c in ekor[0]["cells"]} == set(range(2, ROWS + 2))
    assert f"rows 2–{ROWS + 1}" in ekor[0]["where"]
    # one problem per unknown value, not one per row
    about_ekor = [e for e in parsed.errors if "“Ekor”" in e.message]
    assert len(about_ekor) == 1 and f"Used {ROWS} times" in about_ekor[0].message
    istimewa = [g for g in parsed.unknown_values if g["value"] == "Istimewa"]
    assert istimewa and istimewa[0]["list"] == lists.QUALITATIVE


def test_bureau_adds_the_values_from_the_report_then_the_same_workbook_imports(plan, role_users):
    client = Client()
    client.force_login(role_users["staff"])
    data = unknown_workbook(plan)
    report = client.post(upload_url(plan), {"file": SimpleUploadedFile("rk.xlsx", data, XLSX)})
    page = report.content.decode()
    assert report.status_code == 200
    assert report.context["unknown_values"][0]["count"] == ROWS
    assert page.count('name="value" value="measure-units:Ekor"') == 1
    assert reverse("plans:list_add_unknown") in page
    token = report.context["token"]
    added = client.post(
        reverse("plans:list_add_unknown"),
        {
            "value": ["measure-units:Ekor", "qualitative-values:Istimewa"],
            "next": f"{upload_url(plan)}?token={token}",
            "source": "rk.xlsx",
        },
    )
    assert added.status_code == 302 and added["Location"].endswith(f"?token={token}")
    assert MeasureUnit.objects.get(name="Ekor").is_active
    assert QualitativeValue.objects.filter(value="Istimewa").exists()
    event = AuditEvent.objects.filter(action="plans.list_value_added").order_by("seq").first()
    assert event.actor == role_users["staff"] and "rk.xlsx" in event.after["note"]
    offer = client.get(added["Location"])
    assert offer.context["reimport"]["token"] == token
    again = client.post(upload_url(plan), {"token": token}, follow=True)
    assert "imported" in again.content.decode()
    assert set(Indicator.objects.filter(plan=plan).values_list("measure", flat=True)) == {"Ekor"}


def test_bureau_may_add_only_the_chosen_values(plan, role_users):
    client = Client()
    client.force_login(role_users["staff"])
    client.post(
        reverse("plans:list_add_unknown"),
        {"value": ["measure-units:Ekor"], "next": upload_url(plan)},
    )
    assert MeasureUnit.objects.filter(name="Ekor").exists()
    assert not QualitativeValue.objects.filter(value="Istimewa").exists()
    result = excel.import_workbook(
        actor=role_users["staff"], plan=plan, data=unknown_workbook(plan), filename="rk.xlsx"
    )
    assert [g["value"] for g in result.unknown_values] == ["Istimewa"]


def test_unit_sees_the_report_but_cannot_add(plan, role_users):
    client = Client()
    client.force_login(role_users["unit_operator"])
    data = unknown_workbook(plan)
    report = client.post(upload_url(plan), {"file": SimpleUploadedFile("rk.xlsx", data, XLSX)})
    page = report.content.decode()
    assert "Ekor" in page and report.context["unknown_values"]
    assert reverse("plans:list_add_unknown") not in page
    assert 'value="measure-units:Ekor"' not in page
    refused = client.post(
        reverse("plans:list_add_unknown"),
        {"value": ["measure-units:Ekor"], "next": upload_url(plan)},
    )
    assert refused.status_code == 403
    assert not MeasureUnit.objects.filter(name="Ekor").exists()


def test_deactivated_value_refused_unless_the_plan_holds_it(plan, role_users):
    data = build_workbook(plan)
    held = Indicator.objects.filter(plan=plan).exclude(measure="").first().measure
    lists.set_active(
        actor=None, slug=lists.MEASURES, obj=MeasureUnit.objects.get(name=held), active=False
    )
    # the plan holds it: its own workbook still imports
    result = excel.import_workbook(actor=role_users["staff"], plan=plan, data=data, filename="a")
    assert result.ok, [e.in_words() for e in result.errors]
    other = MeasureUnit.objects.exclude(name=held).filter(is_active=True).first()
    lists.set_active(actor=None, slug=lists.MEASURES, obj=other, active=False)
    data = edit(build_workbook(plan), {INDICATORS: {f"{col(INDICATORS, 'measure')}2": other.name}})
    result = excel.import_workbook(actor=role_users["staff"], plan=plan, data=data, filename="b")
    [group] = result.unknown_values
    assert group["inactive"] and group["value"] == other.name
    assert any("deactivated" in e.message for e in result.errors)


def test_api_error_body_groups_unknown_values(plan, role_users):
    client = Client()
    client.force_login(role_users["unit_operator"])
    response = client.post(
        f"/api/v1/plans/{plan.unit.code}/{plan.year}/workbook",
        {"file": SimpleUploadedFile("rk.xlsx", unknown_workbook(plan))},
    )
    assert response.status_code == 422
    body = response.json()
    [ekor] = [v for v in body["unknown_values"] if v["value"] == "Ekor"]
    assert ekor["count"] == ROWS and len(ekor["cells"]) == ROWS
    assert ekor["cells"][0] == {
        "sheet": INDICATORS,
        "row": 2,
        "column": col(INDICATORS, "measure"),
        "header": "Satuan",
    }
    assert len([e for e in body["errors"] if "“Ekor”" in e["message"]]) == 1
    json.dumps(body)  # serialisable as it is


def test_command_prints_each_unknown_value_once(plan, tmp_path):
    path = tmp_path / "rk.xlsx"
    path.write_bytes(unknown_workbook(plan))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), unit=plan.unit.code, year=plan.year, stderr=err)
    lines = [line for line in err.getvalue().splitlines() if "“Ekor”" in line]
    assert len(lines) == 1 and f"Used {ROWS} times" in lines[0]


def test_annotated_copy_marks_every_cell_of_an_unknown_value(plan, role_users):
    from openpyxl import load_workbook

    client = Client()
    client.force_login(role_users["unit_operator"])
    data = unknown_workbook(plan)
    report = client.post(upload_url(plan), {"file": SimpleUploadedFile("rk.xlsx", data, XLSX)})
    token = report.context["token"]
    annotated = client.get(
        reverse("plans:excel_annotated", args=[plan.unit.code, plan.year, token])
    )
    assert annotated.status_code == 200
    sheet = load_workbook(io.BytesIO(annotated.content))[INDICATORS]
    measure = col(INDICATORS, "measure")
    for row in (2, 64, ROWS + 1):
        assert "“Ekor” is not on the list" in sheet[f"{measure}{row}"].comment.text


def test_command_hint_and_reference_list_command(plan, role_users, tmp_path):
    path = tmp_path / "rk.xlsx"
    path.write_bytes(unknown_workbook(plan))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", str(path), unit=plan.unit.code, year=plan.year, stderr=err)
    assert "2 value(s) are not on the lists" in err.getvalue()
    with pytest.raises(CommandError, match="Only the bureau"):
        call_command("reference_list", "add", "measure-units", "Ekor", user="u_unit_operator")
    out = io.StringIO()
    call_command("reference_list", "add", "measure-units", "Ekor", user="u_staff", stdout=out)
    call_command("reference_list", "add", "qualitative-values", "Istimewa", stdout=out)
    assert "Added Ekor." in out.getvalue()
    call_command("import_plan", str(path), unit=plan.unit.code, year=plan.year, stdout=out)
    assert set(Indicator.objects.filter(plan=plan).values_list("measure", flat=True)) == {"Ekor"}
    exported = tmp_path / "m.xlsx"
    call_command("reference_list", "export", "measure-units", str(exported), stdout=out)
    call_command("reference_list", "import", "measure-units", str(exported), stdout=out)
    assert "0 added, 0 changed" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("value,active\nX,maybe\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("reference_list", "import", "measure-units", str(bad), stderr=err)
    assert "row 2" in err.getvalue() and "B (active)" in err.getvalue()

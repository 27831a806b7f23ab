"""A workbook that would erase or shrink a plan: refused without rows, confirmed when it
keeps fewer than half of the plan's rows, the replaced content recoverable (issue 13.1)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from rkpk.core.models import AuditEvent
from rkpk.plans import excel
from rkpk.plans.excel import (
    ACTIVITIES,
    ACTIVITY_INDICATORS,
    GOALS,
    INDICATORS,
    build_workbook,
    import_workbook,
)
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.test_excel import content, fill_plan

pytestmark = pytest.mark.django_db

DATA_SHEETS = (GOALS, INDICATORS, ACTIVITIES, ACTIVITY_INDICATORS)
ROWS = 2 + 6 + 2 + 2  # fill_plan's goals, indicators, activities, activity indicators


def trim(data: bytes, keep: int) -> bytes:
    """The workbook with only the first `keep` data rows of each data sheet; with 0, the
    headings and empty rows (the data rows' cells emptied, as a user clearing them would)."""
    wb = load_workbook(io.BytesIO(data))
    for name in DATA_SHEETS:
        ws = wb[name]
        for row in ws.iter_rows(min_row=2 + keep):
            for cell in row:
                cell.value = None
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def plan(units):
    return fill_plan(UnitPlan.objects.create(unit=units["a"], year=2027))


def imports():
    return AuditEvent.objects.filter(action="plan.imported").count()


def rows(plan) -> int:
    snap = content(plan)
    return sum(1 + len(g["indicators"]) for g in snap["goals"]) + sum(
        1 + len(a["indicators"]) for a in snap["activities"]
    )


# --- The service ----------------------------------------------------------------------------


def test_fixture_has_the_expected_rows(plan):
    assert rows(plan) == ROWS


def test_workbook_without_data_rows_is_refused_and_nothing_changes(plan):
    before, revision = content(plan), plan.revision
    data = trim(build_workbook(plan), 0)
    result = import_workbook(
        actor=None, plan=plan, data=data, filename="kosong.xlsx", overwrite=True,
        allow_shrink=True,
    )  # fmt: skip
    assert not result.ok
    assert [e.message for e in result.errors] == [excel.no_rows_message()]
    plan.refresh_from_db()
    assert content(plan) == before and plan.revision == revision and imports() == 0


def test_shrink_is_refused_unless_allowed_and_the_old_content_is_kept(plan):
    before = content(plan)
    small = trim(build_workbook(plan), 1)  # 1 goal, 1 indicator, 1 activity, 1 output: 4 < 6
    refused = import_workbook(actor=None, plan=plan, data=small, filename="kecil.xlsx")
    assert not refused.ok and refused.shrink and not refused.conflict
    assert "4 rows" in refused.errors[0].message and "12" in refused.errors[0].message
    assert content(plan) == before and imports() == 0

    done = import_workbook(
        actor=None, plan=plan, data=small, filename="kecil.xlsx", allow_shrink=True
    )
    assert done.ok, [str(e) for e in done.errors]
    assert rows(plan) == 4
    versions = excel.replaced_versions(plan)
    assert len(versions) == 1 and versions[0]["file"] == "kecil.xlsx"
    recovered = versions[0]["content"]
    assert [g["code"] for g in recovered["goals"]] == ["S1", "S2"]
    assert sum(len(g["indicators"]) for g in recovered["goals"]) == 6
    assert [g["text"] for g in recovered["goals"]] == [g["text"] for g in before["goals"]]
    assert [a["name"] for a in recovered["activities"]] == [a["name"] for a in before["activities"]]


def test_half_or_more_of_the_rows_needs_no_confirmation(plan):
    data = trim(build_workbook(plan), 3)  # 2 + 3 + 2 + 2 = 9 of 12
    result = import_workbook(actor=None, plan=plan, data=data, filename="x.xlsx")
    assert result.ok and not result.shrink and rows(plan) == 9


def test_shrink_threshold():
    assert not excel.shrinks(0, 1) and not excel.shrinks(12, 6) and not excel.shrinks(1, 1)
    assert excel.shrinks(12, 5) and excel.shrinks(3, 1)


# --- The page -------------------------------------------------------------------------------


def url(name, plan, **kwargs):
    return reverse(
        f"plans:{name}", kwargs={"unit_code": plan.unit.code, "year": plan.year, **kwargs}
    )


def upload(client, plan, data, name="rkpk.xlsx"):
    return client.post(
        url("excel_upload", plan),
        {"file": SimpleUploadedFile(name, data, excel.XLSX_CONTENT_TYPE)},
        follow=True,
    )


def test_page_refuses_an_empty_workbook(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    before = content(plan)
    response = upload(client, plan, trim(build_workbook(plan), 0))
    assert response.status_code == 200
    assert excel.no_rows_message() in response.content.decode()
    assert content(plan) == before and imports() == 0


def test_page_asks_before_shrinking_and_replaces_when_confirmed(plan, role_users, client_for):
    client = client_for(role_users["unit_operator"])
    before = content(plan)
    response = upload(client, plan, trim(build_workbook(plan), 1), name="kecil.xlsx")
    html = response.content.decode()
    assert 'id="shrink-title"' in html and 'name="allow_shrink" value="1"' in html
    assert content(plan) == before and imports() == 0
    token = response.context["token"]
    assert token
    # The same upload without the confirmation is still refused.
    again = client.post(url("excel_upload", plan), {"token": token}, follow=True)
    assert 'id="shrink-title"' in again.content.decode() and imports() == 0
    done = client.post(
        url("excel_upload", plan), {"token": token, "allow_shrink": "1"}, follow=True
    )
    assert done.status_code == 200
    assert "kecil.xlsx" in done.content.decode()
    assert rows(plan) == 4 and imports() == 1
    assert len(excel.replaced_versions(plan)[0]["content"]["goals"]) == 2


# --- The command ----------------------------------------------------------------------------


def test_command_refuses_empty_and_shrinking_workbooks(plan, tmp_path):
    before = content(plan)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(trim(build_workbook(plan), 0))
    with pytest.raises(CommandError) as raised:
        call_command("import_plan", "--unit", "E1.A", "--year", "2027", str(empty), "--force")
    assert raised.value.returncode == 1
    small = tmp_path / "small.xlsx"
    small.write_bytes(trim(build_workbook(plan), 1))
    with pytest.raises(CommandError) as raised:
        call_command("import_plan", "--unit", "E1.A", "--year", "2027", str(small))
    assert "--allow-shrink" in str(raised.value)
    assert content(plan) == before and imports() == 0
    call_command("import_plan", "--unit", "E1.A", "--year", "2027", str(small), "--allow-shrink")
    assert rows(plan) == 4
    assert excel.replaced_versions(plan)[0]["content"]["goals"][1]["code"] == "S2"


# --- The API --------------------------------------------------------------------------------


@pytest.fixture
def api_as():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def api_url(plan):
    return f"/api/v1/plans/{plan.unit.code}/{plan.year}/workbook"


def test_api_refuses_empty_and_shrinking_workbooks(plan, role_users, api_as):
    client = api_as(role_users["unit_operator"])
    before = content(plan)

    def post(data, path="", **fields):
        return client.post(
            api_url(plan) + path,
            {"file": SimpleUploadedFile("rkpk.xlsx", data), **fields},
        )

    empty = post(trim(build_workbook(plan), 0), allow_shrink="true")
    assert empty.status_code == 422
    assert empty.json()["detail"] == excel.no_rows_message()
    small = trim(build_workbook(plan), 1)
    refused = post(small)
    assert refused.status_code == 422 and refused.json()["shrink"] is True
    assert "less than half" in refused.json()["detail"]
    assert content(plan) == before and imports() == 0
    done = post(small, allow_shrink="true")
    assert done.status_code == 200, done.json()
    assert rows(plan) == 4 and len(excel.replaced_versions(plan)) == 1


def test_api_accepts_allow_shrink_as_a_query_parameter(plan, role_users, api_as):
    client = api_as(role_users["unit_operator"])
    small = trim(build_workbook(plan), 1)
    done = client.post(
        api_url(plan) + "?allow_shrink=true", {"file": SimpleUploadedFile("rkpk.xlsx", small)}
    )
    assert done.status_code == 200, done.json()
    assert rows(plan) == 4


def test_the_content_service_itself_refuses_who_may_not_edit(plan, role_users):
    """`replace_plan_content` guards itself, whoever calls it: a viewer is refused and the
    plan stays as it was; the system (no actor) may replace it."""
    from django.core.exceptions import PermissionDenied

    from rkpk.plans import services_content

    before, revision = content(plan), plan.revision
    parsed = excel.parse_workbook(build_workbook(plan), filename="rencana.xlsx")
    assert parsed.ok
    with pytest.raises(PermissionDenied):
        services_content.replace_plan_content(
            actor=role_users["viewer"], plan=plan, parsed=parsed, filename="rencana.xlsx"
        )
    plan.refresh_from_db()
    assert content(plan) == before and plan.revision == revision and imports() == 0
    result = services_content.replace_plan_content(
        actor=None, plan=plan, parsed=parsed, filename="rencana.xlsx"
    )
    assert result.ok and imports() == 1

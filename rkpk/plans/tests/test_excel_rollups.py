"""Roll-up lines in the workbook: the "Rekapitulasi unit" column (export, drop-down, import,
errors) and the lines the import recognises as roll-ups (marked, listed, undoable)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from rkpk.core.models import AuditEvent
from rkpk.plans import excel
from rkpk.plans.excel import ACTIVITIES, LISTS, build_workbook, import_workbook
from rkpk.plans.models import Activity, UnitPlan
from rkpk.plans.tests.factories import complete_plan
from rkpk.plans.tests.test_excel import col, edit, messages

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


@pytest.fixture
def root_plan(units):
    """Children A and B with plans of 1,5 M; the Eselon I plan with one line per child."""
    complete_plan(units["a"])
    complete_plan(units["b"])
    plan = UnitPlan.objects.create(unit=units["root"], year=2027)
    Activity.objects.create(plan=plan, position=0, kind="program", code="P1",
                            name="Program Dukungan Manajemen", budget=3 * M)  # fmt: skip
    Activity.objects.create(plan=plan, position=1, kind="activity", code="K1",
                            name="Dukungan Biro A", budget=Decimal("1.5") * M)  # fmt: skip
    Activity.objects.create(plan=plan, position=2, kind="activity", code="K2",
                            name="Layanan E1.B", budget=Decimal("1.5") * M)  # fmt: skip
    Activity.objects.create(plan=plan, position=3, kind="activity", code="K3",
                            name="Biro A lainnya", budget=Decimal(7))  # fmt: skip
    return plan


def marks(plan) -> dict[str, str | None]:
    return {
        a.code: (a.rolls_up.code if a.rolls_up_id else None)
        for a in Activity.objects.filter(plan=plan).select_related("rolls_up")
    }


def test_the_column_and_its_drop_down_of_the_units_below(root_plan, units):
    Activity.objects.filter(plan=root_plan, code="K1").update(rolls_up=units["a"])
    wb = load_workbook(io.BytesIO(build_workbook(root_plan)))
    ws = wb[ACTIVITIES]
    letter = col(ACTIVITIES, "rolls_up")
    assert ws[f"{letter}1"].value == "Rekapitulasi unit"
    assert [ws[f"{letter}{r}"].value for r in (2, 3, 4)] == [None, "E1.A", None]
    listed = [c.value for c in wb[LISTS]["U"] if c.value]
    assert listed[1:] == ["E1.A", "E1.B"]
    formulas = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    assert formulas[f"{letter}2"] == f"{LISTS}!$U$2:$U$3"


def test_import_recognises_and_marks_rollups_and_says_so(root_plan, role_users):
    result = import_workbook(actor=role_users["staff"], plan=root_plan,
                             data=build_workbook(root_plan), filename="e1.xlsx")  # fmt: skip
    assert result.ok, messages(result)
    # K1 names Biro A (name) and K2 names E1.B (code), each with that unit's exact total;
    # K3 names Biro A but carries another amount: not a roll-up.
    assert marks(root_plan) == {"P1": None, "K1": "E1.A", "K2": "E1.B", "K3": None}
    assert [(r["row"], r["unit_code"], r["applied"]) for r in result.rollups] == [
        (3, "E1.A", True),
        (4, "E1.B", True),
    ]
    event = AuditEvent.objects.get(action="plan.imported")
    assert [r["unit_code"] for r in event.after["rollups_recognised"]] == ["E1.A", "E1.B"]


def test_import_can_only_propose(root_plan):
    result = import_workbook(actor=None, plan=root_plan, data=build_workbook(root_plan),
                             filename="e1.xlsx", apply_rollups=False)  # fmt: skip
    assert result.ok and len(result.rollups) == 2
    assert not any(r["applied"] for r in result.rollups)
    assert set(marks(root_plan).values()) == {None}


def test_marked_lines_round_trip_and_bad_codes_are_refused(root_plan, units):
    data = build_workbook(root_plan)
    letter = col(ACTIVITIES, "rolls_up")
    result = import_workbook(actor=None, plan=root_plan, filename="e1.xlsx",
                             data=edit(data, {ACTIVITIES: {f"{letter}5": "e1.b"}}),
                             apply_rollups=False)  # fmt: skip
    assert result.ok, messages(result)
    assert marks(root_plan)["K3"] == "E1.B"  # typed by hand, any case
    before = marks(root_plan)
    data = build_workbook(root_plan)
    bad = edit(data, {ACTIVITIES: {f"{letter}3": "E1", f"{letter}2": "E1.A"}})
    result = import_workbook(actor=None, plan=root_plan, data=bad, filename="e1.xlsx")
    assert not result.ok
    found = {(e.sheet, e.row, e.column, e.field) for e in result.errors}
    assert found == {
        (ACTIVITIES, 3, letter, "Rekapitulasi unit"),
        (ACTIVITIES, 2, letter, "Rekapitulasi unit"),
    }
    assert any("not the code of a unit below" in m for m in messages(result))
    assert any("Only an activity" in m for m in messages(result))
    assert marks(root_plan) == before  # nothing changed


def test_a_workbook_without_the_column_still_imports(root_plan):
    wb = load_workbook(io.BytesIO(build_workbook(root_plan)))
    ws = wb[ACTIVITIES]
    ws.delete_cols(ws[f"{col(ACTIVITIES, 'rolls_up')}1"].column)
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=None, plan=root_plan, data=buffer.getvalue(), filename="x.xlsx")
    assert result.ok, messages(result)


def test_the_upload_page_lists_the_marks_and_undoes_them(root_plan, role_users, client_for):
    client = client_for(role_users["staff"])
    args = {"unit_code": "E1", "year": 2027}
    upload = client.post(
        reverse("plans:excel_upload", kwargs=args),
        {"file": SimpleUploadedFile("e1.xlsx", build_workbook(root_plan), excel.XLSX_CONTENT_TYPE)},
        follow=True,
    )
    assert upload.context["confirm"]  # the plan has content: "replace?" after the checks
    upload = client.post(
        reverse("plans:excel_upload", kwargs=args), {"token": upload.context["token"]}, follow=True
    )
    html = upload.content.decode()
    assert 'id="excel-rollups"' in html and "rolls up the plan of Biro A (E1.A)" in html
    assert marks(root_plan)["K1"] == "E1.A"
    undone = client.post(
        reverse("plans:excel_rollups", kwargs=args), {"action": "undo"}, follow=True
    )
    assert undone.status_code == 200
    assert set(marks(root_plan).values()) == {None}
    assert AuditEvent.objects.filter(action="plan.activity_changed").count() == 2
    client.post(reverse("plans:excel_rollups", kwargs=args), {"action": "apply"})
    assert marks(root_plan)["K2"] == "E1.B"


def test_the_api_import_reports_and_optionally_applies_the_rollups(root_plan, role_users):
    from django.test import Client

    client = Client()
    client.force_login(role_users["staff"])
    endpoint = "/api/v1/plans/E1/2027/workbook"

    def post(**extra):
        upload = SimpleUploadedFile("e1.xlsx", build_workbook(root_plan))
        return client.post(endpoint, {"file": upload, **extra})

    proposed = post(apply_rollups="false")
    assert proposed.status_code == 200, proposed.content
    rollups = proposed.json()["rollups"]
    assert [(r["unit_code"], r["applied"]) for r in rollups] == [("E1.A", False), ("E1.B", False)]
    assert set(marks(root_plan).values()) == {None}
    applied = post()
    assert [r["applied"] for r in applied.json()["rollups"]] == [True, True]
    assert marks(root_plan)["K1"] == "E1.A"


def test_the_import_command_says_which_lines_it_marked(root_plan, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "e1.xlsx"
    path.write_bytes(build_workbook(root_plan))
    call_command("import_plan", str(path), "--unit", "E1", "--year", "2027", "--propose-rollups")
    out = capsys.readouterr().out
    assert "Kegiatan row 3" in out and "proposed: rolls up the plan of E1.A Biro A" in out
    assert set(marks(root_plan).values()) == {None}
    call_command("import_plan", str(path), "--unit", "E1", "--year", "2027", "--force")
    assert "marked as rolling up the plan of E1.B" in capsys.readouterr().out
    assert marks(root_plan)["K2"] == "E1.B"

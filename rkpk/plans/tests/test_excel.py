"""The Excel round trip: the workbook, reading and checking an upload, the import."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from rkpk.core import sheet_reader
from rkpk.core.models import AuditEvent
from rkpk.core.spreadsheet import DANGEROUS_START, safe_cell
from rkpk.plans import excel, services
from rkpk.plans.excel import (
    ACTIVITIES,
    ACTIVITY_INDICATORS,
    GOALS,
    INDICATORS,
    build_workbook,
    columns,
    import_workbook,
    parse_workbook,
    reading,
)
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan
from rkpk.plans.snapshot import plan_snapshot

pytestmark = pytest.mark.django_db


# --- Builders shared with test_excel_views.py -----------------------------------------------


def fill_plan(plan, *, goals: int = 2, per_goal: int = 3, activities: int = 2) -> UnitPlan:
    """Content of every target kind, quarters, activities with indicators."""
    kinds = [
        {"target_kind": "percent", "target_value": Decimal("85")},
        {"target_kind": "number", "target_value": Decimal("1234.5")},
        {"target_kind": "range", "target_min": Decimal("80"), "target_max": Decimal("90")},
        {"target_kind": "qualitative", "target_text": "WTP"},
    ]
    goal_objs = Goal.objects.bulk_create(
        Goal(plan=plan, position=g, code=f"S{g + 1}", text=f"Sasaran {g + 1}", level="strategic")
        for g in range(goals)
    )
    n = 0
    rows = []
    for goal in goal_objs:
        for p in range(per_goal):
            rows.append(
                Indicator(
                    plan=plan,
                    goal=goal,
                    position=p,
                    code=f"IK{n + 1}",
                    name=f"Indikator {n + 1}",
                    definition="Definisi operasional",
                    formula="Jumlah selesai / jumlah seluruh × 100%",
                    measure="Persen",
                    polarity="higher",
                    data_source="Laporan",
                    indicator_type="outcome",
                    q1=Decimal("20"),
                    q4=Decimal("85.25"),
                    in_pk=n % 2 == 0,
                    **kinds[n % 4],
                )
            )
            n += 1
    Indicator.objects.bulk_create(rows)
    for a in range(activities):
        activity = Activity.objects.create(
            plan=plan,
            position=a,
            kind="program" if a == 0 else "activity",
            code=f"K{a + 1}",
            name=f"Kegiatan {a + 1}",
            budget=Decimal("1500000.50") if a else Decimal("250000000"),
            notes="Catatan",
        )
        ActivityIndicator.objects.create(
            activity=activity, position=0, name="Jumlah laporan", measure="Laporan",
            target_kind="number", target_value=Decimal(12),
        )  # fmt: skip
    return plan


@pytest.fixture
def plan(units):
    return UnitPlan.objects.create(unit=units["a"], year=2027)


@pytest.fixture
def filled(plan):
    return fill_plan(plan)


def edit(data: bytes, changes: dict[str, dict[str, object]], *, drop_props=False) -> bytes:
    """Change cells of a workbook: {"Indikator": {"L2": "abc"}}; None empties a cell."""
    wb = load_workbook(io.BytesIO(data))
    for sheet, cells in changes.items():
        for ref, value in cells.items():
            wb[sheet][ref] = value
    if drop_props:
        wb.custom_doc_props.props = []
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def content(plan) -> dict:
    """The plan's content without ids and last year's targets (what a round trip keeps)."""
    snap = plan_snapshot(plan)
    for goal in snap["goals"]:
        goal.pop("id")
        for ind in goal["indicators"]:
            ind.pop("id")
    for activity in snap["activities"]:
        activity.pop("id")
        for ai in activity["indicators"]:
            ai.pop("id")
    return {k: snap[k] for k in ("goals", "activities", "budget_total")}


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


def col(sheet: str, key: str) -> str:
    return columns.letter_of(sheet, key)


# --- The workbook ---------------------------------------------------------------------------


def test_workbook_has_the_sheets_lists_and_protection(filled):
    wb = load_workbook(io.BytesIO(build_workbook(filled)))
    assert wb.sheetnames == [
        "Petunjuk",
        GOALS,
        INDICATORS,
        ACTIVITIES,
        ACTIVITY_INDICATORS,
        "Daftar",
    ]
    assert wb["Daftar"].sheet_state == "hidden"
    assert wb.security.lockStructure
    ws = wb[INDICATORS]
    assert [c.value for c in ws[1]][:4] == ["Kode sasaran", "No", "Kode", "Indikator"]
    assert ws.protection.sheet
    assert ws["A1"].protection.locked and not ws["D2"].protection.locked
    assert ws["D7"].value == "Indikator 6" and ws["D8"].value is None
    assert not ws["D150"].protection.locked  # rows prepared below the data
    assert ws[f"{col(INDICATORS, 'kind')}2"].value == "Persentase"
    assert ws[f"{col(INDICATORS, 'target')}2"].value == 85
    assert ws[f"{col(INDICATORS, 'in_pk')}3"].value == "Tidak"
    validations = {
        str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    assert validations[f"{col(INDICATORS, 'measure')}2"].startswith("Daftar!$A$2")
    assert validations["A2"] == "Sasaran!$B$2:$B$200"
    measures = [c.value for c in wb["Daftar"]["A"][1:]]
    assert "Persen" in measures and "Laporan" in measures
    help_text = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    assert "Jangan gunakan rumus" in help_text and "Semakin tinggi semakin baik" in help_text
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["rkpk_unit"] == "E1.A" and props["rkpk_year"] == "2027"


def test_last_years_target_is_shown_read_only(filled, units):
    old = UnitPlan.objects.create(unit=units["a"], year=2026)
    goal = Goal.objects.create(plan=old, code="S1", text="Lama")
    previous = Indicator.objects.create(
        plan=old, goal=goal, code="IK1", name="Indikator 1", target_kind="percent",
        target_value=Decimal("75.5"),
    )  # fmt: skip
    Indicator.objects.filter(plan=filled, code="IK1").update(previous=previous)
    ws = load_workbook(io.BytesIO(build_workbook(filled)))[INDICATORS]
    cell = ws[f"{col(INDICATORS, 'previous')}2"]
    # A number stored as a number, shown as it was written ("75,5%" in Indonesian).
    assert (cell.value, cell.number_format) == (0.755, "0.0%")


def test_safe_cell_neutralises_formula_starts():
    for text in ("=1+1", "+62812", "-5 hari", "@SUM(A1)", "\t=x", "\r=x"):
        assert safe_cell(text) == "'" + text
    for value in ("Sasaran", "", 5, Decimal("-5"), None, "a=b"):
        assert safe_cell(value) == value


def test_every_export_neutralises_formula_injection(plan):
    attacks = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]
    goal = Goal.objects.create(plan=plan, code="S1", text=attacks[0])
    for i, text in enumerate(attacks):
        Indicator.objects.create(
            plan=plan, goal=goal, code=f"I{i}", name=text, definition=text, formula=text,
            data_source=text,
        )  # fmt: skip
    Activity.objects.create(plan=plan, code="K1", name=attacks[1], notes=attacks[2])
    data = build_workbook(plan)
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(DANGEROUS_START), cell.coordinate
    assert wb[GOALS]["C2"].value == "'" + attacks[0]
    # The annotated copy of an upload is neutralised as well, its own formulas included.
    upload = edit(data, {INDICATORS: {"E2": "=1+1", "D3": "@evil"}})
    parsed = parse_workbook(upload)
    annotated = load_workbook(io.BytesIO(excel.annotate_workbook(upload, parsed.errors)))
    for ws in annotated.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(DANGEROUS_START)


# --- Round trip -----------------------------------------------------------------------------


def test_round_trip_keeps_the_content(filled, role_users):
    before = content(filled)
    data = build_workbook(filled)
    result = import_workbook(
        actor=role_users["unit_operator"], plan=filled, data=data, filename="rkpk.xlsx"
    )
    assert result.ok, messages(result)
    assert result.counts == {"goals": 2, "indicators": 6, "activities": 2, "activity_indicators": 2}
    filled.refresh_from_db()
    assert content(filled) == before
    assert filled.revision == 2
    event = AuditEvent.objects.get(action="plan.imported")
    assert event.actor_name == "u_unit_operator"
    assert event.after["indicators"] == 6 and event.after["file"] == "rkpk.xlsx"
    # Importing the same file again is harmless: same content, no conflict.
    again = import_workbook(actor=None, plan=filled, data=data, filename="rkpk.xlsx")
    assert again.ok, messages(again)
    assert content(filled) == before


def test_round_trip_of_awkward_text(plan):
    texts = [
        "-",
        "- butir satu\n- butir dua",
        "=A/B × 100%",
        "+5",
        "@unit",
        "<script>alert(1)</script>",
    ]
    goal = Goal.objects.create(plan=plan, code="1.10", text="<b>Sasaran</b> & 'kutip'")
    for i, text in enumerate(texts):
        Indicator.objects.create(
            plan=plan, goal=goal, position=i, code=f"0{i}", name=text, formula=text
        )
    before = content(plan)
    result = import_workbook(actor=None, plan=plan, data=build_workbook(plan), filename="x.xlsx")
    assert result.ok, messages(result)
    assert content(plan) == before
    assert Indicator.objects.filter(plan=plan, name="<script>alert(1)</script>").exists()
    assert Goal.objects.get(plan=plan).code == "1.10"  # codes stay text


def test_goal_without_code_gets_one_and_empty_targets_stay_empty(plan):
    goal = Goal.objects.create(plan=plan, text="Tanpa kode")
    Indicator.objects.create(plan=plan, goal=goal, name="Belum ada target")
    result = import_workbook(actor=None, plan=plan, data=build_workbook(plan), filename="x.xlsx")
    assert result.ok, messages(result)
    ind = Indicator.objects.get(plan=plan)
    assert ind.goal.code == "S1" and ind.target_value is None and ind.target_kind == "number"


def test_import_replaces_the_content_and_keeps_last_years_links(filled, units):
    old = UnitPlan.objects.create(unit=units["a"], year=2026)
    old_goal = Goal.objects.create(plan=old, code="S1", text="Lama")
    previous = Indicator.objects.create(plan=old, goal=old_goal, code="IK2", name="Lama 2")
    data = edit(
        build_workbook(filled),
        {INDICATORS: {"D2": "Indikator baru", "A7": None, "B7": None, "C7": None, "D7": None}},
    )
    wb = load_workbook(io.BytesIO(data))
    for c in wb[INDICATORS][7]:
        c.value = None
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=None, plan=filled, data=buffer.getvalue(), filename="x.xlsx")
    assert result.ok, messages(result)
    names = list(Indicator.objects.filter(plan=filled).values_list("name", flat=True))
    assert names[0] == "Indikator baru" and len(names) == 5
    # Linked to last year's indicator by its code.
    assert Indicator.objects.get(plan=filled, code="IK2").previous == previous


def test_next_years_links_follow_the_reimported_indicators(filled, units):
    nxt = UnitPlan.objects.create(unit=units["a"], year=2028)
    goal = Goal.objects.create(plan=nxt, code="S1", text="x")
    follower = Indicator.objects.create(
        plan=nxt,
        goal=goal,
        code="IK3",
        name="x",
        previous=Indicator.objects.get(plan=filled, code="IK3"),
    )
    import_workbook(actor=None, plan=filled, data=build_workbook(filled), filename="x.xlsx")
    follower.refresh_from_db()
    assert follower.previous == Indicator.objects.get(plan=filled, code="IK3")


def test_indonesian_numbers_are_accepted(plan):
    Goal.objects.create(plan=plan, code="S1", text="x")
    target, low, high = (
        col(INDICATORS, "target"),
        col(INDICATORS, "target_min"),
        col(INDICATORS, "target_max"),
    )
    data = edit(
        build_workbook(plan),
        {
            INDICATORS: {
                "A2": "S1", "D2": "Angka Indonesia", f"{target}2": "1.234,5",
                "A3": "S1", "D3": "Persen", f"{target}3": "85%",
                "A4": "S1", "D4": "Rentang", f"{low}4": "1.000", f"{high}4": "2.500,75",
                "A5": "S1", "D5": "Desimal", f"{target}5": "12.5",
                "A6": "S1", "D6": "Kualitatif", f"{target}6": "wtp",
            },
            ACTIVITIES: {"B2": "Program", "D2": "Program X", "E2": "Rp1.500.000"},
        },
    )  # fmt: skip
    result = import_workbook(actor=None, plan=plan, data=data, filename="x.xlsx")
    assert result.ok, messages(result)
    rows = {i.name: i for i in Indicator.objects.filter(plan=plan)}
    assert rows["Angka Indonesia"].target_value == Decimal("1234.5")
    assert (rows["Persen"].target_kind, rows["Persen"].target_value) == ("percent", 85)
    assert (rows["Rentang"].target_min, rows["Rentang"].target_max) == (1000, Decimal("2500.75"))
    assert rows["Desimal"].target_value == Decimal("12.5")
    assert (rows["Kualitatif"].target_kind, rows["Kualitatif"].target_text) == (
        "qualitative",
        "WTP",
    )
    assert Activity.objects.get(plan=plan).budget == 1500000


def test_excel_percent_cells_are_read_as_percentages(plan):
    Goal.objects.create(plan=plan, code="S1", text="x")
    wb = load_workbook(io.BytesIO(build_workbook(plan)))
    ws = wb[INDICATORS]
    ws["A2"], ws["D2"] = "S1", "Persen Excel"
    cell = ws[f"{col(INDICATORS, 'target')}2"]
    cell.value, cell.number_format = 0.85125, "0.000%"  # 85,125%: not 85.125 thousand
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=None, plan=plan, data=buffer.getvalue(), filename="x.xlsx")
    assert result.ok, messages(result)
    ind = Indicator.objects.get(plan=plan)
    assert (ind.target_kind, ind.target_value) == ("percent", Decimal("85.125"))


# --- Errors in rows -------------------------------------------------------------------------


def only(result, sheet, ref):
    found = [e for e in result.errors if e.sheet == sheet and f"{e.column}{e.row}" == ref]
    assert found, messages(result)
    return found[0]


def test_text_in_number_cells(filled):
    target = col(INDICATORS, "target")
    q2 = col(INDICATORS, "q2")
    data = edit(
        build_workbook(filled),
        {INDICATORS: {f"{target}3": "seribu", f"{q2}2": "banyak"}, ACTIVITIES: {"E2": "mahal"}},
    )
    result = import_workbook(actor=None, plan=filled, data=data, filename="x.xlsx")
    assert not result.ok
    error = only(result, INDICATORS, f"{target}3")
    assert error.field == "Target" and "is not a number" in error.message
    assert str(error).startswith(f"Indikator!{target}3 (Target): ")
    only(result, INDICATORS, f"{q2}2")
    assert "not a number" in only(result, ACTIVITIES, "E2").message
    assert Indicator.objects.get(plan=filled, code="IK2").target_value == Decimal("1234.5")
    assert not AuditEvent.objects.filter(action="plan.imported").exists()


def test_formulas_are_refused(filled):
    target = col(INDICATORS, "target")
    data = edit(build_workbook(filled), {INDICATORS: {f"{target}3": "=1000+234", "E2": "=A1"}})
    result = parse_workbook(data)
    assert "Formulas are not accepted" in only(result, INDICATORS, f"{target}3").message
    assert "Formulas are not accepted" in only(result, INDICATORS, "E2").message


def test_raw_text_starting_with_equals_and_excel_errors_are_refused(filled):
    wb = load_workbook(io.BytesIO(build_workbook(filled)))
    ws = wb[INDICATORS]
    ws["E2"] = "=cmd|' /C calc'!A0"
    ws["E2"].data_type = "s"  # a text cell, not marked as typed text
    ws[f"{col(INDICATORS, 'q1')}3"] = "#DIV/0!"
    buffer = io.BytesIO()
    wb.save(buffer)
    result = parse_workbook(buffer.getvalue())
    assert "Formulas are not accepted" in only(result, INDICATORS, "E2").message
    assert "#DIV/0!" in only(result, INDICATORS, f"{col(INDICATORS, 'q1')}3").message


def test_too_many_rows(filled, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 4)
    result = parse_workbook(build_workbook(filled))
    assert "more than 4 rows" in only(result, INDICATORS, "6").message


def test_text_typed_with_an_apostrophe_is_text(plan):
    Goal.objects.create(plan=plan, code="S1", text="x")
    wb = load_workbook(io.BytesIO(build_workbook(plan)))
    ws = wb[INDICATORS]
    ws["A2"], ws["D2"], ws["F2"] = "S1", "Rumus", "=A/B"
    ws["F2"].data_type = "s"
    ws["F2"].quotePrefix = True  # what Excel stores for '=A/B typed in a cell
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=None, plan=plan, data=buffer.getvalue(), filename="x.xlsx")
    assert result.ok, messages(result)
    assert Indicator.objects.get(plan=plan).formula == "=A/B"


def test_unknown_values_and_references(filled):
    data = edit(
        build_workbook(filled),
        {
            INDICATORS: {
                "A2": "S9",
                f"{col(INDICATORS, 'measure')}3": "Ekor",
                f"{col(INDICATORS, 'polarity')}4": "Ke samping",
                f"{col(INDICATORS, 'type')}5": "Dampak",
                f"{col(INDICATORS, 'kind')}6": "Campuran",
                f"{col(INDICATORS, 'in_pk')}7": "Mungkin",
            },
            ACTIVITY_INDICATORS: {"A2": "K9"},
            GOALS: {"D2": "Nasional"},
        },
    )
    result = parse_workbook(data)
    assert "No goal has the code “S9”" in only(result, INDICATORS, "A2").message
    # A value not on a list: one problem for the value, naming the cells that use it.
    [group] = result.unknown_values
    assert (group["list"], group["value"], group["count"]) == ("measure-units", "Ekor", 1)
    assert group["cells"][0] == {
        "sheet": INDICATORS, "row": 3, "column": col(INDICATORS, "measure"), "header": "Satuan"
    }  # fmt: skip
    assert any("“Ekor” is not on the list" in e.message and e.row is None for e in result.errors)
    assert "Unknown value" in only(result, INDICATORS, f"{col(INDICATORS, 'polarity')}4").message
    assert "Unknown value" in only(result, INDICATORS, f"{col(INDICATORS, 'type')}5").message
    assert "Unknown value" in only(result, INDICATORS, f"{col(INDICATORS, 'kind')}6").message
    assert "Ya or Tidak" in only(result, INDICATORS, f"{col(INDICATORS, 'in_pk')}7").message
    assert "No program or activity" in only(result, ACTIVITY_INDICATORS, "A2").message
    assert "Unknown value" in only(result, GOALS, "D2").message


def test_target_rules(filled):
    c = {
        k: col(INDICATORS, k) for k in ("kind", "target", "target_min", "target_max", "target_text")
    }
    data = edit(
        build_workbook(filled),
        {
            INDICATORS: {
                f"{c['target']}2": None,  # percent without a target
                f"{c['target_min']}4": 95,  # range 95–90
                f"{c['target_text']}5": "Luar biasa",  # not in the list
                f"{c['target_min']}3": 5,  # a number target with a range bound
                f"{c['kind']}6": "Angka", f"{c['target']}6": "85%",  # percentage under Angka
                f"{c['kind']}7": "Persentase", f"{c['target']}7": 2000,
            }
        },
    )  # fmt: skip
    result = parse_workbook(data)
    # Decided by the one validator of every path (rkpk.plans.validation), as in the editor and
    # the API: a draft may lack its target (the submission checks name it) ...
    assert not [e for e in result.errors if e.row == 2 and e.sheet == INDICATORS]
    assert (result.indicators[0].target.kind, result.indicators[0].target.value) == (
        "percent",
        None,
    )
    # ... min > max is refused on the same field and with the same words ...
    assert only(result, INDICATORS, f"{c['target_max']}4").message == (
        "The end of the range must not be below its start."
    )
    [unknown] = result.unknown_values  # reported once, with its cell
    assert (unknown["list"], unknown["value"]) == ("qualitative-values", "Luar biasa")
    assert (unknown["cells"][0]["row"], unknown["cells"][0]["column"]) == (5, c["target_text"])
    # ... a column the kind does not use is cleared, with a warning in the report ...
    assert not [e for e in result.errors if e.row == 3 and e.sheet == INDICATORS]
    assert result.indicators[1].target.min is None
    [cleared] = [w for w in result.warnings if w.row == 3]
    assert (cleared.column, cleared.message) == (
        c["target_min"],
        "A target of kind Number does not use this value; it was cleared.",
    )
    # ... "85%" under Angka is a percentage ...
    assert not [e for e in result.errors if e.row == 6 and e.sheet == INDICATORS]
    assert (result.indicators[4].target.kind, result.indicators[4].target.value) == (
        "percent",
        Decimal(85),
    )
    assert "between 0 and 1000" in only(result, INDICATORS, f"{c['target']}7").message


def test_required_values_duplicates_and_lengths(filled):
    data = edit(
        build_workbook(filled),
        {
            GOALS: {"C2": None},
            INDICATORS: {"C3": "IK1", "D4": None, "A5": None, "C6": "X" * 21},
            ACTIVITIES: {"C3": "K1"},
        },
    )
    result = parse_workbook(data)
    assert only(result, GOALS, "C2").message == "This value is required."
    assert "used already in row 2" in only(result, INDICATORS, "C3").message
    assert only(result, INDICATORS, "D4").message == "This value is required."
    assert only(result, INDICATORS, "A5").message == "This value is required."
    assert "At most 20 characters" in only(result, INDICATORS, "C6").message
    assert "used already in row 2" in only(result, ACTIVITIES, "C3").message


def test_empty_rows_are_skipped(filled):
    wb = load_workbook(io.BytesIO(build_workbook(filled)))
    ws = wb[INDICATORS]
    ws.insert_rows(3, amount=2)  # two empty rows in the middle
    ws["B3"] = 99  # only the informational number: still an empty row
    ws["D20"] = "   "  # whitespace far below
    buffer = io.BytesIO()
    wb.save(buffer)
    parsed = parse_workbook(buffer.getvalue())
    assert parsed.ok, messages(parsed)
    assert len(parsed.indicators) == 6
    assert [i.row for i in parsed.indicators][:2] == [2, 5]


def test_missing_and_renamed_columns(filled):
    wb = load_workbook(io.BytesIO(build_workbook(filled)))
    wb[INDICATORS][f"{col(INDICATORS, 'measure')}1"] = "Unit"
    wb[INDICATORS].delete_cols(
        excel.COLUMNS[INDICATORS].index(columns.column(INDICATORS, "formula")) + 1
    )
    del wb[ACTIVITY_INDICATORS]
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=None, plan=filled, data=buffer.getvalue(), filename="x.xlsx")
    text = "\n".join(messages(result))
    assert "The column “Satuan” is missing" in text
    assert "The column “Formula” is missing" in text
    assert "“Unit”" in text  # the unknown header is named
    assert "The sheet “Indikator Kegiatan” is missing" in text
    assert Indicator.objects.filter(plan=filled).count() == 6


def test_a_workbook_of_another_unit_or_year_is_refused(filled, units):
    other = fill_plan(UnitPlan.objects.create(unit=units["b"], year=2027))
    result = import_workbook(actor=None, plan=filled, data=build_workbook(other), filename="b.xlsx")
    assert "downloaded for the unit E1.B" in messages(result)[0]
    last_year = UnitPlan.objects.create(unit=units["a"], year=2026)
    result = import_workbook(
        actor=None, plan=filled, data=build_workbook(last_year), filename="b.xlsx"
    )
    assert "for the year 2026" in messages(result)[0]


def test_a_hand_made_workbook_with_the_right_headers_is_accepted(plan):
    wb = Workbook()
    wb.active.title = GOALS
    wb[GOALS].append([c.header for c in excel.COLUMNS[GOALS]])
    wb[GOALS].append([1, "S1", "Sasaran", "Strategis"])
    for name in (INDICATORS, ACTIVITIES, ACTIVITY_INDICATORS):
        ws = wb.create_sheet(name)
        ws.append([c.header for c in excel.COLUMNS[name] if c.key != "previous"])
    wb[INDICATORS].append(
        ["S1", 1, "IK1", "Indikator", None, None, "persen", None, None, None, None, 90]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_workbook(actor=None, plan=plan, data=buffer.getvalue(), filename="mine.xlsx")
    assert result.ok, messages(result)
    ind = Indicator.objects.get(plan=plan)
    assert (ind.measure, ind.target_kind, ind.target_value, ind.polarity) == (
        "Persen",
        "number",
        90,
        "higher",
    )


def test_script_strings_are_stored_as_text(plan):
    script = "<script>alert('x')</script>"
    Goal.objects.create(plan=plan, code="S1", text="x")
    data = edit(
        build_workbook(plan),
        {GOALS: {"C2": script}, INDICATORS: {"A2": "S1", "D2": script, "E2": script}},
    )
    result = import_workbook(actor=None, plan=plan, data=data, filename="x.xlsx")
    assert result.ok, messages(result)
    ind = Indicator.objects.get(plan=plan)
    assert ind.name == script and ind.definition == script and ind.goal.text == script


# --- The write ------------------------------------------------------------------------------


def test_nothing_is_imported_into_a_plan_that_is_not_editable(filled):
    data = build_workbook(filled)
    UnitPlan.objects.filter(pk=filled.pk).update(status=UnitPlan.Status.SUBMITTED)
    filled.refresh_from_db()
    with pytest.raises(ValidationError, match="cannot be changed"):
        import_workbook(actor=None, plan=filled, data=data, filename="x.xlsx")


def test_a_stale_workbook_does_not_overwrite_newer_edits(filled, role_users):
    data = build_workbook(filled)
    Indicator.objects.filter(plan=filled, code="IK1").update(name="Diubah di aplikasi")
    result = import_workbook(actor=None, plan=filled, data=data, filename="old.xlsx")
    assert result.conflict and "changed in the application" in messages(result)[0]
    assert Indicator.objects.filter(plan=filled, name="Diubah di aplikasi").exists()
    # Confirmed: the workbook replaces them.
    result = import_workbook(
        actor=None, plan=filled, data=data, filename="old.xlsx", overwrite=True
    )
    assert result.ok
    assert not Indicator.objects.filter(plan=filled, name="Diubah di aplikasi").exists()


def test_uploading_the_same_workbook_after_fixing_it_is_no_conflict(filled):
    data = build_workbook(filled)
    first = edit(data, {INDICATORS: {"D2": "Perbaikan satu"}})
    assert import_workbook(actor=None, plan=filled, data=first, filename="x.xlsx").ok
    second = edit(data, {INDICATORS: {"D2": "Perbaikan dua"}})
    result = import_workbook(actor=None, plan=filled, data=second, filename="x.xlsx")
    assert result.ok, messages(result)
    assert Indicator.objects.filter(plan=filled, name="Perbaikan dua").exists()


def test_get_or_create_plan_creates_once_and_audits(units, role_users):
    plan = services.get_or_create_plan(actor=None, unit=units["b"], year=2027)
    again = services.get_or_create_plan(actor=role_users["staff"], unit=units["b"], year=2027)
    assert plan == again and plan.status == "draft"
    assert AuditEvent.objects.filter(action="plan.created").count() == 1


# --- Bad files ------------------------------------------------------------------------------


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def rewrite(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {i.filename: source.read(i.filename) for i in source.infolist()}
    members.update(replace)
    return zip_of(members)


def file_error(data: bytes, name: str = "rkpk.xlsx") -> str:
    parsed = parse_workbook(data, filename=name)
    assert len(parsed.errors) == 1 and not parsed.readable, messages(parsed)
    return parsed.errors[0].message


def test_wrong_file_type(db):
    assert "not an Excel workbook" in file_error(b"%PDF-1.7\n1 0 obj", "rkpk.xlsx")
    assert "not an Excel workbook" in file_error(b"No;Sasaran\n1;x\n", "rkpk.csv")
    assert "not an Excel workbook" in file_error(zip_of({"notes.txt": b"hello"}))
    assert "empty" in file_error(b"")


def test_a_docx_renamed_xlsx_is_refused(db):
    docx = zip_of(
        {
            "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-'
            b'officedocument.wordprocessingml.document.main+xml"/></Types>'
        }
    )
    assert "not an Excel workbook" in file_error(docx)


def test_macro_workbooks_are_refused(filled):
    data = build_workbook(filled)
    assert "Macro-enabled" in file_error(data, "rkpk.xlsm")
    with_vba = rewrite(data, {"xl/vbaProject.bin": b"\x00" * 100})
    assert "Macro-enabled" in file_error(with_vba, "rkpk.xlsx")
    # What Excel writes for an .xlsm saved under the name .xlsx: the macro content type.
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    xlsx_type = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    assert xlsx_type in types
    xlsm_types = types.replace(xlsx_type, b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    assert "Macro-enabled" in file_error(rewrite(data, {"[Content_Types].xml": xlsm_types}))


def test_password_protected_and_legacy_files(db):
    encrypted = (
        sheet_reader.OLE_MAGIC
        + b"\x00" * 504
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 64
    )
    assert "password-protected" in file_error(encrypted)
    assert "97–2003" in file_error(sheet_reader.OLE_MAGIC + b"\x00" * 1000, "old.xls")


def test_corrupt_files(filled):
    data = build_workbook(filled)
    assert "damaged" in file_error(data[: len(data) // 2])
    broken_sheet = rewrite(data, {"xl/worksheets/sheet3.xml": b"<worksheet><sheetData><row"})
    assert "damaged" in file_error(broken_sheet)


def test_zip_bombs(filled, monkeypatch):
    bomb = rewrite(build_workbook(filled), {"xl/media/filler.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert "zip bomb" in file_error(bomb)
    monkeypatch.setattr(sheet_reader, "MAX_UNPACKED_BYTES", 50_000)
    assert "zip bomb" in file_error(build_workbook(filled))


def test_xml_entities_are_refused(filled):
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b"<worksheet><sheetData/></worksheet>"
    )
    assert "damaged" in file_error(
        rewrite(build_workbook(filled), {"xl/worksheets/sheet2.xml": evil})
    )


def test_files_over_10_mb(db):
    assert "larger than 10 MB" in file_error(b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024))


def test_annotated_copy_marks_the_wrong_cells(filled):
    target = col(INDICATORS, "target")
    data = edit(build_workbook(filled), {INDICATORS: {f"{target}3": "seribu"}, GOALS: {"C2": None}})
    parsed = parse_workbook(data)
    wb = load_workbook(
        io.BytesIO(excel.annotate_workbook(data, [e.as_dict() for e in parsed.errors]))
    )
    assert wb.sheetnames[0] == "Kesalahan"
    listed = [[c.value for c in row] for row in wb["Kesalahan"].iter_rows(min_row=2)]
    assert ["Indikator", f"{target}3", "Target"] in [r[:3] for r in listed]
    cell = wb[INDICATORS][f"{target}3"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "not a number" in cell.comment.text
    assert wb[GOALS]["C2"].comment is not None


def test_the_import_checks_the_actors_permission(filled, role_users):
    from django.core.exceptions import PermissionDenied

    data = build_workbook(filled)
    for code in ("viewer", "operator_b", "admin"):
        with pytest.raises(PermissionDenied):
            import_workbook(actor=role_users[code], plan=filled, data=data, filename="x.xlsx")
    assert not AuditEvent.objects.filter(action="plan.imported").exists()

"""Documents a ministry can use: DOCX attachment tables in A4 landscape sections with fixed
column widths that keep words whole (the statement page stays portrait); XLSX numbers,
percentages and rupiah stored as numbers with number formats, never as text."""

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import Workbook

from rkpk.core import spreadsheet
from rkpk.core.tests import document_checks as checks
from rkpk.core.tests import every_document as kinds

A4_PORTRAIT = ("portrait", 21.0, 29.7)
A4_LANDSCAPE = ("landscape", 29.7, 21.0)


pytestmark = pytest.mark.usefixtures("unit_head_approval_off")


@pytest.fixture
def year(role_users, units):
    return kinds.year_of_documents(role_users, units)


# --- DOCX -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_unit_rk_and_pk_tables_are_landscape_with_fixed_widths(year):
    files = kinds.unit_documents(year)
    rk, pk, rkpk = files["unit-rk.docx"], files["unit-pk.docx"], files["unit-rkpk.docx"]
    assert checks.sections(rk) == [A4_LANDSCAPE]
    # The statement page portrait, its attachment landscape.
    assert checks.sections(pk) == [A4_PORTRAIT, A4_LANDSCAPE]
    assert checks.sections(rkpk) == [A4_LANDSCAPE, A4_PORTRAIT, A4_LANDSCAPE]
    checks.check_tables(rk, landscape_tables=2)
    attachment = checks.check_tables(pk, landscape_tables=2)
    assert {section for section, _table in attachment} == {1}
    checks.check_tables(rkpk, landscape_tables=4)
    goals = checks.header_widths(attachment[0][1])
    assert goals["No"] <= 1.2 and goals["Satuan"] < 3.5 and goals["Target"] < 3.5
    assert goals["Indikator Kinerja"] >= 8
    # The statement page: the signature blocks span the portrait text width.
    document = Document(io.BytesIO(pk))
    signature = [t for t in document.tables if t.style is None or t.style.name != "Table Grid"]
    assert signature and abs(sum(checks.grid_widths(signature[0])) - 16.0) < 0.1


@pytest.mark.django_db
def test_a_column_dropped_from_the_rk_keeps_the_table_width(year):
    # No target of last year: the RK drops that column and gives its width to the names.
    rk = kinds.unit_documents(year)["unit-rk.docx"]
    table = checks.tables_by_section(rk)[0][1]
    assert "Target Tahun Lalu" not in " ".join(c.text for c in table.rows[0].cells)
    assert abs(sum(checks.grid_widths(table)) - 25.7) < 0.1


@pytest.mark.django_db
def test_consolidated_ministry_draft_and_meeting_report_layout(year):
    files = kinds.consolidated_documents(year)
    assert checks.sections(files["consolidated-rk.docx"]) == [A4_LANDSCAPE]
    assert checks.sections(files["consolidated-pk.docx"]) == [A4_PORTRAIT, A4_LANDSCAPE]
    goals = len(year.compilation.data["goals"])
    # RK: the goal table, one unit table per goal with unit indicators, two budget tables.
    with_units = sum(1 for g in year.compilation.data["goals"] if g["unit_indicators"])
    checks.check_tables(files["consolidated-rk.docx"], landscape_tables=1 + with_units + 2)
    pk_tables = checks.check_tables(files["consolidated-pk.docx"], landscape_tables=1 + with_units)
    assert goals and {section for section, _t in pk_tables} == {1}

    draft = kinds.ministry_draft(year)["ministry-draft.docx"]
    assert checks.sections(draft) == [A4_PORTRAIT, A4_LANDSCAPE]
    checks.check_tables(draft, landscape_tables=2)

    report = kinds.meeting_report(year)["meeting-report.docx"]
    assert checks.sections(report) == [A4_PORTRAIT]
    [(_section, decisions)] = checks.tables_by_section(report)
    assert checks.is_fixed(decisions)
    assert abs(sum(checks.grid_widths(decisions)) - 16.0) < 0.1
    assert not checks.too_narrow_cells(decisions, 11.0)


def test_too_narrow_cells_are_found():
    """The word check itself: a 1 cm column cannot hold "pertanggungjawaban"."""
    from rkpk.core.docx_layout import fixed_widths

    document = Document()
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "pertanggungjawaban"
    table.rows[0].cells[1].text = "No"
    fixed_widths(table, [1.0, 1.0])
    assert checks.too_narrow_cells(table, 11.0) == [
        "'pertanggungjawaban' needs 4.19 cm, has 0.60 cm"
    ]
    fixed_widths(table, [5.0, 1.0])
    assert checks.too_narrow_cells(table, 11.0) == []


# --- XLSX -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_workbook_stores_numbers_as_numbers_with_formats(year):
    files = {**kinds.workbooks(year), **kinds.consolidated_documents(year)}
    files = {name: data for name, data in files.items() if name.endswith(".xlsx")}
    assert {"plan-workbook.xlsx", "monitoring.xlsx", "consolidated-rk.xlsx"} <= set(files)
    for name, data in files.items():
        assert checks.number_problems(data) == [], name

    plan = checks.numbers(files["plan-workbook.xlsx"], "Kegiatan")
    assert (1250000000000, "#,##0") in plan  # the budget, in rupiah
    indicators = checks.workbook(files["plan-workbook.xlsx"])["Indikator"]
    header = [c.value for c in indicators[1]]
    low = indicators.cell(row=3, column=header.index("Target dari") + 1)
    assert low.value == -1.5 and low.number_format != "General"  # a negative range minimum

    units = checks.numbers(files["consolidated-rk.xlsx"], "Anggaran Unit")
    assert units and all(fmt == spreadsheet.RUPIAH for _v, fmt in units)
    assert all(isinstance(v, int | float) for v, _f in units)
    targets = checks.workbook(files["consolidated-rk.xlsx"])["Indikator Unit"]
    cells = [row[5] for row in targets.iter_rows(min_row=3)]
    percents = [c for c in cells if c.number_format.endswith("%")]
    assert percents and all(c.value == 0.85 for c in percents)  # "85%" as 0.85, shown 85%
    ranges = [c for c in cells if isinstance(c.value, str)]
    # A range stays text, without a visible apostrophe before its minus sign.
    assert ranges and all(c.value == "-1,5 s.d. 2" and c.quotePrefix for c in ranges)

    for name, data in files.items():  # printed on A4 landscape, fitted to the width
        for ws in checks.workbook(data).worksheets:
            assert ws.page_setup.orientation == "landscape", (name, ws.title)
            assert ws.sheet_properties.pageSetUpPr.fitToPage, (name, ws.title)

    monitoring = checks.numbers(files["monitoring.xlsx"], checks.workbook(
        files["monitoring.xlsx"]).sheetnames[0])  # fmt: skip
    assert monitoring and all(fmt != "General" for _v, fmt in monitoring)


def test_display_number_reads_indonesian_figures():
    read = spreadsheet.display_number
    assert read("1.234,5") == (1234.5, "#,##0.0")
    assert read("85%") == (0.85, "0%")
    assert read("85,50 %") == (0.855, "0.00%")
    assert read("Rp1.500.000") == (1500000, spreadsheet.RUPIAH)
    assert read("-1,0") == (-1, "0.0")
    assert read("2027") == (2027, "0")
    assert read(Decimal("12.50")) == (12.5, "#,##0.0")
    for text in ("80 s.d. 90", "Baik", "SS-01", "", None, "Rp"):
        assert read(text) is None


def test_workbook_bytes_formats_every_number_and_keeps_text_neutralised():
    book = Workbook()
    ws = book.active
    ws.append([1, 2.5, Decimal("1500000"), "=1+1", "teks", None])
    ws.append([2027, 0.123456789])
    ws["B3"] = 3
    ws["B3"].number_format = spreadsheet.PERCENT
    data = spreadsheet.workbook_bytes(book)
    ws = checks.workbook(data).active
    assert [(c.value, c.number_format) for c in ws[1][:3]] == [
        (1, "0"),
        (2.5, "#,##0.0"),
        (1500000, "#,##0"),
    ]
    assert ws["D1"].value == "=1+1" and ws["D1"].data_type == "f"  # not neutralised here…
    assert ws["B2"].number_format == "#,##0.0000"
    assert ws["B3"].number_format == spreadsheet.PERCENT  # a format given is kept
    # …but every export writes its text through safe_cell or text_cell (append_row).
    ws2 = Workbook(write_only=True)
    sheet = ws2.create_sheet("x")
    spreadsheet.append_row(sheet, ["=1+1", Decimal("2.50"), 7], {2: spreadsheet.RUPIAH})
    row = checks.workbook(_save(ws2))["x"][1]
    # Text that reads as a formula: a string with the (invisible) quote prefix.
    assert (row[0].value, row[0].data_type, row[0].quotePrefix) == ("=1+1", "s", True)
    assert (row[1].value, row[1].number_format) == (2.5, "#,##0.0")
    assert (row[2].value, row[2].number_format) == (7, spreadsheet.RUPIAH)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

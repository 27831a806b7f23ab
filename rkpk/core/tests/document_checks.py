"""Checks of generated documents, read back as a reader would: DOCX with python-docx (page
orientation and size per section, fixed table layout, column widths that hold the longest
word of each cell) and XLSX with openpyxl (numbers stored as numbers with a number format,
no figure stored as text)."""

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from rkpk.core.spreadsheet import display_number

A4 = (21.0, 29.7)
EM_PER_CHARACTER = 0.6  # a generous average glyph width (Arial/Calibri are ~0.5 em)
PT_TO_CM = 2.54 / 72
TWIPS_TO_CM = 2.54 / 1440


# --- DOCX -------------------------------------------------------------------------------


def sections(data: bytes) -> list[tuple[str, float, float]]:
    """("portrait"|"landscape", width cm, height cm) of each section, in order."""
    document = Document(io.BytesIO(data))
    return [
        (
            "landscape" if s.orientation == WD_ORIENT.LANDSCAPE else "portrait",
            round(s.page_width.cm, 1),
            round(s.page_height.cm, 1),
        )
        for s in document.sections
    ]


def tables_by_section(data: bytes) -> list[tuple[int, object]]:
    """(section index, table) for every top-level table, in document order."""
    document = Document(io.BytesIO(data))
    tables = {t._tbl: t for t in document.tables}
    result, section = [], 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            result.append((section, tables[element]))
        elif element.tag == qn("w:p"):
            section += element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None
    return result


def grid_widths(table) -> list[float]:
    return [
        int(col.get(qn("w:w"))) * TWIPS_TO_CM for col in table._tbl.tblGrid.findall(qn("w:gridCol"))
    ]


def is_fixed(table) -> bool:
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    return layout is not None and layout.get(qn("w:type")) == "fixed" and table.autofit is False


def _default_size_pt(document) -> float:
    size = document.styles["Normal"].font.size
    return size.pt if size else 11.0


def too_narrow_cells(table, default_size_pt: float, margins_cm: float = 0.4) -> list[str]:
    """The words that cannot fit their cell's width on one line (they would be broken)."""
    problems = []
    for row in table._tbl.findall(qn("w:tr")):
        for tc in row.findall(qn("w:tc")):
            width = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if width is None or width.get(qn("w:type")) != "dxa":
                problems.append("a cell without a width")
                continue
            room = int(width.get(qn("w:w"))) * TWIPS_TO_CM - margins_cm
            for run in tc.iter(qn("w:r")):
                size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
                points = int(size.get(qn("w:val"))) / 2 if size is not None else default_size_pt
                text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                for word in re.findall(r"\S+", text):
                    needed = len(word) * EM_PER_CHARACTER * points * PT_TO_CM
                    if needed > room:
                        problems.append(f"{word!r} needs {needed:.2f} cm, has {room:.2f} cm")
    return problems


def check_tables(data: bytes, *, landscape_tables: int, usable_cm: float = 25.7) -> list:
    """Every bordered data table sits in a landscape A4 section, has a fixed layout whose
    columns fill the usable width, and cells wide enough for their longest word. Returns the
    (section, table) pairs checked."""
    document = Document(io.BytesIO(data))
    default = _default_size_pt(document)
    orientation = sections(data)
    checked = []
    for section, table in tables_by_section(data):
        if table.style is None or table.style.name != "Table Grid":
            continue  # signature blocks and headings: borderless layout tables
        checked.append((section, table))
        page = orientation[section]
        assert page == ("landscape", A4[1], A4[0]), (section, page)
        assert is_fixed(table), "the table's layout is not fixed"
        widths = grid_widths(table)
        assert abs(sum(widths) - usable_cm) < 0.1, widths
        assert not too_narrow_cells(table, default), too_narrow_cells(table, default)
    assert len(checked) == landscape_tables, len(checked)
    return checked


def header_widths(table) -> dict[str, float]:
    """{header text: column width in cm} from the first row."""
    widths = grid_widths(table)
    cells = table.rows[0].cells
    return {cell.text.strip(): round(w, 2) for cell, w in zip(cells, widths, strict=False)}


# --- XLSX -------------------------------------------------------------------------------


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def number_problems(data: bytes) -> list[str]:
    """Numbers without a number format, and figures stored as text (a number, a percentage
    or a rupiah amount in a text cell, or a number behind an apostrophe). Cells formatted as
    text ("@": codes, NIPs) are text on purpose."""
    problems = []
    for ws in workbook(data).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                where = f"{ws.title}!{cell.coordinate}"
                if isinstance(value, bool) or value is None:
                    continue
                if isinstance(value, int | float):
                    if cell.number_format == "General":
                        problems.append(f"{where}: {value!r} has no number format")
                elif isinstance(value, str) and cell.number_format != "@":
                    text = value[1:] if value.startswith("'") else value
                    if display_number(text) is not None and not _is_code(text):
                        problems.append(f"{where}: the figure {value!r} is stored as text")
    return problems


def _is_code(text: str) -> bool:
    """Digits with a leading zero ("01") or a long digit string (a NIP) are codes."""
    digits = text.strip()
    return digits.isdigit() and (digits.startswith("0") or len(digits) >= 16)


def numbers(data: bytes, sheet: str) -> list[tuple]:
    """(value, number format) of every numeric cell of a sheet."""
    ws = workbook(data)[sheet]
    return [
        (cell.value, cell.number_format)
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
    ]

"""(Re)build the Word templates of the plan documents: rk.docx, pk.docx and rkpk.docx.

    .venv/bin/python scripts/build_docx_templates.py

The templates are committed binary files in rkpk/plans/document_templates/; this script is
their source. They are ordinary Word documents with docxtpl (Jinja) tags, so a secretariat
can also open one in Word, adjust fonts, spacing or wording around the tags, and save it
over the built one. The context they receive is `rkpk.plans.documents.document_context()`.

Layout (DESIGN.md §5): Arial, centered bold titles, page number in the footer; the PK
statement page is A4 portrait and ends with two signature blocks, the second party on the
left and the first party on the right; the RK and the PK attachment are A4 landscape
sections whose tables have borders, a repeated grey header row, and a fixed layout with
column widths that keep words whole (`rkpk.core.docx_layout`).
"""

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from rkpk.core.docx_layout import (
    LANDSCAPE_WIDTH_CM,
    fixed_widths,
    landscape_page,
    landscape_section,
    portrait_page,
    portrait_section,
)

OUT_DIR = Path(__file__).resolve().parent.parent / "rkpk" / "plans" / "document_templates"
FONT = "Arial"
HEADER_FILL = "D9D9D9"
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less the 3 cm left and 2 cm right margins


# --- low-level helpers -----------------------------------------------------------------


def _set_cell_fill(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _field(paragraph, instruction: str, size: int) -> None:
    """A Word field (PAGE, NUMPAGES) as its five runs, each in the footer's type size."""

    def run_with(element):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = OxmlElement("w:t")
    shown.text = "1"
    run_with(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _cell_margins(table, top_bottom_pt: float = 2.5, sides_pt: float = 4) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge, points in (
        ("top", top_bottom_pt),
        ("left", sides_pt),
        ("bottom", top_bottom_pt),
        ("right", sides_pt),
    ):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(points * 20)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _para(container, text: str = "", *, bold=False, size=None, align=None, after=0, before=0):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _tag(container, tag: str):
    """A paragraph that holds only a docxtpl paragraph tag ({%p ... %})."""
    return _para(container, tag)


def _cell_text(cell, text, *, bold=False, align=None, size=9) -> None:
    """`text` is a string, or a list of (text, bold) runs."""
    paragraph = cell.paragraphs[0]
    runs = text if isinstance(text, list) else ([(text, bold)] if text else [])
    for run_text, run_bold in runs:
        run = paragraph.add_run(run_text)
        run.bold = run_bold
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _widths(table, widths_cm: list[float]) -> None:
    """Fixed layout, autofit off, these column widths (the table, its grid, every cell)."""
    fixed_widths(table, widths_cm)


def _tag_row(table, tag: str) -> None:
    """A row that holds only a docxtpl row tag ({%tr ... %}) in its first cell."""
    row = table.add_row()
    row.cells[0].paragraphs[0].add_run(tag)


def _data_table(doc, headers: list[str], widths: list[float], loops: list[str], cells: list[tuple]):
    """A bordered table: a grey repeated header row, then the loop rows around one data row.

    `cells` are (text, align) of the data row; `loops` the opening tags (closing ones follow
    in reverse order).
    """
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table)
    head = table.rows[0]
    _repeat_as_header(head)
    _cant_split(head)
    for cell, text in zip(head.cells, headers, strict=True):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _set_cell_fill(cell, HEADER_FILL)
    for tag in loops:
        _tag_row(table, tag)
    row = table.add_row()
    _cant_split(row)
    for cell, (text, align) in zip(row.cells, cells, strict=True):
        _cell_text(cell, text, align=align)
    for _loop in loops:
        _tag_row(table, "{%tr endfor %}")
    return table


def _merged_row(table, texts: list[tuple[int, str, object, bool]]):
    """A row whose cells are merged in spans: (span, text, align, bold) per span."""
    row = table.add_row()
    _cant_split(row)
    col = 0
    for span, text, align, bold in texts:
        cell = row.cells[col]
        if span > 1:
            cell = cell.merge(row.cells[col + span - 1])
        _cell_text(cell, text, bold=bold, align=align)
        col += span
    return row


def _empty_state_rows(table, condition: str, text: str, columns: int) -> None:
    _tag_row(table, "{%tr if " + condition + " %}")
    _merged_row(table, [(columns, text, WD_ALIGN_PARAGRAPH.CENTER, False)])
    _tag_row(table, "{%tr endif %}")


# --- document parts -------------------------------------------------------------------

CENTER, RIGHT, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT

# Column widths (cm) of the landscape tables, each adding up to LANDSCAPE_WIDTH_CM (25.7):
# No, Satuan, Target and Anggaran sized for their content, the text columns share the rest.
RK_GOAL_WIDTHS = [1.0, 7.0, 8.7, 2.8, 3.0, 3.2]
RK_ACTIVITY_WIDTHS = [1.2, 7.2, 7.7, 2.8, 2.6, 4.2]
PK_GOAL_WIDTHS = [1.0, 8.6, 10.3, 2.8, 3.0]
PK_ACTIVITY_WIDTHS = [1.2, 14.0, 4.0, 6.5]


def _title(doc, title_expr: str, subtitle_expr: str) -> None:
    """The title, the unit's name and, below it, the organisation's (from the profile)."""
    _para(doc, title_expr, bold=True, size=13, align=CENTER, after=2)
    _para(doc, subtitle_expr, bold=True, size=12, align=CENTER, after=2)
    _para(doc, "{{ organisation_upper }}", bold=True, size=12, align=CENTER, after=14)


def _section_heading(doc, text: str) -> None:
    heading = _para(doc, text, bold=True, size=11, before=14, after=6)
    heading.paragraph_format.keep_with_next = True


def add_rk(doc, *, first: bool = True) -> None:
    """The RK: its tables on A4 landscape pages."""
    if first:
        landscape_page(doc.sections[-1])
    else:
        landscape_section(doc)
    _title(doc, "RENCANA KINERJA TAHUNAN {{ year }}", "{{ unit_name_upper }}")
    _section_heading(doc, "A. Sasaran dan Indikator Kinerja")
    table = _data_table(
        doc,
        [
            "No",
            "Sasaran",
            "Indikator Kinerja",
            "Satuan",
            "Target {{ year }}",
            "Target Tahun Lalu ({{ year - 1 }})",
        ],
        RK_GOAL_WIDTHS,
        ["{%tr for goal in rk.goals %}", "{%tr for row in goal.rows %}"],
        [
            ("{% vm %}{{ goal.number }}", CENTER),
            ("{% vm %}{{ goal.text }}", LEFT),
            ("{{ row.name }}", LEFT),
            ("{{ row.measure }}", CENTER),
            ("{{ row.target }}", CENTER),
            ("{{ row.previous }}", CENTER),
        ],
    )
    _empty_state_rows(table, "not rk.goals", "Belum ada sasaran.", 6)
    _widths(table, RK_GOAL_WIDTHS)

    _section_heading(doc, "B. Program/Kegiatan")
    widths = RK_ACTIVITY_WIDTHS
    table = _data_table(
        doc,
        [
            "No",
            "Program/Kegiatan",
            "Indikator Kinerja Kegiatan",
            "Satuan",
            "Target",
            "Anggaran (Rp)",
        ],
        widths,
        ["{%tr for activity in rk.activities %}", "{%tr for row in activity.rows %}"],
        [
            ("{% vm %}{{ activity.number }}", CENTER),
            ("{% vm %}{{ activity.label }}", LEFT),
            ("{{ row.name }}", LEFT),
            ("{{ row.measure }}", CENTER),
            ("{{ row.target }}", CENTER),
            ("{% vm %}{{ activity.budget }}", RIGHT),
        ],
    )
    _empty_state_rows(table, "not rk.activities", "Belum ada program/kegiatan.", 6)
    _merged_row(
        table,
        [(5, "Jumlah", CENTER, True), (1, "{{ rk.budget_total }}", RIGHT, True)],
    )
    _widths(table, widths)


def _bold_if_program(expression: str) -> list[tuple[str, bool]]:
    """Runs that print `expression` in bold on a program's row, plain on an activity's."""
    return [
        ("{%r if activity.is_program %}", False),
        (expression, True),
        ("{%r else %}", False),
        (expression, False),
        ("{%r endif %}", False),
    ]


def _signatures(doc, width_cm: float = TEXT_WIDTH_CM) -> None:
    """Place and date above the right column; second party left, first party right: the post
    held for this unit, the name, the person's own rank and NIP (no NIP line without one)."""
    table = doc.add_table(rows=7, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [
        ("", "{{ pk.place_date }}"),
        ("{{ pk.second.label }},", "{{ pk.first.label }},"),
        ("{{ pk.second.position }}", "{{ pk.first.position }}"),
        ("", ""),
        ("{{ pk.second.name }}", "{{ pk.first.name }}"),
        ("{{ pk.second.rank }}", "{{ pk.first.rank }}"),  # the person's own rank, if any
        ("{{ pk.second.nip_line }}", "{{ pk.first.nip_line }}"),
    ]
    for index, (row, texts) in enumerate(zip(table.rows, rows, strict=True)):
        _cant_split(row)
        for cell, text in zip(row.cells, texts, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            if text:
                run = paragraph.add_run(text)
                run.font.size = Pt(11)
                if index == 4:
                    run.bold = True
                    run.underline = True
        if index == 3:  # room for the signature (and the stamp)
            row.height = Cm(2.6)
    _widths(table, [width_cm / 2, width_cm / 2])


def _statement(doc) -> None:
    """The regulated statement text: blocks (paragraphs) of lines; "Label: value" lines aligned."""
    _tag(doc, "{%p for block in pk.statement %}")
    _tag(doc, "{%p for line in block %}")
    _tag(doc, "{%p if line.label %}")
    field = _para(doc)
    fmt = field.paragraph_format
    fmt.left_indent = Cm(4.4)
    fmt.first_line_indent = Cm(-3.4)
    fmt.tab_stops.add_tab_stop(Cm(4.0), WD_TAB_ALIGNMENT.LEFT)
    fmt.tab_stops.add_tab_stop(Cm(4.4), WD_TAB_ALIGNMENT.LEFT)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.15
    field.add_run("{{ line.label }}\t:\t{{ line.value }}")
    _tag(doc, "{%p else %}")
    text = _para(doc, "{{ line.text }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    text.paragraph_format.line_spacing = 1.15
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _para(doc, "", after=4)
    _tag(doc, "{%p endfor %}")


def add_pk(doc, *, first: bool = True) -> None:
    """The PK: the statement page in A4 portrait, the attachment in A4 landscape."""
    if not first:
        portrait_section(doc)
    _title(doc, "{{ pk.title }}", "{{ unit_name_upper }}")
    _statement(doc)
    _para(doc, "", after=6)
    _signatures(doc)

    landscape_section(doc)
    _title(doc, "{{ pk.attachment_title }}", "{{ unit_name_upper }}")
    widths = PK_GOAL_WIDTHS
    table = _data_table(
        doc,
        ["No", "Sasaran Strategis", "Indikator Kinerja", "Satuan", "Target"],
        widths,
        ["{%tr for goal in pk.goals %}", "{%tr for row in goal.rows %}"],
        [
            ("{% vm %}{{ goal.number }}", CENTER),
            ("{% vm %}{{ goal.text }}", LEFT),
            ("{{ row.name }}", LEFT),
            ("{{ row.measure }}", CENTER),
            ("{{ row.target }}", CENTER),
        ],
    )
    _empty_state_rows(table, "not pk.goals", "Belum ada indikator kinerja dalam PK.", 5)
    _widths(table, widths)
    _para(doc, "", after=10)

    widths = PK_ACTIVITY_WIDTHS
    table = _data_table(
        doc,
        ["No", "Program/Kegiatan", "Anggaran (Rp)", "Keterangan"],
        widths,
        ["{%tr for activity in pk.activities %}"],
        [
            ("{{ activity.number }}", CENTER),
            (_bold_if_program("{{ activity.label }}"), LEFT),
            (_bold_if_program("{{ activity.budget }}"), RIGHT),
            ("{{ activity.notes }}", LEFT),
        ],
    )
    _empty_state_rows(table, "not pk.activities", "Belum ada program/kegiatan.", 4)
    _merged_row(
        table,
        [
            (2, "Jumlah", CENTER, True),
            (1, "{{ pk.budget_total }}", RIGHT, True),
            (1, "", LEFT, False),
        ],
    )
    _widths(table, widths)
    _para(doc, "", after=10)
    _signatures(doc, width_cm=LANDSCAPE_WIDTH_CM)


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    portrait_page(section)
    section.footer_distance = Cm(1.0)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    # The document's language: Indonesian (spell-checking in Word).
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    r_pr.append(lang)

    footer = section.footer.paragraphs[0]
    footer.alignment = CENTER
    for text, instruction in (("Halaman ", "PAGE"), (" dari ", "NUMPAGES")):
        run = footer.add_run(text)
        run.font.size = Pt(8)
        _field(footer, instruction, 8)
    doc.core_properties.author = "RK-PK"
    doc.core_properties.title = "{{ doc_title }}"
    return doc


def _remove_first_empty_paragraph(doc) -> None:
    body = doc.element.body
    first = body[0]
    if first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        body.remove(first)


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, parts in (("rk", [add_rk]), ("pk", [add_pk]), ("rkpk", [add_rk, add_pk])):
        doc = new_document()
        for index, part in enumerate(parts):
            part(doc, first=index == 0)  # each part starts its own section (a new page)
        _remove_first_empty_paragraph(doc)
        path = out_dir / f"{name}.docx"
        doc.save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)

"""(Re)build the Word template of memoranda and letters: document.docx.

    .venv/bin/python scripts/build_correspondence_docx.py [OUT_DIR]

The template is a committed binary file in rkpk/correspondence/document_templates/; this
script is its source. It is an ordinary Word document with docxtpl (Jinja) tags, so a
secretariat can open it in Word, adjust fonts and spacing around the tags, and save it over
the built one. The context it receives is `rkpk.correspondence.rendering.document_context()`
plus `addressee_text`, `body_text` and `qr` (an image, or empty) added by `render_docx()`.

Layout (DESIGN.md §5, naskah dinas): A4 portrait, Arial, letterhead centred and bold over a
double rule; "NOTA DINAS" for a memorandum; Nomor/Sifat/Lampiran/Hal on the left with place
and date on the right; "Yth." and the addressees; the body, justified; the signature block on
the right with the verification QR code on its left; "Tembusan:"; page numbers in the footer.
"""

import sys
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_docx_templates import (  # noqa: E402 — the plan documents' helpers
    TEXT_WIDTH_CM,
    _cant_split,
    _no_borders,
    _para,
    _remove_first_empty_paragraph,
    _tag,
    _widths,
    new_document,
)

OUT_DIR = Path(__file__).resolve().parent.parent / "rkpk" / "correspondence" / "document_templates"
CENTER, RIGHT, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# The elements a paragraph's properties may hold after w:pBdr, in the schema's order.
_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _rule_below(paragraph) -> None:
    """A double line under the paragraph (the letterhead's rule)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "double")
    bottom.set(qn("w:sz"), "12")
    bottom.set(qn("w:space"), "4")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    p_pr.insert_element_before(borders, *_AFTER_BORDERS)  # the schema's order matters to Word


def _cell(cell, text: str = "", *, bold=False, underline=False, align=None, size=11, after=0):
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.underline = bold, underline
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def add_letterhead(doc) -> None:
    _tag(doc, "{%p for line in letterhead %}")
    _tag(doc, "{%p if loop.last %}")
    _rule_below(_para(doc, "{{ line }}", bold=True, size=13, align=CENTER, after=14))
    _tag(doc, "{%p else %}")
    _para(doc, "{{ line }}", bold=True, size=13, align=CENTER)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if is_draft %}")
    draft = _para(doc, "{{ draft_label }}", bold=True, size=9, align=RIGHT, after=6)
    draft.runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x00)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if title %}")
    title = _para(doc, "{{ title }}", bold=True, size=12, align=CENTER, after=12)
    title.runs[0].underline = True
    _tag(doc, "{%p endif %}")


def add_heading(doc) -> None:
    """Nomor/Sifat/Lampiran/Hal on the left; place and date on the right of the first row."""
    widths = [2.3, 0.5, TEXT_WIDTH_CM - 2.3 - 0.5 - 5.2, 5.2]
    table = doc.add_table(rows=1, cols=4)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    row = table.rows[0]
    row.cells[0].paragraphs[0].add_run("{%tr for row in heading %}")
    cells = [
        ("{{ row.label }}", LEFT),
        (":", LEFT),
        ("{{ row.value }}", LEFT),
        ("{% if loop.first %}{{ place_date }}{% endif %}", RIGHT),
    ]
    data = table.add_row()
    _cant_split(data)
    for cell, (text, align) in zip(data.cells, cells, strict=True):
        _cell(cell, text, align=align)
    end = table.add_row()
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    _widths(table, widths)


def add_addressee_and_body(doc) -> None:
    yth = _para(doc, "Yth.\t{{ addressee_text }}", before=12, after=12)
    fmt = yth.paragraph_format
    fmt.left_indent = Cm(1.2)
    fmt.first_line_indent = Cm(-1.2)
    fmt.tab_stops.add_tab_stop(Cm(1.2))
    _tag(doc, "{%p for paragraph in body_text %}")
    body = _para(doc, "{{ paragraph }}", align=JUSTIFY, after=8)
    body.paragraph_format.line_spacing = 1.15
    _tag(doc, "{%p endfor %}")


def add_closing(doc) -> None:
    """The QR code and its caption on the left, the signature block on the right."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    row = table.rows[0]
    _cant_split(row)
    left, right = row.cells
    _cell(left, "{{ qr }}")
    _cell(left, "{{ qr_caption }}", size=8)
    _cell(left, "{{ verification_url }}", size=7)
    _cell(right, "{{ signature.position }},", align=CENTER)
    mark = _cell(right, "{{ signature.mark }}", align=CENTER, size=9)
    mark.paragraph_format.space_before = Pt(16)
    mark.paragraph_format.space_after = Pt(16)
    _cell(right, "{{ signature.name }}", bold=True, underline=True, align=CENTER)
    _cell(right, "{{ signature.nip_line }}", align=CENTER)
    _widths(table, [TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2])
    _para(doc, "", after=12)


def add_copies(doc) -> None:
    _tag(doc, "{%p if copies %}")
    _para(doc, "Tembusan:", size=10)
    _tag(doc, "{%p for copy in copies %}")
    item = _para(doc, "{{ loop.index }}.\t{{ copy }}", size=10)
    fmt = item.paragraph_format
    fmt.left_indent = Cm(0.7)
    fmt.first_line_indent = Cm(-0.7)
    fmt.tab_stops.add_tab_stop(Cm(0.7))
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")


def build(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = new_document()
    for run in doc.sections[0].footer.paragraphs[0].runs:
        run.font.size = Pt(8)
    add_letterhead(doc)
    add_heading(doc)
    add_addressee_and_body(doc)
    add_closing(doc)
    add_copies(doc)
    _remove_first_empty_paragraph(doc)
    path = out_dir / "document.docx"
    doc.save(path)
    return [path]


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)

"""Page and table layout of the DOCX documents (python-docx).

The statement and narrative pages are A4 portrait; the attachment tables sit in A4
landscape sections (`landscape_section`), and every table has a fixed layout with explicit
column widths (`fixed_widths`) so Word and LibreOffice keep words whole: narrow columns (No,
Satuan, Target) are sized for their content and the text columns share the rest.
"""

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

A4_SHORT, A4_LONG = 21.0, 29.7  # cm
# Arial, as in the Word templates: LibreOffice prints it with the metric-compatible
# Liberation Sans, so the widths measured for Word hold there too (python-docx's own
# default, Calibri, is replaced by a wider font where it is not installed).
FONT = "Arial"
PORTRAIT_MARGINS = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 2.0}
LANDSCAPE_MARGINS = {"top": 2.0, "bottom": 2.0, "left": 2.0, "right": 2.0}
PORTRAIT_WIDTH_CM = A4_SHORT - PORTRAIT_MARGINS["left"] - PORTRAIT_MARGINS["right"]  # 16.0
LANDSCAPE_WIDTH_CM = A4_LONG - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"]  # 25.7


def use_font(document, name: str = FONT, size_pt: float = 11) -> None:
    """The document's body font (Normal style) and the headings' font."""
    for style_name in ("Normal", "Heading 1", "Heading 2", "List Bullet", "Title"):
        try:
            style = document.styles[style_name]
        except KeyError:
            continue
        style.font.name = name
        r_pr = style.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), name)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
    document.styles["Normal"].font.size = Pt(size_pt)


def _page(section, *, landscape: bool) -> None:
    margins = LANDSCAPE_MARGINS if landscape else PORTRAIT_MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.page_width, section.page_height = Cm(width), Cm(height)
    section.top_margin, section.bottom_margin = Cm(margins["top"]), Cm(margins["bottom"])
    section.left_margin, section.right_margin = Cm(margins["left"]), Cm(margins["right"])


def portrait_page(section) -> None:
    """Make a section A4 portrait (python-docx starts with US Letter)."""
    _page(section, landscape=False)


def landscape_page(section) -> None:
    _page(section, landscape=True)


def landscape_section(document):
    """Start a new page in an A4 landscape section; what follows is printed landscape. The
    header and footer continue from the section before."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    landscape_page(section)
    return section


def portrait_section(document):
    """Start a new page in an A4 portrait section (e.g. the signature page after a table)."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    portrait_page(section)
    return section


def fit_widths(widths_cm: list[float], total_cm: float, *, fixed: int = 0) -> list[float]:
    """Stretch or shrink the widths so they fill `total_cm`; the first `fixed` columns (and
    every column given as a negative number, meaning "exactly this") keep their width."""
    exact = [i < fixed or w < 0 for i, w in enumerate(widths_cm)]
    widths = [abs(w) for w in widths_cm]
    kept = sum(w for w, e in zip(widths, exact, strict=True) if e)
    free = sum(w for w, e in zip(widths, exact, strict=True) if not e)
    if free <= 0:
        return widths
    factor = (total_cm - kept) / free
    return [w if e else round(w * factor, 2) for w, e in zip(widths, exact, strict=True)]


def fixed_widths(table, widths_cm: list[float]) -> None:
    """Fixed table layout (autofit off) with the given column widths, on the table, its grid
    and every cell, so no reader re-flows the columns."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(int(Cm(w).twips) for w in widths_cm)))
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        position = 0
        for tc in row._tr.findall(qn("w:tc")):
            span_element = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_element.get(qn("w:val"))) if span_element is not None else 1
            width = sum(widths_cm[position : position + span])
            tc_pr = tc.get_or_add_tcPr()
            tc_w = tc_pr.get_or_add_tcW()
            tc_w.set(qn("w:type"), "dxa")
            tc_w.set(qn("w:w"), str(int(Cm(width).twips)))
            position += span


def repeat_header(row) -> None:
    """Repeat the row at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(OxmlElement("w:tblHeader"))


def grid_table(document, headers: list[str], rows):
    """A bordered table: the headers in bold, repeated on every page, then one row of text
    per item of `rows`. The caller sets the column widths (`fixed_widths`)."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
    repeat_header(table.rows[0])
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)
    return table

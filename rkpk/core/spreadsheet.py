"""What every XLSX export passes its cells through.

- `safe_cell(value)`: text that a spreadsheet could read as a formula is neutralised (an
  apostrophe in front); `text_cell(cell, text)` does it without a visible apostrophe (a
  string cell with the quote prefix), as `append_row` does.
- Numbers are stored as numbers, never as text: `number(value)` turns a Decimal into an int
  or float, `display_number(text)` reads a figure printed the Indonesian way ("1.234,5",
  "85%", "Rp1.500.000", "-1,0") back into a number and the format that shows it the same.
- Every number carries a number format: `RUPIAH` for money, `PERCENT` for a fraction shown
  as a percentage; `format_numbers(workbook)` (called by `workbook_bytes`) gives the numbers
  still in "General" a format fitting their value. The spreadsheet shows them in the
  reader's own separators (Indonesian "1.234,5" in an Indonesian Excel or LibreOffice).
- `print_setup(ws)`: A4 landscape, columns fitted to the page's width.
- `column_widths(ws, widths)`: the widths of the first columns, in order.
"""

import io
import re
from decimal import Decimal, InvalidOperation

from rkpk.core.formatting import NumberFormatError, parse_number

# Text a spreadsheet could read as a formula (CSV/formula injection).
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")

RUPIAH = "#,##0"  # whole rupiah, thousands grouped
INTEGER = "0"  # counts, years, sequence numbers
PERCENT = "0.00%"  # a fraction (0.855) shown as a percentage (85,50%)
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
MAX_DECIMALS = 4
_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def safe_cell(value):
    """A value safe to put in a spreadsheet cell: text that a spreadsheet could read as a
    formula gets an apostrophe in front. Other values pass unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def number(value):
    """A number as a spreadsheet stores it: Decimal → int when whole, else float; None stays."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def decimal_format(value, *, grouped: bool = True) -> str:
    """The format that shows `value` with its own decimals (at most MAX_DECIMALS)."""
    whole = "#,##0" if grouped else "0"
    try:
        exponent = Decimal(str(value)).normalize().as_tuple().exponent
    except (InvalidOperation, ValueError):
        return whole
    places = min(max(-int(exponent), 0), MAX_DECIMALS) if isinstance(exponent, int) else 0
    return whole + ("." + "0" * places if places else "")


def number_format_for(value) -> str | None:
    """A number format fitting a number: ints (counts, years) plain, others with their own
    decimals and thousands grouped; None for a value that is not a number."""
    if not is_number(value):
        return None
    if isinstance(value, int):
        return INTEGER
    return decimal_format(value)


def display_number(text):
    """(number, number format) of a figure printed as text — "1.234,5", "85%" (→ 0.85 as a
    percentage), "Rp1.500.000" (→ rupiah), "-1,0" — or None when the text is not one number
    (a range, a qualitative target, a code)."""
    if is_number(text):
        return number(text), number_format_for(number(text))
    raw = str(text or "").strip()
    if not raw:
        return None
    try:
        value = parse_number(raw)
    except NumberFormatError:
        return None
    compact = raw.replace("\u00a0", "").replace(" ", "")
    exponent = value.as_tuple().exponent  # the decimals as written ("-1,0" keeps one)
    places = min(max(-int(exponent), 0), MAX_DECIMALS) if isinstance(exponent, int) else 0
    decimals = "." + "0" * places if places else ""
    if compact.endswith("%"):
        return float(value / 100), f"0{decimals}%"
    if compact.lower().startswith("rp"):
        return number(value), RUPIAH + decimals
    grouped = "#,##0" if _GROUPED.match(compact) or abs(value) >= 10000 else "0"
    return number(value), grouped + decimals


def typed_cell(value, number_format: str | None = None):
    """(value, number format) for a cell: numbers as numbers with a format (the one given,
    else one fitting the value); text neutralised by `safe_cell`."""
    if is_number(value):
        return number(value), number_format or number_format_for(value)
    return safe_cell(value), None


def text_cell(cell, text: str):
    """Put text in a cell as text, whatever it starts with: text a spreadsheet could read as
    a formula ("=…", "-1,5–2") is stored as a string cell with Excel's quote prefix (the
    typed apostrophe, which is not shown and never becomes part of the text) instead of a
    visible apostrophe. Returns the cell."""
    cell.value = text
    if isinstance(text, str) and text.startswith(DANGEROUS_START):
        cell.data_type = "s"  # never a formula, even "=…"
        cell.quotePrefix = True
    return cell


def append_row(ws, values, formats: dict[int, str] | None = None, *, font=None) -> None:
    """Append a row: numbers as numbers with a number format (`formats` by 0-based column,
    else fitting the value), text as text (`text_cell`: neutralised without a visible
    apostrophe). Works on write-only sheets too."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for index, value in enumerate(values):
        cell = WriteOnlyCell(ws)
        if is_number(value):
            value, fmt = typed_cell(value, (formats or {}).get(index))
            cell.value = value
            if fmt:
                cell.number_format = fmt
        else:
            text_cell(cell, value)
        if font is not None:
            cell.font = font
        cells.append(cell)
    ws.append(cells)


def format_numbers(workbook) -> None:
    """Give every number still formatted "General" a format fitting its value."""
    if getattr(workbook, "write_only", False):
        return
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if (
                    cell.data_type == "n"
                    and is_number(cell.value)
                    and cell.number_format == "General"
                ):
                    fmt = number_format_for(cell.value)  # a whole Decimal: grouped
                    if isinstance(cell.value, Decimal):
                        cell.value = number(cell.value)
                    cell.number_format = fmt


def print_setup(ws) -> None:
    """Print on A4 landscape, the columns fitted to the page's width (rows run on over as
    many pages as they need). A sheet that set its own orientation keeps it."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = "9"  # A4
    if not ws.page_setup.orientation:
        ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def column_widths(ws, widths) -> None:
    """Set the widths (in characters) of the first columns, A onwards, in order. Works on
    write-only sheets too (before the first row)."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(workbook) -> bytes:
    """The workbook as XLSX bytes, every number with a number format, every sheet printing
    on A4 landscape fitted to the page's width."""
    format_numbers(workbook)
    if not getattr(workbook, "write_only", False):
        for ws in workbook.worksheets:
            print_setup(ws)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

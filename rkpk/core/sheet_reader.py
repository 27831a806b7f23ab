"""The one spreadsheet reader of every import (plans, units, officials, goals, reference lists).

Nothing here knows a domain: each import names its sheets and columns and judges the values.

Upload guards (raise `SheetFileError`, whose message is shown to the user as it is):

- `read_upload(upload)`: the bytes of an uploaded file, refusing more than `MAX_BYTES`
  without reading it all.
- `check_workbook(data, filename)`: refuses what is not a plain XLSX workbook — empty or too
  large, a macro-enabled extension (.xlsm, .xlsb, …), an old .xls or a password-protected
  file (OLE), not a zip, a damaged zip, too many parts, a zip bomb (unpacked size or ratio),
  no or foreign `[Content_Types].xml`, macros (`vbaProject.bin`), XML parts that declare a
  DOCTYPE or ENTITY. The content decides, not the name. `too_large` and `too_unpacked`
  replace the wording of those two refusals (with `%(mb)s`) where an import has its own.
- `check_csv(data)`: refuses a workbook named .csv, binary content, text not in UTF-8.

Reading (cell values typed as the user typed them):

- `read_workbook(data, sheets=..., max_rows=...)` → `Book`: the wanted sheets (found by
  `normalise_header` of their title; `sheets=None` reads all), each a `Sheet` whose `rows`
  are `(row number as Excel shows it, [values])`. Values are None, str, int, float, bool,
  date/datetime/time, or one of:
    `Formula(text)` — a formula cell, or text starting with "=" not typed as text (Excel's
    leading apostrophe); `ErrorValue(text)` — an Excel error such as #DIV/0!;
    `Percent(fraction)` — a number shown as a percentage (`.value` is 85 for 0.85).
  Text that `safe_cell` neutralised on export loses that one apostrophe again. A sheet
  longer than `max_rows` stops there with `truncated` set. `Book.properties`: the
  workbook's custom document properties. Call `check_workbook` first.
- `read_csv(data, filename)` → `Sheet` (delimiter , or ; sniffed); `read_file(data,
  filename=..., sheet=...)` → `Sheet`: an XLSX (the sheet named `sheet`, else the first) or
  a CSV, chosen and checked by extension and content together.

Columns and rows:

- `normalise_header(text, aliases)`: "Kode  Sasaran*" → "kode_sasaran"; compare headers
  (and sheet titles) only through it.
- `header_map(values, columns, aliases)` → `Header`: which column (position) holds which
  field, found by normalised header; also the unknown and repeated headers, for the
  import's own message.
- `filled_rows(sheet.rows, after=header_row, positions=...)`: the rows below the header with a
  value in one of `positions` (all when None).
- `is_blank(value)`, `column_letter(position)` (0-based position → "A").

Errors: `SheetError(sheet, row, column, field, message)` names one problem where the user
finds it — the sheet, the row as Excel shows it, the column letter, and the field (the
column's header as in the file). `str()` reads "Indikator!L5 (Target): message" (used to
annotate cells and in the plans report); `in_words()` reads "units, row 5, column D
(Level): message"; `as_dict()` / `SheetError.from_dict()` for sessions and the API (the
field is called "header" there).
"""

from __future__ import annotations

import csv
import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from rkpk.core.spreadsheet import DANGEROUS_START

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # unpacked / packed; checked once the archive unpacks to more than 1 MB
RATIO_FLOOR = 1024 * 1024
MAX_MEMBERS = 2000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam", ".xla"}


# --- Errors -----------------------------------------------------------------------------------


class SheetFileError(Exception):
    """The file as a whole cannot be used (type, size, macros, password, damage, header)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class SheetError:
    """One problem, where the user finds it."""

    sheet: str
    row: int | None  # as Excel shows it; None: the whole sheet or file
    column: str  # the letter, e.g. "L"; "" when not one column
    field: str  # the column's header (or the field's name), e.g. "Target"
    message: str

    @property
    def cell(self) -> str:
        if self.row and self.column:
            return f"{self.column}{self.row}"
        if self.row:
            return str(self.row)
        return self.column

    @property
    def label(self) -> str:
        """The column as the user sees it: "D (Level)"."""
        if self.column and self.field:
            return f"{self.column} ({self.field})"
        return self.column or self.field

    def __str__(self) -> str:
        where = self.sheet
        if self.cell:
            where = f"{self.sheet}!{self.cell}" if self.sheet else self.cell
        if self.field:
            where = f"{where} ({self.field})" if where else self.field
        return f"{where}: {self.message}" if where else self.message

    def in_words(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.label:
            where.append(_("column %(column)s") % {"column": self.label})
        prefix = f"{self.sheet}, {', '.join(where)}: " if where else f"{self.sheet}: "
        return prefix + self.message

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.field,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict) -> SheetError:
        return cls(
            data.get("sheet", ""),
            data.get("row"),
            data.get("column", ""),
            data.get("header", data.get("field", "")),
            data.get("message", ""),
        )


# --- Upload guards ----------------------------------------------------------------------------


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB. Split it into smaller files.") % {
        "mb": MAX_BYTES // (1024 * 1024)
    }


def damaged_message() -> str:
    return _(
        "The file is damaged and cannot be read as an Excel workbook. Open it in Excel, "
        "save it again as 'Excel Workbook (.xlsx)' and upload it again."
    )


def macro_message() -> str:
    return _(
        "Macro-enabled or binary workbooks (.xlsm, .xlsb) are not accepted. Save the file "
        "as 'Excel Workbook (.xlsx)' and upload it again."
    )


def encrypted_or_legacy_message(data: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _(
            "The workbook is password-protected. Remove the password (File → Info → "
            "Protect Workbook → Encrypt with Password) and upload it again."
        )
    return _(
        "This is an old Excel 97–2003 file (.xls) or a password-protected workbook. "
        "Save it as 'Excel Workbook (.xlsx)' without a password and upload it again."
    )


def read_upload(upload, max_bytes: int = MAX_BYTES, *, too_large: str = "") -> bytes:
    """The bytes of an uploaded file, refusing more than `max_bytes` without reading it all."""
    message = too_large or too_large_message()
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise SheetFileError(message)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SheetFileError(message)
    return data


def check_workbook(
    data: bytes, filename: str = "", *, too_large: str = "", too_unpacked: str = ""
) -> None:
    """Refuse what is not a plain, macro-free, unencrypted, reasonably sized XLSX workbook.

    The content decides, not the name; only a macro-enabled extension is refused by name.
    `too_large`: the message for a file over MAX_BYTES; `too_unpacked`: for a zip bomb,
    formatted with %(mb)s (the unpacked size).
    """
    if not data:
        raise SheetFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SheetFileError(too_large or too_large_message())
    if PurePath(filename or "").suffix.lower() in MACRO_EXTENSIONS:
        raise SheetFileError(macro_message())
    if data.startswith(OLE_MAGIC):
        raise SheetFileError(encrypted_or_legacy_message(data))
    if not data.startswith(ZIP_MAGIC):
        raise SheetFileError(
            _(
                "The file is not an Excel workbook (.xlsx). Download the template, fill it "
                "in and upload it again."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        names = {info.filename for info in members}
        if len(members) > MAX_MEMBERS:
            raise SheetFileError(_("The workbook has too many parts to be read."))
        unpacked = sum(info.file_size for info in members)
        packed = sum(info.compress_size for info in members)
        if unpacked > MAX_UNPACKED_BYTES or (
            unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(packed, 1)
        ):
            if too_unpacked:
                raise SheetFileError(too_unpacked % {"mb": unpacked // (1024 * 1024)})
            raise SheetFileError(_("The workbook is too large when unpacked. Split it up."))
        if "[Content_Types].xml" not in names:
            raise SheetFileError(
                _("The file is a zip archive but not an Excel workbook. Upload an .xlsx file.")
            )
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        for info in members:
            if info.filename.endswith((".xml", ".rels", ".vml")) and _declares_entities(
                archive, info
            ):
                raise SheetFileError(damaged_message())
    except SheetFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as error:
        logger.info("Refused an upload as a damaged zip: %s", error)
        raise SheetFileError(damaged_message()) from error
    if "macroenabled" in content_types.lower() or "xl/vbaProject.bin" in names:
        raise SheetFileError(macro_message())
    if not any(kind in content_types for kind in WORKBOOK_TYPES):
        raise SheetFileError(
            _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
        )


def _declares_entities(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part has a DOCTYPE or ENTITY declaration (never in a real workbook;
    the way to entity-expansion bombs and external entities)."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(256 * 1024):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            tail = window[-16:]
    return False


def check_csv(data: bytes) -> str:
    """The text of a CSV upload; refuses a workbook named .csv, binary data, not UTF-8."""
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        raise SheetFileError(
            _("The file is named .csv but is an Excel workbook. Rename it to .xlsx or export CSV.")
        )
    if b"\x00" in data:
        raise SheetFileError(_("The file is not a text (CSV) file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetFileError(
            _(
                "The CSV file is not in UTF-8. In Excel choose 'Save as' → "
                "'CSV UTF-8 (Comma delimited)' and upload it again."
            )
        ) from error


# --- Cell values ------------------------------------------------------------------------------


class Formula:
    """A cell holding a formula (or text that begins with "=")."""

    def __init__(self, text: str):
        self.text = text


class ErrorValue:
    """A cell holding an Excel error such as #DIV/0!."""

    def __init__(self, text: str):
        self.text = text


class Percent:
    """A number cell Excel shows as a percentage: 0.85 shown as 85%."""

    def __init__(self, fraction):
        self.fraction = fraction
        self.value = (Decimal(repr(fraction)) * 100).normalize()

    def __str__(self) -> str:
        return f"{format(self.value, 'f')}%"


def unneutralise(text: str) -> str:
    """Take off the apostrophe `safe_cell` added (and only that one)."""
    if len(text) > 1 and text[0] == "'" and text[1] in DANGEROUS_START:
        return text[1:]
    return text


def cell_value(cell):
    """The value of an openpyxl cell as the user typed it (see the module's docstring)."""
    value = cell.value
    if value is None:
        return None
    data_type = getattr(cell, "data_type", None)
    if data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
        return Formula(str(getattr(value, "text", value) or "="))
    if data_type == "e":
        return ErrorValue(str(value))
    if isinstance(value, str):
        if value.startswith("="):
            style = getattr(cell, "style_array", None)
            if style is None or not style.quotePrefix:
                return Formula(value)
            return value
        return unneutralise(value)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and "%" in (getattr(cell, "number_format", None) or ""):
        return Percent(value)
    return value


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(position: int | None) -> str:
    """The letter of a 0-based column position ("" for None)."""
    return get_column_letter(position + 1) if position is not None else ""


# --- Reading sheets ---------------------------------------------------------------------------


@dataclass
class Sheet:
    name: str  # the title as in the file (a CSV: its file name)
    rows: list = field(default_factory=list)  # (row number, [values])
    truncated: bool = False  # more rows than max_rows: the rest was not read


@dataclass
class Book:
    sheets: dict[str, Sheet] = field(default_factory=dict)  # wanted name -> sheet
    properties: dict = field(default_factory=dict)  # custom document properties
    titles: list[str] = field(default_factory=list)  # every sheet's title, in order


def read_workbook(
    data: bytes, *, sheets: Iterable[str] | None = None, max_rows: int | None = None
) -> Book:
    """The wanted sheets of an XLSX workbook (all when `sheets` is None), keyed by the name
    asked for; a wanted sheet the workbook lacks is absent. Call `check_workbook` first."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        logger.info("Refused an upload openpyxl could not open: %r", error)
        raise SheetFileError(damaged_message()) from error
    try:
        book = Book(titles=[ws.title for ws in workbook.worksheets])
        try:
            book.properties = {p.name: p.value for p in workbook.custom_doc_props}
        except Exception:  # a damaged properties part is not worth refusing the file for
            book.properties = {}
        by_name = {normalise_header(ws.title): ws for ws in workbook.worksheets}
        wanted = book.titles if sheets is None else list(sheets)
        for name in wanted:
            ws = by_name.get(normalise_header(name))
            if ws is not None:
                book.sheets[name] = _read_sheet(ws, max_rows)
        return book
    except SheetFileError:
        raise
    except Exception as error:
        logger.info("Refused an upload whose sheets could not be read: %r", error)
        raise SheetFileError(damaged_message()) from error
    finally:
        workbook.close()


def _read_sheet(ws, max_rows: int | None) -> Sheet:
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the recorded size may be wrong: read every row
    sheet = Sheet(ws.title)
    for number, cells in enumerate(ws.iter_rows(), start=1):
        if max_rows is not None and number > max_rows:
            sheet.truncated = True
            break
        sheet.rows.append((number, [cell_value(c) for c in cells]))
    return sheet


def read_csv(data: bytes, filename: str = "", *, max_rows: int | None = None) -> Sheet:
    """The rows of a CSV file (UTF-8, comma or semicolon), named after the file."""
    text = check_csv(data)
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;").delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    sheet = Sheet(PurePath(filename or "").name or "CSV")
    try:
        for number, values in enumerate(reader, start=1):
            if max_rows is not None and number > max_rows:
                sheet.truncated = True
                break
            sheet.rows.append((number, values))
    except csv.Error as error:
        raise SheetFileError(
            _("The CSV file cannot be read near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return sheet


def read_file(data: bytes, *, filename: str, sheet: str = "", max_rows: int | None = None) -> Sheet:
    """One sheet of an XLSX (named `sheet`, else the first) or a CSV upload, identified by
    its extension and checked by its content."""
    suffix = PurePath(filename or "").suffix.lower()
    if not data:
        raise SheetFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SheetFileError(too_large_message())
    if suffix in MACRO_EXTENSIONS:
        raise SheetFileError(
            _(
                "Macro-enabled or binary workbooks (%(ext)s) are not accepted. Save the file as "
                "'Excel Workbook (.xlsx)' and upload it again."
            )
            % {"ext": suffix}
        )
    if suffix not in {".xlsx", ".csv", ".xls"}:
        raise SheetFileError(
            _("Upload an Excel workbook (.xlsx) or a CSV file (.csv); this file is %(ext)s.")
            % {"ext": suffix or _("without an extension")}
        )
    if data.startswith(OLE_MAGIC):
        raise SheetFileError(encrypted_or_legacy_message(data))
    if suffix == ".xls":
        raise SheetFileError(
            _("Old Excel files (.xls) are not accepted. Save it as .xlsx and upload it again.")
        )
    if suffix == ".csv":
        return read_csv(data, filename, max_rows=max_rows)
    if not data.startswith(ZIP_MAGIC):
        raise SheetFileError(
            _(
                "The file is named .xlsx but its content is not an Excel workbook. "
                "Open it in Excel and save it as 'Excel Workbook (.xlsx)'."
            )
        )
    check_workbook(data, filename)
    book = read_workbook(data, max_rows=max_rows)
    if not book.sheets:
        raise SheetFileError(_("The workbook has no worksheet."))
    wanted = normalise_header(sheet) if sheet else ""
    for name, found in book.sheets.items():
        if normalise_header(name) == wanted:
            return found
    return book.sheets[book.titles[0]]


# --- Headers and rows -------------------------------------------------------------------------


def normalise_header(value, aliases: dict[str, str] | None = None) -> str:
    """A header or sheet title as compared: lower case, runs of spaces, "-", "." and "*"
    as one "_", no "_", "*" or ":" at the ends; then `aliases` (normalised → field)."""
    text = re.sub(r"[\s\-.*_]+", "_", str(value or "").strip().lower()).strip("_*:")
    return (aliases or {}).get(text, text)


@dataclass
class Header:
    index: dict[str, int] = field(default_factory=dict)  # field -> 0-based position
    headers: dict[str, str] = field(default_factory=dict)  # field -> header as in the file
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (position, header)
    repeated: list[tuple[str, int, int]] = field(default_factory=list)  # (field, first, again)

    def letter(self, name: str) -> str:
        return column_letter(self.index.get(name))

    def label(self, name: str) -> str:
        """The column as the user sees it: "D (Level)"."""
        return f"{self.letter(name)} ({self.headers[name]})"


def header_map(
    values: list, columns: dict[str, str], aliases: dict[str, str] | None = None
) -> Header:
    """Which column holds which field: `columns` maps a header (or a field's own name) to the
    field; headers are compared normalised, `aliases` maps more normalised headers to fields.
    A header repeated keeps its first column (and is listed in `repeated`). Formula or error
    cells count by their text."""
    known = {normalise_header(header): name for header, name in columns.items()}
    known.update(aliases or {})
    found = Header()
    for position, value in enumerate(values):
        if isinstance(value, Formula | ErrorValue):
            value = value.text
        if is_blank(value):
            continue
        name = known.get(normalise_header(value))
        if name is None:
            found.unknown.append((position, str(value).strip()))
        elif name in found.index:
            found.repeated.append((name, found.index[name], position))
        else:
            found.index[name] = position
            found.headers[name] = str(value).strip()
    return found


def filled_rows(
    rows: Iterable, *, after: int = 1, positions: Iterable[int] | None = None
) -> Iterator[tuple[int, list]]:
    """(row number, values) of the rows below row `after` with a value in one of
    `positions` (in any column when None)."""
    wanted = None if positions is None else list(positions)
    for number, values in rows:
        if number <= after:
            continue
        cells = values if wanted is None else [values[i] for i in wanted if i < len(values)]
        if all(is_blank(v) for v in cells):
            continue
        yield number, values

"""Reading and checking an uploaded unit tree or officials register (XLSX or CSV).

Pure functions: nothing here writes. `parse_upload()` reads the file, checks every
row and returns an `ImportResult` with the cleaned rows and every error found, each
error naming the sheet, the row number as Excel shows it, and the column. The write
is `rkpk.organisation.services.import_units()` / `import_officials()`, which runs the
same row checks again inside its transaction.
"""

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.organisation.models import Official, Unit

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024
MAX_DATA_ROWS = 20_000
# A 10 MB zip may unpack to far more; refuse archives that would (zip bombs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

UNITS = "units"
OFFICIALS = "officials"
KIND_CHOICES = [
    (UNITS, gettext_lazy("Unit tree")),
    (OFFICIALS, gettext_lazy("Officials")),
]


class ImportFileError(Exception):
    """The file as a whole cannot be read (type, size, encryption, damage, header)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    description: object  # a lazy translation
    text_format: bool = False  # Excel should keep it as text (codes, NIPs)


UNIT_COLUMNS = [
    Column("code", True, gettext_lazy("Unique code of the unit, e.g. SETMEN.BU"), True),
    Column("name", True, gettext_lazy("Full name")),
    Column("short_name", False, gettext_lazy("Short name (optional)")),
    Column("level", True, gettext_lazy("Echelon as a number: 1, 2, 3 or 4")),
    Column(
        "parent_code",
        False,
        gettext_lazy("Code of the parent unit: in this file or already in the system"),
        True,
    ),
    Column("head_position", False, gettext_lazy("Position title of the unit's head")),
]
OFFICIAL_COLUMNS = [
    Column(
        "nip",
        True,
        gettext_lazy("NIP: 18 digits, formatted as text; empty for a state official"),
        True,
    ),
    Column("name", True, gettext_lazy("Full name with titles")),
    Column("position", True, gettext_lazy("Own position (jabatan)")),
    Column("rank", False, gettext_lazy("Rank/grade, e.g. Pembina Utama Muda (IV/c)")),
    Column("unit_code", False, gettext_lazy("Code of the unit (must exist in the system)"), True),
    Column("active", False, gettext_lazy("yes or no; empty means yes")),
    Column(
        "state_official",
        False,
        gettext_lazy("yes for a state official (pejabat negara, e.g. a minister) without NIP"),
    ),
    Column(
        "head_of_unit",
        False,
        gettext_lazy(
            "Code of the unit this person heads on this row (own unit, or one acted for). "
            "One row per post: repeat the person (same NIP) on another row for another post"
        ),
        True,
    ),
    Column("head_kind", False, gettext_lazy("definitif, Plt or Plh; empty means definitif")),
    Column(
        "head_from", False, gettext_lazy("First day of the post (YYYY-MM-DD); needed for Plt/Plh")
    ),
    Column("head_until", False, gettext_lazy("Last day of the post (YYYY-MM-DD); empty if open")),
]
COLUMNS = {UNITS: UNIT_COLUMNS, OFFICIALS: OFFICIAL_COLUMNS}
HEADER_ALIASES = {
    "parent": "parent_code",
    "unit": "unit_code",
    "rank/grade": "rank",
    "rank_grade": "rank",
    "grade": "rank",
    "is_active": "active",
    "is_state_official": "state_official",
    "pejabat_negara": "state_official",
    "state": "state_official",
    "heads_unit": "head_of_unit",
    "unit_headed": "head_of_unit",
    "head_of": "head_of_unit",
    "kind": "head_kind",
    "acting": "head_kind",
    "from": "head_from",
    "until": "head_until",
    "to": "head_until",
}
HEAD_KINDS = {
    "": "def",
    "def": "def",
    "definitif": "def",
    "definitive": "def",
    "plt": "Plt",
    "plt.": "Plt",
    "plh": "Plh",
    "plh.": "Plh",
}
TRUE_WORDS = {"1", "y", "yes", "true", "ya", "aktif", "active"}
FALSE_WORDS = {"0", "n", "no", "false", "tidak", "nonaktif", "non-aktif", "inactive"}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        prefix = f"{self.sheet}, {', '.join(where)}: " if where else f"{self.sheet}: "
        return prefix + self.message


@dataclass
class UnitRow:
    code: str
    name: str
    level: int | None
    short_name: str = ""
    parent_code: str = ""
    head_position: str = ""
    row: int | None = None
    sheet: str = ""
    # field name -> the column as the user sees it, e.g. "D (Level)"
    columns: dict = field(default_factory=dict, repr=False)
    # fields whose cell could not be read; the row checks skip them
    unreadable: set = field(default_factory=set, repr=False)


@dataclass
class OfficialRow:
    nip: str
    name: str
    position: str
    rank: str = ""
    unit_code: str = ""
    is_active: bool = True
    is_state_official: bool = False
    # A post headed, on this row: the unit's code, def/Plt/Plh, and the period.
    head_of_unit: str = ""
    head_kind: str = "def"
    head_from: date | None = None
    head_until: date | None = None
    row: int | None = None
    sheet: str = ""
    columns: dict = field(default_factory=dict, repr=False)
    unreadable: set = field(default_factory=set, repr=False)


@dataclass
class ImportResult:
    kind: str
    sheet: str = ""
    rows: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Columns of the file that are not read, as "F (Remarks)".
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def person_key(row: OfficialRow) -> tuple:
    """Rows of one person: the same NIP; without NIP, the same name as a state official."""
    if row.nip:
        return ("nip", row.nip)
    return ("name", row.name.casefold(), row.is_state_official)


def is_acting_row(row: OfficialRow) -> bool:
    return bool(row.head_of_unit) and row.head_kind in ("Plt", "Plh")


def own_rows(rows: list[OfficialRow]) -> dict[tuple, OfficialRow]:
    """Each person's own row (their own post): the first row that is not an acting post,
    else their first row."""
    found: dict[tuple, OfficialRow] = {}
    for row in rows:
        key = person_key(row)
        if key not in found or (is_acting_row(found[key]) and not is_acting_row(row)):
            found[key] = row
    return found


def has_column(row, field_name: str) -> bool:
    """Whether the file had the column (rows built in code have every column).

    An optional column missing from the file leaves the existing records' value alone.
    """
    return not row.columns or field_name in row.columns


def _error(row_obj, field_name: str, message: str) -> RowError:
    return RowError(
        row_obj.sheet, row_obj.row, row_obj.columns.get(field_name, field_name), message
    )


# --- Reading the file ---------------------------------------------------------------------


class _Formula:
    def __init__(self, text: str):
        self.text = text


class _CellError:
    def __init__(self, text: str):
        self.text = text


@dataclass
class _Sheet:
    name: str
    rows: Iterable  # of (row number, list of cell values)


def read_bytes(upload) -> bytes:
    """Read an uploaded file, refusing more than MAX_BYTES without reading it all."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportFileError(_too_large())
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_too_large())
    return data


def _too_large() -> str:
    return _("The file is larger than %(mb)s MB. Split it into smaller files.") % {
        "mb": MAX_BYTES // (1024 * 1024)
    }


def _check_ooxml(data: bytes) -> None:
    """The bytes are a real, macro-free XLSX workbook (judged by content, not by name)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
        content_types = (
            archive.read("[Content_Types].xml")[:1_000_000].decode("utf-8", "replace")
            if "[Content_Types].xml" in names
            else ""
        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as error:
        logger.info("Rejected an upload as a damaged zip: %s", error)
        raise ImportFileError(_damaged()) from error
    if not content_types:
        raise ImportFileError(
            _("The file is a zip archive but not an Excel workbook. Upload an .xlsx file.")
        )
    if MACRO_MAIN in content_types or "xl/vbaProject.bin" in names:
        raise ImportFileError(
            _(
                "Macro-enabled workbooks (.xlsm) are not accepted. Save the file as "
                "'Excel Workbook (.xlsx)' and upload it again."
            )
        )
    if XLSX_MAIN not in content_types:
        raise ImportFileError(
            _("The file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again.")
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(_("The workbook is too large when unpacked. Split it up."))


def _damaged() -> str:
    return _(
        "The file is damaged and cannot be read as an Excel workbook. Open it in Excel, "
        "save it again as .xlsx and upload it again."
    )


def _encrypted_or_legacy(data: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _(
            "The workbook is password-protected. Remove the password (File → Info → "
            "Protect Workbook) and upload it again."
        )
    return _(
        "This is an old Excel 97–2003 file (.xls) or a password-protected workbook. "
        "Save it as 'Excel Workbook (.xlsx)' without a password and upload it again."
    )


def _xlsx_sheet(data: bytes, kind: str) -> _Sheet:
    _check_ooxml(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        logger.info("Rejected an upload openpyxl could not open: %r", error)
        raise ImportFileError(_damaged()) from error
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        sheet = next((s for s in sheets if s.title.strip().lower() == kind), sheets[0])
        if hasattr(sheet, "reset_dimensions"):
            # The size recorded in the file may be wrong; read every row there is.
            sheet.reset_dimensions()
        rows = []
        for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
            values = []
            for cell in cells:
                value = getattr(cell, "value", None)
                data_type = getattr(cell, "data_type", None)
                if data_type == "f" or isinstance(value, ArrayFormula | DataTableFormula):
                    text = value.text if isinstance(value, ArrayFormula) else str(value)
                    value = _Formula(text or "=")
                elif data_type == "e":
                    value = _CellError(str(value))
                values.append(value)
            rows.append((number, values))
            if number > MAX_DATA_ROWS + 1000:
                break
        return _Sheet(sheet.title, rows)
    except ImportFileError:
        raise
    except Exception as error:
        logger.info("Rejected an upload whose sheet could not be read: %r", error)
        raise ImportFileError(_damaged()) from error
    finally:
        workbook.close()


def _csv_sheet(data: bytes, filename: str) -> _Sheet:
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        raise ImportFileError(
            _("The file is named .csv but is an Excel workbook. Rename it to .xlsx or export CSV.")
        )
    if b"\x00" in data:
        raise ImportFileError(_("The file is not a text (CSV) file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "The CSV file is not in UTF-8. In Excel choose 'Save as' → "
                "'CSV UTF-8 (Comma delimited)' and upload it again."
            )
        ) from error
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;").delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, values in enumerate(reader, start=1):
            rows.append((number, values))
            if number > MAX_DATA_ROWS + 1000:
                break
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return _Sheet(PurePath(filename).name or "CSV", rows)


def read_sheet(data: bytes, *, filename: str, kind: str) -> _Sheet:
    """Identify the file by its content and read its rows (XLSX: the sheet named after
    `kind`, else the first)."""
    suffix = PurePath(filename or "").suffix.lower()
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_too_large())
    if suffix in {".xlsm", ".xltm", ".xlsb", ".xlam"}:
        raise ImportFileError(
            _(
                "Macro-enabled or binary workbooks (%(ext)s) are not accepted. Save the file as "
                "'Excel Workbook (.xlsx)' and upload it again."
            )
            % {"ext": suffix}
        )
    if suffix not in {".xlsx", ".csv", ".xls"}:
        raise ImportFileError(
            _("Upload an Excel workbook (.xlsx) or a CSV file (.csv); this file is %(ext)s.")
            % {"ext": suffix or _("without an extension")}
        )
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(_encrypted_or_legacy(data))
    if suffix == ".xls":
        raise ImportFileError(
            _("Old Excel files (.xls) are not accepted. Save it as .xlsx and upload it again.")
        )
    if suffix == ".xlsx":
        if not data.startswith(ZIP_MAGIC):
            raise ImportFileError(
                _(
                    "The file is named .xlsx but its content is not an Excel workbook. "
                    "Open it in Excel and save it as 'Excel Workbook (.xlsx)'."
                )
            )
        return _xlsx_sheet(data, kind)
    return _csv_sheet(data, filename)


# --- From cells to values ---------------------------------------------------------------


def normalise_header(value) -> str:
    text = re.sub(r"[\s\-.]+", "_", str(value).strip().lower()).strip("_*:")
    return HEADER_ALIASES.get(text, text)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Unreadable(Exception):
    pass


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, _Formula | _CellError):
        raise AssertionError("checked before")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return " ".join(str(value).split())


def _header_map(
    sheet: _Sheet, kind: str, ignored: list | None = None
) -> tuple[int, dict[str, int], dict[str, str]]:
    """(header row number, field -> column index, field -> column label); the columns not
    read are added to `ignored` as "F (Remarks)"."""
    for number, values in sheet.rows:
        if all(_is_blank(v) or isinstance(v, _Formula | _CellError) for v in values):
            continue
        indexes: dict[str, int] = {}
        labels: dict[str, str] = {}
        known = {c.name for c in COLUMNS[kind]}
        for index, value in enumerate(values):
            if _is_blank(value) or isinstance(value, _Formula | _CellError):
                continue
            name = normalise_header(value)
            if name not in known:
                if ignored is not None:
                    ignored.append(f"{get_column_letter(index + 1)} ({str(value).strip()})")
                continue
            letter = get_column_letter(index + 1)
            if name in indexes:
                raise ImportFileError(
                    _("The column %(name)s appears twice (columns %(a)s and %(b)s).")
                    % {"name": name, "a": get_column_letter(indexes[name] + 1), "b": letter},
                    row=number,
                    column=letter,
                )
            indexes[name] = index
            labels[name] = f"{letter} ({str(value).strip()})"
        missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in indexes]
        if missing:
            expected = ", ".join(c.name for c in COLUMNS[kind])
            raise ImportFileError(
                _(
                    "Required column(s) missing: %(missing)s. The first row must name the "
                    "columns: %(expected)s."
                )
                % {"missing": ", ".join(missing), "expected": expected},
                row=number,
                column=", ".join(missing),
            )
        return number, indexes, labels
    raise ImportFileError(_("The file has no header row and no data."))


def _read_cells(sheet: _Sheet, kind: str, result: ImportResult):
    """Yield (row number, field -> raw value, labels, unreadable fields) for each data row."""
    header_row, indexes, labels = _header_map(sheet, kind, result.ignored)
    count = 0
    for number, values in sheet.rows:
        if number <= header_row:
            continue
        cells = {name: values[i] if i < len(values) else None for name, i in indexes.items()}
        if all(_is_blank(v) for v in cells.values()):
            continue  # empty rows are skipped
        count += 1
        if count > MAX_DATA_ROWS:
            raise ImportFileError(
                _("The file has more than %(n)s rows. Split it into smaller files.")
                % {"n": MAX_DATA_ROWS}
            )
        unreadable = set()
        for name, value in cells.items():
            message = None
            if isinstance(value, _Formula) or (
                isinstance(value, str) and value.strip().startswith("=")
            ):
                message = _("Formulas are not accepted; type the value itself.")
            elif isinstance(value, _CellError):
                message = _("The cell holds the error %(value)s; type the value itself.") % {
                    "value": value.text
                }
            if message:
                result.errors.append(RowError(sheet.name, number, labels[name], message))
                unreadable.add(name)
                cells[name] = None
        yield number, cells, labels, unreadable


def _parse_level(value) -> int | None:
    if isinstance(value, bool):
        raise _Unreadable
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Unreadable
    text = _as_text(value)
    if not text:
        return None
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    raise _Unreadable


def _parse_nip(value) -> str:
    if isinstance(value, float):
        # Excel keeps 15 significant digits: an 18-digit NIP stored as a number is damaged.
        raise _Unreadable
    return re.sub(r"\s+", "", _as_text(value))


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float):
        raise _Unreadable
    text = _as_text(value)
    if not text:
        return None
    text = text.split("T")[0].split(" ")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _Unreadable


def _parse_active(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _as_text(value).lower()
    if not text or text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _Unreadable


def parse_upload(upload, *, kind: str, filename: str | None = None) -> ImportResult:
    """Read and check an uploaded file of `kind` ("units" or "officials")."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}")
    filename = filename or getattr(upload, "name", "") or ""
    result = ImportResult(kind, sheet=PurePath(filename).name)
    try:
        data = read_bytes(upload)
        sheet = read_sheet(data, filename=filename, kind=kind)
        result.sheet = sheet.name
        rows = list(_read_cells(sheet, kind, result))
    except ImportFileError as error:
        result.errors.append(RowError(result.sheet, error.row, error.column, error.message))
        return result
    build = _unit_row if kind == UNITS else _official_row
    for number, cells, labels, unreadable in rows:
        row = build(cells, unreadable, result, sheet.name, number, labels)
        result.rows.append(row)
    check = check_unit_rows if kind == UNITS else check_official_rows
    result.errors.extend(check(result.rows))
    if not result.rows and not result.errors:
        result.errors.append(RowError(sheet.name, None, "", _("The file has no data rows.")))
    result.errors.sort(key=lambda e: e.row or 0)
    return result


def _unit_row(cells, unreadable, result, sheet, number, labels) -> UnitRow:
    level = None
    if "level" not in unreadable:
        try:
            level = _parse_level(cells.get("level"))
        except _Unreadable:
            unreadable.add("level")
            result.errors.append(
                RowError(
                    sheet,
                    number,
                    labels["level"],
                    _level_message(_as_text(cells.get("level"))),
                )
            )
    return UnitRow(
        code=_as_text(cells.get("code")),
        name=_as_text(cells.get("name")),
        short_name=_as_text(cells.get("short_name")),
        level=level,
        parent_code=_as_text(cells.get("parent_code")),
        head_position=_as_text(cells.get("head_position")),
        row=number,
        sheet=sheet,
        columns=labels,
        unreadable=unreadable,
    )


def _official_row(cells, unreadable, result, sheet, number, labels) -> OfficialRow:
    nip = ""
    if "nip" not in unreadable:
        try:
            nip = _parse_nip(cells.get("nip"))
        except _Unreadable:
            unreadable.add("nip")
            result.errors.append(
                RowError(
                    sheet,
                    number,
                    labels["nip"],
                    _(
                        "The NIP is stored as a number and has lost digits. Format the column "
                        "as Text and type the 18 digits again."
                    ),
                )
            )
    is_active = True
    if "active" in labels and "active" not in unreadable:
        try:
            is_active = _parse_active(cells.get("active"))
        except _Unreadable:
            unreadable.add("active")
            result.errors.append(
                RowError(
                    sheet,
                    number,
                    labels["active"],
                    _("Write yes or no (or leave empty for yes), not '%(value)s'.")
                    % {"value": _as_text(cells.get("active"))},
                )
            )
    is_state_official = False
    if "state_official" in labels and "state_official" not in unreadable:
        text = _as_text(cells.get("state_official"))
        try:
            is_state_official = bool(text) and _parse_active(cells.get("state_official"))
        except _Unreadable:
            unreadable.add("state_official")
            result.errors.append(
                RowError(
                    sheet,
                    number,
                    labels["state_official"],
                    _("Write yes or no (or leave empty for no), not '%(value)s'.")
                    % {"value": text},
                )
            )
    head_kind = "def"
    if "head_kind" in labels and "head_kind" not in unreadable:
        text = _as_text(cells.get("head_kind"))
        head_kind = HEAD_KINDS.get(text.casefold())
        if head_kind is None:
            head_kind = "def"
            unreadable.add("head_kind")
            result.errors.append(
                RowError(
                    sheet,
                    number,
                    labels["head_kind"],
                    _(
                        "Write definitif, Plt or Plh (or leave empty for definitif), not "
                        "'%(value)s'."
                    )
                    % {"value": text},
                )
            )
    dates = {}
    for name in ("head_from", "head_until"):
        dates[name] = None
        if name in labels and name not in unreadable:
            try:
                dates[name] = _parse_date(cells.get(name))
            except _Unreadable:
                unreadable.add(name)
                result.errors.append(
                    RowError(
                        sheet,
                        number,
                        labels[name],
                        _("Write a date as YYYY-MM-DD (or DD/MM/YYYY), not '%(value)s'.")
                        % {"value": _as_text(cells.get(name))},
                    )
                )
    return OfficialRow(
        nip=nip,
        name=_as_text(cells.get("name")),
        position=_as_text(cells.get("position")),
        rank=_as_text(cells.get("rank")),
        unit_code=_as_text(cells.get("unit_code")),
        is_active=is_active,
        is_state_official=is_state_official,
        head_of_unit=_as_text(cells.get("head_of_unit")),
        head_kind=head_kind,
        head_from=dates["head_from"],
        head_until=dates["head_until"],
        row=number,
        sheet=sheet,
        columns=labels,
        unreadable=unreadable,
    )


# --- Checking rows (also run by the services before they write) ---------------------------


def _field_errors(row, model, fields: dict[str, str], required: set[str]) -> list[RowError]:
    """Required values and the model field's own rules (length, pattern)."""
    errors = []
    for attr, model_field in fields.items():
        if attr in row.unreadable:
            continue
        value = getattr(row, attr)
        if value in ("", None):
            if attr in required:
                errors.append(_error(row, attr, _("This value is required.")))
            continue
        try:
            model._meta.get_field(model_field).clean(value, None)
        except ValidationError as error:
            errors.append(_error(row, attr, " ".join(error.messages)))
    return errors


def _duplicates(rows, key: str, label: str) -> list[RowError]:
    first: dict[str, object] = {}
    errors = []
    for row in rows:
        value = getattr(row, key)
        if not value:
            continue
        if value in first:
            errors.append(
                _error(
                    row,
                    key,
                    _(
                        "%(label)s %(value)s appears more than once in the file "
                        "(first in row %(row)s)."
                    )
                    % {"label": label, "value": value, "row": first[value].row},
                )
            )
        else:
            first[value] = row
    return errors


def _level_message(value) -> str:
    return _("The level must be a number from 1 to 4 (1 = Echelon I), not '%(value)s'.") % {
        "value": value
    }


def check_unit_rows(rows: list[UnitRow]) -> list[RowError]:
    """Every rule a unit row must meet, against the file and the database."""
    errors = []
    for row in rows:
        errors.extend(
            _field_errors(
                row,
                Unit,
                {
                    "code": "code",
                    "name": "name",
                    "short_name": "short_name",
                    "parent_code": "code",
                    "head_position": "head_position",
                },
                {"code", "name"},
            )
        )
        if "level" not in row.unreadable:
            if row.level is None:
                errors.append(_error(row, "level", _("This value is required.")))
            elif row.level not in Unit.Level.values:
                errors.append(_error(row, "level", _level_message(row.level)))
    errors.extend(_duplicates(rows, "code", _("Code")))

    in_file: dict[str, UnitRow] = {}
    for row in rows:
        if row.code:
            in_file.setdefault(row.code, row)
    db = {
        code: {"level": level, "parent": parent, "active": active}
        for code, level, parent, active in Unit.objects.values_list(
            "code", "level", "parent__code", "is_active"
        )
    }
    db_children: dict[str, list] = {}
    for code, info in db.items():
        if info["parent"]:
            db_children.setdefault(info["parent"], []).append((code, info))
    # The tree as it will be: the database, with the file's rows laid over it.
    final_parent = {code: info["parent"] or "" for code, info in db.items()}
    final_level = {code: info["level"] for code, info in db.items()}
    for code, row in in_file.items():
        if has_column(row, "parent_code"):
            final_parent[code] = row.parent_code
        else:
            final_parent.setdefault(code, "")
        final_level[code] = row.level

    for row in rows:
        if not row.code or in_file.get(row.code) is not row:
            continue
        parent = final_parent[row.code]
        if parent and "parent_code" not in row.unreadable:
            if parent == row.code:
                errors.append(_error(row, "parent_code", _("A unit cannot be its own parent.")))
                continue
            if parent not in in_file and parent not in db:
                errors.append(
                    _error(
                        row,
                        "parent_code",
                        _(
                            "Unknown parent code %(code)s: it is neither in this file nor "
                            "in the system."
                        )
                        % {"code": parent},
                    )
                )
                continue
            parent_level = final_level.get(parent)
            if row.level and parent_level and parent_level >= row.level:
                errors.append(
                    _error(
                        row,
                        "level",
                        _(
                            "Level %(level)s is not below its parent %(parent)s (level "
                            "%(parent_level)s): a sub-unit needs a higher level number."
                        )
                        % {"level": row.level, "parent": parent, "parent_level": parent_level},
                    )
                )
            child_active = row.code not in db or db[row.code]["active"]
            if parent in db and not db[parent]["active"] and child_active:
                errors.append(
                    _error(
                        row,
                        "parent_code",
                        _("The parent unit %(code)s is deactivated.") % {"code": parent},
                    )
                )
            # Does the chain of parents come back to this unit?
            path, seen, current = [row.code], {row.code}, parent
            while current:
                path.append(current)
                if current == row.code:
                    errors.append(
                        _error(
                            row,
                            "parent_code",
                            _("The parents form a loop: %(chain)s.") % {"chain": " → ".join(path)},
                        )
                    )
                    break
                if current in seen:
                    break  # a loop above this unit; reported on the rows that form it
                seen.add(current)
                current = final_parent.get(current, "")
        # Existing sub-units not in the file must stay below the unit's new level.
        if row.code in db and row.level:
            blocked = [
                code
                for code, info in db_children.get(row.code, [])
                if code not in in_file and info["level"] <= row.level
            ]
            if blocked:
                errors.append(
                    _error(
                        row,
                        "level",
                        _(
                            "Level %(level)s is not above the existing sub-units %(codes)s; "
                            "a unit needs a lower level number than its sub-units."
                        )
                        % {"level": row.level, "codes": ", ".join(sorted(blocked))},
                    )
                )
    return errors


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _overlap(a: OfficialRow, b: OfficialRow) -> bool:
    return (a.head_until is None or b.head_from is None or b.head_from <= a.head_until) and (
        b.head_until is None or a.head_from is None or a.head_from <= b.head_until
    )


def _period_text(row: OfficialRow) -> str:
    def show(day):
        return day.isoformat() if day else "…"

    return f"{show(row.head_from)} – {show(row.head_until)}"


def check_official_rows(rows: list[OfficialRow]) -> list[RowError]:
    """Every rule an official row must meet, against the file and the database.

    One person may be on several rows (one per post held: their own, and units they head
    definitively or act for as Plt./Plh.): the same NIP, or without NIP the same name with
    the state-official mark.
    """
    errors = []
    for row in rows:
        errors.extend(
            _field_errors(
                row,
                Official,
                {"name": "name", "position": "position", "rank": "rank"},
                {"name", "position"},
            )
        )
        if row.nip and set(row.nip) == {"0"}:
            if row.is_state_official:
                row.nip = ""  # a placeholder: a state official has no NIP
            else:
                errors.append(
                    _error(
                        row,
                        "nip",
                        _(
                            "Zeros are not a NIP. Leave it empty for a state official and "
                            "write yes in the column state_official."
                        ),
                    )
                )
                continue
        if "nip" not in row.unreadable:
            if not row.nip:
                if not row.is_state_official and "state_official" not in row.unreadable:
                    errors.append(
                        _error(
                            row,
                            "nip",
                            _(
                                "A civil servant needs a NIP. For a state official (pejabat "
                                "negara, e.g. a minister) write yes in the column "
                                "state_official."
                            ),
                        )
                    )
            elif not re.fullmatch(r"\d{18}", row.nip):
                errors.append(
                    _error(
                        row,
                        "nip",
                        _("A NIP has exactly 18 digits; '%(value)s' has %(n)s characters.")
                        % {"value": row.nip, "n": len(row.nip)},
                    )
                )
    # One person on several rows: the same name; one own post.
    own = own_rows(rows)
    for row in rows:
        first = own[person_key(row)]
        if first is row:
            continue
        who = row.nip or row.name
        if row.name and first.name and not _same(row.name, first.name):
            errors.append(
                _error(
                    row,
                    "name",
                    _(
                        "NIP %(nip)s is %(name)s in row %(row)s: one NIP is one person; "
                        "correct the NIP or the name."
                    )
                    % {"nip": who, "name": first.name, "row": first.row},
                )
            )
            continue
        if is_acting_row(row):
            continue  # an acting post: the person's own columns are read from their own row
        for attr in ("position", "unit_code", "rank"):
            if has_column(row, attr) and not _same(getattr(row, attr), getattr(first, attr)):
                errors.append(
                    _error(
                        row,
                        attr,
                        _(
                            "%(who)s is already in row %(row)s with %(column)s '%(value)s'. "
                            "A person has one own post: a post held as Plt./Plh. goes on "
                            "its own row with head_of_unit and head_kind."
                        )
                        % {
                            "who": who,
                            "row": first.row,
                            "column": attr,
                            "value": getattr(first, attr),
                        },
                    )
                )
                break
        if errors and errors[-1].row == row.row:
            continue
        if not row.head_of_unit and not first.head_of_unit:
            errors.append(
                _error(
                    row,
                    "nip",
                    _("%(who)s appears more than once in the file (first in row %(row)s).")
                    % {"who": who, "row": first.row},
                )
            )
    codes = {row.unit_code for row in rows if row.unit_code}
    codes |= {row.head_of_unit for row in rows if row.head_of_unit}
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "is_active"))
    for row in rows:
        if not row.unit_code or "unit_code" in row.unreadable:
            continue
        if row.unit_code not in units:
            errors.append(
                _error(
                    row,
                    "unit_code",
                    _("Unknown unit code %(code)s: import the unit tree first.")
                    % {"code": row.unit_code},
                )
            )
        elif not units[row.unit_code] and row.is_active:
            errors.append(
                _error(
                    row,
                    "unit_code",
                    _("The unit %(code)s is deactivated; an active official cannot join it.")
                    % {"code": row.unit_code},
                )
            )
    errors.extend(_check_head_rows(rows, units, own))
    return errors


def _check_head_rows(rows, units: dict, own: dict) -> list[RowError]:
    """The posts headed: a known active unit, a period in order (a start for Plt./Plh.), an
    active person, no two overlapping acting posts of one unit, and one person heading a
    unit once at a time."""
    errors = []
    by_unit: dict[str, list[OfficialRow]] = {}
    for row in rows:
        has_head_values = (
            row.head_from
            or row.head_until
            or (has_column(row, "head_kind") and row.head_kind != "def")
        )
        if not row.head_of_unit:
            if has_head_values and "head_of_unit" not in row.unreadable:
                errors.append(
                    _error(
                        row,
                        "head_of_unit",
                        _(
                            "Name the unit headed (its code), or leave head_kind and the "
                            "dates empty."
                        ),
                    )
                )
            continue
        if "head_of_unit" in row.unreadable:
            continue
        if row.head_of_unit not in units:
            errors.append(
                _error(
                    row,
                    "head_of_unit",
                    _("Unknown unit code %(code)s: import the unit tree first.")
                    % {"code": row.head_of_unit},
                )
            )
            continue
        if not units[row.head_of_unit]:
            errors.append(
                _error(
                    row,
                    "head_of_unit",
                    _("The unit %(code)s is deactivated.") % {"code": row.head_of_unit},
                )
            )
            continue
        if not own[person_key(row)].is_active:
            errors.append(
                _error(
                    row,
                    "head_of_unit",
                    _(
                        "An inactive official cannot head a unit; mark them active or "
                        "remove the post."
                    ),
                )
            )
            continue
        if (
            row.head_kind in ("Plt", "Plh")
            and row.head_from is None
            and "head_from" not in row.unreadable
        ):
            errors.append(_error(row, "head_from", _("A Plt. or Plh. post needs its first day.")))
            continue
        if row.head_from and row.head_until and row.head_until < row.head_from:
            errors.append(_error(row, "head_until", _("The last day comes before the first day.")))
            continue
        for other in by_unit.get(row.head_of_unit, []):
            if not _overlap(row, other):
                continue
            if person_key(other) == person_key(row):
                message = _("This person already heads %(unit)s in row %(row)s for %(period)s.")
            elif row.head_kind != "def" and other.head_kind != "def":
                message = _(
                    "Two acting heads of %(unit)s overlap: row %(row)s has one for %(period)s."
                )
            elif row.head_kind == "def" and other.head_kind == "def":
                message = _(
                    "Two definitive heads of %(unit)s overlap: row %(row)s has one for "
                    "%(period)s. Give each its dates."
                )
            else:
                continue
            errors.append(
                _error(
                    row,
                    "head_of_unit",
                    message
                    % {"unit": row.head_of_unit, "row": other.row, "period": _period_text(other)},
                )
            )
            break
        else:
            by_unit.setdefault(row.head_of_unit, []).append(row)
    return errors


# --- Template files -----------------------------------------------------------------------


def build_workbook(kind: str, rows: Iterable[Iterable] = ()) -> bytes:
    """An XLSX file with the header row for `kind`, optional data, and an instructions sheet."""
    columns = COLUMNS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append([c.name for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 28 if column.name in ("name", "position") else 18
    text_columns = [i for i, c in enumerate(columns, start=1) if c.text_format]
    for index in text_columns:
        # Text format keeps leading zeros and all 18 digits of a NIP.
        sheet.column_dimensions[get_column_letter(index)].number_format = "@"
    for values in rows:
        sheet.append(["" if v is None else safe_cell(v) for v in values])
        for index in text_columns:
            sheet.cell(row=sheet.max_row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append([_("Column"), _("Required"), _("Content")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append(
            [column.name, _("yes") if column.required else _("no"), str(column.description)]
        )
    notes.append([])
    notes.append(
        [
            _(
                "Only the sheet named %(sheet)s is read (or, without it, the first sheet). "
                "Empty rows are skipped. Formulas are not accepted. Existing records are "
                "updated by their code or NIP; nothing is imported while any row is wrong."
            )
            % {"sheet": kind}
        ]
    )
    if kind == OFFICIALS:
        notes.append(
            [
                _(
                    "One person holding several posts is written on several rows with the same "
                    "NIP (a state official without NIP: the same name, state_official yes). "
                    "The person's own position, rank and unit come from their row that is not "
                    "a Plt./Plh. post. A row with head_of_unit records that the person heads "
                    "that unit: definitif, or Plt./Plh. from head_from until head_until. "
                    "Columns not listed here are ignored and named in the import report."
                )
            ]
        )
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 70
    return workbook_bytes(workbook)

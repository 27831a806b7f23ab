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
    Column("nip", True, gettext_lazy("NIP: 18 digits, formatted as text"), True),
    Column("name", True, gettext_lazy("Full name with titles")),
    Column("position", True, gettext_lazy("Position (jabatan)")),
    Column("rank", False, gettext_lazy("Rank/grade, e.g. Pembina Utama Muda (IV/c)")),
    Column("unit_code", False, gettext_lazy("Code of the unit (must exist in the system)"), True),
    Column("active", False, gettext_lazy("yes or no; empty means yes")),
]
COLUMNS = {UNITS: UNIT_COLUMNS, OFFICIALS: OFFICIAL_COLUMNS}
HEADER_ALIASES = {
    "parent": "parent_code",
    "unit": "unit_code",
    "rank/grade": "rank",
    "rank_grade": "rank",
    "grade": "rank",
    "is_active": "active",
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

    @property
    def ok(self) -> bool:
        return not self.errors


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


def _header_map(sheet: _Sheet, kind: str) -> tuple[int, dict[str, int], dict[str, str]]:
    """(header row number, field -> column index, field -> column label)."""
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
    header_row, indexes, labels = _header_map(sheet, kind)
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
    return OfficialRow(
        nip=nip,
        name=_as_text(cells.get("name")),
        position=_as_text(cells.get("position")),
        rank=_as_text(cells.get("rank")),
        unit_code=_as_text(cells.get("unit_code")),
        is_active=is_active,
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


def check_official_rows(rows: list[OfficialRow]) -> list[RowError]:
    """Every rule an official row must meet, against the file and the database."""
    errors = []
    for row in rows:
        errors.extend(
            _field_errors(
                row,
                Official,
                {"name": "name", "position": "position", "rank": "rank"},
                {"nip", "name", "position"},
            )
        )
        if "nip" not in row.unreadable:
            if not row.nip:
                errors.append(_error(row, "nip", _("This value is required.")))
            elif not re.fullmatch(r"\d{18}", row.nip):
                errors.append(
                    _error(
                        row,
                        "nip",
                        _("A NIP has exactly 18 digits; '%(value)s' has %(n)s characters.")
                        % {"value": row.nip, "n": len(row.nip)},
                    )
                )
    errors.extend(_duplicates(rows, "nip", _("NIP")))
    codes = {row.unit_code for row in rows if row.unit_code}
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
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 70
    return workbook_bytes(workbook)

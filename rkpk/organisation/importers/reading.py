"""Reading an uploaded unit tree or officials register (XLSX or CSV) into rows.

`parse_upload()` reads the file through `rkpk.core.sheet_reader`, checks every row and
returns an `ImportResult` with the cleaned rows and every error found, each naming the
sheet, the row number as Excel shows it, and the column. Nothing here writes: the write is
`rkpk.organisation.services.import_units()` / `import_officials()`, which runs the same row
checks again inside its transaction.
"""

import re
from datetime import date, datetime
from pathlib import PurePath

from django.utils.translation import gettext as _

from rkpk.core import sheet_reader
from rkpk.core.sheet_reader import (
    ErrorValue,
    Formula,
    Percent,
    SheetError,
    SheetFileError,
    column_letter,
    is_blank,
)
from rkpk.organisation.importers.official_rows import check_official_rows
from rkpk.organisation.importers.rows import (
    COLUMNS,
    FALSE_WORDS,
    HEAD_KINDS,
    HEADER_ALIASES,
    TRUE_WORDS,
    UNITS,
    ImportResult,
    OfficialRow,
    UnitRow,
    level_message,
)
from rkpk.organisation.importers.unit_rows import check_unit_rows

MAX_DATA_ROWS = 20_000


def normalise_header(value) -> str:
    return sheet_reader.normalise_header(value, HEADER_ALIASES)


class _Unreadable(Exception):
    pass


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula | ErrorValue):
        raise AssertionError("checked before")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return " ".join(str(value).split())


def _header_map(
    sheet: sheet_reader.Sheet, kind: str, ignored: list | None = None
) -> tuple[int, dict[str, int], dict[str, tuple[str, str]]]:
    """(header row number, field -> column index, field -> (letter, header)); the columns
    not read are added to `ignored` as "F (Remarks)"."""
    for number, values in sheet.rows:
        if all(is_blank(v) or isinstance(v, Formula | ErrorValue) for v in values):
            continue
        indexes: dict[str, int] = {}
        labels: dict[str, str] = {}
        known = {c.name for c in COLUMNS[kind]}
        for index, value in enumerate(values):
            if is_blank(value) or isinstance(value, Formula | ErrorValue):
                continue
            name = normalise_header(value)
            if name not in known:
                if ignored is not None:
                    ignored.append(f"{column_letter(index)} ({str(value).strip()})")
                continue
            letter = column_letter(index)
            if name in indexes:
                raise SheetFileError(
                    _("The column %(name)s appears twice (columns %(a)s and %(b)s).")
                    % {"name": name, "a": column_letter(indexes[name]), "b": letter},
                    row=number,
                    column=letter,
                )
            indexes[name] = index
            labels[name] = (letter, str(value).strip())
        missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in indexes]
        if missing:
            expected = ", ".join(c.name for c in COLUMNS[kind])
            raise SheetFileError(
                _(
                    "Required column(s) missing: %(missing)s. The first row must name the "
                    "columns: %(expected)s."
                )
                % {"missing": ", ".join(missing), "expected": expected},
                row=number,
                column=", ".join(missing),
            )
        return number, indexes, labels
    raise SheetFileError(_("The file has no header row and no data."))


def _read_cells(sheet: sheet_reader.Sheet, kind: str, result: ImportResult):
    """Yield (row number, field -> raw value, labels, unreadable fields) for each data row."""
    header_row, indexes, labels = _header_map(sheet, kind, result.ignored)
    count = 0
    for number, values in sheet.rows:
        if number <= header_row:
            continue
        cells = {name: values[i] if i < len(values) else None for name, i in indexes.items()}
        cells = {
            name: value.fraction if isinstance(value, Percent) else value
            for name, value in cells.items()
        }
        if all(is_blank(v) for v in cells.values()):
            continue  # empty rows are skipped
        count += 1
        if count > MAX_DATA_ROWS:
            raise SheetFileError(
                _("The file has more than %(n)s rows. Split it into smaller files.")
                % {"n": MAX_DATA_ROWS}
            )
        unreadable = set()
        for name, value in cells.items():
            message = None
            if isinstance(value, Formula) or (
                isinstance(value, str) and value.strip().startswith("=")
            ):
                message = _("Formulas are not accepted; type the value itself.")
            elif isinstance(value, ErrorValue):
                message = _("The cell holds the error %(value)s; type the value itself.") % {
                    "value": value.text
                }
            if message:
                result.errors.append(SheetError(sheet.name, number, *labels[name], message))
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
        data = sheet_reader.read_upload(upload)
        # Read a little beyond the limit, so that a longer file is refused by its row count.
        sheet = sheet_reader.read_file(
            data, filename=filename, sheet=kind, max_rows=MAX_DATA_ROWS + 1000
        )
        result.sheet = sheet.name
        rows = list(_read_cells(sheet, kind, result))
    except SheetFileError as error:
        result.errors.append(SheetError(result.sheet, error.row, error.column, "", error.message))
        return result
    build = _unit_row if kind == UNITS else _official_row
    for number, cells, labels, unreadable in rows:
        row = build(cells, unreadable, result, sheet.name, number, labels)
        result.rows.append(row)
    check = check_unit_rows if kind == UNITS else check_official_rows
    result.errors.extend(check(result.rows))
    if not result.rows and not result.errors:
        result.errors.append(SheetError(sheet.name, None, "", "", _("The file has no data rows.")))
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
                SheetError(
                    sheet,
                    number,
                    *labels["level"],
                    level_message(_as_text(cells.get("level"))),
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
    nip = _official_nip(cells, unreadable, result, sheet, number, labels)
    is_active = _official_active(cells, unreadable, result, sheet, number, labels)
    is_state_official = _official_state(cells, unreadable, result, sheet, number, labels)
    head_kind = _official_head_kind(cells, unreadable, result, sheet, number, labels)
    dates = _official_dates(cells, unreadable, result, sheet, number, labels)
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


def _official_nip(cells, unreadable, result, sheet, number, labels) -> str:
    nip = ""
    if "nip" not in unreadable:
        try:
            nip = _parse_nip(cells.get("nip"))
        except _Unreadable:
            unreadable.add("nip")
            result.errors.append(
                SheetError(
                    sheet,
                    number,
                    *labels["nip"],
                    _(
                        "The NIP is stored as a number and has lost digits. Format the column "
                        "as Text and type the 18 digits again."
                    ),
                )
            )
    return nip


def _official_active(cells, unreadable, result, sheet, number, labels) -> bool:
    is_active = True
    if "active" in labels and "active" not in unreadable:
        try:
            is_active = _parse_active(cells.get("active"))
        except _Unreadable:
            unreadable.add("active")
            result.errors.append(
                SheetError(
                    sheet,
                    number,
                    *labels["active"],
                    _("Write yes or no (or leave empty for yes), not '%(value)s'.")
                    % {"value": _as_text(cells.get("active"))},
                )
            )
    return is_active


def _official_state(cells, unreadable, result, sheet, number, labels) -> bool:
    is_state_official = False
    if "state_official" in labels and "state_official" not in unreadable:
        text = _as_text(cells.get("state_official"))
        try:
            is_state_official = bool(text) and _parse_active(cells.get("state_official"))
        except _Unreadable:
            unreadable.add("state_official")
            result.errors.append(
                SheetError(
                    sheet,
                    number,
                    *labels["state_official"],
                    _("Write yes or no (or leave empty for no), not '%(value)s'.")
                    % {"value": text},
                )
            )
    return is_state_official


def _official_head_kind(cells, unreadable, result, sheet, number, labels) -> str:
    head_kind = "def"
    if "head_kind" in labels and "head_kind" not in unreadable:
        text = _as_text(cells.get("head_kind"))
        head_kind = HEAD_KINDS.get(text.casefold())
        if head_kind is None:
            head_kind = "def"
            unreadable.add("head_kind")
            result.errors.append(
                SheetError(
                    sheet,
                    number,
                    *labels["head_kind"],
                    _(
                        "Write definitif, Plt or Plh (or leave empty for definitif), not "
                        "'%(value)s'."
                    )
                    % {"value": text},
                )
            )
    return head_kind


def _official_dates(cells, unreadable, result, sheet, number, labels) -> dict:
    dates = {}
    for name in ("head_from", "head_until"):
        dates[name] = None
        if name in labels and name not in unreadable:
            try:
                dates[name] = _parse_date(cells.get(name))
            except _Unreadable:
                unreadable.add(name)
                result.errors.append(
                    SheetError(
                        sheet,
                        number,
                        *labels[name],
                        _("Write a date as YYYY-MM-DD (or DD/MM/YYYY), not '%(value)s'.")
                        % {"value": _as_text(cells.get(name))},
                    )
                )
    return dates

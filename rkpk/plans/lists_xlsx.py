"""XLSX export and import of one reference list (units of measure, qualitative values,
return reasons).

The import is all-or-nothing: `parse_list_upload()` reads and checks every row (errors name
the sheet, the row as Excel shows it, and the column; unknown columns are listed as ignored)
and `import_list()` writes only a file without errors, in one transaction, audited. A value
already on the list (same text, any case) is updated (active, order, texts); others are
added. Values not in the file stay as they are.
"""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from rkpk.core import audit, sheet_reader
from rkpk.core.sheet_reader import SheetError, SheetFileError
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.plans import lists
from rkpk.plans.models import ReturnReason

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRUE_WORDS = {"1", "y", "yes", "true", "ya", "aktif", "active"}
FALSE_WORDS = {"0", "n", "no", "false", "tidak", "nonaktif", "non-aktif", "inactive"}
MAX_ROWS = 5000


def columns(slug: str) -> list[tuple[str, bool]]:
    """(column name, required) of a list's sheet."""
    if lists.kind_of(slug).model is ReturnReason:
        return [
            ("code", True),
            ("text_id", True),
            ("text_en", False),
            ("order", False),
            ("active", False),
        ]
    return [("value", True), ("order", False), ("active", False)]


HEADER_ALIASES = {
    "name": "value",
    "satuan": "value",
    "nilai": "value",
    "urutan": "order",
    "is_active": "active",
}


def sheet_name(slug: str) -> str:
    return slug[:31]


def export_list(slug: str) -> bytes:
    """The whole list (active and deactivated values) as an XLSX workbook the import reads."""
    kind = lists.kind_of(slug)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name(slug)
    names = [name for name, _required in columns(slug)]
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for obj in lists.values(slug):
        row = {
            "value": getattr(obj, kind.key),
            "code": obj.code if kind.model is ReturnReason else None,
            "text_id": getattr(obj, "text_id", None),
            "text_en": getattr(obj, "text_en", None),
            "order": obj.sort_order,  # a number, stored as a number
            "active": _("yes") if obj.is_active else _("no"),
        }
        sheet.append([safe_cell(row[name]) for name in names])
    for index, name in enumerate(names, start=1):
        width = 60 if name.startswith("text") else 24 if name in ("value", "code") else 10
        sheet.column_dimensions[sheet_reader.column_letter(index - 1)].width = width
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)


@dataclass
class ListRow:
    row: int
    value: str = ""
    text_id: str = ""
    text_en: str = ""
    order: int | None = None
    active: bool | None = None


@dataclass
class ListImport:
    slug: str
    sheet: str = ""
    rows: list[ListRow] = field(default_factory=list)
    errors: list[SheetError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _unreadable(value) -> str:
    if isinstance(value, sheet_reader.Formula) or (
        isinstance(value, str) and value.strip().startswith("=")
    ):
        return _("Formulas are not accepted; type the value itself.")
    if isinstance(value, sheet_reader.ErrorValue):
        return _("The cell holds the error %(value)s; type the value itself.") % {
            "value": value.text
        }
    return ""


def parse_list_upload(upload, *, slug: str, filename: str | None = None) -> ListImport:
    """Read and check an uploaded list (XLSX or CSV). Pure: nothing is written."""
    filename = filename or getattr(upload, "name", "") or ""
    result = ListImport(slug, sheet=PurePath(filename).name)
    try:
        data = sheet_reader.read_upload(upload)
        # Read a little beyond the limit, so that a longer file is refused by its row count.
        sheet = sheet_reader.read_file(
            data, filename=filename, sheet=sheet_name(slug), max_rows=MAX_ROWS + 1000
        )
    except SheetFileError as error:
        result.errors.append(SheetError(result.sheet, error.row, error.column, "", error.message))
        return result
    result.sheet = sheet.name
    header = _read_header(sheet, slug, result)
    if header is not None:
        header_row, columns = header
        _read_rows(sheet, slug, header_row, columns, result)
    if not result.rows and not result.errors:
        result.errors.append(SheetError(sheet.name, None, "", "", _("The file has no data rows.")))
    result.errors.sort(key=lambda e: e.row or 0)
    return result


def _read_header(sheet, slug: str, result: ListImport):
    """(header row, field -> (position, letter, header)) of the first row with text; None
    (with the errors) when the header is missing or lacks a required column."""
    wanted = dict(columns(slug))
    is_reason = lists.kind_of(slug).model is ReturnReason
    header_row, found = None, {}
    for number, cells in sheet.rows:
        if all(v is None or not _text(v) for v in cells):
            continue
        header_row = number
        for position, cell in enumerate(cells):
            text = _text(cell)
            if not text:
                continue
            name = sheet_reader.normalise_header(text, HEADER_ALIASES)
            if is_reason and name == "value":
                name = "code"
            letter = sheet_reader.column_letter(position)
            if name not in wanted:
                result.ignored_columns.append(f"{letter} ({text})")
            elif name in found:
                result.errors.append(
                    SheetError(
                        sheet.name,
                        number,
                        letter,
                        "",
                        _("The column %(name)s appears twice.") % {"name": name},
                    )
                )
            else:
                found[name] = (position, letter, text)
        break
    if header_row is None:
        result.errors.append(SheetError(sheet.name, None, "", "", _("The file has no header row.")))
        return None
    missing = [name for name, required in wanted.items() if required and name not in found]
    if missing:
        result.errors.append(
            SheetError(
                sheet.name,
                header_row,
                "",
                ", ".join(missing),
                _(
                    "Required column(s) missing: %(missing)s. The first row names the "
                    "columns: %(all)s."
                )
                % {"missing": ", ".join(missing), "all": ", ".join(wanted)},
            )
        )
        return None
    return header_row, found


def _read_rows(sheet, slug: str, header_row: int, columns: dict, result: ListImport) -> None:
    """Check each row below the header; the good ones go to `result.rows`."""
    is_reason = lists.kind_of(slug).model is ReturnReason
    first_seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        if number <= header_row:
            continue
        raw = {name: cells[c[0]] if c[0] < len(cells) else None for name, c in columns.items()}
        raw = {
            name: value.fraction if isinstance(value, sheet_reader.Percent) else value
            for name, value in raw.items()
        }
        if all(not _text(v) for v in raw.values()):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(
                SheetError(
                    sheet.name, number, "", "", _("At most %(n)s rows per file.") % {"n": MAX_ROWS}
                )
            )
            break
        row = _ListRowCheck(sheet.name, number, columns, result.errors)
        if row.check(raw, is_reason, first_seen):
            result.rows.append(row.row)


LIMITS = {"value": lists.MAX_LENGTH, "code": 30, "text_id": 300, "text_en": 300}


class _ListRowCheck:
    """One row of a list's sheet, read into a ListRow; each problem becomes an error."""

    def __init__(self, sheet: str, number: int, columns: dict, errors: list):
        self.sheet, self.number, self.columns, self.errors = sheet, number, columns, errors
        self.row = ListRow(row=number)

    def error(self, name: str, message: str) -> None:
        _position, letter, header = self.columns[name]
        self.errors.append(SheetError(self.sheet, self.number, letter, header, message))

    def check(self, raw: dict, is_reason: bool, first_seen: dict[str, int]) -> bool:
        """Whether the row is kept (not when a cell is unreadable)."""
        bad = False
        for name, value in raw.items():
            problem = _unreadable(value)
            if problem:
                self.error(name, problem)
                bad = True
        if bad:
            return False
        self.check_key(raw, "code" if is_reason else "value", first_seen)
        for name in ("text_id", "text_en"):
            if name in raw:
                value = _text(raw[name])
                if len(value) > LIMITS[name]:
                    self.error(
                        name,
                        _("At most %(limit)s characters; this has %(n)s.")
                        % {"limit": LIMITS[name], "n": len(value)},
                    )
                setattr(self.row, name, value)
        if is_reason and "text_id" in raw and not self.row.text_id:
            self.error("text_id", _("This value is required."))
        self.check_order(raw)
        self.check_active(raw)
        return True

    def check_key(self, raw: dict, key: str, first_seen: dict[str, int]) -> None:
        text = _text(raw.get(key))
        if key == "code":
            text = text.upper().replace(" ", "_")
        if not text:
            self.error(key, _("This value is required."))
        elif len(text) > LIMITS[key]:
            self.error(
                key,
                _("At most %(limit)s characters; this has %(n)s.")
                % {"limit": LIMITS[key], "n": len(text)},
            )
        elif text.lower() in first_seen:
            self.error(
                key,
                _("“%(value)s” appears more than once in the file (first in row %(row)s).")
                % {"value": text, "row": first_seen[text.lower()]},
            )
        else:
            first_seen[text.lower()] = self.number
        self.row.value = text

    def check_order(self, raw: dict) -> None:
        if "order" not in raw or not _text(raw["order"]):
            return
        order = _text(raw["order"])
        if order.isdigit() and int(order) <= 32767:
            self.row.order = int(order)
        else:
            self.error(
                "order",
                _("The order is a whole number from 0 to 32767, not “%(value)s”.")
                % {"value": order},
            )

    def check_active(self, raw: dict) -> None:
        if "active" not in raw or not _text(raw["active"]):
            return
        word = _text(raw["active"]).lower()
        if word in TRUE_WORDS:
            self.row.active = True
        elif word in FALSE_WORDS:
            self.row.active = False
        else:
            self.error(
                "active",
                _("Write yes or no (or leave empty for yes), not “%(value)s”.")
                % {"value": _text(raw["active"])},
            )


@transaction.atomic
def import_list(*, actor, slug: str, upload, filename: str | None = None) -> ListImport:
    """Check the file and, when every row is right, add or update its values (all or
    nothing). Returns the result with its errors or its counts."""
    lists.require_manager(actor)
    kind = lists.kind_of(slug)
    result = parse_list_upload(upload, slug=slug, filename=filename)
    if not result.ok:
        return result
    existing = {getattr(o, kind.key).lower(): o for o in kind.model.objects.select_for_update()}
    last = max((o.sort_order for o in existing.values()), default=-1)
    for row in result.rows:
        obj = existing.get(row.value.lower())
        if obj is None:
            last += 1
            values = {
                kind.key: row.value,
                "sort_order": row.order if row.order is not None else min(last, 32767),
                "is_active": True if row.active is None else row.active,
            }
            if kind.model is ReturnReason:
                values |= {"text_id": row.text_id, "text_en": row.text_en or row.text_id}
            obj = kind.model.objects.create(**values)
            result.added += 1
            audit.record(
                actor=actor,
                action="plans.list_value_added",
                obj=obj,
                after=lists._snapshot(kind, obj) | {"source": result.sheet},
            )
            continue
        before = lists._snapshot(kind, obj)
        if row.order is not None:
            obj.sort_order = row.order
        if row.active is not None:
            obj.is_active = row.active
        if kind.model is ReturnReason:
            obj.text_id = row.text_id or obj.text_id
            obj.text_en = row.text_en or obj.text_en
        after = lists._snapshot(kind, obj)
        if after != before:
            obj.save()
            result.updated += 1
            audit.record(
                actor=actor,
                action="plans.list_value_imported",
                obj=obj,
                before=before,
                after=after | {"source": result.sheet},
            )
    if not result.rows:
        raise ValidationError(_("The file has no data rows."))
    return result

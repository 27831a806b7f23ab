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
from openpyxl.utils import get_column_letter

from rkpk.core import audit
from rkpk.core.spreadsheet import safe_cell, workbook_bytes
from rkpk.organisation import importers
from rkpk.organisation.importers import ImportFileError, RowError, normalise_header
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


HEADER_ALIASES = {"name": "value", "satuan": "value", "nilai": "value", "urutan": "order"}


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
        sheet.column_dimensions[get_column_letter(index)].width = width
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
    errors: list[RowError] = field(default_factory=list)
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
    if isinstance(value, importers._Formula) or (
        isinstance(value, str) and value.strip().startswith("=")
    ):
        return _("Formulas are not accepted; type the value itself.")
    if isinstance(value, importers._CellError):
        return _("The cell holds the error %(value)s; type the value itself.") % {
            "value": value.text
        }
    return ""


def parse_list_upload(upload, *, slug: str, filename: str | None = None) -> ListImport:
    """Read and check an uploaded list (XLSX or CSV). Pure: nothing is written."""
    kind = lists.kind_of(slug)
    filename = filename or getattr(upload, "name", "") or ""
    result = ListImport(slug, sheet=PurePath(filename).name)
    try:
        data = importers.read_bytes(upload)
        sheet = importers.read_sheet(data, filename=filename, kind=sheet_name(slug))
    except ImportFileError as error:
        result.errors.append(RowError(result.sheet, error.row, error.column, error.message))
        return result
    result.sheet = sheet.name
    wanted = dict(columns(slug))
    header_row, index, labels = None, {}, {}
    for number, cells in sheet.rows:
        if all(v is None or not _text(v) for v in cells):
            continue
        header_row = number
        for position, cell in enumerate(cells):
            text = _text(cell)
            if not text:
                continue
            name = normalise_header(text)
            name = HEADER_ALIASES.get(name, name)
            if kind.model is ReturnReason and name == "value":
                name = "code"
            letter = get_column_letter(position + 1)
            if name not in wanted:
                result.ignored_columns.append(f"{letter} ({text})")
                continue
            if name in index:
                result.errors.append(
                    RowError(
                        sheet.name,
                        number,
                        letter,
                        _("The column %(name)s appears twice.") % {"name": name},
                    )
                )
                continue
            index[name] = position
            labels[name] = f"{letter} ({text})"
        break
    if header_row is None:
        result.errors.append(RowError(sheet.name, None, "", _("The file has no header row.")))
        return result
    missing = [name for name, required in wanted.items() if required and name not in index]
    if missing:
        result.errors.append(
            RowError(
                sheet.name,
                header_row,
                ", ".join(missing),
                _(
                    "Required column(s) missing: %(missing)s. The first row names the "
                    "columns: %(all)s."
                )
                % {"missing": ", ".join(missing), "all": ", ".join(wanted)},
            )
        )
        return result
    key = "code" if kind.model is ReturnReason else "value"
    limits = {"value": lists.MAX_LENGTH, "code": 30, "text_id": 300, "text_en": 300}
    first_seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        if number <= header_row:
            continue
        raw = {name: cells[i] if i < len(cells) else None for name, i in index.items()}
        if all(not _text(v) for v in raw.values()):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(
                RowError(
                    sheet.name, number, "", _("At most %(n)s rows per file.") % {"n": MAX_ROWS}
                )
            )
            break
        row = ListRow(row=number)

        def error(name, message, number=number):
            result.errors.append(RowError(sheet.name, number, labels[name], message))

        bad = False
        for name, value in raw.items():
            problem = _unreadable(value)
            if problem:
                error(name, problem)
                bad = True
        if bad:
            continue
        text = _text(raw.get(key))
        if key == "code":
            text = text.upper().replace(" ", "_")
        if not text:
            error(key, _("This value is required."))
        elif len(text) > limits[key]:
            error(
                key,
                _("At most %(limit)s characters; this has %(n)s.")
                % {"limit": limits[key], "n": len(text)},
            )
        elif text.lower() in first_seen:
            error(
                key,
                _("“%(value)s” appears more than once in the file (first in row %(row)s).")
                % {"value": text, "row": first_seen[text.lower()]},
            )
        else:
            first_seen[text.lower()] = number
        row.value = text
        for name in ("text_id", "text_en"):
            if name in raw:
                value = _text(raw[name])
                if len(value) > limits[name]:
                    error(
                        name,
                        _("At most %(limit)s characters; this has %(n)s.")
                        % {"limit": limits[name], "n": len(value)},
                    )
                setattr(row, name, value)
        if kind.model is ReturnReason and "text_id" in raw and not row.text_id:
            error("text_id", _("This value is required."))
        if "order" in raw and _text(raw["order"]):
            order = _text(raw["order"])
            if order.isdigit() and int(order) <= 32767:
                row.order = int(order)
            else:
                error(
                    "order",
                    _("The order is a whole number from 0 to 32767, not “%(value)s”.")
                    % {"value": order},
                )
        if "active" in raw and _text(raw["active"]):
            word = _text(raw["active"]).lower()
            if word in TRUE_WORDS:
                row.active = True
            elif word in FALSE_WORDS:
                row.active = False
            else:
                error(
                    "active",
                    _("Write yes or no (or leave empty for yes), not “%(value)s”.")
                    % {"value": _text(raw["active"])},
                )
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(RowError(sheet.name, None, "", _("The file has no data rows.")))
    result.errors.sort(key=lambda e: e.row or 0)
    return result


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

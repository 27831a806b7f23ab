"""The rules a unit row of an import must meet, against the file and the database (also run
by the services before they write)."""

from django.utils.translation import gettext as _

from rkpk.core.sheet_reader import SheetError
from rkpk.organisation.importers.rows import (
    UnitRow,
    duplicates,
    field_errors,
    has_column,
    level_message,
    row_error,
)
from rkpk.organisation.models import Unit


def check_unit_rows(rows: list[UnitRow]) -> list[SheetError]:
    """Every rule a unit row must meet, against the file and the database."""
    errors = _value_errors(rows)
    in_file: dict[str, UnitRow] = {}
    for row in rows:
        if row.code:
            in_file.setdefault(row.code, row)
    tree = _Tree(in_file)
    for row in rows:
        if not row.code or in_file.get(row.code) is not row:
            continue
        parent = tree.parent[row.code]
        if parent and "parent_code" not in row.unreadable:
            found, stop = _parent_errors(row, parent, tree)
            errors.extend(found)
            if stop:
                continue
        errors.extend(_sub_unit_errors(row, tree))
    return errors


def _value_errors(rows: list[UnitRow]) -> list[SheetError]:
    """Each row's own values (required, the model's rules, the level) and repeated codes."""
    errors = []
    for row in rows:
        errors.extend(
            field_errors(
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
                errors.append(row_error(row, "level", _("This value is required.")))
            elif row.level not in Unit.Level.values:
                errors.append(row_error(row, "level", level_message(row.level)))
    errors.extend(duplicates(rows, "code", _("Code")))
    return errors


class _Tree:
    """The units as they are (`db`, `db_children`) and as they will be: the database, with
    the file's rows laid over it (`parent`, `level` by code)."""

    def __init__(self, in_file: dict[str, UnitRow]):
        self.in_file = in_file
        self.db = {
            code: {"level": level, "parent": parent, "active": active}
            for code, level, parent, active in Unit.objects.values_list(
                "code", "level", "parent__code", "is_active"
            )
        }
        self.db_children: dict[str, list] = {}
        for code, info in self.db.items():
            if info["parent"]:
                self.db_children.setdefault(info["parent"], []).append((code, info))
        self.parent = {code: info["parent"] or "" for code, info in self.db.items()}
        self.level = {code: info["level"] for code, info in self.db.items()}
        for code, row in in_file.items():
            if has_column(row, "parent_code"):
                self.parent[code] = row.parent_code
            else:
                self.parent.setdefault(code, "")
            self.level[code] = row.level


def _parent_errors(row: UnitRow, parent: str, tree: _Tree) -> tuple[list[SheetError], bool]:
    """(errors, whether to check nothing more of the row) of a row's parent."""
    if parent == row.code:
        return [row_error(row, "parent_code", _("A unit cannot be its own parent."))], True
    if parent not in tree.in_file and parent not in tree.db:
        message = _(
            "Unknown parent code %(code)s: it is neither in this file nor in the system."
        ) % {"code": parent}
        return [row_error(row, "parent_code", message)], True
    errors = []
    parent_level = tree.level.get(parent)
    if row.level and parent_level and parent_level >= row.level:
        errors.append(
            row_error(
                row,
                "level",
                _(
                    "Level %(level)s is not below its parent %(parent)s (level "
                    "%(parent_level)s): a sub-unit needs a higher level number."
                )
                % {"level": row.level, "parent": parent, "parent_level": parent_level},
            )
        )
    child_active = row.code not in tree.db or tree.db[row.code]["active"]
    if parent in tree.db and not tree.db[parent]["active"] and child_active:
        errors.append(
            row_error(
                row,
                "parent_code",
                _("The parent unit %(code)s is deactivated.") % {"code": parent},
            )
        )
    errors.extend(_loop_errors(row, parent, tree))
    return errors, False


def _loop_errors(row: UnitRow, parent: str, tree: _Tree) -> list[SheetError]:
    """Does the chain of parents come back to this unit?"""
    path, seen, current = [row.code], {row.code}, parent
    while current:
        path.append(current)
        if current == row.code:
            return [
                row_error(
                    row,
                    "parent_code",
                    _("The parents form a loop: %(chain)s.") % {"chain": " → ".join(path)},
                )
            ]
        if current in seen:
            return []  # a loop above this unit; reported on the rows that form it
        seen.add(current)
        current = tree.parent.get(current, "")
    return []


def _sub_unit_errors(row: UnitRow, tree: _Tree) -> list[SheetError]:
    """Existing sub-units not in the file must stay below the unit's new level."""
    if row.code not in tree.db or not row.level:
        return []
    blocked = [
        code
        for code, info in tree.db_children.get(row.code, [])
        if code not in tree.in_file and info["level"] <= row.level
    ]
    if not blocked:
        return []
    return [
        row_error(
            row,
            "level",
            _(
                "Level %(level)s is not above the existing sub-units %(codes)s; "
                "a unit needs a lower level number than its sub-units."
            )
            % {"level": row.level, "codes": ", ".join(sorted(blocked))},
        )
    ]

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
                errors.append(row_error(row, "parent_code", _("A unit cannot be its own parent.")))
                continue
            if parent not in in_file and parent not in db:
                errors.append(
                    row_error(
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
            child_active = row.code not in db or db[row.code]["active"]
            if parent in db and not db[parent]["active"] and child_active:
                errors.append(
                    row_error(
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
                        row_error(
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
                    row_error(
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

"""The rules an official's row of an import must meet — the person, their own post and the
posts they head (definitive, Plt., Plh.) — against the file and the database (also run by
the services before they write)."""

import re

from django.utils.translation import gettext as _

from rkpk.core.sheet_reader import SheetError
from rkpk.organisation.importers.rows import (
    OfficialRow,
    field_errors,
    has_column,
    is_acting_row,
    own_rows,
    person_key,
    row_error,
)
from rkpk.organisation.models import Official, Unit


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


def check_official_rows(rows: list[OfficialRow]) -> list[SheetError]:
    """Every rule an official row must meet, against the file and the database.

    One person may be on several rows (one per post held: their own, and units they head
    definitively or act for as Plt./Plh.): the same NIP, or without NIP the same name with
    the state-official mark.
    """
    errors: list[SheetError] = []
    _check_people(rows, errors)
    own = own_rows(rows)
    _check_same_person(rows, own, errors)
    codes = {row.unit_code for row in rows if row.unit_code}
    codes |= {row.head_of_unit for row in rows if row.head_of_unit}
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "is_active"))
    _check_units(rows, units, errors)
    errors.extend(_check_head_rows(rows, units, own))
    return errors


def _check_people(rows: list[OfficialRow], errors: list[SheetError]) -> None:
    """Each row's name, position, rank and NIP (a state official may have none)."""
    for row in rows:
        errors.extend(
            field_errors(
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
                    row_error(
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
                        row_error(
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
                    row_error(
                        row,
                        "nip",
                        _("A NIP has exactly 18 digits; '%(value)s' has %(n)s characters.")
                        % {"value": row.nip, "n": len(row.nip)},
                    )
                )


def _check_same_person(rows: list[OfficialRow], own: dict, errors: list[SheetError]) -> None:
    """One person on several rows: the same name; one own post."""
    for row in rows:
        first = own[person_key(row)]
        if first is row:
            continue
        who = row.nip or row.name
        if row.name and first.name and not _same(row.name, first.name):
            errors.append(
                row_error(
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
                    row_error(
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
                row_error(
                    row,
                    "nip",
                    _("%(who)s appears more than once in the file (first in row %(row)s).")
                    % {"who": who, "row": first.row},
                )
            )


def _check_units(rows: list[OfficialRow], units: dict, errors: list[SheetError]) -> None:
    """Each official's unit: known and, for an active official, active."""
    for row in rows:
        if not row.unit_code or "unit_code" in row.unreadable:
            continue
        if row.unit_code not in units:
            errors.append(
                row_error(
                    row,
                    "unit_code",
                    _("Unknown unit code %(code)s: import the unit tree first.")
                    % {"code": row.unit_code},
                )
            )
        elif not units[row.unit_code] and row.is_active:
            errors.append(
                row_error(
                    row,
                    "unit_code",
                    _("The unit %(code)s is deactivated; an active official cannot join it.")
                    % {"code": row.unit_code},
                )
            )


def _check_head_rows(rows, units: dict, own: dict) -> list[SheetError]:
    """The posts headed: a known active unit, a period in order (a start for Plt./Plh.), an
    active person, no two overlapping acting posts of one unit, and one person heading a
    unit once at a time."""
    errors = []
    by_unit: dict[str, list[OfficialRow]] = {}
    for row in rows:
        refused = _head_post_errors(row, units, own)
        if refused is not None:
            errors.extend(refused)
            continue
        clash = _overlap_error(row, by_unit.get(row.head_of_unit, []))
        if clash is not None:
            errors.append(clash)
        else:
            by_unit.setdefault(row.head_of_unit, []).append(row)
    return errors


def _head_post_errors(row: OfficialRow, units: dict, own: dict) -> list[SheetError] | None:
    """None when the row heads a unit it may head; else the errors (none when the row
    heads no unit or its unit cannot be read)."""
    has_head_values = (
        row.head_from or row.head_until or (has_column(row, "head_kind") and row.head_kind != "def")
    )
    if not row.head_of_unit:
        if has_head_values and "head_of_unit" not in row.unreadable:
            return [
                row_error(
                    row,
                    "head_of_unit",
                    _("Name the unit headed (its code), or leave head_kind and the dates empty."),
                )
            ]
        return []
    if "head_of_unit" in row.unreadable:
        return []
    if row.head_of_unit not in units:
        message = _("Unknown unit code %(code)s: import the unit tree first.") % {
            "code": row.head_of_unit
        }
        return [row_error(row, "head_of_unit", message)]
    if not units[row.head_of_unit]:
        message = _("The unit %(code)s is deactivated.") % {"code": row.head_of_unit}
        return [row_error(row, "head_of_unit", message)]
    if not own[person_key(row)].is_active:
        message = _("An inactive official cannot head a unit; mark them active or remove the post.")
        return [row_error(row, "head_of_unit", message)]
    if (
        row.head_kind in ("Plt", "Plh")
        and row.head_from is None
        and "head_from" not in row.unreadable
    ):
        return [row_error(row, "head_from", _("A Plt. or Plh. post needs its first day."))]
    if row.head_from and row.head_until and row.head_until < row.head_from:
        return [row_error(row, "head_until", _("The last day comes before the first day."))]
    return None


def _overlap_error(row: OfficialRow, others: list[OfficialRow]) -> SheetError | None:
    """The first post of the same unit whose period overlaps the row's and may not."""
    for other in others:
        if not _overlap(row, other):
            continue
        if person_key(other) == person_key(row):
            message = _("This person already heads %(unit)s in row %(row)s for %(period)s.")
        elif row.head_kind != "def" and other.head_kind != "def":
            message = _("Two acting heads of %(unit)s overlap: row %(row)s has one for %(period)s.")
        elif row.head_kind == "def" and other.head_kind == "def":
            message = _(
                "Two definitive heads of %(unit)s overlap: row %(row)s has one for "
                "%(period)s. Give each its dates."
            )
        else:
            continue
        return row_error(
            row,
            "head_of_unit",
            message % {"unit": row.head_of_unit, "row": other.row, "period": _period_text(other)},
        )
    return None

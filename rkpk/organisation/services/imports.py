"""Imports of units and officials (with their headships) from a checked workbook."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from rkpk.core import audit
from rkpk.organisation import importers
from rkpk.organisation.models import (
    Headship,
    Official,
    Unit,
)
from rkpk.organisation.services.base import (
    HEADSHIP_FIELDS,
    OFFICIAL_FIELDS,
    UNIT_FIELDS,
    _require_manage,
)
from rkpk.organisation.services.headships import (
    _headship_repr,
    record_headship,
)

# --- Imports ------------------------------------------------------------------------------


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _write_imported(*, actor, instance, model, key: dict, values: dict, fields, counts) -> object:
    """Create (`instance` None) or update one imported record, audited; count what happened."""
    label = model._meta.model_name
    if instance is None:
        instance = model.objects.create(**key, **values)
        audit.record(
            actor=actor,
            action=f"{label}.created",
            obj=instance,
            after=audit.snapshot(instance, fields),
        )
        counts.created += 1
        return instance
    before = audit.snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    after = audit.snapshot(instance, fields)
    if after == before:
        counts.unchanged += 1
        return instance
    instance.save()
    audit.record(actor=actor, action=f"{label}.updated", obj=instance, before=before, after=after)
    counts.updated += 1
    return instance


def _record_import(*, actor, model, source: str, counts: ImportCounts) -> None:
    audit.record(
        actor=actor,
        action=f"{model._meta.model_name}.imported",
        object_type=model._meta.label_lower,
        object_repr=source[:300],
        after={"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged},
    )


def _raise_row_errors(errors: list) -> None:
    if errors:
        raise ValidationError([error.in_words() for error in errors])


def _parents_first(rows: list[importers.UnitRow]) -> list[importers.UnitRow]:
    """The rows ordered so that a parent in the file is written before its sub-units."""
    by_code = {row.code: row for row in rows}

    def depth(row) -> int:
        count, current, seen = 0, by_code.get(row.parent_code), set()
        while current is not None and current.code not in seen:
            seen.add(current.code)
            count += 1
            current = by_code.get(current.parent_code)
        return count

    return sorted(rows, key=depth)


@transaction.atomic
def import_units(
    *, actor, rows: list[importers.UnitRow], source: str = "", check_permission: bool = True
) -> ImportCounts:
    """Create or update units by code. The rows are checked again here; if any is wrong
    nothing is written."""
    _require_manage(actor, check_permission)
    _raise_row_errors(importers.check_unit_rows(rows))
    codes = {row.code for row in rows} | {row.parent_code for row in rows if row.parent_code}
    known = {u.code: u for u in Unit.objects.select_for_update().filter(code__in=codes)}
    counts = ImportCounts()
    for row in _parents_first(rows):
        unit = known.get(row.code)
        values = {"name": row.name, "level": row.level}
        # Optional columns the file does not have leave an existing unit's value alone.
        for name in ("short_name", "head_position"):
            if unit is None or importers.has_column(row, name):
                values[name] = getattr(row, name)
        if unit is None or importers.has_column(row, "parent_code"):
            values["parent"] = known[row.parent_code] if row.parent_code else None
        known[row.code] = _write_imported(
            actor=actor,
            instance=unit,
            model=Unit,
            key={"code": row.code} if unit is None else {},
            values=values if unit is not None else {**values, "is_active": True},
            fields=UNIT_FIELDS,
            counts=counts,
        )
    _record_import(actor=actor, model=Unit, source=source, counts=counts)
    return counts


@transaction.atomic
def import_officials(
    *, actor, rows: list[importers.OfficialRow], source: str = "", check_permission: bool = True
) -> ImportCounts:
    """Create or update officials by NIP (a state official without NIP: by name), and the
    posts they head (definitive or Plt./Plh.). One person may be on several rows, one per
    post. The rows are checked again here; if any is wrong nothing is written."""
    _require_manage(actor, check_permission)
    _raise_row_errors(importers.check_official_rows(rows))
    codes = {r.unit_code for r in rows if r.unit_code} | {
        r.head_of_unit for r in rows if r.head_of_unit
    }
    units = {u.code: u for u in Unit.objects.select_for_update().filter(code__in=codes)}
    own = importers.own_rows(rows)
    known = {
        o.nip: o
        for o in Official.objects.select_for_update().filter(
            nip__in=[row.nip for row in own.values() if row.nip]
        )
    }
    without_nip: dict[str, Official] = {}
    for official in Official.objects.select_for_update().filter(nip__isnull=True).order_by("pk"):
        without_nip.setdefault(" ".join(official.name.split()).casefold(), official)
    counts = ImportCounts()
    people: dict[tuple, Official] = {}
    for key, row in own.items():
        if row.nip:
            official = known.get(row.nip)
        else:
            official = without_nip.get(" ".join(row.name.split()).casefold())
        values = {"name": row.name, "position": row.position}
        # Optional columns the file does not have leave an existing official's value alone.
        if official is None or importers.has_column(row, "rank"):
            values["rank"] = row.rank
        if official is None or importers.has_column(row, "unit_code"):
            values["unit"] = units.get(row.unit_code) if row.unit_code else None
        if official is None or importers.has_column(row, "active"):
            values["is_active"] = row.is_active
        if official is None or importers.has_column(row, "state_official"):
            values["is_state_official"] = row.is_state_official
        people[key] = _write_imported(
            actor=actor,
            instance=official,
            model=Official,
            key={"nip": row.nip or None} if official is None else {},
            values=values,
            fields=OFFICIAL_FIELDS,
            counts=counts,
        )
    errors = _import_headships(actor=actor, rows=rows, own=own, people=people, units=units)
    _raise_row_errors(errors)
    _record_import(actor=actor, model=Official, source=source, counts=counts)
    return counts


def _import_headships(*, actor, rows, own, people, units) -> list:
    """Record the posts headed on the rows (skipping those already recorded); a person
    whose own position is their unit's head position heads it definitively when nothing
    else is recorded for it. Returns the problems, each naming sheet, row and column."""
    errors = []
    headed_in_file = {row.head_of_unit for row in rows if row.head_of_unit}
    for row in rows:
        if not row.head_of_unit:
            continue
        official, unit = people[importers.person_key(row)], units[row.head_of_unit]
        same = Headship.objects.filter(
            official=official, unit=unit, kind=row.head_kind, starts_on=row.head_from
        ).first()
        try:
            if same is None:
                record_headship(
                    actor=actor,
                    unit=unit,
                    official=official,
                    kind=row.head_kind,
                    starts_on=row.head_from,
                    ends_on=row.head_until,
                    check_permission=False,
                )
            elif same.ends_on != row.head_until:
                before = audit.snapshot(same, HEADSHIP_FIELDS)
                same.ends_on = row.head_until
                same.full_clean()
                same.save(update_fields=["ends_on"])
                audit.record(
                    actor=actor,
                    action="headship.updated",
                    obj=same,
                    object_repr=_headship_repr(same),
                    before=before,
                    after=audit.snapshot(same, HEADSHIP_FIELDS),
                )
        except ValidationError as error:
            column = "head_from" if row.head_kind != Headship.Kind.DEFINITIVE else "head_of_unit"
            for message in error.messages:
                errors.append(importers.row_error(row, column, str(message)))
    for key, row in own.items():
        official = people[key]
        unit = units.get(row.unit_code) if row.unit_code else None
        if (
            unit is None
            or not unit.is_active
            or row.head_of_unit
            or row.unit_code in headed_in_file
            or not official.is_active
            or not unit.head_position.strip()
            or official.position.strip().casefold() != unit.head_position.strip().casefold()
            or unit.headships.exists()
        ):
            continue
        record_headship(actor=actor, unit=unit, official=official, check_permission=False)
    return errors

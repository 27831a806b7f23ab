"""Importing a checked workbook into the plan: the whole content replaced in one transaction,
the replaced content kept as a version in the audit trail."""

from __future__ import annotations

from django.utils.translation import gettext as _

from rkpk.core.models import AuditEvent
from rkpk.core.sheet_reader import (
    SheetError,
)
from rkpk.plans import lists as reference_lists
from rkpk.plans.excel.columns import ACTIVITIES, PROP_UNIT, PROP_YEAR, column, letter_of
from rkpk.plans.excel.reading import ParsedWorkbook, parse_workbook
from rkpk.plans.models import (
    Activity,
    UnitPlan,
)
from rkpk.plans.services_content import (
    ImportResult,
    not_editable,
    replace_plan_content,
    require_may_replace,
    row_count,
    units_below,
)

# --- Writing --------------------------------------------------------------------------------


def import_workbook(
    *,
    actor,
    plan: UnitPlan,
    data: bytes,
    filename: str,
    overwrite: bool = False,
    apply_rollups: bool = True,
    allow_shrink: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Check an uploaded workbook and, when the whole file is valid, replace the plan's
    goals, indicators, activities and activity indicators with its content.

    Returns the errors when the file is not valid (nothing is written). Raises
    PermissionDenied when the actor (a user; None is the system) may not edit the plan, and
    ValidationError when the plan may not be changed now. A workbook downloaded before the
    plan was changed in the application is refused as a conflict unless `overwrite`.

    Lines that look like roll-ups of a unit below (`_propose_rollups`) are marked as such
    when `apply_rollups` (the default), else only listed in the result as proposals.

    A workbook without any data row is refused (it would erase the plan). One that would
    replace the plan with fewer than half of its current rows is refused as `shrink` unless
    `allow_shrink`. The replaced content is kept in the `plan.imported` audit event (see
    `replaced_versions`).

    With `dry_run`, every check runs (the conflict and shrink ones too) and nothing is
    written: an ok result means the import would succeed (the page asks "replace?" then).
    """
    require_may_replace(actor, plan)  # before the file is read: a refusal, not its errors
    if not plan.is_editable:
        raise not_editable(plan)
    parsed = parse_workbook(data, filename=filename, keep=reference_lists.values_held_by(plan))
    if parsed.ok:
        _check_belongs(parsed, plan)
        _check_rollups(parsed, plan)
    if parsed.ok and not row_count(parsed.counts()):
        parsed.errors.append(SheetError("", None, "", "", no_rows_message()))
    if not parsed.ok:
        return ImportResult(
            errors=parsed.errors, readable=parsed.readable, unknown_values=parsed.unknown_values
        )
    return replace_plan_content(
        actor=actor,
        plan=plan,
        parsed=parsed,
        filename=filename,
        overwrite=overwrite,
        apply_rollups=apply_rollups,
        allow_shrink=allow_shrink,
        dry_run=dry_run,
    )


def no_rows_message() -> str:
    return _(
        "The workbook holds no data rows: its sheets have only headings or empty rows. "
        "Importing it would erase the plan; nothing was imported."
    )


def replaced_versions(plan: UnitPlan) -> list[dict]:
    """The contents workbook imports replaced, newest first: dicts with seq, at, actor,
    file and content (a `plan_snapshot` dict, the shape a submission freezes)."""
    events = AuditEvent.objects.filter(
        action="plan.imported", object_type=plan._meta.label_lower, object_id=str(plan.pk)
    ).order_by("-seq")
    return [
        {
            "seq": event.seq,
            "at": event.at,
            "actor": event.actor_name,
            "file": (event.after or {}).get("file", ""),
            "content": event.before["content"],
        }
        for event in events
        if isinstance(event.before, dict) and event.before.get("content")
    ]


def _check_rollups(parsed: ParsedWorkbook, plan: UnitPlan) -> None:
    """The "Rekapitulasi unit" cells name units below the plan's unit, on activity rows."""
    rows = [row for row in parsed.activities if row.rolls_up]
    if not rows:
        return
    below = units_below(plan)
    rolls_up_letter = letter_of(ACTIVITIES, "rolls_up")
    header = column(ACTIVITIES, "rolls_up").header
    for row in rows:
        message = None
        if row.rolls_up.lower() not in below:
            message = _(
                "“%(code)s” is not the code of a unit below %(unit)s: a line can only roll up "
                "the plan of a unit below the plan's unit (see the list in this column)."
            ) % {"code": row.rolls_up[:40], "unit": plan.unit.name}
        elif row.kind == Activity.Kind.PROGRAM:
            message = _("Only an activity can roll up a unit's plan, not a program.")
        if message:
            parsed.errors.append(SheetError(ACTIVITIES, row.row, rolls_up_letter, header, message))


def _check_belongs(parsed: ParsedWorkbook, plan: UnitPlan) -> None:
    unit, year = parsed.properties.get(PROP_UNIT), parsed.properties.get(PROP_YEAR)
    if unit and str(unit) != plan.unit.code:
        parsed.errors.append(
            SheetError(
                "",
                None,
                "",
                "",
                _(
                    "This workbook was downloaded for the unit %(other)s, not for %(unit)s. "
                    "Download the template of %(unit)s and enter the data there."
                )
                % {"other": unit, "unit": plan.unit.code},
            )
        )
    if year and str(year) != str(plan.year):
        parsed.errors.append(
            SheetError(
                "",
                None,
                "",
                "",
                _(
                    "This workbook is for the year %(other)s, not %(year)s. Download the "
                    "template for %(year)s."
                )
                % {"other": year, "year": plan.year},
            )
        )

"""Importing a checked workbook into the plan: the whole content replaced in one transaction,
the replaced content kept as a version in the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.models import AuditEvent
from rkpk.core.sheet_reader import (
    SheetError,
)
from rkpk.organisation.models import Unit
from rkpk.plans import lists as reference_lists
from rkpk.plans.excel.columns import ACTIVITIES, PROP_BASE, PROP_UNIT, PROP_YEAR, column, letter_of
from rkpk.plans.excel.fingerprint import content_fingerprint
from rkpk.plans.excel.reading import ParsedWorkbook, parse_workbook, target_fields
from rkpk.plans.models import (
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    UnitPlan,
)
from rkpk.plans.rollups import descendant_ids, names_unit, plan_totals
from rkpk.plans.snapshot import plan_snapshot


@dataclass
class ImportResult:
    errors: list[SheetError] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    conflict: bool = False  # the plan changed after the workbook was downloaded
    # The workbook holds fewer than half the plan's current rows (refused unless allow_shrink)
    shrink: bool = False
    readable: bool = False  # an annotated copy of the upload can be made
    unknown_values: list[dict] = field(default_factory=list)  # see ParsedWorkbook
    # Lines recognised as roll-ups of a unit below (see `_propose_rollups`): dicts with
    # activity_id, row, name, budget, unit_id, unit_code, unit_name, applied.
    rollups: list[dict] = field(default_factory=list)
    warnings: list[SheetError] = field(default_factory=list)  # see ParsedWorkbook
    replaces: int = 0  # a dry run: how many rows of the plan the import would replace

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Writing --------------------------------------------------------------------------------


def _actor_user(actor):
    return actor if actor is not None and getattr(actor, "pk", None) is not None else None


@transaction.atomic
def ensure_plan(*, actor, unit, year: int) -> UnitPlan:
    """The unit's plan for the year, created (as a draft) when there is none yet.

    A user goes through `services.get_or_create_plan` (which checks that they may edit the
    unit's plan); the system (actor None, e.g. a command without --user) may always.
    """
    if _actor_user(actor) is not None:
        from rkpk.plans import services

        return services.get_or_create_plan(actor=actor, unit=unit, year=year)
    plan = UnitPlan.objects.filter(unit=unit, year=year).first()
    if plan is not None:
        return plan
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(_("Give a plan year between 2000 and 2100."))
    if not unit.is_active:
        raise ValidationError(
            _("The unit %(unit)s is deactivated; it cannot start a plan.") % {"unit": unit}
        )
    plan = UnitPlan.objects.create(unit=unit, year=year)
    audit.record(
        actor=actor, action="plan.created", obj=plan, after={"unit": unit.code, "year": year}
    )
    return plan


def _not_editable(plan: UnitPlan) -> ValidationError:
    return ValidationError(
        _("The plan is %(status)s and cannot be changed; nothing was imported.")
        % {"status": plan.get_status_display().lower()}
    )


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
    user = _actor_user(actor)
    if user is not None and not user.has_perm("plans.edit_plan", plan):
        raise PermissionDenied(_("You may not change this plan."))
    if not plan.is_editable:
        raise _not_editable(plan)
    parsed = parse_workbook(data, filename=filename, keep=reference_lists.values_held_by(plan))
    if parsed.ok:
        _check_belongs(parsed, plan)
        _check_rollups(parsed, plan)
    if parsed.ok and not _row_count(parsed.counts()):
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


def _row_count(counts: dict) -> int:
    """Goals + indicators + activities + activity indicators."""
    return sum(counts[k] for k in ("goals", "indicators", "activities", "activity_indicators"))


def shrinks(old_rows: int, new_rows: int) -> bool:
    """Whether replacing `old_rows` rows by `new_rows` keeps fewer than half of them."""
    return new_rows * 2 < old_rows


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


def _units_below(plan: UnitPlan) -> dict[str, int]:
    """The units below the plan's unit: code (lower case) -> pk."""
    return {
        code.lower(): pk
        for pk, code in Unit.objects.filter(pk__in=descendant_ids(plan.unit_id)).values_list(
            "pk", "code"
        )
    }


def _check_rollups(parsed: ParsedWorkbook, plan: UnitPlan) -> None:
    """The "Rekapitulasi unit" cells name units below the plan's unit, on activity rows."""
    rows = [row for row in parsed.activities if row.rolls_up]
    if not rows:
        return
    below = _units_below(plan)
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


def _propose_rollups(plan: UnitPlan, activities: list[Activity]) -> list[dict]:
    """The imported activity lines that look like roll-ups but are not marked: the line's
    name names a unit below the plan's unit (its code, name or short name) and its budget
    equals that unit's current plan total for the year. One proposal per unit at most."""
    units = {
        u["id"]: u
        for u in Unit.objects.filter(pk__in=descendant_ids(plan.unit_id)).values(
            "id", "code", "name", "short_name"
        )
    }
    if not units:
        return []
    totals = plan_totals(units, plan.year)
    taken = {a.rolls_up_id for a in activities if a.rolls_up_id}
    proposals = []
    for activity in activities:
        if activity.rolls_up_id or activity.kind != Activity.Kind.ACTIVITY or not activity.budget:
            continue
        for unit_id, unit in units.items():
            if (
                unit_id not in taken
                and totals.get(unit_id) == activity.budget
                and names_unit(activity.name, unit)
            ):
                taken.add(unit_id)
                proposals.append(
                    {
                        "activity_id": activity.pk,
                        "row": activity.position + 2,  # the sheet row (header, from 0)
                        "name": activity.name,
                        "budget": format(activity.budget.normalize(), "f"),
                        "unit_id": unit_id,
                        "unit_code": unit["code"],
                        "unit_name": unit["name"],
                        "applied": False,
                    }
                )
                break
    return proposals


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


def _conflict(plan: UnitPlan, base: str, current: str) -> bool:
    """Whether the plan changed since the workbook (made from content `base`) was downloaded,
    other than by importing that same workbook."""
    if not base or base == current:
        return False
    last_import = (
        AuditEvent.objects.filter(
            action="plan.imported", object_type=plan._meta.label_lower, object_id=str(plan.pk)
        )
        .order_by("-seq")
        .values_list("after", flat=True)
        .first()
    )
    return not (
        last_import
        and last_import.get("base") == base
        and last_import.get("fingerprint") == current
    )


def _previous_links(plan: UnitPlan) -> Callable[[str, str], int | None]:
    """Finds last year's indicator for an imported one: the link the plan's indicator with
    the same code (or name) had, else last year's indicator with that code (or name)."""
    current_by_code, current_by_name = {}, {}
    for code, name, previous in Indicator.objects.filter(plan=plan).values_list(
        "code", "name", "previous_id"
    ):
        if previous:
            if code:
                current_by_code.setdefault(code.lower(), previous)
            current_by_name.setdefault(name, previous)
    last_year = (
        UnitPlan.objects.filter(pk=plan.copied_from_id).first()
        if plan.copied_from_id
        else UnitPlan.objects.filter(unit_id=plan.unit_id, year=plan.year - 1).first()
    )
    old_by_code, old_by_name = {}, {}
    if last_year is not None:
        for pk, code, name in Indicator.objects.filter(plan=last_year).values_list(
            "pk", "code", "name"
        ):
            if code:
                old_by_code.setdefault(code.lower(), pk)
            old_by_name.setdefault(name, pk)

    def find(code: str, name: str) -> int | None:
        folded = code.lower()
        return (
            (current_by_code.get(folded) if code else None)
            or current_by_name.get(name)
            or (old_by_code.get(folded) if code else None)
            or old_by_name.get(name)
        )

    return find


@transaction.atomic
def replace_plan_content(
    *,
    actor,
    plan: UnitPlan,
    parsed: ParsedWorkbook,
    filename: str,
    overwrite: bool = False,
    apply_rollups: bool = True,
    allow_shrink: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Replace the plan's content with a checked workbook's, in one transaction."""
    plan = UnitPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if not plan.is_editable:
        raise _not_editable(plan)
    before = content_fingerprint(plan)
    base = str(parsed.properties.get(PROP_BASE) or "")
    if not overwrite and _conflict(plan, base, before):
        return _refused(parsed, _conflict_message(), conflict=True)
    old_counts = _counts(plan)
    old_rows, new_rows = _row_count(old_counts), _row_count(parsed.counts())
    if not allow_shrink and shrinks(old_rows, new_rows):
        return _refused(parsed, _shrink_message(old_rows, new_rows), shrink=True)
    if dry_run:
        return ImportResult(
            counts=parsed.counts(),
            readable=True,
            warnings=list(parsed.warnings),
            replaces=old_rows,
        )
    # The replaced content stays recoverable as a version: the full snapshot goes into the
    # `before` of the `plan.imported` event (read back by `replaced_versions`). The audit
    # event is written anyway in this transaction, is append-only and hash-chained, and the
    # snapshot is the same shape a Submission freezes, so documents and version comparisons
    # can read it; a separate draft-version table would duplicate that for one use.
    old_content = plan_snapshot(plan) if old_rows else None
    find_previous = _previous_links(plan)
    old_indicators, followers = _indicator_links(plan)
    _delete_content(plan)
    indicators = _create_goals_and_indicators(plan, parsed, find_previous)
    activities = _create_activities(plan, parsed)
    proposals = _propose_rollups(plan, activities)
    if apply_rollups and proposals:
        _apply_rollups(activities, proposals)
    _create_activity_indicators(parsed, activities)
    _repoint_followers(followers, old_indicators, indicators)
    _record_import(
        actor=actor,
        plan=plan,
        before={
            "fingerprint": before,
            **old_counts,
            **({"content": old_content} if old_content else {}),
        },
        after={
            "file": PurePath(filename or "").name[:200],
            "base": base,
            "fingerprint": content_fingerprint(plan),
            "overwrite": bool(overwrite),
            **parsed.counts(),
        },
        proposals=proposals,
    )
    return ImportResult(
        counts=parsed.counts(), readable=True, rollups=proposals, warnings=list(parsed.warnings)
    )


def _refused(parsed: ParsedWorkbook, message: str, **flags) -> ImportResult:
    return ImportResult(
        errors=[SheetError("", None, "", "", message)], readable=parsed.readable, **flags
    )


def _conflict_message() -> str:
    return _(
        "The plan was changed in the application after this workbook was "
        "downloaded. Importing it would overwrite those changes: download a "
        "fresh workbook, or confirm that the workbook should replace them."
    )


def _shrink_message(old_rows: int, new_rows: int) -> str:
    return _(
        "The workbook holds %(new)s rows; the plan has %(old)s. Importing it "
        "would replace the plan with less than half of its rows: confirm that "
        "the workbook should replace them."
    ) % {"new": new_rows, "old": old_rows}


def _counts(plan: UnitPlan) -> dict[str, int]:
    return {
        "goals": Goal.objects.filter(plan=plan).count(),
        "indicators": Indicator.objects.filter(plan=plan).count(),
        "activities": Activity.objects.filter(plan=plan).count(),
        "activity_indicators": ActivityIndicator.objects.filter(activity__plan=plan).count(),
    }


def _indicator_links(plan: UnitPlan) -> tuple[dict, list]:
    """The plan's indicators (pk -> (code folded, name)) and next year's indicators that
    point at them ((pk, previous_id)), to re-point these to the new rows."""
    old_indicators = {
        pk: (code.lower() if code else "", name)
        for pk, code, name in Indicator.objects.filter(plan=plan).values_list("pk", "code", "name")
    }
    followers = list(
        Indicator.objects.filter(previous_id__in=list(old_indicators))
        .exclude(plan=plan)
        .values_list("pk", "previous_id")
    )
    return old_indicators, followers


def _delete_content(plan: UnitPlan) -> None:
    ActivityIndicator.objects.filter(activity__plan=plan).delete()
    Activity.objects.filter(plan=plan).delete()
    Indicator.objects.filter(plan=plan).update(previous=None)
    Indicator.objects.filter(plan=plan).delete()
    Goal.objects.filter(plan=plan).delete()


def _create_goals_and_indicators(
    plan: UnitPlan, parsed: ParsedWorkbook, find_previous
) -> list[Indicator]:
    goals = Goal.objects.bulk_create(
        Goal(plan=plan, position=i, code=row.code, text=row.text, level=row.level)
        for i, row in enumerate(parsed.goals)
    )
    goal_ids = {goal.code.lower(): goal.pk for goal in goals}
    positions: dict[int, int] = {}
    indicators = []
    for row in parsed.indicators:
        goal_id = goal_ids[row.goal_code.lower()]
        positions[goal_id] = positions.get(goal_id, -1) + 1
        q1, q2, q3, q4 = row.quarters
        indicators.append(
            Indicator(
                plan=plan,
                goal_id=goal_id,
                position=positions[goal_id],
                code=row.code,
                name=row.name,
                definition=row.definition,
                formula=row.formula,
                measure=row.measure,
                polarity=row.polarity,
                data_source=row.data_source,
                indicator_type=row.type,
                q1=q1,
                q2=q2,
                q3=q3,
                q4=q4,
                in_pk=row.in_pk,
                previous_id=find_previous(row.code, row.name),
                **target_fields(row.target),
            )
        )
    return Indicator.objects.bulk_create(indicators, batch_size=500)


def _create_activities(plan: UnitPlan, parsed: ParsedWorkbook) -> list[Activity]:
    rollup_ids = _units_below(plan) if any(row.rolls_up for row in parsed.activities) else {}
    return Activity.objects.bulk_create(
        Activity(
            plan=plan,
            position=i,
            kind=row.kind,
            code=row.code,
            name=row.name,
            budget=row.budget,
            notes=row.notes,
            rolls_up_id=rollup_ids.get(row.rolls_up.lower()) if row.rolls_up else None,
        )
        for i, row in enumerate(parsed.activities)
    )


def _apply_rollups(activities: list[Activity], proposals: list[dict]) -> None:
    """Mark the lines recognised as roll-ups.

    Lines that name a unit below and carry exactly its plan total are roll-ups the
    workbook did not mark (real Eselon I plans are written so). They are marked at once
    by default: the user imports to get a plan the compilation counts right, the marks
    are listed in the result with an action that removes them, each stays editable in
    the editor, and the match is strict (name AND the exact total). A caller that wants
    to confirm first passes apply_rollups=False and applies them with
    services.mark_rollups (the "apply" action of the result).
    """
    marked = {p["activity_id"]: p["unit_id"] for p in proposals}
    for activity in activities:
        if activity.pk in marked:
            activity.rolls_up_id = marked[activity.pk]
    Activity.objects.bulk_update(
        [a for a in activities if a.pk in marked], ["rolls_up"], batch_size=500
    )
    for proposal in proposals:
        proposal["applied"] = True


def _create_activity_indicators(parsed: ParsedWorkbook, activities: list[Activity]) -> None:
    activity_ids = {a.code.lower(): a.pk for a in activities if a.code}
    positions: dict[int, int] = {}
    activity_indicators = []
    for row in parsed.activity_indicators:
        activity_id = activity_ids[row.activity_code.lower()]
        positions[activity_id] = positions.get(activity_id, -1) + 1
        activity_indicators.append(
            ActivityIndicator(
                activity_id=activity_id,
                position=positions[activity_id],
                name=row.name,
                measure=row.measure,
                **target_fields(row.target),
            )
        )
    ActivityIndicator.objects.bulk_create(activity_indicators, batch_size=500)


def _repoint_followers(followers: list, old_indicators: dict, indicators: list) -> None:
    """Next year's indicators that pointed at a replaced indicator point at its successor
    (the new row with the same code, else the same name)."""
    if not followers:
        return
    new_by_code = {i.code.lower(): i.pk for i in indicators if i.code}
    new_by_name = {}
    for indicator in indicators:
        new_by_name.setdefault(indicator.name, indicator.pk)
    for pk, old_id in followers:
        code, name = old_indicators[old_id]
        target = (new_by_code.get(code) if code else None) or new_by_name.get(name)
        if target:
            Indicator.objects.filter(pk=pk).update(previous_id=target)


def _record_import(*, actor, plan: UnitPlan, before: dict, after: dict, proposals) -> None:
    """A new revision of the plan, and the `plan.imported` event (the replaced content in
    its `before`)."""
    old_revision = plan.revision
    plan.revision = old_revision + 1
    plan.updated_by = _actor_user(actor)
    plan.save(update_fields=["revision", "updated_by", "updated_at"])
    rollups = {
        "rollups_recognised": [
            {k: p[k] for k in ("activity_id", "unit_code", "applied")} for p in proposals
        ]
    }
    audit.record(
        actor=actor,
        action="plan.imported",
        obj=plan,
        before={"revision": old_revision, **before},
        after={
            "revision": plan.revision,
            **after,
            **(rollups if proposals else {}),
        },
    )

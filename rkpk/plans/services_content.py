"""Replacing a plan's whole content at once: from last year's plan (`copy_previous_year`)
or from a checked workbook (`replace_plan_content`, called by `plans.excel.import_workbook`).
Both write in one transaction and keep what they replaced in the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.core.models import AuditEvent
from rkpk.core.sheet_reader import SheetError
from rkpk.organisation.models import Unit
from rkpk.plans import validation
from rkpk.plans.fingerprint import content_fingerprint
from rkpk.plans.models import Activity, ActivityIndicator, Goal, Indicator, UnitPlan
from rkpk.plans.rollups import descendant_ids, names_unit, plan_totals
from rkpk.plans.services import REFUSED, locked_plan, require_editable, touch
from rkpk.plans.snapshot import plan_snapshot

if TYPE_CHECKING:
    from rkpk.plans.excel.reading import ParsedWorkbook


def require_may_replace(actor, plan: UnitPlan) -> None:
    """A user needs `plans.edit_plan` on the plan; the system (actor None, e.g. a command
    without --user) may always."""
    if actor is not None:
        require(actor, "plans.edit_plan", plan, message=_("You may not change this plan."))


@transaction.atomic
def copy_previous_year(*, actor, plan: UnitPlan) -> UnitPlan:
    """Start an empty plan from last year's: goals, indicators, activities; no new targets.

    Each indicator keeps a link to last year's, whose target is shown beside the new one.
    """
    plan = locked_plan(plan.pk)
    require(actor, "plans.edit_plan", plan, message=REFUSED)
    require_editable(plan)
    if plan.goals.exists() or plan.activities.exists():
        raise ValidationError(_("The plan already has content; copying would mix two plans."))
    source = UnitPlan.objects.filter(unit=plan.unit, year=plan.year - 1).first()
    if source is None:
        raise ValidationError(
            _("There is no plan of %(year)s for this unit to copy.") % {"year": plan.year - 1}
        )
    _judge_copy(source)
    goals = list(source.goals.order_by("position", "id"))
    new_goals = Goal.objects.bulk_create(
        Goal(plan=plan, position=g.position, code=g.code, text=g.text, level=g.level) for g in goals
    )
    goal_map = {old.pk: new for old, new in zip(goals, new_goals, strict=True)}
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            goal=goal_map[i.goal_id],
            position=i.position,
            code=i.code,
            name=i.name,
            definition=i.definition,
            formula=i.formula,
            measure=i.measure,
            polarity=i.polarity,
            data_source=i.data_source,
            indicator_type=i.indicator_type,
            target_kind=i.target_kind,
            in_pk=i.in_pk,
            previous=i,
        )
        for i in source.indicators.order_by("position", "id")
    )
    activities = list(source.activities.order_by("position", "id"))
    new_activities = Activity.objects.bulk_create(
        Activity(
            plan=plan,
            position=a.position,
            kind=a.kind,
            code=a.code,
            name=a.name,
            notes=a.notes,
            rolls_up_id=a.rolls_up_id,
        )
        for a in activities
    )
    activity_map = {old.pk: new for old, new in zip(activities, new_activities, strict=True)}
    ActivityIndicator.objects.bulk_create(
        ActivityIndicator(
            activity=activity_map[ai.activity_id],
            position=ai.position,
            name=ai.name,
            measure=ai.measure,
            target_kind=ai.target_kind,
        )
        for ai in ActivityIndicator.objects.filter(activity__plan=source).order_by("position", "id")
    )
    UnitPlan.objects.filter(pk=plan.pk).update(copied_from=source)
    touch(plan, actor)
    audit.record(
        actor=actor,
        action="plan.copied_from_previous_year",
        obj=plan,
        after={
            "source_year": source.year,
            "goals": len(new_goals),
            "indicators": len(indicators),
            "activities": len(new_activities),
        },
    )
    return plan


# What the copy takes of each row (targets are not copied: the new year sets its own).
COPIED = {
    Goal: ["code", "text", "level"],
    Indicator: [
        "code",
        "name",
        "definition",
        "formula",
        "measure",
        "polarity",
        "data_source",
        "indicator_type",
        "target_kind",
        "in_pk",
    ],
    Activity: ["kind", "code", "name", "notes"],
    ActivityIndicator: ["name", "measure", "target_kind"],
}


def _judge_copy(source: UnitPlan) -> None:
    """Last year's rows are new entries of this year's plan: the one validator judges what
    the copy takes of them (a satuan since removed from the list, a row without a name),
    and the copy is refused, naming each row, rather than carrying them over unjudged."""
    known = validation.ReferenceLists()
    errors: dict[str, list[str]] = {}
    sources = (
        (Goal, source.goals.order_by("position", "id"), "text"),
        (Indicator, source.indicators.order_by("position", "id"), "name"),
        (Activity, source.activities.order_by("position", "id"), "name"),
        (
            ActivityIndicator,
            ActivityIndicator.objects.filter(activity__plan=source).order_by("position", "id"),
            "name",
        ),
    )
    for model, rows, label_field in sources:
        for row in rows.only(*COPIED[model]):
            values = {name: getattr(row, name) for name in COPIED[model]}
            for name, message in validation.row_errors(model, values, lists=known).items():
                label = (getattr(row, label_field) or "").strip()[:60] or "—"
                errors.setdefault(name, []).append(
                    _("%(what)s “%(label)s”: %(message)s")
                    % {"what": model._meta.verbose_name, "label": label, "message": message}
                )
    if errors:
        raise ValidationError(errors)


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


def not_editable(plan: UnitPlan) -> ValidationError:
    return ValidationError(
        _("The plan is %(status)s and cannot be changed; nothing was imported.")
        % {"status": plan.get_status_display().lower()}
    )


def row_count(counts: dict) -> int:
    """Goals + indicators + activities + activity indicators."""
    return sum(counts[k] for k in ("goals", "indicators", "activities", "activity_indicators"))


def shrinks(old_rows: int, new_rows: int) -> bool:
    """Whether replacing `old_rows` rows by `new_rows` keeps fewer than half of them."""
    return new_rows * 2 < old_rows


def units_below(plan: UnitPlan) -> dict[str, int]:
    """The units below the plan's unit: code (lower case) -> pk."""
    return {
        code.lower(): pk
        for pk, code in Unit.objects.filter(pk__in=descendant_ids(plan.unit_id)).values_list(
            "pk", "code"
        )
    }


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
    require_may_replace(actor, plan)
    plan = UnitPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if not plan.is_editable:
        raise not_editable(plan)
    before = content_fingerprint(plan)
    base = parsed.base_fingerprint
    if not overwrite and _conflict(plan, base, before):
        return _refused(parsed, _conflict_message(), conflict=True)
    old_counts = _counts(plan)
    old_rows, new_rows = row_count(old_counts), row_count(parsed.counts())
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
                **row.target.model_fields(),
            )
        )
    return Indicator.objects.bulk_create(indicators, batch_size=500)


def _create_activities(plan: UnitPlan, parsed: ParsedWorkbook) -> list[Activity]:
    rollup_ids = units_below(plan) if any(row.rolls_up for row in parsed.activities) else {}
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
                **row.target.model_fields(),
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
    plan.updated_by = actor
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

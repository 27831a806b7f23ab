"""The writes of the goal mappings: `accept_suggestions` (in bulk) and `set_mapping` (one, by
hand). Keyword-only, actor first, one transaction, checked by the named rule, audited.

A mapping carries a revision: a writer states the revision they saw (None when they saw no
mapping); anything else raises `ConflictError`, so a slower analyst never overwrites a
colleague's decision.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.analysis.mapping import suggester_for
from rkpk.analysis.models import Mapping, MinistryIndicator, StrategicGoal
from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.plans.models import Indicator, UnitPlan
from rkpk.plans.services import ConflictError as PlanConflictError

AUDITED = ("goal", "ministry_indicator", "source", "score", "reason", "revision")


class ConflictError(PlanConflictError):
    """Someone decided this mapping after the analyst loaded it (the API answers 409)."""


@transaction.atomic
def accept_suggestions(
    *, actor, items: Iterable[tuple[Indicator | int, StrategicGoal | int, int | None]]
) -> list[Mapping]:
    """Accept suggested goals in bulk: all or nothing (a conflict saves none)."""
    entries = [
        (getattr(ind, "pk", ind), getattr(goal, "pk", goal), None, revision)
        for ind, goal, revision in items
    ]
    return _apply(actor=actor, entries=entries, source=Mapping.Source.SUGGESTED)


@transaction.atomic
def set_mapping(
    *,
    actor,
    indicator: Indicator | int,
    goal: StrategicGoal | int,
    ministry_indicator: MinistryIndicator | int | None = None,
    revision: int | None = None,
) -> Mapping:
    """Map one indicator by hand (override a suggestion or an earlier decision)."""
    entry = (
        getattr(indicator, "pk", indicator),
        getattr(goal, "pk", goal),
        getattr(ministry_indicator, "pk", ministry_indicator),
        revision,
    )
    return _apply(actor=actor, entries=[entry], source=Mapping.Source.MANUAL)[0]


def _label(indicator: Indicator) -> str:
    return f"{indicator.plan.unit.code} {indicator.code or ''} {indicator.name[:60]}".strip()


def _apply(*, actor, entries, source: str) -> list[Mapping]:
    """entries: (indicator id, goal id, ministry indicator id | None, revision | None)."""
    require(
        actor,
        "analysis.edit_mapping",
        message=_("Only the bureau maps indicators to strategic goals."),
    )
    if not entries:
        return []
    locked, year = _lock_indicators([e[0] for e in entries])
    goals = StrategicGoal.objects.select_related("period").in_bulk({e[1] for e in entries})
    ministry = MinistryIndicator.objects.in_bulk({e[2] for e in entries if e[2]})
    existing = {m.indicator_id: m for m in Mapping.objects.filter(indicator_id__in=list(locked))}
    _check_entries(entries, locked, goals, ministry, existing)
    changes = _save(actor, entries, source, locked, goals, ministry, existing, year)
    for mapping, before, indicator in changes:
        audit.record(
            actor=actor,
            action="analysis.mapping_set" if before else "analysis.mapping_created",
            object_type="analysis.mapping",
            object_id=str(indicator.pk),
            object_repr=f"{_label(indicator)} → {mapping.goal.code}",
            before=before,
            after=audit.snapshot(mapping, AUDITED),
        )
    return [m for m, _b, _i in changes]


def _lock_indicators(ids: list[int]) -> tuple[dict[int, Indicator], int]:
    """The indicators, locked, and their one plan year; refused unless they are all of
    accepted plans of one year."""
    if len(set(ids)) != len(ids):
        raise ValidationError(_("An indicator appears twice in one request."))
    # Lock the indicators first: two analysts creating the same mapping queue up here.
    locked = {
        row.pk: row
        for row in Indicator.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("plan__unit", "goal")
    }
    missing = [pk for pk in ids if pk not in locked]
    if missing:
        raise ValidationError(_("Unknown indicator: %(ids)s.") % {"ids": missing})
    not_accepted = [_label(r) for r in locked.values() if r.plan.status != UnitPlan.Status.ACCEPTED]
    if not_accepted:
        raise ValidationError(
            _("Only indicators of accepted plans are mapped; not accepted: %(names)s.")
            % {"names": "; ".join(not_accepted[:5])}
        )
    years = {r.plan.year for r in locked.values()}
    if len(years) != 1:
        raise ValidationError(_("Map the indicators of one plan year at a time."))
    return locked, years.pop()


def _check_goal(indicator: Indicator, goal: StrategicGoal, ministry_indicator) -> None:
    year = indicator.plan.year
    period = goal.period
    if not period.start_year <= year <= period.end_year:
        raise ValidationError(
            {
                "goal": _(
                    "%(goal)s belongs to %(period)s, which does not cover %(year)s: choose a "
                    "goal of the strategic-plan period of the plan year."
                )
                % {"goal": goal.code, "period": period.name, "year": year}
            }
        )
    if ministry_indicator is not None and ministry_indicator.goal_id != goal.pk:
        raise ValidationError(
            {
                "ministry_indicator": _("%(code)s is not an indicator of goal %(goal)s.")
                % {"code": ministry_indicator.code, "goal": goal.code}
            }
        )


def _check_entries(entries, locked, goals, ministry, existing) -> None:
    """Each entry's goal and ministry indicator exist and suit it, and nobody decided its
    mapping since the writer loaded it."""
    conflicts = []
    for indicator_id, goal_id, mi_id, revision in entries:
        indicator = locked[indicator_id]
        goal = goals.get(goal_id)
        if goal is None:
            raise ValidationError({"goal": _("Unknown strategic goal: %(id)s.") % {"id": goal_id}})
        if mi_id and mi_id not in ministry:
            raise ValidationError(
                {"ministry_indicator": _("Unknown ministry indicator: %(id)s.") % {"id": mi_id}}
            )
        _check_goal(indicator, goal, ministry.get(mi_id) if mi_id else None)
        current = existing.get(indicator_id)
        seen = None if revision in (None, "") else int(revision)
        if (current.revision if current else None) != seen:
            conflicts.append(_label(indicator))
    if conflicts:
        raise ConflictError(
            _(
                "Someone else decided the mapping of %(names)s after you loaded the page. "
                "Nothing was saved; reload to see their decision."
            )
            % {"names": "; ".join(conflicts[:5]) + ("…" if len(conflicts) > 5 else "")}
        )


def _save(actor, entries, source, locked, goals, ministry, existing, year) -> list[tuple]:
    """Create or change the mappings, each with the suggester's score and reason for the
    chosen goal; (mapping, state before, indicator) per entry."""
    year_suggester = suggester_for(year)
    ordered = [locked[e[0]] for e in entries]
    explained = year_suggester.explain(ordered, [goals[e[1]] for e in entries])
    to_create, to_update, changes = [], [], []
    for (indicator_id, goal_id, mi_id, _rev), why in zip(entries, explained, strict=True):
        current = existing.get(indicator_id)
        before = audit.snapshot(current, AUDITED) if current else None
        mapping = current or Mapping(indicator_id=indicator_id, revision=0)
        mapping.goal = goals[goal_id]
        mapping.ministry_indicator = ministry.get(mi_id) if mi_id else None
        mapping.source = source
        mapping.score = why.score
        mapping.reason = why.reason[:300]
        mapping.decided_by = actor
        mapping.revision += 1
        (to_update if current else to_create).append(mapping)
        changes.append((mapping, before, locked[indicator_id]))
    Mapping.objects.bulk_create(to_create)
    if to_update:
        Mapping.objects.bulk_update(
            to_update,
            ["goal", "ministry_indicator", "source", "score", "reason", "decided_by", "revision"],
        )
        # bulk_update skips auto_now; keep decided_at truthful.
        Mapping.objects.filter(pk__in=[m.pk for m in to_update]).update(decided_at=timezone.now())
    return changes

"""Mapping every unit indicator of a year's accepted plans to one strategic goal.

Reads: the year's indicators, the suggester fitted for the year (goals of the Renstra
period covering the year, their ministry indicators' names, and the mappings confirmed in
the period up to and including the year), suggestions for a batch of indicators — each a constant
number of queries.

Writes: `accept_suggestions` (in bulk) and `set_mapping` (one, by hand). Keyword-only,
actor first, atomic, audited. A mapping carries a revision: a writer states the revision
they saw (None when they saw no mapping); anything else raises `ConflictError`, so a
slower analyst never overwrites a colleague's decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rkpk.analysis import rules_mapping  # noqa: F401  (registers the permissions)
from rkpk.analysis.models import Mapping, MinistryIndicator, RenstraPeriod, StrategicGoal
from rkpk.analysis.suggest import Suggester, Suggestion, indicator_text
from rkpk.core import audit
from rkpk.organisation.models import Unit
from rkpk.plans.models import Indicator, UnitPlan
from rkpk.plans.services import ConflictError as PlanConflictError

AUDITED = ("goal", "ministry_indicator", "source", "score", "reason", "revision")


class ConflictError(PlanConflictError):
    """Someone decided this mapping after the analyst loaded it (the API answers 409)."""


# --- Reads ---------------------------------------------------------------------------------


def period_for_year(year: int) -> RenstraPeriod | None:
    return (
        RenstraPeriod.objects.filter(start_year__lte=year, end_year__gte=year)
        .order_by("-start_year")
        .first()
    )


def indicators_of_year(year: int):
    """The indicators of the year's accepted plans, with what a mapping page shows."""
    return (
        Indicator.objects.filter(plan__year=year, plan__status=UnitPlan.Status.ACCEPTED)
        .select_related("plan__unit", "goal", "mapping__goal", "mapping__decided_by")
        .order_by("plan__unit__sort_order", "plan__unit__code", "goal__position", "position", "id")
    )


@dataclass
class YearSuggester:
    """A suggester fitted for one plan year, speaking in StrategicGoal rows."""

    year: int
    period: RenstraPeriod | None
    goals: list[StrategicGoal]
    suggester: Suggester | None
    # unit id → positions of the goals it is responsible for; unit id → parent unit id
    responsible_goals: dict[int, set[int]] = field(default_factory=dict)
    parents: dict[int, int | None] = field(default_factory=dict)

    def _responsible(self, indicators: Sequence[Indicator]) -> list[set[int]]:
        """Per indicator, the goals its unit or a unit above it is responsible for."""
        out = []
        for indicator in indicators:
            goals: set[int] = set()
            unit_id, seen = indicator.plan.unit_id, set()
            while unit_id is not None and unit_id not in seen:
                seen.add(unit_id)
                goals |= self.responsible_goals.get(unit_id, set())
                unit_id = self.parents.get(unit_id)
            out.append(goals)
        return out

    def _previous_goal_index(self, indicators: Sequence[Indicator]) -> list[int | None]:
        previous_ids = {i.previous_id for i in indicators if i.previous_id}
        if not previous_ids:
            return [None] * len(indicators)
        position = {goal.pk: n for n, goal in enumerate(self.goals)}
        mapped = dict(
            Mapping.objects.filter(indicator_id__in=previous_ids).values_list(
                "indicator_id", "goal_id"
            )
        )
        return [position.get(mapped.get(i.previous_id)) for i in indicators]

    def suggest(self, indicators: Sequence[Indicator], *, top: int = 3) -> list[list[Suggestion]]:
        """Ranked suggestions per indicator (`indicator.goal` must be loaded)."""
        if self.suggester is None or not indicators:
            return [[] for _ in indicators]
        texts = [indicator_text(i.name, i.goal.text) for i in indicators]
        return self.suggester.suggest(
            texts,
            top=top,
            previous_goal=self._previous_goal_index(indicators),
            keys=[i.pk for i in indicators],
            responsible=self._responsible(indicators),
        )

    def explain(self, indicators: Sequence[Indicator], goals: Sequence[StrategicGoal]):
        """Score and shared words of each indicator for the goal chosen for it."""
        if self.suggester is None or not indicators:
            return [Suggestion(goal=g, score=0.0) for g in goals]
        position = {goal.pk: n for n, goal in enumerate(self.goals)}
        texts = [indicator_text(i.name, i.goal.text) for i in indicators]
        matrix, token_sets = self.suggester.scores(
            texts,
            self._previous_goal_index(indicators),
            keys=[i.pk for i in indicators],
            responsible=self._responsible(indicators),
        )
        out = []
        for row, goal in enumerate(goals):
            n = position.get(goal.pk)
            if n is None:
                out.append(Suggestion(goal=goal, score=0.0))
                continue
            words = token_sets[row] & self.suggester._profile_tokens[n]
            out.append(
                Suggestion(
                    goal=goal,
                    score=round(float(matrix[row, n]), 4),
                    matched_words=tuple(sorted(words)),
                )
            )
        return out


def suggester_for(year: int) -> YearSuggester:
    """Fit the suggester for a plan year: five queries whatever the sizes."""
    period = period_for_year(year)
    if period is None:
        return YearSuggester(year, None, [], None)
    goals = list(StrategicGoal.objects.filter(period=period).order_by("sort_order", "code"))
    if not goals:
        return YearSuggester(year, period, [], None)
    position = {goal.pk: n for n, goal in enumerate(goals)}
    extra: list[list[str]] = [[] for _ in goals]
    for goal_id, name in MinistryIndicator.objects.filter(goal__period=period).values_list(
        "goal_id", "name"
    ):
        extra[position[goal_id]].append(name)
    # Every decision of the period up to this year teaches at once: a mapping confirmed an
    # hour ago changes the next suggestions, for this unit and for the others.
    confirmed = Mapping.objects.filter(
        goal__period=period, indicator__plan__year__lte=year
    ).values_list("indicator_id", "indicator__name", "indicator__goal__text", "goal_id")
    examples, keys = [], []
    for indicator_id, name, goal_text, goal_id in confirmed:
        if goal_id in position:
            examples.append((indicator_text(name, goal_text), position[goal_id]))
            keys.append(indicator_id)
    suggester = Suggester(
        goals=goals,
        goal_texts=[goal.text for goal in goals],
        extra_texts=extra,
        examples=examples,
        example_keys=keys,
    )
    responsible: dict[int, set[int]] = {}
    through = MinistryIndicator.responsible_units.through
    for unit_id, goal_id in through.objects.filter(
        ministryindicator__goal__period=period
    ).values_list("unit_id", "ministryindicator__goal_id"):
        responsible.setdefault(unit_id, set()).add(position[goal_id])
    parents = dict(Unit.objects.values_list("id", "parent_id")) if responsible else {}
    return YearSuggester(year, period, goals, suggester, responsible, parents)


# --- Writes --------------------------------------------------------------------------------


def _require(actor) -> None:
    if not actor.has_perm("analysis.edit_mapping"):
        raise PermissionDenied(_("Only the bureau maps indicators to strategic goals."))


def _label(indicator: Indicator) -> str:
    return f"{indicator.plan.unit.code} {indicator.code or ''} {indicator.name[:60]}".strip()


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


def _apply(*, actor, entries, source: str) -> list[Mapping]:
    """entries: (indicator id, goal id, ministry indicator id | None, revision | None)."""
    _require(actor)
    if not entries:
        return []
    ids = [e[0] for e in entries]
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
    goals = StrategicGoal.objects.select_related("period").in_bulk({e[1] for e in entries})
    ministry = MinistryIndicator.objects.in_bulk({e[2] for e in entries if e[2]})
    existing = {m.indicator_id: m for m in Mapping.objects.filter(indicator_id__in=ids)}

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

    year_suggester = suggester_for(years.pop())
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
        from django.utils import timezone

        Mapping.objects.filter(pk__in=[m.pk for m in to_update]).update(decided_at=timezone.now())
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

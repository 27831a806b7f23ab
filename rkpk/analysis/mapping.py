"""Suggesting a strategic goal for every unit indicator of a year's accepted plans.

The suggester fitted for a year (goals of the Renstra period covering the year, their
ministry indicators' names, and the mappings confirmed in the period up to and including
the year) and its suggestions for a batch of indicators — each a constant number of
queries. The mappings are written by `rkpk.analysis.services_mapping`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rkpk.analysis import selectors
from rkpk.analysis.models import Mapping, MinistryIndicator, RenstraPeriod, StrategicGoal
from rkpk.analysis.suggest import Suggester, Suggestion, indicator_text
from rkpk.organisation.models import Unit
from rkpk.plans.models import Indicator


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
    period = selectors.period_for_year(year)
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

"""Goal mappings of unit indicators: suggestions, bulk acceptance, one mapping by hand.

Every write calls rkpk.analysis.services_mapping — the same services as the mapping page —
so the permission checks, period checks, revision conflicts (409) and audit events are the
same.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from rkpk.analysis import mapping, selectors, services_mapping
from rkpk.api.pagination import BoundedLimitOffsetPagination
from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut
from rkpk.plans.models import Indicator

router = Router(tags=["analysis"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}


class MappingSuggestionOut(Schema):
    goal_id: int
    goal_code: str
    score: float
    matched_words: list[str]


class MappingOut(Schema):
    indicator_id: int
    goal_id: int
    goal_code: str
    ministry_indicator_id: int | None
    source: str
    score: float | None
    reason: str
    decided_by: str
    revision: int


class IndicatorSuggestionsOut(Schema):
    indicator_id: int
    unit: str
    code: str
    name: str
    unit_goal: str
    mapping: MappingOut | None
    suggestions: list[MappingSuggestionOut]


class AcceptItemIn(Schema):
    indicator_id: int
    goal_id: int | None = Field(
        None, description="The goal to accept; the first suggestion when omitted."
    )
    revision: int | None = Field(
        None, description="The mapping's revision you saw; null when it was not mapped."
    )


class AcceptIn(Schema):
    items: list[AcceptItemIn] = Field(..., min_length=1, max_length=2000)


class MappingIn(Schema):
    goal_id: int
    ministry_indicator_id: int | None = None
    revision: int | None = Field(
        None, description="The mapping's revision you saw; null when it was not mapped."
    )


def _mapping_out(m) -> dict:
    return {
        "indicator_id": m.indicator_id,
        "goal_id": m.goal_id,
        "goal_code": m.goal.code,
        "ministry_indicator_id": m.ministry_indicator_id,
        "source": m.source,
        "score": m.score,
        "reason": m.reason,
        "decided_by": m.decided_by.get_username(),
        "revision": m.revision,
    }


def _suggestion_out(s) -> dict:
    return {
        "goal_id": s.goal.pk,
        "goal_code": s.goal.code,
        "score": s.score,
        "matched_words": list(s.matched_words),
    }


@router.get(
    "/analysis/mapping/{int:year}/suggestions",
    response={200: list[IndicatorSuggestionsOut], **REFUSALS},
)
@paginate(BoundedLimitOffsetPagination, max_limit=1000)
def list_suggestions(
    request, year: int, unit: str | None = None, state: str = "unmapped", top: int = 3
):
    """The year's indicators of accepted plans with their ranked goal suggestions
    (state: unmapped, mapped or all)."""
    require(request, "analysis.view_mapping")
    indicators = selectors.indicators_of_year(year)
    if unit:
        indicators = indicators.filter(plan__unit__code=unit)
    if state == "unmapped":
        indicators = indicators.filter(mapping__isnull=True)
    elif state == "mapped":
        indicators = indicators.filter(mapping__isnull=False)
    return _Lazy(indicators, year, max(1, min(top, 21)))


class _Lazy:
    """Sliced by the paginator; suggestions are computed for the slice only."""

    def __init__(self, queryset, year: int, top: int):
        self.queryset, self.year, self.top = queryset, year, top

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        rows = list(self.queryset[item])
        suggestions = mapping.suggester_for(self.year).suggest(rows, top=self.top)
        return [
            {
                "indicator_id": ind.pk,
                "unit": ind.plan.unit.code,
                "code": ind.code,
                "name": ind.name,
                "unit_goal": ind.goal.text,
                "mapping": _mapping_out(ind.mapping) if hasattr(ind, "mapping") else None,
                "suggestions": [_suggestion_out(s) for s in sug],
            }
            for ind, sug in zip(rows, suggestions, strict=True)
        ]


@router.post("/analysis/mapping/{int:year}/accept", response={200: list[MappingOut], **RESPONSES})
def accept(request, year: int, payload: AcceptIn):
    """Accept goals for many indicators at once: all or nothing (409 on any conflict)."""
    require(request, "analysis.edit_mapping")
    ids = [item.indicator_id for item in payload.items]
    indicators = {i.pk: i for i in selectors.indicators_of_year(year).filter(pk__in=ids)}
    unknown = [pk for pk in ids if pk not in indicators]
    if unknown:
        raise ValidationError(
            {"items": f"Not indicators of an accepted plan of {year}: {unknown[:20]}"}
        )
    need_first = [indicators[i.indicator_id] for i in payload.items if i.goal_id is None]
    first = {}
    if need_first:
        ranked = mapping.suggester_for(year).suggest(need_first, top=1)
        first = {ind.pk: sug[0].goal.pk for ind, sug in zip(need_first, ranked, strict=True) if sug}
    items = []
    for item in payload.items:
        goal_id = item.goal_id or first.get(item.indicator_id)
        if goal_id is None:
            raise ValidationError({"goal_id": "No goal covers this plan year."})
        items.append((item.indicator_id, goal_id, item.revision))
    made = services_mapping.accept_suggestions(actor=request.user, items=items)
    return [_mapping_out(m) for m in made]


@router.put(
    "/analysis/mapping/indicators/{int:indicator_id}", response={200: MappingOut, **RESPONSES}
)
def set_one(request, indicator_id: int, payload: MappingIn):
    """Map one indicator by hand (override); `revision` as last read (null: unmapped)."""
    require(request, "analysis.edit_mapping")
    if not Indicator.objects.filter(pk=indicator_id).exists():
        raise Http404
    made = services_mapping.set_mapping(
        actor=request.user,
        indicator=indicator_id,
        goal=payload.goal_id,
        ministry_indicator=payload.ministry_indicator_id,
        revision=payload.revision,
    )
    return _mapping_out(made)

"""Mapping services: bulk accept, manual override, wrong period, conflicts, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rkpk.analysis import mapping, selectors, services_mapping
from rkpk.analysis.demo import load_demo_goals
from rkpk.analysis.models import Mapping, MinistryIndicator, RenstraPeriod, StrategicGoal
from rkpk.core.models import AuditEvent
from rkpk.plans.models import Goal, Indicator, UnitPlan
from rkpk.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db


def accepted_plan(unit, year=2027, rows=()):
    plan = complete_plan(unit, year, indicators=0)
    goal = Goal.objects.create(plan=plan, position=2, text=rows[0][0] if rows else "Layanan")
    for n, (_goal_text, name) in enumerate(rows, start=1):
        Indicator.objects.create(plan=plan, goal=goal, position=n, code=f"IK{n}", name=name)
    UnitPlan.objects.filter(pk=plan.pk).update(status=UnitPlan.Status.ACCEPTED)
    plan.refresh_from_db()
    return plan


def load_goals() -> dict:
    load_demo_goals()
    return {g.code: g for g in StrategicGoal.objects.all()}


@pytest.fixture
def goals(db):
    return load_goals()


@pytest.fixture
def plan(units, goals):
    return accepted_plan(
        units["a"],
        rows=[
            ("Tertanganinya keluhan publik", "Persentase pengaduan masyarakat yang dijawab tuntas"),
            ("Tertanganinya keluhan publik", "Jumlah surat masyarakat yang diteruskan"),
            ("Tertanganinya keluhan publik", "Opini BPK atas laporan keuangan"),
        ],
    )


def test_suggestions_for_the_year_rank_the_right_goal_first(plan, goals):
    indicators = list(selectors.indicators_of_year(2027))
    suggestions = mapping.suggester_for(2027).suggest(indicators)
    assert [s[0].goal.code for s in suggestions] == ["SS-06", "SS-06", "SS-14"]
    assert suggestions[0][0].matched_words


def test_accept_in_bulk_records_score_reason_and_the_analyst(plan, goals, role_users):
    staff = role_users["staff"]
    first, second, _third = plan.indicators.order_by("position")
    made = services_mapping.accept_suggestions(
        actor=staff, items=[(first, goals["SS-06"], None), (second.pk, goals["SS-06"].pk, None)]
    )
    assert len(made) == 2
    saved = Mapping.objects.get(indicator=first)
    assert saved.source == "suggested" and saved.decided_by == staff and saved.revision == 1
    assert saved.score > 0.2 and "adu" in saved.reason
    assert AuditEvent.objects.filter(action="analysis.mapping_created").count() == 2


def test_override_by_hand_with_a_ministry_indicator(plan, goals, role_users):
    indicator = plan.indicators.order_by("position").last()
    kpi = MinistryIndicator.objects.create(goal=goals["SS-14"], code="IK-14.1", name="Opini WTP")
    services_mapping.accept_suggestions(
        actor=role_users["staff"], items=[(indicator, goals["SS-06"], None)]
    )
    changed = services_mapping.set_mapping(
        actor=role_users["head_of_section"],
        indicator=indicator,
        goal=goals["SS-14"],
        ministry_indicator=kpi,
        revision=1,
    )
    assert changed.source == "manual" and changed.revision == 2
    assert changed.ministry_indicator == kpi and changed.decided_by == role_users["head_of_section"]
    event = AuditEvent.objects.get(action="analysis.mapping_set")
    assert (
        event.before["goal_id"] == goals["SS-06"].pk and event.after["goal_id"] == goals["SS-14"].pk
    )
    with pytest.raises(ValidationError, match="not an indicator of goal"):
        services_mapping.set_mapping(
            actor=role_users["staff"],
            indicator=indicator,
            goal=goals["SS-06"],
            ministry_indicator=kpi,
            revision=2,
        )


def test_a_goal_of_another_period_is_refused(plan, role_users):
    old = RenstraPeriod.objects.create(name="Renstra 2020–2024", start_year=2020, end_year=2024)
    old_goal = StrategicGoal.objects.create(period=old, code="SS-01", text="Lama")
    with pytest.raises(ValidationError, match="does not cover 2027"):
        services_mapping.set_mapping(
            actor=role_users["staff"], indicator=plan.indicators.first(), goal=old_goal
        )
    assert not Mapping.objects.exists()


def test_two_analysts_on_the_same_mapping_conflict_without_losing_the_first(
    plan, goals, role_users
):
    indicator = plan.indicators.first()
    # Both loaded the page while the indicator was unmapped (revision None).
    services_mapping.set_mapping(
        actor=role_users["staff"], indicator=indicator, goal=goals["SS-06"]
    )
    with pytest.raises(services_mapping.ConflictError, match="Someone else decided"):
        services_mapping.set_mapping(
            actor=role_users["head_of_section"], indicator=indicator, goal=goals["SS-21"]
        )
    # Both then saw revision 1; the second save is stale.
    services_mapping.set_mapping(
        actor=role_users["staff"], indicator=indicator, goal=goals["SS-10"], revision=1
    )
    with pytest.raises(services_mapping.ConflictError):
        services_mapping.accept_suggestions(
            actor=role_users["head_of_section"], items=[(indicator, goals["SS-21"], 1)]
        )
    assert Mapping.objects.get(indicator=indicator).goal == goals["SS-10"]


def test_a_conflict_in_a_bulk_accept_saves_nothing(plan, goals, role_users):
    first, second, _ = plan.indicators.order_by("position")
    services_mapping.set_mapping(actor=role_users["staff"], indicator=second, goal=goals["SS-06"])
    with pytest.raises(services_mapping.ConflictError):
        services_mapping.accept_suggestions(
            actor=role_users["staff"],
            items=[(first, goals["SS-06"], None), (second, goals["SS-06"], None)],
        )
    assert not Mapping.objects.filter(indicator=first).exists()


def test_only_the_bureau_maps_and_only_accepted_plans(plan, goals, role_users, units):
    for code in ("viewer", "deputy", "unit_operator", "admin"):
        with pytest.raises(PermissionDenied):
            services_mapping.set_mapping(
                actor=role_users[code], indicator=plan.indicators.first(), goal=goals["SS-06"]
            )
    draft = complete_plan(units["b"], 2027)
    with pytest.raises(ValidationError, match="accepted plans"):
        services_mapping.set_mapping(
            actor=role_users["staff"], indicator=draft.indicators.first(), goal=goals["SS-06"]
        )


def test_earlier_confirmed_mappings_and_last_years_indicator_teach_the_suggester(
    units, goals, role_users
):
    old = accepted_plan(
        units["a"], 2026, rows=[("Terlayaninya tamu", "Jumlah jamuan makan malam disajikan koki")]
    )
    old_indicator = old.indicators.get()
    services_mapping.set_mapping(
        actor=role_users["staff"], indicator=old_indicator, goal=goals["SS-11"]
    )
    new = accepted_plan(
        units["b"],
        2027,
        rows=[
            ("Terlayaninya tamu", "Jumlah jamuan makan malam disajikan koki Istana"),
            ("Dukungan", "Jumlah laporan bulanan"),
        ],
    )
    carried = new.indicators.get(position=2)
    carried.previous = old_indicator
    carried.save()
    year = mapping.suggester_for(2027)
    first, second = year.suggest(list(selectors.indicators_of_year(2027)))
    assert first[0].goal.code == "SS-11"
    assert second[0].goal.code == "SS-11"  # last year's decision for its predecessor


def test_a_confirmed_mapping_changes_the_next_suggestions_at_once(units, goals, role_users):
    """Same year, another unit, a similar indicator: the analyst's decision counts now."""
    first = accepted_plan(
        units["a"],
        rows=[
            (
                "Meningkatnya integritas pejabat",
                "Persentase pejabat yang menyampaikan LHKPN tepat waktu",
            )
        ],
    )
    second = accepted_plan(
        units["b"],
        rows=[
            ("Terwujudnya pejabat yang berintegritas", "Persentase pejabat yang menyampaikan LHKPN")
        ],
    )
    theirs = second.indicators.get()
    indicators = [i for i in selectors.indicators_of_year(2027) if i.plan_id == second.pk]
    before = mapping.suggester_for(2027).suggest(indicators)
    assert before[0][0].goal.code == "SS-07"  # "pejabat": the goal of officials' administration

    services_mapping.set_mapping(
        actor=role_users["staff"], indicator=first.indicators.get(), goal=goals["SS-18"]
    )

    after = mapping.suggester_for(2027).suggest(indicators)
    assert after[0][0].goal.code == "SS-18"  # internal supervision, as the analyst decided
    assert theirs.pk == indicators[0].pk


def test_goals_the_unit_is_responsible_for_are_lifted(units, goals):
    plan = accepted_plan(
        units["a"],
        rows=[("Meningkatnya integritas pejabat", "Persentase pejabat yang menyampaikan LHKPN")],
    )
    (indicator,) = [i for i in selectors.indicators_of_year(2027) if i.plan_id == plan.pk]
    before = mapping.suggester_for(2027).suggest([indicator], top=21)[0]
    assert before[0].goal.code == "SS-07"
    rank_before = [s.goal.code for s in before].index("SS-18")
    # The strategic plan names the unit above as responsible for an indicator of SS-18.
    kpi = MinistryIndicator.objects.create(goal=goals["SS-18"], code="IK-18.1", name="Nilai SPIP")
    kpi.responsible_units.add(units["root"])
    after = mapping.suggester_for(2027).suggest([indicator], top=21)[0]
    assert [s.goal.code for s in after].index("SS-18") <= rank_before
    score = {s.goal.code: s.score for s in after}
    assert score["SS-18"] - {s.goal.code: s.score for s in before}["SS-18"] >= 0.1
    assert score["SS-07"] == pytest.approx(
        {s.goal.code: s.score for s in before}["SS-07"], abs=0.02
    )

"""`rkpk seed_demo --organisation NAME`: the second demo organisation, structured unlike the
first, re-running, refusing to mix two organisations, unknown names."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from rkpk.analysis.models import MinistryIndicator, MinistryTarget, StrategicGoal
from rkpk.core.calendar import today
from rkpk.organisation import demo_orgs
from rkpk.organisation.models import (
    Headship,
    Official,
    OrganisationProfile,
    RoleAssignment,
    Unit,
    User,
)
from rkpk.plans.checks import blocking, run_checks
from rkpk.plans.models import Activity, Indicator, UnitPlan
from rkpk.plans.snapshot import plan_snapshot, total_budget
from rkpk.site.management.commands.seed_demo import Command

pytestmark = pytest.mark.django_db

ACCOUNTS = [
    "admin",
    "staf",
    "kabag",
    "karo",
    "deputi",
    "menteri",
    "biroumum",
    "operator1",
    "operator2",
    "kaunit1",
    "pengawas",
]


def seed(name: str, *extra: str) -> None:
    call_command("seed_demo", "--organisation", name, "--no-cycle", *extra, verbosity=0)


def counts() -> tuple:
    return (
        Unit.objects.count(),
        Official.objects.count(),
        Headship.objects.count(),
        RoleAssignment.objects.count(),
        User.objects.count(),
        UnitPlan.objects.count(),
        Indicator.objects.count(),
        Activity.objects.count(),
        StrategicGoal.objects.count(),
        MinistryIndicator.objects.count(),
        MinistryTarget.objects.count(),
        OrganisationProfile.objects.count(),
    )


def test_the_second_demo_is_structured_unlike_the_first():
    seed("kelautan")
    profile = OrganisationProfile.objects.get()
    assert profile.name == demo_orgs.get("kelautan").title
    assert profile.minister_title and profile.pk_second_party_title and profile.signing_city
    assert profile.coordinating_unit.code == "SEKJEN.RENKER"
    assert not Unit.objects.filter(code__in=demo_orgs.get("setneg").unit_codes).exists()
    assert 15 <= Unit.objects.count() <= 25
    # Units directly under the minister: an Eselon I inspectorate and an Eselon II centre.
    assert Unit.objects.get(code="ITJEN").parent is None
    assert Unit.objects.get(code="PUSDATIN", level=2).parent is None
    # The minister: a pejabat negara without NIP.
    minister = User.objects.get(username="menteri").official
    assert minister.is_state_official and minister.nip is None
    assert all(
        len(n) == 18 for n in Official.objects.exclude(nip=None).values_list("nip", flat=True)
    )
    # One official heads two units: their own definitively, another as Plt.
    plt = Headship.objects.get(kind=Headship.Kind.PLT)
    own = Headship.objects.get(official=plt.official, kind=Headship.Kind.DEFINITIVE)
    assert own.unit != plt.unit and plt.official.unit == own.unit
    assert not Headship.objects.filter(unit=plt.unit, kind=Headship.Kind.DEFINITIVE).exists()
    assert User.objects.get(username="biroumum").official == plt.official
    for username in ACCOUNTS:
        assert User.objects.get(username=username).is_demo


def test_the_second_demos_plans_roll_up_and_carry_every_kind_of_target():
    seed("kelautan")
    year = today().year + 1
    plans = UnitPlan.objects.filter(year=year)
    assert plans.count() == Unit.objects.filter(level__lte=2).count()
    assert UnitPlan.objects.filter(year=year - 1, status="accepted").count() == plans.count()
    # Every Eselon I plan rolls up each child's plan, at that plan's total.
    for parent in Unit.objects.filter(level=1):
        lines = Activity.objects.filter(plan__unit=parent, plan__year=year, rolls_up__isnull=False)
        children = set(parent.children.filter(level=2).values_list("pk", flat=True))
        assert set(lines.values_list("rolls_up", flat=True)) == children, parent.code
        for line in lines:
            child = UnitPlan.objects.get(unit=line.rolls_up, year=year)
            assert line.budget == total_budget(list(child.activities.values("kind", "budget")))
    # Ranges with a negative minimum, lower-is-better and qualitative targets.
    indicators = Indicator.objects.filter(plan__year=year)
    assert indicators.filter(target_kind="range", target_min__lt=0, target_max__gt=0).exists()
    assert indicators.filter(polarity="lower").exists()
    assert indicators.filter(target_kind="qualitative", target_text="WTP").exists()
    # The PK parties: the Plt. signs for the vacant unit; the minister for units without parent.
    umum = plans.get(unit__code="SEKJEN.UMUM")
    assert umum.first_party_acting == "Plt" and umum.first_party.unit.code == "SEKJEN.SDMO"
    minister = User.objects.get(username="menteri").official
    for code in ("ITJEN", "PUSDATIN", "SEKJEN"):
        assert plans.get(unit__code=code).second_party == minister
    # operator1's draft passes the blocking checks (it can be submitted); operator2's waits.
    op1 = RoleAssignment.objects.get(user__username="operator1", role="unit_operator").unit
    draft = plans.get(unit=op1)
    assert draft.status == "draft"
    assert blocking(run_checks(plan_snapshot(draft))) == []
    op2 = RoleAssignment.objects.get(user__username="operator2", role="unit_operator").unit
    assert plans.get(unit=op2).status == "submitted"
    assert RoleAssignment.objects.get(user__username="kaunit1").unit == op1


def test_the_second_demos_goals_have_polarity_perspective_units_and_ranges():
    seed("kelautan")
    goals = StrategicGoal.objects.all()
    assert goals.count() >= 6 and not goals.filter(is_example=False).exists()
    indicators = MinistryIndicator.objects.all()
    assert {"higher", "lower", "range", "qualitative"} <= set(
        indicators.values_list("polarity", flat=True)
    )
    assert not indicators.filter(perspective="").exists()
    assert all(i.responsible_units.exists() for i in indicators)
    year = today().year + 1
    ranged = MinistryTarget.objects.filter(year=year, indicator__polarity="range")
    assert ranged.exists()
    assert all(t.min_value < 0 < t.max_value and t.value is None for t in ranged)
    qualitative = MinistryTarget.objects.filter(year=year, indicator__polarity="qualitative")
    assert all(t.text for t in qualitative)
    deviation = MinistryTarget.objects.get(year=year, indicator__code="IKU 6.2")
    assert (deviation.min_value, deviation.max_value) == (Decimal("-5"), Decimal("5"))


@pytest.mark.parametrize("name", demo_orgs.names())
def test_running_a_demo_again_updates_what_it_made(name):
    seed(name)
    before = counts()
    profile = OrganisationProfile.objects.get()
    profile.signing_city = "Ambon"
    profile.save()
    seed(name)
    assert counts() == before
    assert (
        OrganisationProfile.objects.get().signing_city
        == demo_orgs.get(name).profile["signing_city"]
    )


@pytest.mark.parametrize(("first", "second"), [("setneg", "kelautan"), ("kelautan", "setneg")])
def test_loading_a_demo_beside_another_is_refused_and_changes_nothing(first, second):
    seed(first)
    before = counts()
    with pytest.raises(CommandError, match=f"holds the demo organisation '{first}'"):
        seed(second)
    assert counts() == before
    assert OrganisationProfile.objects.get().name == demo_orgs.get(first).title


def test_a_database_of_another_organisation_is_refused():
    OrganisationProfile.objects.create(
        name="Badan Uji Coba", short_name="BUC", minister_title="Kepala", signing_city="Bogor",
        pk_second_party_title="Presiden",
    )  # fmt: skip
    with pytest.raises(CommandError, match="Badan Uji Coba"):
        seed("kelautan")
    assert not Unit.objects.exists()


def test_an_unknown_organisation_is_a_clear_error():
    with pytest.raises(CommandError, match="Unknown demo organisation 'atlantis'.*setneg"):
        seed("atlantis")
    assert not Unit.objects.exists()


def test_the_help_lists_the_demo_organisations():
    text = Command().create_parser("rkpk", "seed_demo").format_help()
    assert "--organisation" in text
    for name in demo_orgs.names():
        assert name in text


def test_the_default_is_still_the_first_demo():
    call_command("seed_demo", "--no-cycle", verbosity=0)
    assert Unit.objects.filter(code="SETMEN.RENKEU").exists()
    assert OrganisationProfile.objects.get().name == demo_orgs.get("setneg").title


@pytest.mark.parametrize("name", demo_orgs.names())
def test_every_demo_plan_names_both_pk_parties(name):
    seed(name)
    minister = User.objects.get(username="menteri").official
    plans = UnitPlan.objects.filter(year=today().year + 1).select_related("unit")
    assert plans.exists()
    for plan in plans:
        assert plan.first_party_id and plan.second_party_id, plan.unit.code
        if plan.unit.parent_id is None:  # directly under the minister
            assert plan.second_party == minister, plan.unit.code


def test_the_second_demo_starts_its_demo_cycle_and_keeps_the_audit_chain():
    from rkpk.core.audit import verify_chain
    from rkpk.procedure.models import Cycle

    call_command("seed_demo", "--organisation", "kelautan", "--password", "rahasia", verbosity=0)
    cycle = Cycle.objects.get()
    assert cycle.year == today().year + 1
    assert cycle.steps.get(number=3).status == "in_progress"
    assert User.objects.get(username="operator1").check_password("rahasia")
    assert verify_chain().ok


@pytest.mark.parametrize("name", demo_orgs.names())
def test_every_satuan_and_qualitative_value_a_demo_uses_is_on_the_lists(name):
    from rkpk.plans.models import MeasureUnit, QualitativeValue

    seed(name)
    measures = set(MeasureUnit.objects.filter(is_active=True).values_list("name", flat=True))
    values = set(QualitativeValue.objects.filter(is_active=True).values_list("value", flat=True))
    used = set(Indicator.objects.values_list("measure", flat=True))
    if name == "kelautan":  # the first demo's ministry indicators predate the lists
        used |= set(MinistryIndicator.objects.values_list("measure", flat=True))
        assert set(MinistryTarget.objects.exclude(text="").values_list("text", flat=True)) <= values
    assert used <= measures, used - measures
    qualitative = Indicator.objects.filter(target_kind="qualitative")
    assert set(qualitative.values_list("target_text", flat=True)) <= values

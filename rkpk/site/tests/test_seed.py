import pytest
from django.core.management import call_command

from rkpk.core.audit import verify_chain
from rkpk.core.calendar import today
from rkpk.organisation.models import Headship, Official, RoleAssignment, Unit, User
from rkpk.procedure.models import Cycle

pytestmark = pytest.mark.django_db

DEMO_USERS = [
    "admin",
    "staf",
    "kabag",
    "karo",
    "deputi",
    "menteri",
    "biroumum",
    "operator1",
    "operator2",
]


def test_seed_demo_builds_the_demo_organisation_and_accounts():
    call_command("seed_demo", "--password", "rahasia-demo", verbosity=0)
    assert 30 <= Unit.objects.count() <= 45
    assert Unit.objects.filter(level=1, parent=None).count() >= 6
    bak = Unit.objects.get(name="Biro Akuntabilitas Kinerja")
    assert bak.parent.name == "Deputi Bidang Pengawasan"
    assert Unit.objects.get(name="Biro Umum").parent.code == "SETMEN"
    assert Official.objects.count() >= Unit.objects.count()
    civil_servants = Official.objects.filter(is_state_official=False)
    assert all(
        len(nip) == 18 and nip.isdigit() for nip in civil_servants.values_list("nip", flat=True)
    )
    # The minister is a state official without NIP; every unit's head is a recorded headship.
    assert Official.objects.get(is_state_official=True).nip is None
    assert Headship.objects.filter(kind="def").count() == Unit.objects.count()
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        assert user.is_demo and user.check_password("rahasia-demo")
    op1 = RoleAssignment.objects.get(user__username="operator1", role="unit_operator")
    op2 = RoleAssignment.objects.get(user__username="operator2", role="unit_operator")
    assert op1.unit_id != op2.unit_id
    cycle = Cycle.objects.get()
    assert cycle.steps.get(number=3).status == "in_progress"
    assert verify_chain().ok


def test_seed_demo_runs_twice_without_duplicates():
    call_command("seed_demo", verbosity=0)
    counts = (Unit.objects.count(), Official.objects.count(), RoleAssignment.objects.count())
    call_command("seed_demo", verbosity=0)
    assert counts == (
        Unit.objects.count(),
        Official.objects.count(),
        RoleAssignment.objects.count(),
    )
    assert Cycle.objects.count() == 1


def test_seed_demo_generates_an_organisation_at_scale():
    from rkpk.plans.models import Indicator, UnitPlan

    call_command("seed_demo", "--units", "20", "--indicators", "10", "--years", "3", verbosity=0)
    generated = Unit.objects.filter(code__startswith="GEN")
    assert generated.count() == 20
    assert generated.filter(level=1).count() == 2
    plans = UnitPlan.objects.filter(unit__in=generated)
    next_year = today().year + 1
    assert set(plans.values_list("year", flat=True)) == {next_year - 2, next_year - 1, next_year}
    assert Indicator.objects.filter(plan__in=plans, plan__year=next_year - 2).count() == 20 * 10
    # Later years point at last year's indicators, so their targets show side by side.
    later = Indicator.objects.filter(plan__in=plans, plan__year=next_year - 1).first()
    assert later.previous.plan.year == next_year - 2
    statuses = set(plans.filter(year=next_year).values_list("status", flat=True))
    assert {"accepted", "draft", "submitted"} <= statuses


def test_demo_plans_give_each_operator_something_to_do():
    from rkpk.plans.models import UnitPlan

    call_command("seed_demo", verbosity=0)
    year = today().year + 1
    assert UnitPlan.objects.get(unit__code="SETMEN.RENKEU", year=year).status == "draft"
    assert UnitPlan.objects.get(unit__code="SETPRES.PROTOKOL", year=year).status == "submitted"

import pytest
from django.core.management import call_command

from rkpk.core.audit import verify_chain
from rkpk.organisation.models import Official, RoleAssignment, Unit, User
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
    assert all(
        len(nip) == 18 and nip.isdigit() for nip in Official.objects.values_list("nip", flat=True)
    )
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

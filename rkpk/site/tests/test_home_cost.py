"""The home page's cost: a fixed number of queries for every role whatever the number of
units, and, with the page cache on, its own part kept per user between requests, renewed by
any committed change and never shown to another user."""

import re

import pytest
from django.urls import reverse

from rkpk.organisation.models import Unit
from rkpk.plans import services as plan_services
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.factories import complete_plan
from rkpk.procedure import services as procedure
from rkpk.procedure.tests.factories import cycle_done_through, mover

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


@pytest.fixture
def cycle(units):
    """The cycle of 2027 with its call for submissions out (step 3, monitoring, running)."""
    return cycle_done_through(2)


@pytest.fixture
def page_cache_on(settings):
    settings.RKPK_PAGE_CACHE = True


# The tests of the kept page commit for real (a transactional test): every commit renews
# the data version as in production. Inside a test's one open transaction, the first change
# holds the only renewal until the end (rkpk.core.cache.data_changed registers it once per
# transaction), so later changes would not renew it there.
committing = pytest.mark.django_db(transaction=True)


def home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def tasks(html: str) -> list[str]:
    block = re.search(r'aria-label="Waiting for you">(.*?)</ul>', html, re.S)
    if block is None:
        return []
    return re.findall(r'class="fw-semibold" href="[^"]*">([^<]*)</a>', block.group(1))


def test_every_roles_home_reads_a_fixed_number_of_queries(
    cycle, units, role_users, client, django_assert_max_num_queries
):
    for unit in (units["a"], units["b"]):
        complete_plan(unit, cycle.year)
    counts = {}
    for code, user in role_users.items():
        client.force_login(user)
        home(client)  # warm the per-process caches
        with django_assert_max_num_queries(40) as small:
            home(client)
        counts[code] = len(small.captured_queries)
    for i in range(12):
        unit = Unit.objects.create(
            code=f"E1.Z{i:02d}", name=f"Biro Z{i}", level=2, parent=units["root"]
        )
        plan = complete_plan(unit, cycle.year)
        if i % 2:
            UnitPlan.objects.filter(pk=plan.pk).update(status=UnitPlan.Status.SUBMITTED)
    for code, user in role_users.items():
        client.force_login(user)
        with django_assert_max_num_queries(counts[code]):
            home(client)


def test_the_kept_home_reads_nothing_of_its_own(
    page_cache_on, cycle, units, role_users, client_for, django_assert_max_num_queries
):
    complete_plan(units["a"], cycle.year)
    client = client_for(role_users["unit_operator"])
    home(client)
    with django_assert_max_num_queries(10) as again:
        assert "Complete and submit the RK-PK 2027 of Biro A." in tasks(home(client))
    read = " ".join(q["sql"] for q in again.captured_queries)
    for table in ("procedure_cyclestep", "plans_unitplan", "correspondence_document"):
        assert table not in read


@committing
def test_a_submitted_plan_shows_on_the_next_request(
    page_cache_on, cycle, units, role_users, client, django_capture_on_commit_callbacks
):
    plan = complete_plan(units["a"], cycle.year)
    operator, staff = role_users["unit_operator"], role_users["staff"]
    client.force_login(operator)
    assert "Complete and submit the RK-PK 2027 of Biro A." in tasks(home(client))
    client.force_login(staff)
    assert "0 plans await the bureau" in home(client)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.submit(actor=operator, plan=plan)
    assert "1 plan awaits the bureau" in home(client)
    client.force_login(operator)
    assert not [t for t in tasks(home(client)) if "RK-PK 2027 of Biro A" in t]


@committing
def test_a_completed_step_shows_on_the_next_request(
    page_cache_on, cycle, role_users, client_for, django_capture_on_commit_callbacks
):
    client = client_for(role_users["staff"])
    assert "2 of 13 steps done." in home(client)
    step = cycle.steps.get(number=3)
    with django_capture_on_commit_callbacks(execute=True):
        procedure.advance(actor=mover(), step=step, action="complete")
    assert "3 of 13 steps done." in home(client)


@committing
def test_a_users_home_never_shows_another_users_work(
    page_cache_on, cycle, units, role_users, client
):
    for unit in (units["a"], units["b"]):
        complete_plan(unit, cycle.year)
    pages = {}
    for _round in range(2):  # the second round reads the kept pages
        for code in ("unit_operator", "operator_b", "staff"):
            client.force_login(role_users[code])
            pages[code] = home(client)
            assert f"u_{code}" in pages[code] or role_users[code].get_full_name() in pages[code]
        assert tasks(pages["unit_operator"]) == ["Complete and submit the RK-PK 2027 of Biro A."]
        assert tasks(pages["operator_b"]) == ["Complete and submit the RK-PK 2027 of Biro B."]
        assert not [t for t in tasks(pages["staff"]) if "Complete and submit" in t]

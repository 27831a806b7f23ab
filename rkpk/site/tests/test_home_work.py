"""Every person's home names their work, and the minister's menu holds what a minister uses
(issue 13, point 11). On both demo organisations, as `seed_demo` leaves them."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.urls import reverse

from rkpk.correspondence.models import Document
from rkpk.ministry import procedure_documents
from rkpk.organisation import demo_orgs, roles
from rkpk.organisation.models import Role, User
from rkpk.plans.models import UnitPlan
from rkpk.procedure.selectors import current_cycle

pytestmark = pytest.mark.django_db
S = UnitPlan.Status

BUREAU_TOOLS = (
    "/analysis/",
    "/plans/monitoring/",
    "/meetings/",
    "/correspondence/registers/",
    "/organisation/",
    "/calendar/",
    "/plans/lists/",
    "/audit/",
)


@pytest.fixture(params=demo_orgs.names())
def demo(request, settings):
    settings.RKPK_DEMO_LOGIN_REQUIRES_DEBUG = False  # demo accounts sign in outside DEBUG too
    call_command("seed_demo", "--organisation", request.param, "--years", "1", verbosity=0)
    return request.param


def home_tasks(client) -> list[tuple[str, str]]:
    """The (link, text) pairs of the home's "Waiting for you" list."""
    html = client.get(reverse("home")).content.decode()
    block = re.search(r'aria-label="Waiting for you">(.*?)</ul>', html, re.S)
    found = re.findall(
        r'<a class="fw-semibold" href="([^"]+)">([^<]+)</a>', block.group(1) if block else ""
    )
    return [(unescape(url), unescape(text)) for url, text in found]


def menu_links(client) -> list[str]:
    html = client.get(reverse("home")).content.decode()
    nav = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>\s*<form', html, re.S).group(1)
    return re.findall(r'href="(/[^"#]*)"', nav)


def expect_task(client, text: str) -> str:
    found = [(url, t) for url, t in home_tasks(client) if text in t]
    assert found, (text, home_tasks(client))
    url = found[0][0]
    assert client.get(url).status_code == 200, url
    return url


def unit_plan(user) -> UnitPlan:
    unit_id = sorted(roles.unit_ids(user, Role.UNIT_OPERATOR, Role.UNIT_HEAD))[0]
    year = current_cycle().year
    plan = UnitPlan.objects.filter(unit_id=unit_id, year=year).first()
    return plan or UnitPlan.objects.create(unit_id=unit_id, year=year)


def test_each_roles_home_names_its_work(demo, client):
    """One seeding per demo organisation (it is slow): every role's check in turn."""
    for username in ("operator1", "operator2", "kaunit1"):
        check_unit_tasks(client, User.objects.get(username=username))
    check_binding_task(client)
    check_minister_menu(client)


def check_unit_tasks(client, user):
    client.force_login(user)
    plan = unit_plan(user)
    detail = reverse("plans:plan_detail", args=[plan.unit.code, plan.year])
    for status, text, url in (
        (S.DRAFT, "Complete and submit the RK-PK", detail),
        (S.RETURNED, "revise it and submit it again", detail),
        (
            S.CLARIFICATION,
            "Answer the bureau's clarification request",
            reverse("plans:review_messages", args=[plan.unit.code, plan.year]),
        ),
    ):
        UnitPlan.objects.filter(pk=plan.pk).update(status=status)
        assert expect_task(client, text) == url
        assert plan.unit.name in dict(home_tasks(client))[url]
    for status in (S.SUBMITTED, S.ACCEPTED):
        UnitPlan.objects.filter(pk=plan.pk).update(status=status)
        assert not [t for _u, t in home_tasks(client) if f"RK-PK {plan.year} of" in t]
    # No plan yet: the unit is told to start it.
    plan.delete()
    expect_task(client, "Start the RK-PK")


def check_binding_task(client):
    staff = User.objects.get(username="staf")
    biro_umum = User.objects.get(username="biroumum")
    client.force_login(biro_umum)
    assert not [t for _u, t in home_tasks(client) if "binding" in t]
    cycle = current_cycle()
    document = procedure_documents.create_draft(
        actor=staff, cycle=cycle, key=procedure_documents.BINDING
    )
    # A draft is not yet a request to Biro Umum.
    assert not [t for _u, t in home_tasks(client) if "binding" in t]
    Document.objects.filter(pk=document.pk).update(status=Document.Status.DISPATCHED)
    url = expect_task(client, f"Bind the RK-PK {cycle.year}")
    assert url == reverse("correspondence:document_detail", args=[document.pk])
    document.refresh_from_db()
    procedure_documents.confirm_binding(actor=biro_umum, document=document)
    assert not [t for _u, t in home_tasks(client) if "binding" in t]


def check_minister_menu(client):
    client.force_login(User.objects.get(username="menteri"))
    links = menu_links(client)
    for wanted in (
        reverse("ministry:index"),
        reverse("correspondence:inbox"),
        reverse("correspondence:document_list"),
        reverse("dashboard:index"),
    ):
        assert wanted in links, wanted
    for link in links:
        assert not link.startswith(BUREAU_TOOLS), link
        assert client.get(link, follow=True).status_code == 200, link
    # The bureau keeps its tools.
    client.force_login(User.objects.get(username="karo"))
    bureau = menu_links(client)
    assert all(any(link.startswith(tool) for link in bureau) for tool in BUREAU_TOOLS)


def test_a_role_holder_with_two_roles_keeps_the_full_menu(make_user, client):
    user = make_user("dua", Role.MINISTER.value, Role.STAFF.value)
    client.force_login(user)
    assert any(link.startswith("/analysis/") for link in menu_links(client))

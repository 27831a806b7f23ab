"""The base cost of a signed-in page (issue 15, points 2 and 5): what every page pays before
its own work — the user, then one query for the roles, today's acting roles and the unread
count — the same for every role and every request, with no Django model permissions read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rkpk.core.calendar import today
from rkpk.notifications.models import Notification
from rkpk.organisation import roles, services_acting
from rkpk.organisation import services as organisation
from rkpk.organisation.models import ActingAssignment, Role, User

pytestmark = pytest.mark.django_db

LIGHTEST = "notifications:settings"


def queries_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def base_reads(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if sql.startswith("SELECT 'role'")]


def permission_reads(sqls: list[str]) -> list[str]:
    return [sql for sql in sqls if "auth_permission" in sql or "auth_group" in sql]


@pytest.fixture
def busy_user(make_user, units):
    """Many roles, two acting assignments today, unread notifications."""
    user = make_user(
        "u_busy",
        Role.STAFF,
        Role.VIEWER,
        (Role.UNIT_OPERATOR, units["a"]),
        (Role.UNIT_HEAD, units["b"]),
    )
    day = today()
    for role, kind in ((Role.HEAD_OF_BUREAU, "Plt"), (Role.DEPUTY, "Plh")):
        ActingAssignment.objects.create(
            user=user, role=role, kind=kind, starts_on=day, ends_on=day, reason="Cuti"
        )
    Notification.objects.bulk_create(
        Notification(recipient=user, event="plan.submitted", title=f"N {i}") for i in range(7)
    )
    return user


def test_the_lightest_page_costs_three_queries_whatever_the_user_holds(
    make_user, busy_user, client
):
    one_role = make_user("u_one", Role.STAFF)
    url = reverse(LIGHTEST)
    counts = {}
    for user in (one_role, busy_user):
        client.force_login(user)
        client.get(url)  # the session is warm after the first request
        first, second = queries_of(client, url), queries_of(client, url)
        assert len(first) == len(second), (first, second)
        assert len(base_reads(first)) == 1
        assert permission_reads(first) == []
        counts[user.username] = len(first)
    assert counts["u_one"] == counts["u_busy"] <= 3, counts


def test_the_base_is_the_same_for_every_role(role_users, client):
    role_users["superuser"] = User.objects.create_superuser("root", password="Sandi-root-2026!")
    url = reverse(LIGHTEST)
    counts = {}
    for name, user in role_users.items():
        client.force_login(user)
        client.get(url)
        counts[name] = len(queries_of(client, url))
        home = queries_of(client, reverse("home"))
        # One read of the roles, acting roles and unread count, whatever the page asks the
        # rules; never Django's model permissions.
        assert len(base_reads(home)) == 1, name
        assert permission_reads(home) == [], name
        assert not [
            sql
            for sql in home
            if "notifications_notification" in sql
            and "COUNT" in sql
            and not sql.startswith("SELECT 'role'")
        ], name
    assert set(counts.values()) == {3}, counts


def test_one_query_reads_roles_acting_roles_and_unread_count(
    busy_user, rf, django_assert_num_queries
):
    from rkpk.notifications.templatetags.notification_tags import unread_count
    from rkpk.site.middleware import SignedInBaseMiddleware

    user = User.objects.get(pk=busy_user.pk)
    request = rf.get("/")
    request.user = user
    with django_assert_num_queries(1):
        SignedInBaseMiddleware(lambda request: None)(request)
        assert roles.role_names(user) == {
            Role.STAFF,
            Role.VIEWER,
            Role.UNIT_OPERATOR,
            Role.UNIT_HEAD,
        }
        assert roles.acting_roles(user) == {Role.HEAD_OF_BUREAU: "Plt", Role.DEPUTY: "Plh"}
        assert unread_count(user) == 7
        assert user.has_perm("plans.monitor") and user.has_perm("complaints.delegate")
    roles.forget(user)
    with django_assert_num_queries(1):  # without the site's middleware: still one query
        assert roles.unit_ids(user) and roles.acting_kind(user, Role.DEPUTY) == "Plh"


def menu_links(client) -> str:
    page = client.get(reverse(LIGHTEST)).content.decode()
    menu = page.split('<ul class="navbar-nav me-auto">', 1)[1]
    return menu.split('<form class="d-flex me-2"', 1)[0]


@pytest.mark.parametrize("page_cache", [False, True])
def test_changed_roles_show_on_the_next_request(
    page_cache, role_users, make_user, client, settings
):
    settings.RKPK_PAGE_CACHE = page_cache  # the menus kept per kind of user, or not
    admin = role_users[Role.ADMIN]
    user = make_user("u_changing")
    client.force_login(user)
    users_page = reverse("organisation:user_list")
    complaints = reverse("complaints:index")
    assert users_page not in menu_links(client)

    assignment = organisation.add_role(actor=admin, user=user, role=Role.ADMIN)
    assert users_page in menu_links(client)

    organisation.remove_role(actor=admin, assignment=assignment)
    links = menu_links(client)
    assert users_page not in links and complaints not in links

    services_acting.create_assignment(
        actor=admin,
        user=user,
        role=Role.HEAD_OF_BUREAU,
        kind="Plt",
        starts_on=today(),
        ends_on=today(),
        reason="Cuti",
    )
    links = menu_links(client)
    # Acting for the head of bureau today files and reads complaints; the administrator's
    # pages stay gone.
    assert complaints in links and users_page not in links

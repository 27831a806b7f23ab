"""The main menu is asked once and rendered once per kind of user (rkpk.site.navigation):
what each role sees is what the template shows when it asks every rule itself."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from rkpk.core.calendar import today
from rkpk.organisation.models import ActingAssignment, Role, User
from rkpk.site import navigation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_menus():
    navigation._menus.clear()
    yield
    navigation._menus.clear()


@pytest.fixture
def every_kind(role_users, make_user):
    users = dict(role_users)
    users["superuser"] = User.objects.create_superuser("root", password="Sandi-root-2026!")
    acting = make_user("u_acting")
    ActingAssignment.objects.create(
        user=acting,
        role=Role.HEAD_OF_BUREAU,
        kind="Plt",
        starts_on=today(),
        ends_on=today(),
        reason="Cuti",
    )
    users["acting"] = acting
    return users


def menu_source() -> str:
    base = Path(django_settings.TEMPLATES[0]["DIRS"][0]) / "base.html"
    text = base.read_text()
    return text.split("{% partialdef main_menu %}", 1)[1].split("{% endpartialdef %}", 1)[0]


def asked_the_old_way(user) -> str:
    """The menu as the page rendered it before: every `perms.*` asked through Django."""
    return get_template(navigation.MENU_TEMPLATE).render(
        {"perms": PermWrapper(user), "leadership_menu": navigation.leadership_menu(user)}
    )


def test_the_menu_asks_exactly_the_listed_rules():
    asked = {f"{app}.{rule}" for app, rule in re.findall(r"perms\.(\w+)\.(\w+)", menu_source())}
    assert asked == set(navigation.MENU_PERMS)
    # The menu kept for every user of a kind reads nothing but `perms` and `leadership_menu`
    # (nothing of the request: no path, CSRF token, user name or count).
    source = re.sub(r"{#.*?#}", "", menu_source())
    assert re.findall(r"{{", source) == []
    tags = {tag for tag in re.findall(r"{%\s*(\w+)", source)}
    assert tags <= {"if", "elif", "else", "endif", "url", "translate"}, tags
    for condition in re.findall(r"{%\s*(?:if|elif)\s+(.*?)%}", source):
        for word in condition.split():
            assert word in ("not", "or", "and", "leadership_menu") or word.startswith("perms.")


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_kept_menu_is_the_menu_each_role_gets(every_kind, settings, language):
    settings.RKPK_PAGE_CACHE = True
    with translation.override(language):
        for name, user in every_kind.items():
            fresh = User.objects.get(pk=user.pk)
            expected = asked_the_old_way(fresh)
            assert navigation.main_menu(fresh) == expected, name
            again = User.objects.get(pk=user.pk)
            assert navigation.main_menu(again) == expected, name  # from the kept menus


def test_a_kind_of_user_is_rendered_once(
    make_user, units, settings, monkeypatch, django_assert_num_queries
):
    settings.RKPK_PAGE_CACHE = True
    rendered = []
    render = navigation.render_menu
    monkeypatch.setattr(
        navigation, "render_menu", lambda user: rendered.append(user) or render(user)
    )
    first = make_user("u_op1", (Role.UNIT_OPERATOR, units["a"]))
    second = make_user("u_op2", (Role.UNIT_OPERATOR, units["b"]))
    staff = make_user("u_staff2", Role.STAFF)
    navigation.main_menu(first)
    with django_assert_num_queries(1):  # the roles of the second user, nothing more
        assert navigation.main_menu(second) == navigation.main_menu(first)
    navigation.main_menu(staff)
    assert rendered == [first, staff]
    with translation.override("id"):
        navigation.main_menu(first)
    assert len(rendered) == 3


def test_the_kept_menus_are_bounded(make_user, settings, monkeypatch):
    settings.RKPK_PAGE_CACHE = True
    monkeypatch.setattr(navigation, "MAX_MENUS", 2)
    for role in (Role.STAFF, Role.VIEWER, Role.ADMIN):
        navigation.main_menu(make_user(f"u_{role}_x", role))
    assert len(navigation._menus) == 2


def test_what_each_role_finds_in_the_menu(every_kind, client):
    def links(user) -> str:
        client.force_login(user)
        page = client.get(reverse("notifications:settings")).content.decode()
        return page.split('<ul class="navbar-nav me-auto">', 1)[1].split("<form", 1)[0]

    users_page = reverse("organisation:user_list")
    monitoring = reverse("plans:monitoring_index")
    assert users_page in links(every_kind[Role.ADMIN])
    assert users_page in links(every_kind["superuser"])
    staff = links(every_kind[Role.STAFF])
    assert monitoring in staff and users_page not in staff
    operator = links(every_kind[Role.UNIT_OPERATOR])
    assert reverse("plans:plan_list") in operator and monitoring not in operator
    minister = links(every_kind[Role.MINISTER])
    assert reverse("ministry:index") in minister and monitoring not in minister
    assert reverse("complaints:index") in links(every_kind["acting"])
    assert links(every_kind["nobody"]).count('href="') == 1  # home only

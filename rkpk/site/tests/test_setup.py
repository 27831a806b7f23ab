"""The set-up checklist of a new organisation, and the command that makes the first admin."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rkpk.analysis.models import MinistryIndicator, MinistryTarget, RenstraPeriod, StrategicGoal
from rkpk.core.calendar import today
from rkpk.core.tests.role_matrix import row
from rkpk.organisation.models import Headship, Official, Role, RoleAssignment, Unit, User
from rkpk.plans.models import MeasureUnit
from rkpk.site import setup

pytestmark = pytest.mark.django_db


def states() -> dict[str, str]:
    return {item.key: item.state for item in setup.checklist()}


def test_an_empty_database_leaves_the_organisation_to_set_up(settings):
    settings.DEBUG = False
    settings.RKPK_SIGNING_CERT = settings.RKPK_SIGNING_KEY = ""
    found = states()
    assert found == {
        "profile": setup.TODO,
        "units": setup.TODO,
        "officials": setup.TODO,
        "users": setup.TODO,
        "goals": setup.TODO,
        # The migrations load the lists and the standard.
        "lists": setup.DONE,
        "standard": setup.DONE,
        "calendar": setup.OPTIONAL,
        "certificate": setup.TODO,
    }
    assert setup.pending() == 6
    settings.DEBUG = True
    assert states()["certificate"] == setup.OPTIONAL


def give_head(unit: Unit, name: str) -> Official:
    """A head recorded both ways: by the official's position and as a headship."""
    unit.head_position = unit.head_position or f"Kepala {unit.name}"
    unit.save()
    official = Official.objects.create(name=name, position=unit.head_position, unit=unit)
    Headship.objects.create(official=official, unit=unit)
    return official


def test_units_without_a_head_are_counted(units):
    item = {i.key: i for i in setup.checklist()}
    assert item["units"].state == setup.DONE
    assert item["units"].details[0] == "3 units, 3 without a head"
    assert item["officials"].state == setup.TODO
    for unit in units.values():
        give_head(unit, f"Head {unit.code}")
    Unit.objects.create(code="E9", name="Not active", level=1, is_active=False)
    item = {i.key: i for i in setup.checklist()}
    assert item["units"].details[0] == "3 units, 0 without a head"
    assert item["officials"].state == setup.DONE


def test_users_need_the_roles_a_cycle_runs_on(make_user, units):
    make_user("admin", Role.ADMIN)
    item = {i.key: i for i in setup.checklist()}["users"]
    assert item.state == setup.TODO
    assert "Staff, Performance Accountability Bureau" in item.details[-1]
    make_user("staff", Role.STAFF)
    make_user("kabiro", Role.HEAD_OF_BUREAU)
    make_user("op", (Role.UNIT_OPERATOR, units["a"]))
    make_user("gone", (Role.UNIT_OPERATOR, units["b"]), is_active=False)
    item = {i.key: i for i in setup.checklist()}["users"]
    assert item.state == setup.DONE
    assert item.details[:2] == ["4 users with a role", "1 unit has an operator."]


def test_goals_need_indicators():
    period = RenstraPeriod.objects.create(name="2025-2029", start_year=2025, end_year=2029)
    goal = StrategicGoal.objects.create(period=period, code="SS1", text="Goal one")
    item = {i.key: i for i in setup.checklist()}["goals"]
    assert item.state == setup.TODO
    assert item.details == ["1 strategic goal, 0 ministry indicators", "1 goal has no indicator."]
    indicator = MinistryIndicator.objects.create(goal=goal, code="IKSS1", name="Indicator")
    item = {i.key: i for i in setup.checklist()}["goals"]
    assert item.state == setup.DONE
    year = today().year + 1
    assert item.details[-1] == f"1 ministry indicator has no target for {year}."
    MinistryTarget.objects.create(indicator=indicator, year=year, value=80)
    assert {i.key: i for i in setup.checklist()}["goals"].details == [
        "1 strategic goal, 1 ministry indicator"
    ]


def test_an_empty_reference_list_is_to_do():
    MeasureUnit.objects.update(is_active=False)
    assert states()["lists"] == setup.TODO


def test_a_readable_certificate_is_done(settings, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("x")
    settings.RKPK_SIGNING_CERT, settings.RKPK_SIGNING_KEY = str(cert), str(key)
    item = {i.key: i for i in setup.checklist()}["certificate"]
    assert item.state == setup.TODO
    assert f"RKPK_SIGNING_KEY: the file {key} cannot be read." in item.details
    key.write_text("x")
    assert states()["certificate"] == setup.DONE


def test_only_the_admin_sees_the_checklist(role_matrix):
    role_matrix([row("site:setup", exact={Role.ADMIN: 200})])


def test_the_checklist_links_each_item_and_home_while_something_is_left(role_users, client_for):
    client = client_for(role_users[Role.ADMIN])
    page = client.get(reverse("site:setup")).content.decode()
    assert 'id="setup-profile" data-state="todo"' in page
    assert f'href="{reverse("organisation:unit_list")}"' in page
    assert f'href="{reverse("analysis:goal_list")}"' in page
    assert f'href="{reverse("procedure:standard_detail")}"' in page
    assert f'href="{reverse("core:calendar")}"' in page
    assert f'href="{reverse("plans:list_index")}"' in page
    assert f'href="{reverse("organisation:official_list")}"' in page
    assert f'href="{reverse("organisation:user_list")}"' in page
    home = client.get(reverse("home")).content.decode()
    assert 'id="setup-pending"' in home
    # Not in the navigation: other pages do not pay for reading the checklist.
    units_page = client.get(reverse("organisation:unit_list")).content.decode()
    assert reverse("site:setup") not in units_page
    # Others are not shown the link.
    staff_home = client_for(role_users[Role.STAFF]).get(reverse("home")).content.decode()
    assert reverse("site:setup") not in staff_home


def test_the_banner_goes_once_everything_required_is_done(role_users, client_for, monkeypatch):
    monkeypatch.setattr(setup, "pending", lambda items=None: 0)
    home = client_for(role_users[Role.ADMIN]).get(reverse("home")).content.decode()
    assert 'id="setup-pending"' not in home
    assert f'href="{reverse("site:setup")}"' in home  # the admin's list still links it


def test_the_checklist_reads_a_fixed_number_of_queries(role_users, client_for, units):
    give_head(units["root"], "Head of the root")
    client = client_for(role_users[Role.ADMIN])
    url = reverse("site:setup")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    period = RenstraPeriod.objects.create(name="2025-2029", start_year=2025, end_year=2029)
    for n in range(30):
        unit = Unit.objects.create(code=f"U{n}", name=f"Unit {n}", level=2, parent=units["root"])
        give_head(unit, f"Head {n}")
        RoleAssignment.objects.create(
            user=User.objects.create_user(f"op{n}"), role=Role.UNIT_OPERATOR, unit=unit
        )
        goal = StrategicGoal.objects.create(period=period, code=f"SS{n}", text=f"Goal {n}")
        MinistryIndicator.objects.create(goal=goal, code=f"IK{n}", name=f"Indicator {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
        assert response.status_code == 200
    assert "33 units, 2 without a head" in response.content.decode()
    assert len(many) == len(few)
    # The checklist is read once.
    assert len(many) <= 25


def test_create_admin_makes_a_working_administrator(monkeypatch, client):
    monkeypatch.setenv("ADMIN_PASSWORD", "Sandi-admin-2026!")
    call_command(
        "create_admin", "admin", "--email", "a@example.org", "--password-env", "ADMIN_PASSWORD"
    )
    user = User.objects.get(username="admin")
    assert list(user.role_assignments.values_list("role", flat=True)) == [Role.ADMIN]
    assert user.check_password("Sandi-admin-2026!")
    client.force_login(user)
    assert client.get(reverse("site:setup")).status_code == 200
    # Run again: nothing changes.
    call_command("create_admin", "admin")
    assert user.role_assignments.count() == 1


def test_create_admin_grants_the_role_to_a_superuser(client):
    """A superuser made by createsuperuser holds no role: the pages show them nothing of the
    ministry until create_admin gives them the administrator role."""
    User.objects.create_superuser("root", password="Sandi-root-2026!")
    call_command("create_admin", "root")
    assert RoleAssignment.objects.filter(user__username="root", role=Role.ADMIN).exists()


def test_create_admin_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="password"):
        call_command("create_admin", "admin", "--password-env", "ADMIN_PASSWORD")
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="NOPE"):
        call_command("create_admin", "admin", "--password-env", "NOPE")


def test_a_superuser_without_a_role_is_told_how_to_become_admin(client):
    user = User.objects.create_superuser("root", password="Sandi-root-2026!")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "<code>rkpk create_admin root</code>" in page


def test_the_profile_is_done_once_saved(role_users, client_for):
    from rkpk.organisation.profile import update_profile

    item = {i.key: i for i in setup.checklist()}["profile"]
    assert (item.state, item.url) == (setup.TODO, reverse("organisation:profile_edit"))
    update_profile(
        actor=role_users[Role.ADMIN],
        name="Kementerian Uji",
        short_name="Kemenuji",
        minister_title="Menteri Uji",
        pk_second_party_title="Presiden Republik Indonesia",
        signing_city="Jakarta",
    )
    item = {i.key: i for i in setup.checklist()}["profile"]
    assert (item.state, item.url) == (setup.DONE, reverse("organisation:profile"))
    assert item.details == [
        "Kementerian Uji",
        "No coordinating unit chosen yet (choose it once the units are in).",
        "The letterhead has no address lines or logo.",
    ]
    # The saved profile opens again for editing (the coordinating unit chosen later).
    client = client_for(role_users[Role.ADMIN])
    assert client.get(reverse("organisation:profile_edit")).status_code == 200

"""Headships: who heads a unit, definitively or acting (Plt./Plh.), and the post printed."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rkpk.organisation import selectors, services
from rkpk.organisation.models import Headship, Official, Role
from rkpk.organisation.tests.helpers import actions

pytestmark = pytest.mark.django_db

D = date(2027, 3, 1)


@pytest.fixture
def people(units):
    units["a"].head_position = "Kepala Biro A"
    units["a"].save()
    units["b"].head_position = "Kepala Biro B"
    units["b"].save()
    units["root"].head_position = "Sekretaris Uji"
    units["root"].save()
    return {
        "ani": Official.objects.create(
            name="Ani", nip="197001012000032001", position="Kepala Biro A", unit=units["a"]
        ),
        "budi": Official.objects.create(
            name="Budi", nip="197001012000031002", position="Kepala Biro B", unit=units["b"]
        ),
        "citra": Official.objects.create(
            name="Citra", nip="197001012000032003", position="Sekretaris Uji", unit=units["root"]
        ),
    }


def test_definitive_and_acting_heads_one_query(admin, units, people, django_assert_num_queries):
    a, b = units["a"], units["b"]
    services.record_headship(actor=admin, unit=a, official=people["ani"], starts_on=D)
    services.record_headship(actor=admin, unit=b, official=people["budi"])
    # Ani also acts for unit B for March.
    services.record_headship(
        actor=admin,
        unit=b,
        official=people["ani"],
        kind=Headship.Kind.PLT,
        starts_on=D,
        ends_on=D + timedelta(days=30),
    )
    with django_assert_num_queries(1):
        heads = selectors.current_heads([a, b], on_date=D + timedelta(days=3))
    assert heads[a.pk].name == "Ani" and heads[a.pk].head_prefix == ""
    assert heads[b.pk].name == "Ani" and heads[b.pk].head_prefix == "Plt. "
    assert heads[b.pk].head_post == "Plt. Kepala Biro B"
    assert heads[a.pk].head_post == "Kepala Biro A"
    # After the acting period the definitive head is back.
    assert selectors.current_heads([b], on_date=D + timedelta(days=31))[b.pk].name == "Budi"
    assert selectors.head_post(b, D + timedelta(days=1)) == (
        people["ani"],
        "Plt",
        "Plt. Kepala Biro B",
    )
    assert selectors.head_post(b, D + timedelta(days=40))[2] == "Kepala Biro B"
    assert selectors.head_post(a, D - timedelta(days=1)) == (None, "", "Kepala Biro A")


def test_units_without_headships_fall_back_to_the_position(units, people):
    heads = selectors.current_heads([units["a"], units["root"]])
    assert heads[units["a"].pk] == people["ani"]
    assert heads[units["root"].pk] == people["citra"]


def test_ended_headship_leaves_the_unit_without_head(admin, units, people):
    h = services.record_headship(actor=admin, unit=units["a"], official=people["ani"])
    services.end_headship(actor=admin, headship=h, ends_on=timezone.localdate())
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert selectors.current_heads([units["a"]], on_date=tomorrow) == {}
    assert actions()[-2:] == ["headship.created", "headship.ended"]


def test_validation(admin, units, people):
    a = units["a"]
    with pytest.raises(ValidationError) as error:
        services.record_headship(
            actor=admin,
            unit=a,
            official=people["budi"],
            kind="Plt",
            starts_on=D,
            ends_on=D - timedelta(days=1),
        )
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_headship(actor=admin, unit=a, official=people["budi"], kind="Plh")
    assert "starts_on" in error.value.message_dict
    services.record_headship(
        actor=admin,
        unit=a,
        official=people["budi"],
        kind="Plh",
        starts_on=D,
        ends_on=D + timedelta(days=5),
    )
    with pytest.raises(ValidationError) as error:
        services.record_headship(
            actor=admin,
            unit=a,
            official=people["citra"],
            kind="Plt",
            starts_on=D + timedelta(days=5),
        )
    assert "Budi" in str(error.value) and "overlap" in str(error.value)
    # Not overlapping: fine.
    services.record_headship(
        actor=admin, unit=a, official=people["citra"], kind="Plt", starts_on=D + timedelta(days=6)
    )
    people["budi"].is_active = False
    people["budi"].save()
    with pytest.raises(ValidationError) as error:
        services.record_headship(actor=admin, unit=units["b"], official=people["budi"])
    assert "official" in error.value.message_dict
    assert Headship.objects.count() == 2


def test_new_definitive_head_ends_the_previous_one(admin, units, people):
    a = units["a"]
    old = services.record_headship(actor=admin, unit=a, official=people["ani"], starts_on=D)
    services.record_headship(
        actor=admin, unit=a, official=people["budi"], starts_on=D + timedelta(days=10)
    )
    old.refresh_from_db()
    assert old.ends_on == D + timedelta(days=9)
    assert selectors.current_heads([a], on_date=D + timedelta(days=10))[a.pk].name == "Budi"
    with pytest.raises(ValidationError):
        services.record_headship(
            actor=admin, unit=a, official=people["citra"], starts_on=D + timedelta(days=5)
        )


def test_end_headship_refuses_a_day_before_its_start(admin, units, people):
    h = services.record_headship(actor=admin, unit=units["a"], official=people["ani"], starts_on=D)
    with pytest.raises(ValidationError):
        services.end_headship(actor=admin, headship=h, ends_on=D - timedelta(days=1))


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMIN])
def test_only_admin_manages_headships(role, role_users, units, people, client):
    with pytest.raises(PermissionDenied):
        services.record_headship(actor=role_users[role], unit=units["a"], official=people["ani"])
    client.force_login(role_users[role])
    response = client.post(
        reverse("organisation:headship_add", args=[units["a"].pk]),
        {"official": people["ani"].pk, "kind": "def"},
    )
    assert response.status_code == 403
    h = Headship.objects.create(unit=units["a"], official=people["ani"])
    assert client.post(reverse("organisation:headship_end", args=[h.pk])).status_code == 403
    h.refresh_from_db()
    assert h.ends_on is None


def test_unit_page_records_and_ends_heads(admin_client, units, people):
    b = units["b"]
    url = reverse("organisation:headship_add", args=[b.pk])
    response = admin_client.post(
        url, {"official": people["ani"].pk, "kind": "Plt", "starts_on": "2026-01-01"}
    )
    assert response.status_code == 302
    page = admin_client.get(reverse("organisation:unit_detail", args=[b.pk])).content.decode()
    assert "Plt. Ani" in page and "Plt. Kepala Biro B" in page
    assert "data-confirm" in page
    tree = admin_client.get(reverse("organisation:unit_list")).content.decode()
    assert "Plt. Ani" in tree
    # A bad period is shown on the form, nothing saved.
    response = admin_client.post(
        url,
        {
            "official": people["citra"].pk,
            "kind": "Plh",
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
        },
    )
    assert response.status_code == 400 and Headship.objects.count() == 1
    h = Headship.objects.get()
    admin_client.post(reverse("organisation:headship_end", args=[h.pk]), {"ends_on": "2026-01-31"})
    h.refresh_from_db()
    assert h.ends_on == date(2026, 1, 31)


def test_state_official_without_nip(admin, units):
    with pytest.raises(ValidationError) as error:
        services.create_official(actor=admin, name="X", nip="", position="Menteri")
    assert "nip" in error.value.message_dict
    minister = services.create_official(
        actor=admin, name="Menteri Uji", nip="", position="Menteri", is_state_official=True
    )
    assert minister.nip is None
    # Two officials without NIP do not clash.
    services.create_official(
        actor=admin, name="Wakil", nip=None, position="Wakil Menteri", is_state_official=True
    )
    assert actions()[-1] == "official.created"


def test_official_form_and_list_without_nip(admin_client, units):
    response = admin_client.post(
        reverse("organisation:official_create"),
        {
            "name": "Menteri Uji",
            "nip": "",
            "is_state_official": "on",
            "position": "Menteri",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Official.objects.get(name="Menteri Uji").nip is None
    page = admin_client.get(reverse("organisation:official_list")).content.decode()
    assert "state official, no NIP" in page and "None" not in page
    response = admin_client.post(
        reverse("organisation:official_create"),
        {"name": "PNS", "nip": "", "position": "Analis", "is_active": "on"},
    )
    assert response.status_code == 200 and "civil servant needs a NIP" in response.content.decode()


def test_data_migration_turns_heads_into_headships(units, people):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("rkpk.organisation.migrations.0005_headships_from_positions")
    migration.forwards(apps, None)
    assert set(Headship.objects.values_list("unit__code", "official__name", "kind")) == {
        ("E1.A", "Ani", "def"),
        ("E1.B", "Budi", "def"),
        ("E1", "Citra", "def"),
    }
    migration.forwards(apps, None)  # re-runnable
    assert Headship.objects.count() == 3


def test_official_list_and_page_show_the_posts_held(admin, admin_client, units, people):
    services.record_headship(
        actor=admin, unit=units["b"], official=people["ani"], kind="Plt", starts_on=date(2020, 1, 1)
    )
    listing = admin_client.get(reverse("organisation:official_list")).content.decode()
    assert "Plt.</span> Kepala Biro B" in listing
    page = admin_client.get(
        reverse("organisation:official_edit", args=[people["ani"].pk])
    ).content.decode()
    assert "Plt. Kepala Biro B" in page


def test_others_see_the_heads_but_no_forms(admin, role_users, client, units, people):
    services.record_headship(
        actor=admin, unit=units["b"], official=people["ani"], kind="Plh", starts_on=date(2020, 1, 1)
    )
    client.force_login(role_users["viewer"])
    page = client.get(reverse("organisation:unit_detail", args=[units["b"].pk])).content.decode()
    assert "Plh. Ani" in page and "Plh. Kepala Biro B" in page
    assert reverse("organisation:headship_add", args=[units["b"].pk]) not in page
    assert "/end/" not in page

"""A PK party without NIP (a pejabat negara: the minister or the head of an agency) is set
through the API by the officials register's id, as GET /api/v1/officials lists it."""

import pytest

from rkpk.api.tests.conftest import API
from rkpk.organisation.models import Official
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_the_minister_is_set_as_second_party_by_register_id(units, role_users, api_as):
    plan = complete_plan(units["a"])
    minister = Official.objects.create(
        name="Menteri Satu", nip=None, is_state_official=True, position="Menteri Contoh"
    )
    # The bureau sees the whole register (a unit's people their own unit's only).
    listed = api_as(role_users["staff"]).get(f"{API}/officials", {"q": "Menteri"}).json()["items"]
    assert [(o["id"], o["nip"]) for o in listed] == [(minister.pk, None)]
    client = api_as(role_users["unit_operator"])
    url = f"{API}/plans/{plan.unit.code}/{plan.year}/parties"
    revision = client.get(f"{API}/plans/{plan.unit.code}/{plan.year}").json()["revision"]
    response = client.put(
        url,
        {"revision": revision, "first_party_nip": plan.first_party.nip,
         "second_party_nip": str(minister.pk)},
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 200, response.content
    second = response.json()["content"]["parties"]["second"]
    assert (second["name"], second["nip"]) == ("Menteri Satu", "")
    assert UnitPlan.objects.get(pk=plan.pk).second_party == minister


def test_an_official_with_a_nip_is_not_reachable_by_register_id(units, role_users, api_as):
    """A register id names only an official without NIP: one with a NIP is named by it."""
    plan = complete_plan(units["a"])
    client = api_as(role_users["unit_operator"])
    revision = client.get(f"{API}/plans/{plan.unit.code}/{plan.year}").json()["revision"]
    response = client.put(
        f"{API}/plans/{plan.unit.code}/{plan.year}/parties",
        {"revision": revision, "first_party_nip": plan.first_party.nip,
         "second_party_nip": str(plan.second_party.pk)},
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 422, response.content
    assert UnitPlan.objects.get(pk=plan.pk).revision == revision


def test_the_plan_says_whom_the_organisation_records_as_parties(units, role_users, api_as):
    """A unit's people see only their unit's officials: the plan names the expected parties,
    with the register's id for one without NIP and the post as printed (Plt. included)."""
    from datetime import date

    from rkpk.organisation.models import Headship, OrganisationProfile

    OrganisationProfile.objects.create(
        name="Badan Uji", short_name="BU", minister_title="Kepala Badan Uji",
        pk_second_party_title="Presiden Republik Indonesia", signing_city="Bandung",
    )  # fmt: skip
    units["root"].head_position = "Sekretaris Utama"
    units["root"].save()
    units["a"].head_position = "Kepala Biro A"
    units["a"].save()
    head = Official.objects.create(
        name="Kepala Badan", nip=None, is_state_official=True, position="Kepala Badan Uji"
    )
    sestama = Official.objects.create(
        name="Sestama", nip="196801011990031001", position="Sekretaris Utama", unit=units["root"]
    )
    Headship.objects.create(official=sestama, unit=units["root"])
    Headship.objects.create(
        official=sestama, unit=units["a"], kind="Plt", starts_on=date(2020, 1, 1)
    )
    root_plan = UnitPlan.objects.create(unit=units["root"], year=2027)
    a_plan = UnitPlan.objects.create(unit=units["a"], year=2027)
    staff = api_as(role_users["staff"])
    expected = staff.get(f"{API}/plans/E1/2027").json()["expected_parties"]
    assert expected["first"] == {
        "official_id": sestama.pk, "nip": sestama.nip, "name": "Sestama", "acting": "",
        "post": "Sekretaris Utama",
    }  # fmt: skip
    assert expected["second"] == {
        "official_id": head.pk, "nip": None, "name": "Kepala Badan", "acting": "",
        "post": "Kepala Badan Uji",
    }  # fmt: skip
    operator = api_as(role_users["unit_operator"])  # Biro A's
    expected = operator.get(f"{API}/plans/E1.A/2027").json()["expected_parties"]
    assert (expected["first"]["official_id"], expected["first"]["post"]) == (
        sestama.pk,
        "Plt. Kepala Biro A",
    )
    assert expected["second"]["name"] == "Sestama"
    assert root_plan.pk and a_plan.pk

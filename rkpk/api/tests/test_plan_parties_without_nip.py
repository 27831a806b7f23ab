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

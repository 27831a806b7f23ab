"""Units and officials: every role reads, nobody is refused, units see only their people."""

import pytest

from rkpk.organisation.models import Role

from .conftest import API

pytestmark = pytest.mark.django_db

EVERY_ROLE = [r.value for r in Role] + ["operator_b"]
MINISTRY = [r.value for r in Role if r not in (Role.UNIT_OPERATOR, Role.UNIT_HEAD)]


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_lists_every_unit(role_users, api_as, role):
    response = api_as(role_users[role]).get(f"{API}/units")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {u["code"] for u in body["items"]} == {"E1", "E1.A", "E1.B"}


@pytest.mark.parametrize("path", ["/units", "/units/E1", "/officials", "/officials/x"])
def test_users_without_a_role_are_refused(role_users, api_as, path):
    response = api_as(role_users["nobody"]).get(API + path)
    assert response.status_code == 403
    assert response.json()["detail"]


def test_units_search_filter_and_paginate(role_users, api_as):
    client = api_as(role_users["viewer"])
    body = client.get(f"{API}/units", {"q": "biro a"}).json()
    assert [u["code"] for u in body["items"]] == ["E1.A"]
    body = client.get(f"{API}/units", {"parent": "E1"}).json()
    assert {u["code"] for u in body["items"]} == {"E1.A", "E1.B"}
    assert body["items"][0]["parent_code"] == "E1"
    body = client.get(f"{API}/units", {"limit": 1, "offset": 1}).json()
    assert body["count"] == 3 and len(body["items"]) == 1
    assert client.get(f"{API}/units", {"limit": 0}).status_code == 422


def test_unit_detail_has_parent_and_children(role_users, api_as):
    client = api_as(role_users["unit_operator"])
    root = client.get(f"{API}/units/E1").json()
    assert root["parent"] is None and root["parent_code"] is None
    assert {c["code"] for c in root["children"]} == {"E1.A", "E1.B"}
    child = client.get(f"{API}/units/E1.A").json()
    assert child["parent"] == {"code": "E1", "name": "Sekretariat Uji"}
    assert child["level"] == 2 and child["children"] == []
    assert client.get(f"{API}/units/NOPE").status_code == 404


@pytest.mark.parametrize("role", MINISTRY)
def test_ministry_roles_see_every_official(role_users, api_as, officials, role):
    client = api_as(role_users[role])
    body = client.get(f"{API}/officials").json()
    assert {o["nip"] for o in body["items"]} == {officials["a"].nip, officials["b"].nip}
    response = client.get(f"{API}/officials/{officials['b'].nip}")
    assert response.status_code == 200
    assert response.json()["unit_code"] == "E1.B"


@pytest.mark.parametrize("role", ["unit_operator", "unit_head"])
def test_unit_roles_see_only_their_units_officials(role_users, api_as, officials, role):
    client = api_as(role_users[role])  # held for unit A
    body = client.get(f"{API}/officials").json()
    assert [o["nip"] for o in body["items"]] == [officials["a"].nip]
    assert body["count"] == 1
    assert client.get(f"{API}/officials/{officials['a'].nip}").status_code == 200
    # Another unit's official is not revealed: 404, as if it did not exist.
    response = client.get(f"{API}/officials/{officials['b'].nip}")
    assert response.status_code == 404
    assert client.get(f"{API}/officials", {"unit": "E1.B"}).json()["count"] == 0


def test_operator_of_unit_b_sees_unit_bs_officials(role_users, api_as, officials):
    client = api_as(role_users["operator_b"])
    assert client.get(f"{API}/officials/{officials['a'].nip}").status_code == 404
    assert client.get(f"{API}/officials/{officials['b'].nip}").status_code == 200


def test_officials_search_and_unit_filter(role_users, api_as, officials):
    client = api_as(role_users["staff"])
    assert [o["name"] for o in client.get(f"{API}/officials", {"q": "budi"}).json()["items"]] == [
        "Budi Santoso"
    ]
    assert client.get(f"{API}/officials", {"q": "19800101"}).json()["count"] == 1
    body = client.get(f"{API}/officials", {"unit": "E1.A"}).json()
    assert [o["unit_name"] for o in body["items"]] == ["Biro A"]
    assert client.get(f"{API}/officials/000000000000000000").status_code == 404

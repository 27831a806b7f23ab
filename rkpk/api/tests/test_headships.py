"""API of headships (who heads a unit, definitive or Plt./Plh.) and officials without NIP."""

import pytest

from rkpk.organisation.models import Headship, Official, Role

from .conftest import API

pytestmark = pytest.mark.django_db
JSON = "application/json"
REFUSED = [r.value for r in Role if r != Role.ADMIN] + ["operator_b", "nobody"]


@pytest.fixture
def heads(units, officials):
    units["b"].head_position = "Kepala Biro B"
    units["b"].save()
    return officials


def test_admin_records_lists_and_ends_an_acting_head(api_as, role_users, units, heads):
    client = api_as(role_users["admin"])
    url = f"{API}/units/E1.B/heads"
    response = client.post(
        url,
        {"official_id": heads["a"].pk, "kind": "Plt", "starts_on": "2027-01-01"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["post"] == "Plt. Kepala Biro B" and body["name"] == "Ani Rahma"
    listed = api_as(role_users["operator_b"]).get(url).json()
    assert [h["kind"] for h in listed] == ["Plt"]
    response = client.post(
        f"{API}/heads/{body['id']}/end", {"last_day": "2027-01-31"}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["ends_on"] == "2027-01-31"


def test_bad_input_is_a_field_error_and_saves_nothing(api_as, role_users, units, heads):
    client = api_as(role_users["admin"])
    url = f"{API}/units/E1.B/heads"
    response = client.post(
        url,
        {
            "official_id": heads["a"].pk,
            "kind": "Plh",
            "starts_on": "2027-02-01",
            "ends_on": "2027-01-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 422
    assert "ends_on" in response.content.decode()
    response = client.post(url, {"official_id": heads["a"].pk, "kind": "Plh"}, content_type=JSON)
    assert response.status_code == 422 and "starts_on" in response.content.decode()
    assert client.post(url, {"official_id": 99999}, content_type=JSON).status_code == 404
    assert Headship.objects.count() == 0


@pytest.mark.parametrize("who", REFUSED)
def test_only_the_admin_manages_heads(who, api_as, role_users, units, heads):
    client = api_as(role_users[who])
    response = client.post(
        f"{API}/units/E1.B/heads", {"official_id": heads["a"].pk}, content_type=JSON
    )
    assert response.status_code in (401, 403)
    h = Headship.objects.create(unit=units["b"], official=heads["b"])
    response = client.post(f"{API}/heads/{h.pk}/end", {}, content_type=JSON)
    assert response.status_code in (401, 403)
    h.refresh_from_db()
    assert h.ends_on is None


def test_state_official_without_nip_is_listed(api_as, role_users, units):
    Official.objects.create(
        name="Menteri Uji", nip=None, is_state_official=True, position="Menteri"
    )
    response = api_as(role_users["admin"]).get(f"{API}/officials?q=Menteri")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["nip"] is None and item["is_state_official"] is True

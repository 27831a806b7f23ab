"""Huge numbers sent to the API are refused (422) with the field named, never a server
error: 38-digit decimals, floats beyond any column, integers at and beyond 2**63
(issue 13.5 and 13.8)."""

import pytest

from rkpk.api.tests.conftest import API
from rkpk.plans.models import Goal
from rkpk.plans.tests.factories import complete_plan

pytestmark = pytest.mark.django_db

HUGE_DECIMALS = ["1" * 38, "9" * 30 + ",5", 1e300, "1e999", -1e300, "NaN", "Infinity"]


@pytest.fixture
def plan(units):
    return complete_plan(units["a"])


def url(plan, tail=""):
    return f"{API}/plans/{plan.unit.code}/{plan.year}{tail}"


@pytest.mark.parametrize("value", HUGE_DECIMALS, ids=str)
@pytest.mark.parametrize("field", ["target_value", "q1", "budget"])
def test_a_huge_number_in_a_plan_row_is_a_422(plan, role_users, api_as, field, value):
    client = api_as(role_users["unit_operator"])
    kind = "activities" if field == "budget" else "indicators"
    body = {"name": "Baris", "measure": "Indeks", field: value}
    if kind == "indicators":
        body["goal_id"] = Goal.objects.filter(plan=plan).first().pk
    response = client.post(url(plan, f"/rows/{kind}"), body, content_type="application/json")
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert field in {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize("year", [2**63, 2**64 + 5, 10**40])
def test_a_huge_integer_in_a_path_is_not_a_server_error(plan, role_users, api_as, year):
    client = api_as(role_users["staff"])
    for path in (
        f"/plans/{plan.unit.code}/{year}",
        f"/cycles/{year}",
        f"/calendar/{year}",
        f"/monitoring/{year}",
        f"/ministry/plans/{year}",
        f"/analysis/compilations/{year}",
    ):
        response = client.get(API + path)
        # A year no plan has: refused or an empty answer, never a server error.
        assert response.status_code < 500, (path, response.status_code)
        assert response["Content-Type"].startswith("application/json"), path


@pytest.mark.parametrize("n", [2**63, -(2**63), 10**40])
def test_a_huge_integer_in_a_query_is_a_4xx(role_users, api_as, n):
    client = api_as(role_users["staff"])
    response = client.get(f"{API}/calendar/workdays/add?date=2027-03-05&n={n}")
    assert response.status_code == 422, response.content[:300]


@pytest.mark.parametrize("field", ["goal_id", "revision"])
def test_a_huge_id_in_a_row_body_is_not_a_server_error(plan, role_users, api_as, field):
    client = api_as(role_users["unit_operator"])
    goal = Goal.objects.filter(plan=plan).first()
    body = {"goal_id": goal.pk, "name": "Baris", "measure": "Indeks", field: 2**63}
    response = client.post(url(plan, "/rows/indicators"), body, content_type="application/json")
    # An unknown goal is refused; the revision means nothing to a new row.
    assert response.status_code in ({"goal_id": 422, "revision": 201}[field], 404)
    assert response["Content-Type"].startswith("application/json")

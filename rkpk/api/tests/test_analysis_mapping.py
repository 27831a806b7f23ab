"""The mapping API: suggestions, bulk accept (first suggestion by default), one by hand."""

import pytest

from rkpk.analysis.models import Mapping, RenstraPeriod, StrategicGoal
from rkpk.analysis.tests.test_mapping_services import accepted_plan, load_goals
from rkpk.api.tests.conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def goals(db):
    return load_goals()


@pytest.fixture
def plan(units, goals):
    return accepted_plan(
        units["a"],
        rows=[
            ("Tertanganinya keluhan publik", "Persentase pengaduan masyarakat yang dijawab tuntas"),
            ("Akuntabelnya keuangan", "Opini BPK atas laporan keuangan"),
        ],
    )


def test_suggestions_are_read_by_the_ministry_not_by_units(plan, role_users, api_as):
    response = api_as(role_users["viewer"]).get(f"{API}/analysis/mapping/2027/suggestions")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["suggestions"][0]["goal_code"] == "SS-06"
    assert "adu" in first["suggestions"][0]["matched_words"] and first["mapping"] is None
    assert (
        api_as(role_users["unit_operator"])
        .get(f"{API}/analysis/mapping/2027/suggestions")
        .status_code
        == 403
    )
    assert api_as(None).get(f"{API}/analysis/mapping/2027/suggestions").status_code == 401


def test_accept_in_bulk_then_override_and_conflict(plan, goals, role_users, api_as):
    staff = api_as(role_users["staff"])
    ids = list(plan.indicators.order_by("position").values_list("pk", flat=True))
    response = staff.post(
        f"{API}/analysis/mapping/2027/accept",
        {"items": [{"indicator_id": ids[0]}, {"indicator_id": ids[1]}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert [m["goal_code"] for m in response.json()] == ["SS-06", "SS-14"]
    put = staff.put(
        f"{API}/analysis/mapping/indicators/{ids[0]}",
        {"goal_id": goals["SS-21"].pk, "revision": 1},
        content_type="application/json",
    )
    assert put.status_code == 200 and put.json()["source"] == "manual"
    stale = staff.put(
        f"{API}/analysis/mapping/indicators/{ids[0]}",
        {"goal_id": goals["SS-01"].pk, "revision": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert Mapping.objects.get(indicator_id=ids[0]).goal == goals["SS-21"]
    assert (
        api_as(role_users["viewer"])
        .put(
            f"{API}/analysis/mapping/indicators/{ids[1]}",
            {"goal_id": goals["SS-01"].pk, "revision": 1},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_a_goal_of_another_period_is_refused(plan, role_users, api_as):
    old = RenstraPeriod.objects.create(name="Renstra 2020–2024", start_year=2020, end_year=2024)
    goal = StrategicGoal.objects.create(period=old, code="SS-01", text="Lama")
    indicator = plan.indicators.first()
    response = api_as(role_users["staff"]).put(
        f"{API}/analysis/mapping/indicators/{indicator.pk}",
        {"goal_id": goal.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "goal"
    assert not Mapping.objects.exists()

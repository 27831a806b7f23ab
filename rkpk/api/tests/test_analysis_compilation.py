import pytest

from rkpk.analysis.models import Compilation
from rkpk.analysis.tests.compilation_factories import accepted_plan, map_all, period_with_goals
from rkpk.api.tests.conftest import API

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


@pytest.fixture
def setup(units, role_users):
    _period, goals = period_with_goals()
    plan = accepted_plan(units["a"], role_users["staff"], role_users["unit_operator"])
    map_all(plan, goals[0], role_users["staff"])


def test_compile_and_read_versions(setup, role_users, api_as):
    staff = api_as(role_users["staff"])
    created = staff.post(f"{API}/analysis/compilations/2027")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"] == 1 and body["created_by"] == "u_staff"
    assert [u["code"] for u in body["missing_units"]] == ["E1", "E1.B"]
    assert body["warnings"] and body["counts"]["mapped"] == 2
    assert staff.post(f"{API}/analysis/compilations/2027").json()["number"] == 2
    viewer = api_as(role_users["viewer"])
    assert [v["number"] for v in viewer.get(f"{API}/analysis/compilations/2027").json()] == [2, 1]
    detail = viewer.get(f"{API}/analysis/compilations/2027/1").json()
    assert detail["data"]["goals"][0]["ministry_indicators"][0]["value"] == "170"
    assert viewer.get(f"{API}/analysis/compilations/2027/9").status_code == 404


def test_coverage_and_downloads(setup, role_users, api_as):
    head = api_as(role_users["head_of_bureau"])
    assert head.get(f"{API}/analysis/coverage/2027").status_code == 404  # nothing compiled
    head.post(f"{API}/analysis/compilations/2027")
    body = head.get(f"{API}/analysis/coverage/2027?weak=3").json()
    assert [g["status"] for g in body["goals"]] == ["weak", "none", "none"]
    assert (
        body["goals"][0]["units"][0]["code"] == "E1.A" and body["goals"][0]["budget"] == "1500000"
    )
    response = head.get(f"{API}/analysis/compilations/2027/1/pk.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert head.get(f"{API}/analysis/compilations/2027/1/pk.txt").status_code == 404


def test_refusals(setup, role_users, api_as):
    for code in ("viewer", "deputy", "unit_operator", "nobody"):
        assert api_as(role_users[code]).post(f"{API}/analysis/compilations/2027").status_code == 403
    assert not Compilation.objects.exists()
    for code in ("unit_operator", "unit_head", "nobody"):
        client = api_as(role_users[code])
        assert client.get(f"{API}/analysis/compilations/2027").status_code == 403
        assert client.get(f"{API}/analysis/coverage/2027").status_code == 403
    assert api_as(None).get(f"{API}/analysis/compilations/2027").status_code == 401
    bad = api_as(role_users["staff"]).post(f"{API}/analysis/compilations/1900")
    assert bad.status_code == 422


def test_concurrent_compile_is_a_conflict(setup, role_users, api_as, monkeypatch):
    # Another compile saved version 1 after this one read the highest number.
    Compilation.objects.create(year=2027, number=1, data={})
    monkeypatch.setattr(
        Compilation.objects, "filter",
        lambda **kw: Compilation.objects.none(),
    )  # fmt: skip
    response = api_as(role_users["staff"]).post(f"{API}/analysis/compilations/2027")
    assert response.status_code == 409
    assert "Compile again" in response.json()["detail"]

"""The unit head's approval through the API (issue 13.12): the operator cannot submit past
the head; request-approval, approve and return-to-operator call the page's services."""

import pytest

from rkpk.core.models import AuditEvent
from rkpk.organisation.models import Headship, Role
from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.test_review_support import make_officials, make_plan

pytestmark = pytest.mark.django_db
API = "/api/v1"


def url(plan, tail=""):
    return f"{API}/plans/{plan.unit.code}/{plan.year}{tail}"


@pytest.fixture
def setup(units, role_users, make_user):
    officials = make_officials(units)
    Headship.objects.create(official=officials["head"], unit=units["a"])
    head = role_users["unit_head"]
    head.official = officials["head"]
    head.save()
    return {
        "plan": make_plan(units["a"], officials),
        "operator": role_users["unit_operator"],
        "head": head,
        "other_head": make_user("head_b", (Role.UNIT_HEAD, units["b"])),
        "staff": role_users["staff"],
    }


def test_the_operator_cannot_submit_past_the_head(setup, api_as):
    plan, operator = setup["plan"], api_as(setup["operator"])
    response = operator.post(url(plan, "/submit"))
    assert response.status_code == 403
    assert "unit head approves" in response.json()["detail"]
    assert operator.post(url(plan, "/approve")).status_code == 403
    sent = operator.post(url(plan, "/request-approval"))
    assert sent.status_code == 200 and sent.json()["status"] == "awaiting_head"
    assert operator.post(url(plan, "/submit")).status_code in (400, 403, 422)
    assert operator.post(url(plan, "/approve")).status_code == 403
    assert not plan.submissions.exists()


def test_the_head_approves_or_returns_through_the_api(setup, api_as):
    plan = setup["plan"]
    api_as(setup["operator"]).post(url(plan, "/request-approval"))
    head = api_as(setup["head"])
    for who in ("other_head", "staff"):
        refused = api_as(setup[who]).post(url(plan, "/approve"))
        assert refused.status_code in (403, 404), who
    empty = head.post(
        url(plan, "/return-to-operator"), {"note": " "}, content_type="application/json"
    )
    assert empty.status_code in (400, 422)
    returned = head.post(
        url(plan, "/return-to-operator"), {"note": "Tambah IK3"}, content_type="application/json"
    )
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    assert AuditEvent.objects.filter(action="plan.head_returned").count() == 1
    api_as(setup["operator"]).post(url(plan, "/request-approval"))
    approved = head.post(url(plan, "/approve"))
    assert approved.status_code == 201
    assert approved.json()["number"] == 1 and approved.json()["submitted_by"] == "u_unit_head"
    plan.refresh_from_db()
    assert plan.status == UnitPlan.Status.SUBMITTED


def test_the_endpoints_are_in_the_schema(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for tail in ("request-approval", "approve", "return-to-operator"):
        assert f"{API}/plans/{{unit_code}}/{{year}}/{tail}" in paths, tail


def test_the_profile_api_carries_the_setting(role_users, api_as):
    admin = api_as(role_users["admin"])
    assert admin.get(f"{API}/organisation-profile").json()["unit_head_approval"] is True

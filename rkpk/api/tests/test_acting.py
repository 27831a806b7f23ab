"""API of the acting assignments (Plt/Plh): administrator only, the services' rules answered
with field errors."""

from datetime import timedelta

import pytest

from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.organisation import roles
from rkpk.organisation.models import ActingAssignment, Role

from .conftest import API

ALL_USERS = [r.value for r in Role] + ["operator_b", "nobody"]
REFUSED = [r for r in ALL_USERS if r != "admin"]
URL = f"{API}/acting-assignments"
JSON = "application/json"
DAY = timedelta(days=1)


pytestmark = pytest.mark.django_db


def payload(user, **fields):
    return {
        "username": user.username,
        "role": Role.DEPUTY,
        "kind": "Plh",
        "starts_on": today().isoformat(),
        "ends_on": (today() + 3 * DAY).isoformat(),
        "reason": "Deputi dinas luar.",
        **fields,
    }


@pytest.fixture
def assignment(role_users):
    return ActingAssignment.objects.create(
        user=role_users["staff"],
        role=Role.HEAD_OF_BUREAU,
        kind="Plt",
        starts_on=today() - DAY,
        ends_on=today() + 9 * DAY,
        reason="Kepala Biro cuti.",
        created_by=role_users["admin"],
    )


def test_create_list_end_and_delete(role_users, api_as):
    admin, staff = api_as(role_users["admin"]), role_users["staff"]
    response = admin.post(URL, payload(staff), content_type=JSON)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["username"] == "u_staff" and created["role"] == "deputy"
    assert created["state"] == "current" and created["created_by"] == "u_admin"
    roles.forget(staff)
    assert roles.acts_as(staff, Role.DEPUTY) == (True, "Plh")
    listed = admin.get(URL, {"role": "deputy", "state": "current"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == created["id"]
    assert admin.get(URL, {"state": "past"}).json()["count"] == 0
    ended = admin.post(
        f"{URL}/{created['id']}/end", {"last_day": today().isoformat()}, content_type=JSON
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["ends_on"] == today().isoformat()
    assert admin.delete(f"{URL}/{created['id']}").status_code == 204
    assert not ActingAssignment.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="acting.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["acting.created", "acting.ended", "acting.deleted"]


@pytest.mark.parametrize("role", REFUSED)
def test_everyone_but_the_administrator_is_refused(role_users, api_as, assignment, role):
    client = api_as(role_users[role])
    assert client.get(URL).status_code == 403
    response = client.post(URL, payload(role_users["head_of_section"]), content_type=JSON)
    assert response.status_code == 403
    assert client.post(f"{URL}/{assignment.pk}/end", {}, content_type=JSON).status_code == 403
    assert client.delete(f"{URL}/{assignment.pk}").status_code == 403
    assert ActingAssignment.objects.count() == 1
    assert ActingAssignment.objects.get().ends_on == today() + 9 * DAY


def test_anonymous_is_refused(api_as):
    assert api_as(None).get(URL).status_code == 401


def test_validation_errors_name_the_fields(role_users, api_as, assignment):
    admin = api_as(role_users["admin"])
    cases = [
        ({"username": "ghost"}, "username"),
        ({"role": "staff"}, "role"),
        ({"kind": "Pj"}, "kind"),
        ({"ends_on": (today() - DAY).isoformat()}, "ends_on"),
        ({"reason": " "}, "reason"),
    ]
    for change, field in cases:
        response = admin.post(URL, payload(role_users["staff"], **change), content_type=JSON)
        assert response.status_code == 422, change
        assert field in {e["field"] for e in response.json()["errors"]}, change
    holder = admin.post(URL, payload(role_users["deputy"]), content_type=JSON)
    assert holder.status_code == 422
    assert holder.json()["errors"][0]["field"] == "username"
    assert "already holds" in holder.json()["detail"]
    overlap = admin.post(
        URL, payload(role_users["staff"], role=Role.HEAD_OF_BUREAU), content_type=JSON
    )
    assert overlap.status_code == 422 and "overlap" in overlap.json()["detail"]
    past_day = admin.post(
        f"{URL}/{assignment.pk}/end",
        {"last_day": (today() - DAY).isoformat()},
        content_type=JSON,
    )
    assert past_day.status_code == 422 and past_day.json()["errors"][0]["field"] == "last_day"
    assert admin.post(f"{URL}/9999/end", {}, content_type=JSON).status_code == 404
    assert admin.delete(f"{URL}/9999").status_code == 404
    assert ActingAssignment.objects.count() == 1


def test_history_is_neither_ended_nor_deleted(role_users, api_as):
    old = ActingAssignment.objects.create(
        user=role_users["staff"],
        role=Role.MINISTER,
        kind="Plh",
        starts_on=today() - 9 * DAY,
        ends_on=today() - DAY,
        reason="Dulu.",
    )
    admin = api_as(role_users["admin"])
    assert admin.get(URL).json()["items"][0]["state"] == "past"
    assert admin.post(f"{URL}/{old.pk}/end", {}, content_type=JSON).status_code == 422
    assert admin.delete(f"{URL}/{old.pk}").status_code == 422
    assert ActingAssignment.objects.filter(pk=old.pk).exists()


def test_list_runs_a_fixed_number_of_queries(role_users, api_as, make_user, assignment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = api_as(role_users["admin"])
    admin.get(URL)
    with CaptureQueriesContext(connection) as few:
        response = admin.get(URL)
    assert response.status_code == 200 and response.json()["count"] == 1
    for n in range(6):
        official_user = make_user(f"plh{n}", first_name="Plh", last_name=str(n))
        ActingAssignment.objects.create(
            user=official_user,
            role=Role.DEPUTY,
            kind="Plh",
            starts_on=today(),
            ends_on=today(),
            reason="x",
            created_by=role_users["admin"],
        )
    with CaptureQueriesContext(connection) as many:
        response = admin.get(URL)
    assert response.status_code == 200 and response.json()["count"] == 7
    assert len(many) <= len(few)


def test_the_schema_lists_the_acting_paths(role_users, api_as):
    schema = api_as(None).get(f"{API}/openapi.json").json()
    paths = {p: set(ops) for p, ops in schema["paths"].items()}
    assert paths[URL] == {"get", "post"}
    assert paths[f"{URL}/{{assignment_id}}"] == {"delete"}
    assert paths[f"{URL}/{{assignment_id}}/end"] == {"post"}
    for path_ in (URL, f"{URL}/{{assignment_id}}"):
        for operation in schema["paths"][path_].values():
            assert "401" in operation["responses"] and "403" in operation["responses"]

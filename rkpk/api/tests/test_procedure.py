"""The service standard and the cycles; step actions move the cycle only through advance()."""

from datetime import timedelta

import pytest

from rkpk.core.calendar import today
from rkpk.core.models import AuditEvent
from rkpk.organisation.models import Role
from rkpk.procedure.models import Cycle, CycleStep, StepTransition

from .conftest import API

pytestmark = pytest.mark.django_db

EVERY_ROLE = [r.value for r in Role] + ["operator_b"]
MAY_START_CYCLES = ["admin", "staff", "head_of_section", "head_of_bureau"]
STEP_1_ROLES = ["staff", "head_of_bureau", "deputy"]


def post(client, path, body=None):
    return client.post(API + path, body or {}, content_type="application/json")


def step(cycle, number) -> CycleStep:
    return CycleStep.objects.get(cycle=cycle, number=number)


# --- Service standard ------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_reads_the_standard(role_users, api_as, role):
    client = api_as(role_users[role])
    versions = client.get(f"{API}/standards").json()
    assert [(v["version"], v["step_count"], v["total_days"]) for v in versions] == [(1, 13, 52)]
    latest = client.get(f"{API}/standards/latest").json()
    assert latest["version"] == 1 and len(latest["steps"]) == 13
    assert latest["steps"][10]["standard_days"] is None  # the Minister's signature
    assert latest["steps"][0]["responsible_roles"] == STEP_1_ROLES
    assert client.get(f"{API}/standards/1").json() == latest


@pytest.mark.parametrize("path", ["/standards", "/standards/latest", "/standards/1"])
def test_users_without_a_role_may_not_read_the_standard(role_users, api_as, path):
    assert api_as(role_users["nobody"]).get(API + path).status_code == 403


def test_unknown_standard_version_is_404(role_users, api_as):
    assert api_as(role_users["staff"]).get(f"{API}/standards/99").status_code == 404


# --- Reading cycles ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_follows_the_cycles(role_users, api_as, cycle, role):
    client = api_as(role_users[role])
    assert client.get(f"{API}/cycles").json() == [
        {
            "year": 2027,
            "name": "RK-PK 2027",
            "status": "active",
            "start_date": cycle.start_date.isoformat(),
            "standard_version": 1,
            "steps_total": 13,
            "steps_done": 0,
        }
    ]
    detail = client.get(f"{API}/cycles/2027").json()
    assert detail["current_step"] == 1 and len(detail["steps"]) == 13
    first = detail["steps"][0]
    assert first["status"] == "not_started"
    assert first["planned_start"] == cycle.start_date.isoformat()
    assert first["days_standard"] == 2
    # The cycle started a month ago and step 1 (2 working days) is not done: it is late.
    assert first["timeliness"] == "late" and first["days_late"] > 0
    assert first["days_left"] == -first["days_late"]
    assert first["may_act"] == (role in STEP_1_ROLES)


@pytest.mark.parametrize("path", ["/cycles", "/cycles/2027"])
def test_users_without_a_role_may_not_follow_cycles(role_users, api_as, cycle, path):
    assert api_as(role_users["nobody"]).get(API + path).status_code == 403


def test_unknown_cycle_is_404(role_users, api_as):
    assert api_as(role_users["staff"]).get(f"{API}/cycles/2031").status_code == 404


# --- Starting a cycle ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", MAY_START_CYCLES)
def test_bureau_and_admin_start_a_cycle(role_users, api_as, role):
    body = {"year": 2028, "start_date": "2026-01-05", "name": "Siklus 2028"}
    response = post(api_as(role_users[role]), "/cycles", body)
    assert response.status_code == 201, response.content
    created = Cycle.objects.get(year=2028)
    assert created.name == "Siklus 2028" and created.created_by == role_users[role]
    assert created.steps.count() == 13
    data = response.json()
    assert data["year"] == 2028 and data["steps"][0]["planned_start"] == "2026-01-05"
    assert AuditEvent.objects.filter(action="cycle.started", object_id=str(created.pk)).exists()


@pytest.mark.parametrize("role", sorted(set(EVERY_ROLE) - set(MAY_START_CYCLES)) + ["nobody"])
def test_other_roles_may_not_start_a_cycle(role_users, api_as, role):
    response = post(api_as(role_users[role]), "/cycles", {"year": 2028, "start_date": "2026-01-05"})
    assert response.status_code == 403
    assert not Cycle.objects.exists()
    assert not AuditEvent.objects.filter(action="cycle.started").exists()


def test_starting_a_cycle_validates(role_users, api_as, cycle):
    client = api_as(role_users["staff"])
    response = post(client, "/cycles", {"year": 2027, "start_date": "2026-01-05"})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and body["errors"][0]["field"] == "year"
    response = post(client, "/cycles", {"year": 2028})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"
    assert Cycle.objects.count() == 1


# --- Moving a cycle ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", STEP_1_ROLES)
def test_responsible_roles_start_and_complete_a_step(role_users, api_as, cycle, role):
    client = api_as(role_users[role])
    response = post(client, "/cycles/2027/steps/1/start")
    assert response.status_code == 200, response.content
    first = step(cycle, 1)
    assert first.status == CycleStep.Status.IN_PROGRESS
    assert first.actual_start == today() and first.started_at is not None
    assert response.json()["steps"][0]["status"] == "in_progress"
    event = AuditEvent.objects.get(action="cycle_step.start")
    assert event.object_id == str(first.pk) and event.actor == role_users[role]
    assert event.before["step"]["status"] == "not_started"
    assert event.after["step"]["status"] == "in_progress"

    response = post(client, "/cycles/2027/steps/1/complete", {"reason": "Nota ditandatangani"})
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.status == CycleStep.Status.DONE and first.actual_end == today()
    # Step 2 is replanned from step 1's actual end.
    assert step(cycle, 2).planned_start == today()
    assert AuditEvent.objects.filter(action="cycle_step.complete", object_id=str(first.pk)).exists()
    data = response.json()
    assert data["steps_done"] == 1 and data["current_step"] == 2
    assert [t["action"] for t in data["steps"][0]["transitions"]] == ["start", "complete"]


@pytest.mark.parametrize("role", sorted(set(EVERY_ROLE) - set(STEP_1_ROLES)) + ["nobody"])
def test_other_roles_may_not_move_step_1(role_users, api_as, cycle, role):
    client = api_as(role_users[role])
    response = post(client, "/cycles/2027/steps/1/start")
    assert response.status_code == 403
    assert response.json()["detail"]
    first = step(cycle, 1)
    assert first.status == CycleStep.Status.NOT_STARTED and first.actual_start is None
    assert not StepTransition.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="cycle_step.").exists()


def test_a_step_in_progress_is_returned_to_an_earlier_step(role_users, api_as, cycle):
    client = api_as(role_users["staff"])
    post(client, "/cycles/2027/steps/1/start")
    post(client, "/cycles/2027/steps/1/complete")
    post(client, "/cycles/2027/steps/2/start")
    assert step(cycle, 2).status == CycleStep.Status.IN_PROGRESS

    # Step 2 is staff's alone: the Deputy may not send it back.
    body = {"to_number": 1, "reason": "Nomor nota salah"}
    response = post(api_as(role_users["deputy"]), "/cycles/2027/steps/2/return", body)
    assert response.status_code == 403
    assert step(cycle, 2).status == CycleStep.Status.IN_PROGRESS

    response = post(client, "/cycles/2027/steps/2/return", body)
    assert response.status_code == 200, response.content
    first, second = step(cycle, 1), step(cycle, 2)
    assert first.status == CycleStep.Status.IN_PROGRESS and first.actual_end is None
    assert second.status == CycleStep.Status.NOT_STARTED and second.actual_start is None
    event = AuditEvent.objects.get(action="cycle_step.return")
    assert event.object_id == str(second.pk) and event.after["reason"] == "Nomor nota salah"
    assert response.json()["current_step"] == 1


def test_refused_moves_answer_422_with_the_messages(role_users, api_as, cycle):
    client = api_as(role_users["staff"])
    response = post(client, "/cycles/2027/steps/1/complete")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == body["errors"][0]["message"]
    assert body["errors"][0]["field"] is None

    response = post(client, "/cycles/2027/steps/2/start")  # step 1 not done
    assert response.status_code == 422

    tomorrow = (today() + timedelta(days=1)).isoformat()
    assert post(client, "/cycles/2027/steps/1/start", {"on_date": tomorrow}).status_code == 422

    post(client, "/cycles/2027/steps/1/start")
    response = post(client, "/cycles/2027/steps/1/return", {"to_number": 1, "reason": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to_number"
    response = post(client, "/cycles/2027/steps/1/return", {"to_number": 1, "reason": " "})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"
    response = post(client, "/cycles/2027/steps/1/return", {"reason": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to_number"
    assert step(cycle, 1).status == CycleStep.Status.IN_PROGRESS


def test_a_step_starts_without_any_body(role_users, api_as, cycle):
    # As `curl -X POST` sends it: no body, no content type.
    response = api_as(role_users["staff"]).generic("POST", f"{API}/cycles/2027/steps/1/start")
    assert response.status_code == 200, response.content
    assert step(cycle, 1).status == CycleStep.Status.IN_PROGRESS


def test_a_past_date_may_be_recorded(role_users, api_as, cycle):
    day = today() - timedelta(days=3)
    response = post(
        api_as(role_users["staff"]), "/cycles/2027/steps/1/start", {"on_date": day.isoformat()}
    )
    assert response.status_code == 200
    assert step(cycle, 1).actual_start == day


@pytest.mark.parametrize(
    "path",
    ["/cycles/2031/steps/1/start", "/cycles/2027/steps/99/start", "/cycles/2027/steps/99/complete"],
)
def test_moving_a_missing_cycle_or_step_is_404(role_users, api_as, cycle, path):
    assert post(api_as(role_users["staff"]), path).status_code == 404

"""API of the discussion meetings (step 6): allowed and refused roles, conflicts, filing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rkpk.core.calendar import today
from rkpk.meetings.models import Meeting
from rkpk.organisation.models import Official
from rkpk.procedure.models import CycleStep
from rkpk.procedure.tests.factories import cycle_done_through

API = "/api/v1"
JSON = "application/json"
pytestmark = [pytest.mark.django_db]


@pytest.fixture
def ready_cycle(role_users):
    head = role_users["head_of_bureau"]
    head.official = Official.objects.create(
        name="Dr. Kepala Biro", nip="197001011995031001", position="Kepala Biro AK"
    )
    head.save()
    return cycle_done_through(5, year=2027)


def _create(client, **extra):
    start = timezone.localtime() - timedelta(hours=2)
    body = {
        "year": 2027,
        "title": "Rapat pembahasan RK-PK",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "place": "Ruang Rapat",
    } | extra
    return client.post(f"{API}/meetings", body, content_type=JSON)


@pytest.mark.parametrize("role", ["unit_operator", "viewer", "deputy", "admin", "nobody"])
def test_create_refused_outside_the_bureau(role_users, api_as, ready_cycle, role):
    assert _create(api_as(role_users[role])).status_code == 403
    assert not Meeting.objects.exists()


def test_unauthenticated(api_as, ready_cycle):
    assert api_as(None).get(f"{API}/meetings").status_code == 401


def test_full_flow(role_users, api_as, ready_cycle, units):
    staff, head = api_as(role_users["staff"]), api_as(role_users["head_of_bureau"])
    unit_a, unit_b = api_as(role_users["unit_operator"]), api_as(role_users["operator_b"])
    created = _create(staff)
    assert created.status_code == 201, created.content
    meeting = created.json()
    mid = meeting["id"]
    assert meeting["chair"]["nip"] == "197001011995031001"
    assert meeting["time_text"].endswith("WIB") and meeting["date_text"]
    # Schedule changes with the revision read; a stale one is a conflict.
    changed = staff.put(
        f"{API}/meetings/{mid}", {"revision": 1, "place": "Aula"}, content_type=JSON
    )
    assert changed.status_code == 200 and changed.json()["place"] == "Aula"
    stale = staff.put(f"{API}/meetings/{mid}", {"revision": 1, "place": "X"}, content_type=JSON)
    assert stale.status_code == 409
    # Invitees, visible per unit.
    invited = staff.post(
        f"{API}/meetings/{mid}/invitees",
        {"units": [units["a"].code], "guests": ["Perwakilan KemenPAN"]},
        content_type=JSON,
    )
    assert invited.status_code == 200 and len(invited.json()["invitees"]) == 2
    assert unit_a.get(f"{API}/meetings/{mid}").status_code == 200
    assert unit_b.get(f"{API}/meetings/{mid}").status_code == 404
    assert [m["id"] for m in unit_a.get(f"{API}/meetings").json()["items"]] == [mid]
    assert unit_b.get(f"{API}/meetings").json()["items"] == []
    unknown = staff.post(f"{API}/meetings/{mid}/invitees", {"units": ["NOPE"]}, content_type=JSON)
    assert unknown.status_code == 404
    # Unit people may not write.
    assert (
        unit_a.post(f"{API}/meetings/{mid}/agenda", {"title": "X"}, content_type=JSON).status_code
        == 403
    )
    # Attendance, agenda, decisions.
    lines = invited.json()["invitees"]
    attendance = staff.put(
        f"{API}/meetings/{mid}/attendance",
        {
            "entries": [
                {"invitee": lines[0]["id"], "attendance": "present"},
                {"invitee": lines[1]["id"], "attendance": "represented"},
            ]
        },
        content_type=JSON,
    )
    assert attendance.status_code == 422  # a representative needs a name
    staff.put(
        f"{API}/meetings/{mid}/attendance",
        {"entries": [{"invitee": lines[0]["id"], "attendance": "present"}]},
        content_type=JSON,
    )
    one = staff.post(f"{API}/meetings/{mid}/agenda", {"title": "Satu"}, content_type=JSON)
    two = staff.post(f"{API}/meetings/{mid}/agenda", {"title": "Dua"}, content_type=JSON)
    assert one.status_code == 201
    one, two = one.json(), two.json()
    order = staff.put(
        f"{API}/meetings/{mid}/agenda/order", {"order": [two["id"], one["id"]]}, content_type=JSON
    )
    assert [i["title"] for i in order.json()] == ["Dua", "Satu"]
    saved = staff.put(
        f"{API}/meetings/{mid}/agenda/{one['id']}",
        {"revision": 1, "notes": "Catatan rapat"},
        content_type=JSON,
    )
    assert saved.status_code == 200 and saved.json()["revision"] == 2
    stale = staff.put(
        f"{API}/meetings/{mid}/agenda/{one['id']}", {"revision": 1, "notes": "x"}, content_type=JSON
    )
    assert stale.status_code == 409
    assert staff.delete(f"{API}/meetings/{mid}/agenda/{two['id']}").status_code == 204
    early = staff.post(
        f"{API}/meetings/{mid}/decisions",
        {"text": "X", "owner_text": "Budi", "due_date": (today() - timedelta(days=9)).isoformat()},
        content_type=JSON,
    )
    assert early.status_code == 422
    decision = staff.post(
        f"{API}/meetings/{mid}/decisions",
        {"text": "Perbaiki IKU", "agenda_item": one["id"], "owner_unit": units["a"].code},
        content_type=JSON,
    )
    assert decision.status_code == 201 and decision.json()["owner"] == "Biro A"
    did = decision.json()["id"]
    # Filing refused while the decision has no due date.
    refused = head.post(f"{API}/meetings/{mid}/file")
    assert refused.status_code == 422 and "no due date" in refused.json()["detail"]
    updated = staff.put(
        f"{API}/meetings/{mid}/decisions/{did}",
        {"revision": 1, "due_date": (today() + timedelta(days=5)).isoformat()},
        content_type=JSON,
    )
    assert updated.status_code == 200 and updated.json()["due_date"]
    # Before filing the unit sees no notes, decisions or report.
    detail = unit_a.get(f"{API}/meetings/{mid}").json()
    assert detail["decisions"] is None and detail["agenda"][0]["notes"] is None
    assert unit_a.get(f"{API}/meetings/{mid}/report").status_code == 403
    draft = staff.get(f"{API}/meetings/{mid}/report").json()
    assert draft["draft"] and draft["content"]["decisions"][0]["text"] == "Perbaiki IKU"
    docx = staff.get(f"{API}/meetings/{mid}/report.docx")
    assert docx.status_code == 200 and "DRAF" in docx["Content-Disposition"]
    # The invitation.
    invitation = staff.post(f"{API}/meetings/{mid}/invitation")
    assert invitation.status_code == 201
    assert invitation.json()["addressee"].splitlines() == ["Biro A", "Perwakilan KemenPAN"]
    assert staff.post(f"{API}/meetings/{mid}/invitation").status_code == 422
    # Filing: not by the head of section; by the head of bureau, once.
    assert (
        api_as(role_users["head_of_section"]).post(f"{API}/meetings/{mid}/file").status_code == 403
    )
    filed = head.post(f"{API}/meetings/{mid}/file")
    assert filed.status_code == 200, filed.content
    assert filed.json()["status"] == "filed" and len(filed.json()["report_sha256"]) == 64
    assert CycleStep.objects.get(cycle=ready_cycle, number=6).status == "done"
    assert head.post(f"{API}/meetings/{mid}/file").status_code == 422
    after = staff.put(f"{API}/meetings/{mid}", {"revision": 99, "place": "X"}, content_type=JSON)
    assert after.status_code in (409, 422)
    assert (
        staff.post(f"{API}/meetings/{mid}/agenda", {"title": "X"}, content_type=JSON).status_code
        == 422
    )
    report = unit_a.get(f"{API}/meetings/{mid}/report")
    assert report.status_code == 200 and not report.json()["draft"]
    pdf = unit_a.get(f"{API}/meetings/{mid}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert unit_b.get(f"{API}/meetings/{mid}/report.pdf").status_code == 404


def test_filing_before_step_5_is_refused(role_users, api_as, units):
    cycle_done_through(4, year=2027)
    Official.objects.create(name="Ketua", nip="197001011995031009", position="Kepala Biro")
    staff = api_as(role_users["staff"])
    mid = _create(staff, chair="197001011995031009").json()["id"]
    lines = staff.post(
        f"{API}/meetings/{mid}/invitees", {"guests": ["Tamu"]}, content_type=JSON
    ).json()["invitees"]
    staff.put(
        f"{API}/meetings/{mid}/attendance",
        {"entries": [{"invitee": lines[0]["id"], "attendance": "present"}]},
        content_type=JSON,
    )
    staff.post(f"{API}/meetings/{mid}/agenda", {"title": "S", "notes": "N"}, content_type=JSON)
    refused = staff.post(f"{API}/meetings/{mid}/file")
    assert refused.status_code == 422 and "Step 5" in refused.json()["detail"]
    assert staff.get(f"{API}/meetings/{mid}").json()["status"] == "held"


def test_cancel_and_uninvite(role_users, api_as, ready_cycle, units):
    staff = api_as(role_users["staff"])
    mid = _create(staff).json()["id"]
    lines = staff.post(
        f"{API}/meetings/{mid}/invitees", {"units": [units["b"].code]}, content_type=JSON
    ).json()["invitees"]
    assert (
        api_as(role_users["operator_b"]).delete(f"{API}/meetings/{mid}/invitees/{lines[0]['id']}")
    ).status_code == 403
    assert staff.delete(f"{API}/meetings/{mid}/invitees/{lines[0]['id']}").status_code == 204
    assert (
        staff.post(f"{API}/meetings/{mid}/cancel", {"reason": ""}, content_type=JSON).status_code
        == 422
    )
    cancelled = staff.post(f"{API}/meetings/{mid}/cancel", {"reason": "Ditunda"}, content_type=JSON)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_a_chair_without_nip_is_named_by_register_id(role_users, api_as, ready_cycle):
    """A pejabat negara has no NIP: the API names them by the register's id, never "None"."""
    minister = Official.objects.create(
        name="Menteri Contoh", nip=None, is_state_official=True, position="Menteri Contoh"
    )
    staff = api_as(role_users["staff"])
    created = _create(staff, chair=str(minister.pk))
    assert created.status_code == 201, created.content
    chair = created.json()["chair"]
    assert chair == {
        "id": minister.pk,
        "nip": None,
        "name": "Menteri Contoh",
        "position": "Menteri Contoh",
    }
    page = staff.get(f"/meetings/{created.json()['id']}/").content.decode()
    assert "None" not in page.split("Menteri Contoh", 1)[1][:80]

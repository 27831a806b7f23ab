"""The complaints API: allowed and refused roles, bad input, the whole handling."""

import pytest

from rkpk.api.tests.conftest import API
from rkpk.complaints.models import Complaint
from rkpk.complaints.tests.helpers import PDF, file, office_zip, upload
from rkpk.organisation.models import ActingAssignment, Role
from rkpk.procedure.tests.factories import cycle_done_through

pytestmark = pytest.mark.django_db
URL = f"{API}/complaints"

REGISTER_ROLES = ("admin", "staff", "head_of_section", "head_of_bureau", "viewer")
OWN_ONLY = ("deputy", "minister", "general_bureau", "unit_operator", "unit_head", "operator_b")


def form(**extra):
    return {
        "category": "pengaduan",
        "subject": "Undangan terlambat",
        "text": "Undangan rapat datang terlambat.",
        **extra,
    }


def post_json(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_filing_with_an_attachment_a_cycle_and_a_step(role_users, api_as):
    cycle_done_through(1)
    client = api_as(role_users["unit_operator"])
    response = client.post(
        URL, form(cycle_year=2027, step_number=2, files=[upload("bukti.pdf", PDF)])
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("ADU-") and body["status"] == "received"
    assert body["cycle_year"] == 2027 and body["step_number"] == 2 and body["unit"] == "E1.A"
    assert body["actions"]["withdraw"] is True and body["actions"]["delegate"] is False
    attachment = body["attachments"][0]
    download = client.get(f"{URL}/{body['id']}/attachments/{attachment['id']}")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert (
        api_as(role_users["operator_b"])
        .get(f"{URL}/{body['id']}/attachments/{attachment['id']}")
        .status_code
        == 404
    )


def test_bad_input_is_refused_on_its_field(role_users, api_as, make_user):
    cycle_done_through(1)
    client = api_as(role_users["unit_operator"])
    unknown_step = client.post(URL, form(cycle_year=2027, step_number=14))
    assert unknown_step.status_code == 422
    assert unknown_step.json()["errors"][0]["field"] == "step_number"
    no_cycle = client.post(URL, form(cycle_year=2040))
    assert no_cycle.status_code == 422 and no_cycle.json()["errors"][0]["field"] == "cycle"
    macro = client.post(URL, form(files=[upload("x.docx", office_zip("word", macro=True))]))
    assert macro.status_code == 422
    assert macro.json()["errors"][0]["field"] == "attachment"
    assert "macros" in macro.json()["detail"]
    # A Plh of the Head of Section without a role of their own sees no cycle (cycles_for).
    from datetime import timedelta

    from rkpk.core.calendar import today

    plh = make_user("plh_only")
    ActingAssignment.objects.create(
        user=plh,
        role=Role.HEAD_OF_SECTION,
        kind="Plh",
        starts_on=today(),
        ends_on=today() + timedelta(days=3),
        reason="Cuti",
    )
    unseen = api_as(plh).post(URL, form(cycle_year=2027))
    assert unseen.status_code == 422 and unseen.json()["errors"][0]["field"] == "cycle"
    assert not Complaint.objects.exists()


def test_without_a_role_everything_is_refused(role_users, api_as):
    complaint = file(role_users["unit_operator"])
    client = api_as(role_users["nobody"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert client.get(f"{URL}/{complaint.pk}").status_code == 403
    assert client.get(f"{URL}/statistics").status_code == 403
    assert api_as(None).get(URL).status_code == 401


@pytest.mark.parametrize("code", REGISTER_ROLES)
def test_the_register_roles_list_every_complaint(role_users, api_as, code):
    a = file(role_users["unit_operator"])
    b = file(role_users["operator_b"])
    client = api_as(role_users[code])
    listed = client.get(URL).json()
    assert {c["number"] for c in listed["items"]} == {a.number, b.number}
    assert client.get(f"{URL}/{b.pk}").status_code == 200
    assert client.get(f"{URL}/statistics").status_code == 200
    assert client.get(f"{URL}/export.xlsx").status_code == 200
    assert client.get(f"{URL}/{a.pk}/follow-ups").status_code == 200


@pytest.mark.parametrize("code", OWN_ONLY)
def test_everyone_else_lists_only_their_own(role_users, api_as, code):
    theirs = file(role_users[code])
    other = file(role_users["staff"])
    client = api_as(role_users[code])
    assert [c["number"] for c in client.get(URL).json()["items"]] == [theirs.number]
    assert client.get(f"{URL}/{other.pk}").status_code == 404
    assert client.get(f"{URL}/statistics").status_code == 403
    assert client.get(f"{URL}/export.xlsx").status_code == 403
    assert client.get(f"{URL}/{theirs.pk}/follow-ups").status_code == 403
    own = client.get(f"{URL}/{theirs.pk}").json()
    assert own["follow_ups"] == [] and own["delegation_note"] == ""


def test_the_whole_handling(role_users, api_as):
    complaint = file(role_users["unit_operator"])
    url = f"{URL}/{complaint.pk}"
    head, section = api_as(role_users["head_of_bureau"]), api_as(role_users["head_of_section"])
    operator = api_as(role_users["unit_operator"])
    # Refused roles first.
    assert (
        post_json(api_as(role_users["staff"]), f"{url}/delegate", {"to": "u_head_of_section"})
    ).status_code == 403
    not_a_head = post_json(head, f"{url}/delegate", {"to": "u_staff"})
    assert not_a_head.status_code == 422 and not_a_head.json()["errors"][0]["field"] == "to"
    delegated = post_json(head, f"{url}/delegate", {"to": "u_head_of_section", "note": "Segera"})
    assert delegated.status_code == 200 and delegated.json()["status"] == "delegated"
    assert delegated.json()["delegated_to"] == "u_head_of_section"
    assert (
        post_json(api_as(role_users["viewer"]), f"{url}/follow-ups", {"action": "x"}).status_code
        == 403
    )
    added = post_json(api_as(role_users["staff"]), f"{url}/follow-ups", {"action": "Telepon unit"})
    assert added.status_code == 201 and added.json()["by"] == "u_staff"
    assert [f["action"] for f in head.get(f"{url}/follow-ups").json()] == ["Telepon unit"]
    early = post_json(head, f"{url}/close", {})
    assert early.status_code == 422
    assert early.json()["detail"] == (
        "A complaint cannot be closed before the complainant has been answered."
    )
    assert post_json(api_as(role_users["admin"]), f"{url}/answer", {"text": "x"}).status_code == 403
    assert post_json(section, f"{url}/answer", {"text": ""}).status_code == 422
    answered = post_json(section, f"{url}/answer", {"text": "Sudah diperbaiki."})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    twice = post_json(head, f"{url}/answer", {"text": "Lagi"})
    assert twice.status_code == 422 and "already been answered" in twice.json()["detail"]
    assert post_json(operator, f"{url}/withdraw", {}).status_code == 422
    assert post_json(operator, f"{url}/close", {}).status_code == 403
    closed = post_json(head, f"{url}/close", {"note": "Tuntas"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert post_json(operator, f"{url}/rate", {"satisfaction": 9}).status_code == 422
    rated = post_json(operator, f"{url}/rate", {"satisfaction": 4, "note": "Baik"})
    assert rated.status_code == 200 and rated.json()["satisfaction"] == 4
    own = operator.get(url).json()
    assert own["answer"] == "Sudah diperbaiki." and own["follow_ups"] == []


def test_withdraw_only_by_the_complainant(role_users, api_as):
    complaint = file(role_users["unit_operator"])
    url = f"{URL}/{complaint.pk}/withdraw"
    assert post_json(api_as(role_users["head_of_bureau"]), url, {}).status_code == 403
    assert post_json(api_as(role_users["unit_head"]), url, {}).status_code == 404
    done = post_json(api_as(role_users["unit_operator"]), url, {"reason": "Keliru"})
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"


def test_filters_and_statistics(role_users, api_as):
    file(role_users["unit_operator"], category="masukan")
    file(role_users["unit_head"])
    client = api_as(role_users["staff"])
    assert client.get(URL, {"category": "masukan"}).json()["count"] == 1
    assert client.get(URL, {"overdue": True}).json()["count"] == 0
    stats = client.get(f"{URL}/statistics").json()
    assert stats["total"] == 2 and stats["answer_days"] == 5 and stats["delegate_days"] == 1
    assert {c["key"]: c["count"] for c in stats["by_category"]}["masukan"] == 1
    assert sum(stats["by_month"]) == 2 and stats["share_in_time"] is None


def test_the_list_pages_in_constant_queries(role_users, api_as, django_assert_max_num_queries):
    client = api_as(role_users["head_of_bureau"])
    file(role_users["unit_operator"])
    client.get(URL)
    with django_assert_max_num_queries(10) as few:
        assert client.get(URL).status_code == 200
    for n in range(10):
        file(role_users["unit_operator" if n % 2 else "operator_b"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200 and response.json()["count"] == 11

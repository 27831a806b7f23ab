import pytest

from rkpk.api.tests.conftest import API
from rkpk.core.models import AuditEvent
from rkpk.plans.models import Goal, Indicator, UnitPlan
from rkpk.plans.tests.factories import complete_plan
from rkpk.plans.tests.test_documents import render_queued_pdfs

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan(units):
    return complete_plan(units["a"])


def url(plan, tail=""):
    return f"{API}/plans/{plan.unit.code}/{plan.year}{tail}"


def test_plans_are_visible_to_their_unit_and_the_ministry_only(plan, role_users, api_as):
    for code in ("staff", "head_of_bureau", "viewer", "minister", "unit_operator", "unit_head"):
        response = api_as(role_users[code]).get(url(plan))
        assert response.status_code == 200, code
        assert response.json()["content"]["goals"][0]["indicators"][0]["target"]["display"] == "85%"
    assert api_as(role_users["operator_b"]).get(url(plan)).status_code == 404
    assert api_as(role_users["nobody"]).get(url(plan)).status_code == 403
    assert api_as(None).get(url(plan)).status_code == 401
    listed = api_as(role_users["operator_b"]).get(f"{API}/plans").json()
    assert listed["items"] == []


def test_operator_edits_rows_and_stale_revisions_conflict(plan, role_users, api_as):
    client = api_as(role_users["unit_operator"])
    detail = client.get(url(plan)).json()
    indicator_id = detail["content"]["goals"][0]["indicators"][0]["id"]
    revision = detail["revisions"]["indicators"][str(indicator_id)]
    change = client.patch(
        url(plan, f"/rows/indicators/{indicator_id}"),
        {"revision": revision, "target_value": "87,5%", "name": "<script>alert(1)</script>"},
        content_type="application/json",
    )
    assert change.status_code == 200, change.json()
    stale = client.patch(
        url(plan, f"/rows/indicators/{indicator_id}"),
        {"revision": revision, "name": "lama"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    indicator = Indicator.objects.get(pk=indicator_id)
    assert str(indicator.target_value) == "87.5000"
    assert indicator.name == "<script>alert(1)</script>"  # stored as text, never run
    bad = client.patch(
        url(plan, f"/rows/indicators/{indicator_id}"),
        {"revision": revision + 1, "target_value": "delapan puluh"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "target_value"


def test_other_units_cannot_write(plan, role_users, api_as):
    goal = Goal.objects.get()
    response = api_as(role_users["operator_b"]).patch(
        url(plan, f"/rows/goals/{goal.pk}"),
        {"revision": 1, "text": "diambil alih"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = api_as(role_users["viewer"]).post(
        url(plan, "/rows/goals"), {"text": "baru"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Goal.objects.get().text == "Meningkatnya kualitas layanan"


def test_add_move_delete_rows(plan, role_users, api_as):
    client = api_as(role_users["unit_operator"])
    goal = Goal.objects.get()
    added = client.post(
        url(plan, "/rows/indicators"),
        {"goal_id": goal.pk, "name": "Indeks baru", "measure": "Indeks", "target_value": 3.5},
        content_type="application/json",
    )
    assert added.status_code == 201
    row = added.json()
    moved = client.post(
        url(plan, f"/rows/indicators/{row['id']}/move"),
        {"direction": "up"},
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert Indicator.objects.order_by("position")[1].pk == row["id"]
    gone = client.delete(
        url(plan, f"/rows/indicators/{row['id']}?revision={moved.json()['revision']}")
    )
    assert gone.status_code == 204
    assert not Indicator.objects.filter(pk=row["id"]).exists()


def test_checks_submit_and_decide_through_the_api(plan, role_users, api_as):
    checks = api_as(role_users["unit_operator"]).get(url(plan, "/checks")).json()
    assert all(c["passed"] for c in checks if c["severity"] == "error")
    submitted = api_as(role_users["unit_operator"]).post(url(plan, "/submit"))
    assert submitted.status_code == 201 and submitted.json()["number"] == 1
    refused = api_as(role_users["unit_operator"]).post(
        url(plan, "/accept"), {}, content_type="application/json"
    )
    assert refused.status_code == 403
    clarify = api_as(role_users["staff"]).post(
        url(plan, "/clarification"),
        {"reasons": ["TARGET"], "remarks": "Mohon cek IK2"},
        content_type="application/json",
    )
    assert clarify.status_code == 200 and clarify.json()["decision"] == "clarification"
    api_as(role_users["unit_operator"]).post(url(plan, "/submit"))
    accepted = api_as(role_users["head_of_bureau"]).post(
        url(plan, "/accept"), {}, content_type="application/json"
    )
    assert accepted.status_code == 200
    assert UnitPlan.objects.get().status == "accepted"
    versions = api_as(role_users["viewer"]).get(url(plan, "/submissions")).json()
    assert [v["number"] for v in versions] == [2, 1]
    frozen = api_as(role_users["viewer"]).get(url(plan, "/submissions/1")).json()
    assert frozen["content"]["parties"]["first"]["name"] == "Kepala E1.A"
    assert AuditEvent.objects.filter(action="plan.accepted").count() == 1


def test_blocked_submission_explains_the_failing_checks(plan, role_users, api_as):
    Indicator.objects.update(measure="")
    response = api_as(role_users["unit_operator"]).post(url(plan, "/submit"))
    assert response.status_code == 422
    assert "unit of measure" in response.json()["detail"]


def test_messages_with_attachments(plan, role_users, api_as, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    operator = api_as(role_users["unit_operator"])
    posted = operator.post(
        url(plan, "/messages"),
        {"body": "Data dukung", "files": [SimpleUploadedFile("dukung.pdf", PDF)]},
    )
    assert posted.status_code == 201, posted.content
    attachment = posted.json()["attachments"][0]
    assert attachment["content_type"] == "application/pdf"
    fake = operator.post(
        url(plan, "/messages"),
        {"body": "Lagi", "files": [SimpleUploadedFile("x.pdf", b"<html>bukan pdf</html>")]},
    )
    assert fake.status_code == 422
    thread = api_as(role_users["staff"]).get(url(plan, "/messages")).json()
    assert [m["body"] for m in thread] == ["Data dukung"]
    download = api_as(role_users["staff"]).get(f"{API}/attachments/{attachment['id']}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff"
    assert (
        api_as(role_users["operator_b"]).get(f"{API}/attachments/{attachment['id']}").status_code
        == 404
    )


def test_parties_by_nip(plan, role_users, api_as):
    client = api_as(role_users["unit_operator"])
    revision = client.get(url(plan)).json()["revision"]
    first_nip = plan.first_party.nip
    response = client.put(
        url(plan, "/parties"),
        {
            "revision": revision,
            "first_party_nip": first_nip,
            "first_party_acting": "Plt",
            "second_party_nip": plan.second_party.nip,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["content"]["parties"]["first"]["acting"] == "Plt"
    stale = client.put(
        url(plan, "/parties"),
        {"revision": revision, "first_party_nip": first_nip},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_plan_list_queries_do_not_grow(units, role_users, api_as, django_assert_max_num_queries):
    client = api_as(role_users["staff"])
    complete_plan(units["a"], 2027)
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/plans").status_code == 200
    for year in range(2028, 2040):
        UnitPlan.objects.create(unit=units["b"], year=year)
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/plans")
    assert response.status_code == 200 and len(response.json()["items"]) == 13


def test_compare_versions_and_documents(plan, role_users, api_as):
    operator = api_as(role_users["unit_operator"])
    operator.post(url(plan, "/submit"))
    api_as(role_users["staff"]).post(
        url(plan, "/return"), {"reasons": ["TARGET"]}, content_type="application/json"
    )
    indicator = Indicator.objects.get(code="IK1")
    operator.patch(
        url(plan, f"/rows/indicators/{indicator.pk}"),
        {"revision": indicator.revision, "target_value": "90"},
        content_type="application/json",
    )
    operator.post(url(plan, "/submit"))
    changes = api_as(role_users["viewer"]).get(url(plan, "/compare?a=1&b=2")).json()
    assert changes["counts"]["changed"] == 1
    fields = changes["changes"][0]["fields"]
    assert any(f["old"] == "85%" and f["new"] == "90%" for f in fields)
    viewer = api_as(role_users["viewer"])
    assert viewer.get(url(plan, "/documents/pk.pdf?version=1")).status_code == 202
    render_queued_pdfs()  # the background worker's part
    pdf = viewer.get(url(plan, "/documents/pk.pdf?version=1"))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Content-Disposition"].endswith('-v1.pdf"')
    docx = api_as(role_users["unit_operator"]).get(url(plan, "/documents/rk.docx"))
    assert docx.content.startswith(b"PK")  # a zip: the Office format
    assert api_as(role_users["operator_b"]).get(url(plan, "/documents/rk.docx")).status_code == 404
    assert api_as(role_users["viewer"]).get(url(plan, "/documents/xx.pdf")).status_code == 404


def test_workbook_round_trip_through_the_api(plan, role_users, api_as):
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    operator = api_as(role_users["unit_operator"])
    download = operator.get(url(plan, "/workbook.xlsx"))
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    sheet = book["Indikator"]
    headers = [c.value for c in sheet[1]]
    target = headers.index("Target") + 1
    sheet.cell(row=2, column=target, value="tujuh puluh")
    bad = io.BytesIO()
    book.save(bad)
    refused = operator.post(
        url(plan, "/workbook"), {"file": SimpleUploadedFile("rkpk.xlsx", bad.getvalue())}
    )
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert (error["sheet"], error["row"], error["header"]) == ("Indikator", 2, "Target")
    assert Indicator.objects.get(code="IK1").target_value == 85
    sheet.cell(row=2, column=target, value="70")
    good = io.BytesIO()
    book.save(good)
    done = operator.post(
        url(plan, "/workbook"), {"file": SimpleUploadedFile("rkpk.xlsx", good.getvalue())}
    )
    assert done.status_code == 200, done.json()
    assert Indicator.objects.get(code="IK1").target_value == 70
    other = api_as(role_users["operator_b"]).post(
        url(plan, "/workbook"), {"file": SimpleUploadedFile("rkpk.xlsx", good.getvalue())}
    )
    assert other.status_code == 404

"""API of the ministry RK-PK (steps 7-13): who sees a plan, the draft, the review chain with
its refusals (own work, outdated versions, skipped reviews), the minister's signature and the
final documents."""

import hashlib
from datetime import timedelta

import pytest

from rkpk.core.calendar import today
from rkpk.correspondence.models import Document
from rkpk.ministry import services
from rkpk.ministry.models import FinalDocument, MinistryPlan, PlanVersion
from rkpk.ministry.tests.factories import YEAR, approved_by_deputy, ready_for_drafting
from rkpk.organisation.models import ActingAssignment, Role
from rkpk.procedure.models import CycleStep
from rkpk.procedure.services import complete_step, start_cycle
from rkpk.procedure.tests.factories import mover

from .conftest import API

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]
PLANS = f"{API}/ministry/plans"
PLAN = f"{PLANS}/{YEAR}"
JSON = "application/json"
# Everyone who follows the draft, and everyone who sees only a published plan.
INSIDERS = ("admin", "staff", "head_of_section", "head_of_bureau", "deputy", "minister")
OUTSIDERS = ("unit_operator", "unit_head", "operator_b", "viewer", "nobody")


@pytest.fixture
def cycle(role_users, units):
    return ready_for_drafting(role_users, units)


@pytest.fixture
def plan(role_users, cycle):
    return services.create_plan(actor=role_users["head_of_section"], cycle=cycle)


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def put(client, url, data):
    return client.put(url, data, content_type=JSON)


def submitted(role_users, plan) -> PlanVersion:
    return services.submit(actor=role_users["head_of_section"], plan=plan)


def delivered_to_minister(plan) -> None:
    """Step 10: the bureau registered and dispatched the deputy's memorandum."""
    complete_step(actor=mover(), cycle=plan.cycle, number=10, reason="Dikirim.")


# --- Visibility and listing -----------------------------------------------------------------


def test_list_shows_drafts_to_the_ministry_and_only_published_plans_to_others(
    role_users, api_as, plan
):
    for role in (*INSIDERS, "general_bureau"):
        response = api_as(role_users[role]).get(PLANS)
        assert response.status_code == 200, role
        assert [p["year"] for p in response.json()] == [YEAR], role
        assert response.json()[0]["status"] == "drafting"
    for role in OUTSIDERS:
        response = api_as(role_users[role]).get(PLANS)
        assert response.status_code == 200, role
        assert response.json() == [], role
    assert api_as(None).get(PLANS).status_code == 401


def test_a_plan_not_yet_published_is_invisible_to_units_and_viewers(role_users, api_as, plan):
    for role in OUTSIDERS:
        client = api_as(role_users[role])
        assert client.get(PLAN).status_code == 404, role
        assert client.get(f"{PLAN}/versions").status_code == 404, role
        assert client.get(f"{PLAN}/versions/1").status_code == 404, role
        assert client.get(f"{PLAN}/compare", {"a": 1, "b": 1}).status_code == 404, role
        assert post(client, f"{PLAN}/refresh-tables").status_code == 404, role
        assert client.get(f"{PLAN}/documents/rk.pdf").status_code == 404, role
        section = plan.sections.first()
        response = put(
            client, f"{PLAN}/sections/{section.key}", {"revision": section.revision, "text": "x"}
        )
        assert response.status_code == 404, role
        assert post(client, f"{PLAN}/submit").status_code == 404, role
    assert api_as(role_users["staff"]).get(f"{PLANS}/2030").status_code == 404


def test_detail_has_status_steps_sections_and_tables(role_users, api_as, plan):
    for role in (*INSIDERS, "general_bureau"):
        assert api_as(role_users[role]).get(PLAN).status_code == 200, role
    response = api_as(role_users["head_of_bureau"]).get(PLAN)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "drafting" and data["cycle"] == plan.cycle_id
    assert [s["number"] for s in data["steps"]] == list(range(7, 14))
    assert data["steps"][0]["status"] == "in_progress"
    assert [s["key"] for s in data["sections"]] == [
        "pendahuluan",
        "analisis",
        "program",
        "penutup",
    ]
    assert all(s["revision"] == 1 for s in data["sections"])
    assert data["tables"]["goals"] and data["tables"]["units"] == 2
    assert data["versions"] == [] and data["final_documents"] == []
    assert data["signature"] is None
    assert data["allowed"] == {"edit": False, "submit": False, "review": False, "sign": False}
    mine = api_as(role_users["staff"]).get(PLAN).json()["allowed"]
    assert mine["edit"] and mine["submit"] and not mine["review"]


def test_list_runs_a_fixed_number_of_queries(role_users, api_as, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_as(role_users["staff"])
    client.get(PLANS)  # the session and the roles are read once
    with CaptureQueriesContext(connection) as few:
        response = client.get(PLANS)
    assert response.status_code == 200 and len(response.json()) == 1
    for year in (2031, 2032, 2033):
        cycle = start_cycle(actor=mover(), year=year, start_date=today())
        MinistryPlan.objects.create(
            cycle=cycle, year=year, compilation=plan.compilation, created_by=role_users["staff"]
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(PLANS)
    assert response.status_code == 200 and len(response.json()) == 4
    assert len(many) <= len(few)


# --- The draft ------------------------------------------------------------------------------


def test_create_the_draft_by_year_or_cycle_id(role_users, api_as, cycle):
    for role in ("head_of_bureau", "deputy", "minister", "admin", "viewer", "unit_operator"):
        response = post(api_as(role_users[role]), PLANS, {"year": YEAR})
        assert response.status_code == 403, role
    assert post(api_as(role_users["staff"]), PLANS, {"year": 2031}).status_code == 404
    assert post(api_as(role_users["staff"]), PLANS, {"cycle": 99999}).status_code == 404
    missing = post(api_as(role_users["staff"]), PLANS, {})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "cycle"
    response = post(api_as(role_users["head_of_section"]), PLANS, {"cycle": cycle.pk})
    assert response.status_code == 201, response.content
    assert response.json()["year"] == YEAR and len(response.json()["sections"]) == 4
    again = post(api_as(role_users["staff"]), PLANS, {"year": YEAR})
    assert again.status_code == 422
    assert MinistryPlan.objects.count() == 1


def test_create_needs_the_approved_analysis(role_users, api_as, units):
    from rkpk.procedure.tests.factories import cycle_done_through

    cycle_done_through(6, year=2029)
    response = post(api_as(role_users["staff"]), PLANS, {"year": 2029})
    assert response.status_code == 422
    assert "analysis" in response.json()["detail"]


def test_update_a_section_with_its_revision(role_users, api_as, plan):
    url = f"{PLAN}/sections/pendahuluan"
    staff = api_as(role_users["staff"])
    response = put(staff, url, {"revision": 1, "text": "Pendahuluan baru.", "title": "Bab I"})
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 2 and response.json()["title"] == "Bab I"
    stale = put(api_as(role_users["head_of_section"]), url, {"revision": 1, "text": "Lain."})
    assert stale.status_code == 409
    assert plan.sections.get(key="pendahuluan").text == "Pendahuluan baru."
    for role in ("head_of_bureau", "deputy", "minister", "admin", "general_bureau"):
        assert put(api_as(role_users[role]), url, {"revision": 2, "text": "x"}).status_code == 403
    assert put(staff, f"{PLAN}/sections/nope", {"revision": 1, "text": "x"}).status_code == 404
    untitled = put(staff, url, {"revision": 2, "text": "x", "title": "  "})
    assert untitled.status_code == 422 and untitled.json()["errors"][0]["field"] == "title"


def test_refresh_tables(role_users, api_as, plan):
    for role in ("head_of_bureau", "deputy", "admin"):
        assert post(api_as(role_users[role]), f"{PLAN}/refresh-tables").status_code == 403
    response = post(api_as(role_users["staff"]), f"{PLAN}/refresh-tables")
    assert response.status_code == 200, response.content
    assert response.json()["compilation"] == plan.compilation.number


def test_submit_freezes_a_version_and_opens_the_review(role_users, api_as, plan):
    for role in ("head_of_bureau", "deputy", "minister", "admin"):
        assert post(api_as(role_users[role]), f"{PLAN}/submit").status_code == 403
    response = post(api_as(role_users["head_of_section"]), f"{PLAN}/submit")
    assert response.status_code == 201, response.content
    version = response.json()
    assert version["number"] == 1 and version["submitted_by"] == "u_head_of_section"
    assert version["bureau"]["decision"] == "" and version["content"]["sections"]
    detail = api_as(role_users["head_of_bureau"]).get(PLAN).json()
    assert detail["status"] == "bureau_review" and detail["allowed"]["review"]
    assert detail["versions"][0]["number"] == 1
    steps = {s["number"]: s["status"] for s in detail["steps"]}
    assert steps[7] == "done" and steps[8] == "in_progress"
    # While in review, nobody edits or submits (422).
    staff = api_as(role_users["staff"])
    assert put(staff, f"{PLAN}/sections/penutup", {"revision": 1, "text": "x"}).status_code == 422
    assert post(staff, f"{PLAN}/submit").status_code == 422


# --- Reviews --------------------------------------------------------------------------------


def test_comments_anchored_to_sections_rows_and_the_whole(role_users, api_as, plan):
    submitted(role_users, plan)
    head = api_as(role_users["head_of_bureau"])
    url = f"{PLAN}/comments"
    row_key = plan.versions.get().content["tables"]["goals"][0]["key"]
    on_section = post(
        head,
        url,
        {"version_number": 1, "text": "Perjelas.", "anchor_type": "section", "anchor": "analisis"},
    )
    assert on_section.status_code == 201, on_section.content
    assert on_section.json()["anchor_label"].startswith("Bab II")
    assert on_section.json()["stage"] == "bureau"
    on_row = post(
        head,
        url,
        {
            "version_number": 1,
            "text": "Target?",
            "anchor_type": "row",
            "anchor": row_key,
            "required": True,
        },
    )
    assert on_row.status_code == 201 and on_row.json()["required"] is True
    assert post(head, url, {"version_number": 1, "text": "Umum."}).status_code == 201
    bad = post(head, url, {"version_number": 1, "text": "x", "anchor_type": "row", "anchor": "z"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "anchor"
    assert post(head, url, {"version_number": 1, "text": " "}).status_code == 422
    assert post(head, url, {"version_number": 7, "text": "Lama."}).status_code == 409
    for role in ("staff", "head_of_section", "deputy", "minister", "admin"):
        response = post(api_as(role_users[role]), url, {"version_number": 1, "text": "x"})
        assert response.status_code == 403, role
    version = api_as(role_users["staff"]).get(f"{PLAN}/versions/1").json()
    assert [(c["anchor_type"], c["anchor"]) for c in version["comments"]] == [
        ("section", "analisis"),
        ("row", row_key),
        ("general", ""),
    ]


def test_whole_review_chain_and_the_memoranda(role_users, api_as, plan):
    submitted(role_users, plan)
    head, deputy = api_as(role_users["head_of_bureau"]), api_as(role_users["deputy"])
    # The deputy's turn has not come; the others never review.
    for role in ("deputy", "staff", "head_of_section", "minister", "admin", "viewer"):
        response = post(api_as(role_users[role]), f"{PLAN}/approve", {"version_number": 1})
        assert response.status_code in (403, 404), role
    response = post(head, f"{PLAN}/approve", {"version_number": 1})
    assert response.status_code == 200, response.content
    assert response.json()["bureau"]["decision"] == "approved"
    assert response.json()["bureau"]["by"] == "u_head_of_bureau"
    assert post(head, f"{PLAN}/approve", {"version_number": 1}).status_code == 403
    response = post(deputy, f"{PLAN}/approve", {"version_number": 1})
    assert response.status_code == 200, response.content
    assert response.json()["deputy"]["decision"] == "approved"
    detail = api_as(role_users["staff"]).get(PLAN).json()
    assert detail["status"] == "approved"
    assert {m["purpose"] for m in detail["memoranda"]} == {
        "step8-bureau-to-deputy",
        "step10-deputy-to-minister",
    }
    assert {m["id"] for m in detail["memoranda"]} == set(
        Document.objects.filter(cycle=plan.cycle).values_list("pk", flat=True)
    )
    steps = {s["number"]: s["status"] for s in detail["steps"]}
    assert steps[8] == steps[9] == "done"
    assert api_as(role_users["minister"]).get(PLAN).json()["allowed"]["sign"] is True


def test_head_of_bureau_cannot_approve_their_own_edits(role_users, api_as, make_user, plan):
    both = make_user("kabag_karo", Role.HEAD_OF_SECTION, Role.HEAD_OF_BUREAU)
    own = api_as(both)
    assert (
        put(own, f"{PLAN}/sections/pendahuluan", {"revision": 1, "text": "Sendiri."}).status_code
        == 200
    )
    submitted(role_users, plan)
    refused = post(own, f"{PLAN}/approve", {"version_number": 1})
    assert refused.status_code == 403 and "wrote" in refused.json()["detail"]
    allowed = post(api_as(role_users["head_of_bureau"]), f"{PLAN}/approve", {"version_number": 1})
    assert allowed.status_code == 200


def test_a_decision_on_an_outdated_version_is_a_conflict(role_users, api_as, plan):
    submitted(role_users, plan)
    head = api_as(role_users["head_of_bureau"])
    returned = post(head, f"{PLAN}/return", {"version_number": 1, "changes": ["Perbaiki."]})
    assert returned.status_code == 200, returned.content
    staff = api_as(role_users["staff"])
    assert (
        put(staff, f"{PLAN}/sections/penutup", {"revision": 1, "text": "Baru."}).status_code == 200
    )
    assert post(staff, f"{PLAN}/submit").status_code == 201
    for action, data in (
        ("approve", {"version_number": 1}),
        ("return", {"version_number": 1, "changes": ["x"]}),
    ):
        response = post(head, f"{PLAN}/{action}", data)
        assert response.status_code == 409, action
        assert "version 2" in response.json()["detail"]
    assert post(head, f"{PLAN}/approve", {"version_number": 2}).status_code == 200


def test_the_deputy_cannot_approve_what_the_head_of_bureau_did_not(role_users, api_as, plan):
    submitted(role_users, plan)
    MinistryPlan.objects.filter(pk=plan.pk).update(status=MinistryPlan.Status.DEPUTY_REVIEW)
    response = post(api_as(role_users["deputy"]), f"{PLAN}/approve", {"version_number": 1})
    assert response.status_code == 422
    assert "skip" in response.json()["detail"]
    assert not Document.objects.filter(purpose="step10-deputy-to-minister").exists()


def test_return_for_revision(role_users, api_as, plan):
    submitted(role_users, plan)
    head = api_as(role_users["head_of_bureau"])
    empty = post(head, f"{PLAN}/return", {"version_number": 1, "changes": ["", " "]})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "changes"
    for role in ("staff", "head_of_section", "deputy", "minister", "admin"):
        response = post(
            api_as(role_users[role]), f"{PLAN}/return", {"version_number": 1, "changes": ["x"]}
        )
        assert response.status_code == 403, role
    response = post(
        head, f"{PLAN}/return", {"version_number": 1, "changes": ["Tambah target.", "Rapikan."]}
    )
    assert response.status_code == 200, response.content
    version = response.json()
    assert version["bureau"]["decision"] == "returned"
    assert [c["text"] for c in version["comments"] if c["required"]] == [
        "Tambah target.",
        "Rapikan.",
    ]
    assert api_as(role_users["staff"]).get(PLAN).json()["status"] == "returned"


def test_an_acting_deputy_is_recorded_as_such(role_users, api_as, make_user, plan):
    plh = make_user("plh_deputi", Role.STAFF)
    ActingAssignment.objects.create(
        user=plh,
        role=Role.DEPUTY,
        kind="Plh",
        starts_on=today() - timedelta(days=1),
        ends_on=today() + timedelta(days=1),
        reason="Deputi dinas luar.",
    )
    submitted(role_users, plan)
    services.approve(actor=role_users["head_of_bureau"], plan=plan, version_number=1)
    response = post(api_as(plh), f"{PLAN}/approve", {"version_number": 1})
    assert response.status_code == 200, response.content
    assert response.json()["deputy"] == {
        **response.json()["deputy"],
        "decision": "approved",
        "by": "plh_deputi",
        "acting": "Plh",
    }


# --- Versions and their comparison ----------------------------------------------------------


def test_versions_list_detail_and_compare(role_users, api_as, plan):
    submitted(role_users, plan)
    services.comment(
        actor=role_users["head_of_bureau"],
        plan=plan,
        version_number=1,
        text="Ubah penutup.",
        anchor_type="section",
        anchor="penutup",
        required=True,
    )
    services.return_for_revision(actor=role_users["head_of_bureau"], plan=plan, version_number=1)
    section = plan.sections.get(key="penutup")
    services.update_section(
        actor=role_users["staff"],
        section=section,
        revision=section.revision,
        text=section.text + "\nKalimat tambahan.",
    )
    services.submit(actor=role_users["staff"], plan=plan)
    staff = api_as(role_users["staff"])
    listed = staff.get(f"{PLAN}/versions").json()
    assert [(v["number"], v["bureau_decision"], v["comments"]) for v in listed] == [
        (1, "returned", 1),
        (2, "", 0),
    ]
    one = staff.get(f"{PLAN}/versions/1").json()
    assert one["authors"] == ["u_head_of_section"]
    assert one["bureau"]["by"] == "u_head_of_bureau" and one["bureau"]["acting"] == ""
    assert one["comments"][0]["anchor"] == "penutup" and one["comments"][0]["required"]
    assert staff.get(f"{PLAN}/versions/2").json()["authors"] == ["u_staff"]
    assert staff.get(f"{PLAN}/versions/3").status_code == 404
    diff = staff.get(f"{PLAN}/compare", {"a": 1, "b": 2})
    assert diff.status_code == 200, diff.content
    sections = {s["key"]: s for s in diff.json()["sections"]}
    assert [k for k, s in sections.items() if s["status"] != "same"] == ["penutup"]
    inserted = [x["text"] for x in sections["penutup"]["segments"] if x["op"] == "insert"]
    assert "Kalimat tambahan." in " ".join(inserted)
    assert diff.json()["tables"]["any"] is False
    assert staff.get(f"{PLAN}/compare", {"a": 1, "b": 9}).status_code == 404


def test_reviews_are_not_shown_to_outsiders_even_after_publication(role_users, api_as, units):
    plan = approved_by_deputy(role_users, units)
    MinistryPlan.objects.filter(pk=plan.pk).update(status=MinistryPlan.Status.PUBLISHED)
    for role in ("unit_operator", "viewer"):
        client = api_as(role_users[role])
        assert client.get(PLAN).status_code == 200, role
        assert client.get(PLAN).json()["versions"] == []
        assert client.get(PLAN).json()["memoranda"] == []
        assert client.get(f"{PLAN}/versions").status_code == 403, role
        assert client.get(f"{PLAN}/versions/1").status_code == 403, role
        assert client.get(f"{PLAN}/compare", {"a": 1, "b": 1}).status_code == 403, role


# --- Signature and final documents ----------------------------------------------------------


@pytest.fixture
def approved(role_users, units):
    plan = approved_by_deputy(role_users, units)
    delivered_to_minister(plan)
    return plan


def test_only_the_minister_signs(role_users, api_as, approved):
    for role in ("deputy", "head_of_bureau", "staff", "head_of_section", "admin"):
        response = post(api_as(role_users[role]), f"{PLAN}/sign", {"version_number": 1})
        assert response.status_code == 403, role
    for role in ("unit_operator", "viewer"):
        response = post(api_as(role_users[role]), f"{PLAN}/sign", {"version_number": 1})
        assert response.status_code == 404, role
    stale = post(api_as(role_users["minister"]), f"{PLAN}/sign", {"version_number": 2})
    assert stale.status_code == 409
    assert MinistryPlan.objects.get(pk=approved.pk).status == MinistryPlan.Status.APPROVED


def test_signing_waits_for_the_memorandum_to_reach_the_minister(role_users, api_as, units):
    approved_by_deputy(role_users, units)
    assert CycleStep.objects.get(cycle__year=YEAR, number=10).status != "done"
    response = post(api_as(role_users["minister"]), f"{PLAN}/sign", {"version_number": 1})
    assert response.status_code == 422


def test_sign_issues_the_final_documents_and_freezes_the_plan(role_users, api_as, approved):
    minister = api_as(role_users["minister"])
    response = post(minister, f"{PLAN}/sign", {"version_number": 1})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "signed"
    assert data["signature"]["version"] == 1 and data["signature"]["acting"] == ""
    docs = {d["kind"]: d for d in data["final_documents"]}
    assert set(docs) == {"rk", "pk"}
    for kind, doc in docs.items():
        stored = FinalDocument.objects.get(plan=approved, kind=kind)
        assert doc["sha256"] == stored.pdf_sha256
        assert doc["verification_url"].endswith(f"{stored.verification_token}/")
        download = minister.get(f"{PLAN}/documents/{kind}.pdf")
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        body = b"".join(download.streaming_content)
        assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == doc["sha256"]
    assert minister.get(f"{PLAN}/documents/xx.pdf").status_code == 404
    # Signed: nothing changes any more.
    staff = api_as(role_users["staff"])
    section = approved.sections.get(key="penutup")
    changed = put(staff, f"{PLAN}/sections/penutup", {"revision": section.revision, "text": "x"})
    assert changed.status_code == 422
    assert post(staff, f"{PLAN}/refresh-tables").status_code == 422
    assert post(minister, f"{PLAN}/sign", {"version_number": 1}).status_code == 422
    # Units see it only when it is published.
    unit = api_as(role_users["unit_operator"])
    assert unit.get(PLAN).status_code == 404
    assert unit.get(f"{PLAN}/documents/pk.pdf").status_code == 404
    services.publish(actor=role_users["staff"], cycle=approved.cycle)
    assert unit.get(PLAN).json()["status"] == "published"
    assert unit.get(f"{PLAN}/documents/pk.pdf").status_code == 200
    assert [p["year"] for p in unit.get(PLANS).json()] == [YEAR]

"""Decisions through the review page: the lifecycle, who may decide, and when."""

import pytest

from rkpk.core.models import AuditEvent
from rkpk.organisation.models import Role
from rkpk.plans import services
from rkpk.plans.models import ReturnReason, Submission, UnitPlan
from rkpk.plans.tests.test_review_support import (
    make_officials,
    make_plan,
    submitted_plan,
    url,
)

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in test_head_approval).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]
Status = UnitPlan.Status
Decision = Submission.Decision


@pytest.fixture
def officials(units):
    return make_officials(units)


@pytest.fixture
def plan(units, officials, role_users):
    return submitted_plan(units, officials, role_users["unit_operator"])


def decide(client, plan, action: str, version: int, reasons=(), remarks: str = ""):
    name = {
        "clarification": "review_request_clarification",
        "return": "review_return",
        "accept": "review_accept",
    }[action]
    data = {f"{action}-version": version, f"{action}-remarks": remarks}
    if reasons:
        data[f"{action}-reasons"] = list(reasons)
    return client.post(url(name, plan), data)


def decisions(plan) -> list[tuple[int, str]]:
    return list(plan.submissions.order_by("number").values_list("number", "decision"))


def test_draft_submitted_clarification_resubmitted_accepted(plan, role_users, client_for):
    staff = client_for(role_users["staff"])
    response = decide(staff, plan, "clarification", 1, ["TARGET"], "Target IK1 terlalu rendah")
    assert response.status_code == 302
    assert response["Location"] == url("review_plan", plan)
    plan.refresh_from_db()
    assert plan.status == Status.CLARIFICATION

    # The unit answers in the thread and resubmits.
    unit = client_for(role_users["unit_operator"])
    assert (
        unit.post(url("review_messages", plan), {"body": "Sudah kami perbaiki"}).status_code == 302
    )
    services.submit(actor=role_users["unit_operator"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == Status.RESUBMITTED

    hob = client_for(role_users["head_of_bureau"])
    review_page = hob.get(url("review_plan", plan)).content.decode()
    assert "Latest version: 2" in review_page and 'name="accept-version" value="2"' in review_page
    response = decide(hob, plan, "accept", 2)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.ACCEPTED
    assert decisions(plan) == [(1, Decision.CLARIFICATION), (2, Decision.ACCEPTED)]
    version_2 = plan.submissions.get(number=2)
    assert version_2.decided_by == role_users["head_of_bureau"]
    assert AuditEvent.objects.filter(action="plan.accepted", object_id=str(plan.pk)).exists()

    # The thread tells the story: the bureau's reasons, the unit's answer.
    thread = unit.get(url("review_messages", plan)).content.decode()
    assert "A performance target is missing or invalid" not in thread  # stored in Indonesian
    assert "Target kinerja belum diisi atau tidak valid" in thread
    assert "Target IK1 terlalu rendah" in thread and "Sudah kami perbaiki" in thread

    # Locked: nothing more to decide.
    page = hob.get(url("review_plan", plan)).content.decode()
    assert "nothing to decide now" in page
    assert 'action="' + url("review_accept", plan) not in page


def test_returned_then_submitted_again(plan, role_users, client_for):
    client = client_for(role_users["head_of_section"])
    response = decide(client, plan, "return", 1, ["BUDGET", "PARTIES"], "")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert plan.is_editable
    version_1 = plan.submissions.get(number=1)
    assert version_1.reasons == ["BUDGET", "PARTIES"]
    services.submit(actor=role_users["unit_head"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert decisions(plan) == [(1, Decision.RETURNED), (2, Decision.PENDING)]
    text = client.get(url("review_submissions", plan)).content.decode()
    assert "The budget does not add up to the programs/activities" in text
    assert "The first or second party of the PK is missing or wrong" in text


def test_a_return_needs_a_reason_or_a_remark(plan, role_users, client_for):
    client = client_for(role_users["staff"])
    for action in ("return", "clarification"):
        response = decide(client, plan, action, 1)
        assert response.status_code == 400
        assert "Pick at least one reason or write a remark." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    # A remark alone is enough.
    assert decide(client, plan, "return", 1, remarks="Lampiran PK belum ada").status_code == 302


def test_a_failed_decision_keeps_what_the_reviewer_wrote(plan, role_users, client_for):
    """No work lost: the remarks come back in the form after a refusal."""
    services.request_clarification(actor=role_users["staff"], plan=plan, remarks="x")
    response = decide(
        client_for(role_users["head_of_bureau"]), plan, "return", 1, ["FORM"], "Catatan panjang"
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Only a plan awaiting the bureau can be decided" in text
    assert "clarification requested" in text
    assert "Catatan panjang" in text


def test_inactive_reasons_are_not_offered_nor_accepted(plan, role_users, client_for):
    ReturnReason.objects.filter(code="SIGNATURE").update(is_active=False)
    client = client_for(role_users["staff"])
    page = client.get(url("review_plan", plan)).content.decode()
    assert 'value="SIGNATURE"' not in page and 'value="FORM"' in page
    response = decide(client, plan, "return", 1, ["SIGNATURE"])
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_the_submitter_cannot_accept_their_own_version(units, officials, make_user, client_for):
    """Separation of duties: a bureau member who also operates the unit submitted this one."""
    dual = make_user("dual", Role.STAFF, (Role.UNIT_OPERATOR, units["a"]))
    other = make_user("other_staff", Role.STAFF)
    plan = submitted_plan(units, officials, dual)
    client = client_for(dual)
    page = client.get(url("review_plan", plan)).content.decode()
    assert "you cannot accept it" in page
    assert 'action="' + url("review_accept", plan) not in page

    response = decide(client, plan, "accept", 1)
    assert response.status_code == 403
    assert "You submitted this version; someone else must accept it." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert plan.submissions.get().decision == Decision.PENDING

    # They may still ask for clarification; and another reviewer may accept.
    response = decide(client_for(other), plan, "accept", 1)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Status.ACCEPTED


def test_decisions_only_while_the_plan_awaits_the_bureau(
    units, officials, plan, role_users, client_for
):
    client = client_for(role_users["staff"])
    draft = make_plan(units["b"], officials)
    for action in ("accept", "return", "clarification"):
        response = decide(client, draft, action, 1, ["FORM"])
        assert response.status_code == 400
        assert "has not submitted this plan yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    services.return_plan(actor=role_users["staff"], plan=plan, reasons=["FORM"])
    for action in ("accept", "return", "clarification"):
        response = decide(client, plan, action, 1, ["FORM"])
        assert response.status_code == 400, action
        assert "this one is returned" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED


def test_a_decision_on_a_stale_page_is_refused(plan, role_users, client_for):
    """The reviewer read version 1; version 2 arrived meanwhile: no decision on unseen content."""
    services.request_clarification(actor=role_users["staff"], plan=plan, reasons=["FORM"])
    services.submit(actor=role_users["unit_operator"], plan=plan)
    response = decide(client_for(role_users["head_of_bureau"]), plan, "accept", 1)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Another version was submitted after you opened this page" in text
    plan.refresh_from_db()
    assert plan.status == Status.RESUBMITTED
    # The page now shows version 2, and its forms decide on version 2.
    assert "Latest version: 2" in text
    assert 'name="accept-version" value="2"' in text
    assert 'name="accept-version" value="1"' not in text


def test_get_on_a_decision_endpoint_is_not_allowed(plan, role_users, client_for):
    response = client_for(role_users["staff"]).get(url("review_accept", plan))
    assert response.status_code == 405
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_the_accept_form_asks_for_confirmation(plan, role_users, client_for):
    page = client_for(role_users["staff"]).get(url("review_plan", plan)).content.decode()
    accept_form = page.split('id="decision-accept"')[1].split("</form>")[0]
    assert "data-confirm=" in accept_form
    return_form = page.split('id="decision-return"')[1].split("</form>")[0]
    assert "data-confirm=" in return_form

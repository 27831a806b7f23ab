"""The monitoring board and a unit's history page lead a reviewer to the review page, and an
accepted plan's failed checks are history, not an alarm (issue 13, point 13)."""

import re

import pytest
from django.urls import reverse

from rkpk.plans.models import UnitPlan
from rkpk.plans.tests.test_monitoring import add_submission, check, make_plan, open_cycle

pytestmark = pytest.mark.django_db
S = UnitPlan.Status
REVIEWERS = {"staff", "head_of_section", "head_of_bureau"}
MONITORS_NOT_REVIEWING = {"admin", "deputy", "minister", "general_bureau", "viewer"}


@pytest.fixture
def plans(units, role_users):
    open_cycle(role_users["staff"])
    operator, staff = role_users["unit_operator"], role_users["staff"]
    awaiting = make_plan(units["a"], S.SUBMITTED)
    add_submission(awaiting, operator, checks=[check("TARGET", False), check("GOALS", True)])
    accepted = make_plan(units["b"], S.ACCEPTED)
    add_submission(
        accepted,
        operator,
        decision="accepted",
        decided_by=staff,
        checks=[check("TARGET", False, "warning"), check("BUDGET", False)],
    )
    return {"awaiting": awaiting, "accepted": accepted}


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-unit="{re.escape(code)}".*?</tr>', html, re.S)
    assert match, code
    return match.group(0)


def test_the_board_offers_the_review_to_reviewers_on_awaiting_plans(plans, role_users, client_for):
    review_a = reverse("plans:review_plan", args=["E1.A", 2027])
    review_b = reverse("plans:review_plan", args=["E1.B", 2027])
    for code in REVIEWERS | MONITORS_NOT_REVIEWING:
        client = client_for(role_users[code])
        html = client.get(reverse("plans:monitoring_board", args=[2027])).content.decode()
        assert (f'href="{review_a}"' in _row(html, "E1.A")) == (code in REVIEWERS), code
        # An accepted plan has nothing left to review.
        assert review_b not in _row(html, "E1.B")
        if code in REVIEWERS:
            assert client.get(review_a).status_code == 200


def test_the_history_page_offers_the_review(plans, role_users, client_for):
    for code in REVIEWERS | MONITORS_NOT_REVIEWING:
        client = client_for(role_users[code])
        for unit, label in (("E1.A", "Review"), ("E1.B", "Open the review page")):
            html = client.get(reverse("plans:monitoring_unit", args=[2027, unit])).content.decode()
            review = reverse("plans:review_plan", args=[unit, 2027])
            link = re.search(r'<a id="review-link" href="([^"]+)"[^>]*>([^<]+)</a>', html)
            if code in REVIEWERS:
                assert link and link.group(1) == review and link.group(2) == label, (code, unit)
            else:
                assert link is None, code


def test_no_review_link_before_the_first_submission(units, role_users, client_for):
    open_cycle(role_users["staff"])
    make_plan(units["a"], S.DRAFT)
    client = client_for(role_users["staff"])
    html = client.get(reverse("plans:monitoring_unit", args=[2027, "E1.A"])).content.decode()
    assert 'id="review-link"' not in html
    board = client.get(reverse("plans:monitoring_board", args=[2027])).content.decode()
    assert "review-action" not in _row(board, "E1.A")


def test_an_accepted_plans_failed_checks_are_not_shown_as_an_alarm(plans, role_users, client_for):
    html = (
        client_for(role_users["staff"])
        .get(reverse("plans:monitoring_board", args=[2027]))
        .content.decode()
    )
    accepted, awaiting = _row(html, "E1.B"), _row(html, "E1.A")
    assert "text-bg-danger" not in accepted and ">2</td>" in accepted
    assert '<span class="badge text-bg-danger">1</span>' in awaiting


def test_a_refused_clarification_says_why_once(plans, role_users, client_for):
    """The refusal replaces the help text it repeats, in the form that was sent only."""
    client = client_for(role_users["staff"])
    url = reverse("plans:review_request_clarification", args=["E1.A", 2027])
    response = client.post(url, {"clarification-version": 1})
    assert response.status_code == 400
    text = response.content.decode()
    form = re.search(r'action="' + re.escape(url) + r'".*?</form>', text, re.S).group(0)
    assert form.count("Pick at least one reason or write a remark.") == 1
    assert "invalid-feedback" in form

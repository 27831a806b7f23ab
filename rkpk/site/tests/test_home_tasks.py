"""The home page names what waits for each person: a ministry RK-PK version to review or
sign, complaints to delegate or answer, a satisfaction survey to fill in."""

import pytest
from django.urls import reverse

from rkpk.complaints import services as complaints
from rkpk.complaints.models import Complaint
from rkpk.ministry import services as ministry
from rkpk.ministry.tests.factories import ready_for_drafting
from rkpk.site.selectors import tasks_for
from rkpk.survey.models import Invitation, Survey

# The bureau's side of a submission: the organisation lets operators submit directly
# (the unit head's approval before it is tested in rkpk/plans/tests/test_head_approval.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unit_head_approval_off")]


def texts(user) -> list[str]:
    return [task.text for task in tasks_for(user)]


def test_the_review_chain_shows_on_each_reviewers_home(role_users, units, client_for):
    cycle = ready_for_drafting(role_users, units)
    plan = ministry.create_plan(actor=role_users["head_of_section"], cycle=cycle)
    ministry.submit(actor=role_users["head_of_section"], plan=plan)
    assert texts(role_users["head_of_bureau"]) == [
        "The draft ministry RK-PK 2027 awaits your review."
    ]
    assert texts(role_users["deputy"]) == texts(role_users["minister"]) == []
    page = client_for(role_users["head_of_bureau"]).get(reverse("home")).content.decode()
    assert "awaits your review" in page and reverse("ministry:plan", args=[2027]) in page
    ministry.approve(actor=role_users["head_of_bureau"], plan=plan, version_number=1)
    assert texts(role_users["head_of_bureau"]) == []
    assert texts(role_users["deputy"]) == ["The draft ministry RK-PK 2027 awaits your review."]
    ministry.approve(actor=role_users["deputy"], plan=plan, version_number=1)
    assert texts(role_users["minister"]) == ["The ministry RK-PK 2027 awaits your signature."]


def test_complaints_and_surveys_waiting(role_users, units):
    from rkpk.procedure.tests.factories import cycle_done_through
    from rkpk.survey.models import Questionnaire

    cycle = cycle_done_through(13, year=2028, start_next=False)
    complaint = complaints.file_complaint(
        actor=role_users["unit_operator"],
        category=Complaint.Category.GRIEVANCE,
        subject="Templat",
        text="Sulit diunduh.",
    )
    assert texts(role_users["head_of_bureau"]) == ["1 complaint(s) to delegate."]
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.DELEGATED, delegated_to=role_users["head_of_section"]
    )
    assert texts(role_users["head_of_section"]) == [
        "1 complaint(s) delegated to you await an answer."
    ]
    survey = Survey.objects.create(
        cycle=cycle,
        questionnaire=Questionnaire.objects.get(),
        opened_at="2026-11-02T09:00:00+07:00",
        closes_on="2026-11-16",
    )
    Invitation.objects.create(survey=survey, unit=units["a"], sent_at=survey.opened_at)
    assert texts(role_users["unit_operator"]) == [
        "Satisfaction survey RK-PK 2028: Biro A has not answered yet."
    ]
    assert texts(role_users["operator_b"]) == []

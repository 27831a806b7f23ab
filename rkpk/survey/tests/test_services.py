"""The survey's services: opening (idempotent, every active unit invited), answering (once,
for one's own unit, every element 1–4, while open), closing, the results and the
questionnaire's versions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from rkpk.core.calendar import calendar, today
from rkpk.core.models import AuditEvent
from rkpk.notifications.models import Notification
from rkpk.organisation.models import Role, Unit
from rkpk.procedure.tests.factories import cycle_done_through
from rkpk.survey import selectors, services
from rkpk.survey.models import Answer, Element, Invitation, Questionnaire, Response, Survey
from rkpk.survey.tests.conftest import YEAR, scores_of

pytestmark = [pytest.mark.django_db]


# --- Opening -------------------------------------------------------------------------------


def test_open_invites_every_active_unit_and_tells_their_people(
    distributed, role_users, units, root_head
):
    inactive = Unit.objects.create(code="OLD", name="Unit lama", level=2, is_active=False)
    survey = services.open_for_cycle(actor=role_users["staff"], cycle=distributed)
    assert survey.status == Survey.Status.OPEN
    assert survey.questionnaire.version == 1
    invited = set(survey.invitations.values_list("unit__code", flat=True))
    assert invited == {"E1", "E1.A", "E1.B"}
    assert inactive.code not in invited
    assert survey.closes_on == calendar().add_working_days(today(), 10)
    told = set(
        Notification.objects.filter(event="survey.opened").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"u_unit_operator", "u_unit_head", "u_operator_b", "u_root_head"}
    assert AuditEvent.objects.filter(action="survey.opened", object_id=str(survey.pk)).count() == 1


def test_open_is_idempotent(distributed, role_users, units):
    first = services.open_for_cycle(actor=role_users["staff"], cycle=distributed)
    Unit.objects.create(code="NEW", name="Unit baru", level=2)
    second = services.open_for_cycle(actor=role_users["head_of_bureau"], cycle=distributed)
    assert second.pk == first.pk
    assert Survey.objects.count() == 1
    assert Invitation.objects.count() == 3  # the second call invites nobody new
    assert AuditEvent.objects.filter(action="survey.opened").count() == 1
    assert Notification.objects.filter(event="survey.opened").count() == 3


def test_open_uses_the_days_setting(distributed, role_users, units, settings):
    settings.RKPK_SURVEY_DAYS = 3
    survey = services.open_for_cycle(actor=role_users["staff"], cycle=distributed)
    assert survey.closes_on == calendar().add_working_days(today(), 3)


@pytest.mark.parametrize(
    "role",
    ["unit_operator", "unit_head", "deputy", "minister", "viewer", "general_bureau", "nobody"],
)
def test_open_refused_outside_the_bureau(distributed, role_users, role):
    with pytest.raises(PermissionDenied):
        services.open_for_cycle(actor=role_users[role], cycle=distributed)
    assert not Survey.objects.exists()


@pytest.mark.parametrize("role", ["admin", "staff", "head_of_section", "head_of_bureau"])
def test_open_allowed_to_the_bureau(distributed, role_users, units, role):
    assert services.open_for_cycle(actor=role_users[role], cycle=distributed).pk


def test_open_refused_before_distribution(role_users, units):
    cycle = cycle_done_through(12, year=YEAR)  # step 13 in progress
    with pytest.raises(ValidationError, match="step 13"):
        services.open_for_cycle(actor=role_users["staff"], cycle=cycle)
    assert selectors.cycles_to_open() == []
    # The system trigger answers None instead of failing the dispatch.
    assert services.open_after_distribution(actor=role_users["staff"], cycle=cycle) is None
    assert not Survey.objects.exists()


def test_open_after_the_rkpk_is_published(role_users, units):
    """The distribution memorandum dispatched publishes the RK-PK: the survey may open even
    before step 13 is complete (the letter to Kementerian PAN may still be on its way)."""
    from rkpk.analysis.models import Compilation
    from rkpk.ministry.models import MinistryPlan

    cycle = cycle_done_through(12, year=YEAR)
    MinistryPlan.objects.create(
        cycle=cycle,
        year=YEAR,
        status=MinistryPlan.Status.PUBLISHED,
        compilation=Compilation.objects.create(year=YEAR, number=1, data={}),
        created_by=role_users["staff"],
    )
    assert selectors.cycles_to_open() == [cycle]
    # No permission check for the system trigger (whoever dispatched was authorised).
    survey = services.open_after_distribution(actor=role_users["general_bureau"], cycle=cycle)
    assert survey is not None and survey.invitations.count() == 3
    assert services.open_after_distribution(actor=None, cycle=cycle).pk == survey.pk
    assert selectors.cycles_to_open() == []


def test_open_loads_the_seeded_questionnaire_when_none(distributed, role_users, units):
    Questionnaire.objects.all().delete()
    survey = services.open_for_cycle(actor=role_users["staff"], cycle=distributed)
    assert survey.questionnaire.elements.count() == 9


# --- Answering -----------------------------------------------------------------------------


def test_answer_records_scores_profile_and_suggestion(survey, role_users, units):
    response = services.answer(
        actor=role_users["unit_head"],
        survey=survey,
        unit=units["a"],
        scores=scores_of(4, 3, 2, 1, 4, 3, 2, 1, 4),
        suggestion="  Mohon format Excel disederhanakan. ",
        profile={"gender": "P", "age_range": "40_49", "education": ""},
    )
    assert response.respondent == role_users["unit_head"]
    assert response.suggestion == "Mohon format Excel disederhanakan."
    assert (response.gender, response.age_range, response.education) == ("P", "40_49", "")
    assert dict(response.answers.values_list("element", "score")) == scores_of(
        4, 3, 2, 1, 4, 3, 2, 1, 4
    )
    invitation = Invitation.objects.get(survey=survey, unit=units["a"])
    assert invitation.answered_at == response.submitted_at
    assert AuditEvent.objects.filter(action="survey.answered").count() == 1


def test_answer_accepts_digit_strings(survey, role_users, units, answer_as):
    response = answer_as(
        role_users["unit_operator"], survey, units["a"], {c: "3" for c in scores_of(3)}
    )
    assert set(response.answers.values_list("score", flat=True)) == {3}


@pytest.mark.parametrize("bad", [0, 5, -1, 10, "5", "x", 2.5, True, None, ""])
def test_answer_out_of_range_names_the_element(survey, role_users, units, bad):
    scores = scores_of(4) | {"U3": bad}
    with pytest.raises(ValidationError) as caught:
        services.answer(
            actor=role_users["unit_operator"], survey=survey, unit=units["a"], scores=scores
        )
    assert set(caught.value.message_dict) == {"U3"}
    assert "U3 Waktu Penyelesaian" in caught.value.message_dict["U3"][0]
    assert not Response.objects.exists()


def test_answer_missing_and_unknown_elements(survey, role_users, units):
    scores = scores_of(4)
    del scores["U9"]
    del scores["U1"]
    scores["U10"] = 4
    with pytest.raises(ValidationError) as caught:
        services.answer(
            actor=role_users["unit_operator"], survey=survey, unit=units["a"], scores=scores
        )
    assert set(caught.value.message_dict) == {"U1", "U9", "U10"}
    with pytest.raises(ValidationError):
        services.answer(
            actor=role_users["unit_operator"], survey=survey, unit=units["a"], scores=[4] * 9
        )
    assert not Response.objects.exists()


def test_answer_bad_profile(survey, role_users, units, answer_as):
    with pytest.raises(ValidationError) as caught:
        answer_as(
            role_users["unit_operator"], survey, units["a"], profile={"gender": "X", "hobby": "a"}
        )
    assert set(caught.value.message_dict) == {"gender", "hobby"}


def test_answering_twice_is_refused(survey, role_users, units, answer_as):
    answer_as(role_users["unit_operator"], survey, units["a"], scores_of(4))
    with pytest.raises(services.AlreadyAnswered, match="already answered"):
        answer_as(role_users["unit_head"], survey, units["a"], scores_of(1))
    assert Response.objects.count() == 1
    assert set(Answer.objects.values_list("score", flat=True)) == {4}


def test_the_database_refuses_a_second_response(survey, role_users, units, answer_as):
    answer_as(role_users["unit_operator"], survey, units["a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            survey=survey,
            unit=units["a"],
            respondent=role_users["unit_head"],
            submitted_at=survey.opened_at,
        )


def test_answer_out_of_range_refused_by_the_database(survey, role_users, units, answer_as):
    response = answer_as(role_users["unit_operator"], survey, units["a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(response=response, element="U1").update(score=5)


@pytest.mark.parametrize(
    "role", ["operator_b", "staff", "head_of_bureau", "admin", "viewer", "nobody"]
)
def test_answer_for_a_unit_that_is_not_yours(survey, role_users, units, answer_as, role):
    with pytest.raises(PermissionDenied):
        answer_as(role_users[role], survey, units["a"])
    assert not Response.objects.exists()


def test_answer_for_a_unit_not_invited(survey, make_user, answer_as):
    late = Unit.objects.create(code="LATE", name="Unit baru", level=2)
    operator = make_user("op_late", (Role.UNIT_OPERATOR, late))
    with pytest.raises(PermissionDenied, match="not invited"):
        answer_as(operator, survey, late)


def test_answer_after_closing(survey, role_users, units, answer_as):
    services.close(actor=role_users["head_of_bureau"], survey=survey)
    with pytest.raises(ValidationError, match="closed"):
        answer_as(role_users["unit_operator"], survey, units["a"])
    assert not Response.objects.exists()


def test_answer_after_the_last_day(survey, role_users, units, answer_as):
    Survey.objects.filter(pk=survey.pk).update(closes_on=today() - timedelta(days=1))
    with pytest.raises(ValidationError, match="closed"):
        answer_as(role_users["unit_operator"], survey, units["a"])
    survey.refresh_from_db()
    Survey.objects.filter(pk=survey.pk).update(closes_on=today())
    assert answer_as(role_users["unit_operator"], survey, units["a"]).pk  # the last day counts


# --- Closing -------------------------------------------------------------------------------


def test_close_and_close_twice(survey, role_users, units):
    closed = services.close(actor=role_users["staff"], survey=survey)
    assert closed.status == Survey.Status.CLOSED and closed.closed_by == role_users["staff"]
    told = set(
        Notification.objects.filter(event="survey.closed").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"u_unit_operator", "u_operator_b", "u_staff", "u_head_of_bureau"} <= told
    with pytest.raises(ValidationError, match="already closed"):
        services.close(actor=role_users["staff"], survey=survey)


@pytest.mark.parametrize(
    "role", ["unit_operator", "unit_head", "deputy", "minister", "viewer", "nobody"]
)
def test_close_refused(survey, role_users, role):
    with pytest.raises(PermissionDenied):
        services.close(actor=role_users[role], survey=survey)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_close_expired(survey):
    assert services.close_expired(on_date=survey.closes_on) == 0
    assert services.close_expired(on_date=survey.closes_on + timedelta(days=1)) == 1
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED and survey.closed_by is None
    assert AuditEvent.objects.get(action="survey.closed").actor_name == "system"


def test_close_expired_task(survey):
    from rkpk.survey.tasks import close_expired_surveys

    day = (survey.closes_on + timedelta(days=1)).isoformat()
    assert close_expired_surveys.call(day) == {"closed": 1}


# --- Results -------------------------------------------------------------------------------


def test_results_worked_example(survey, role_users, units, root_head, answer_as):
    # By hand (see test_scoring): element sums 11 11 8 9 12 9 11 8 10 over 3 units,
    # IKM = 89/3 / 9 × 25 = 82.407… → 82.41, grade B.
    answer_as(
        root_head, survey, units["root"], scores_of(4, 4, 3, 3, 4, 3, 4, 2, 3), suggestion="Bagus"
    )
    answer_as(role_users["unit_operator"], survey, units["a"], scores_of(3, 4, 3, 2, 4, 3, 4, 3, 3))
    answer_as(role_users["operator_b"], survey, units["b"], scores_of(4, 3, 2, 4, 4, 3, 3, 3, 4))
    result = selectors.results(survey, user=role_users["staff"])
    assert result.index == Decimal("82.41")
    assert result.grade.letter == "B"
    assert result.respondents == 3 and result.invited == 3
    assert result.response_rate == Decimal("100.00")
    assert result.unanswered == []
    u1 = result.elements[0]
    assert (u1.code, u1.count, u1.total) == ("U1", 3, 11)
    assert u1.average == Decimal("3.67")
    assert u1.weighted == Decimal("0.4074")
    assert u1.converted == Decimal("91.67")
    assert u1.grade.letter == "A"
    assert u1.distribution == {1: 0, 2: 0, 3: 1, 4: 2}
    assert result.elements[4].average == Decimal("4.00")
    assert result.weighted_total == Decimal("3.2963")  # 89/27
    assert [s["text"] for s in result.suggestions] == ["Bagus"]


def test_results_partial_and_empty(survey, role_users, units, answer_as):
    empty = selectors.results(survey, user=role_users["staff"])
    assert empty.index is None and empty.grade is None and empty.respondents == 0
    assert empty.response_rate == Decimal("0.00")
    assert [u.code for u in empty.unanswered] == ["E1", "E1.A", "E1.B"]
    answer_as(role_users["unit_operator"], survey, units["a"], scores_of(2))
    result = selectors.results(survey, user=role_users["staff"])
    assert result.index == Decimal("50.00") and result.grade.letter == "D"
    assert result.response_rate == Decimal("33.33")
    assert [u.code for u in result.unanswered] == ["E1", "E1.B"]


@pytest.mark.parametrize(
    ("role", "sees"),
    [("staff", True), ("head_of_section", True), ("head_of_bureau", True), ("admin", False),
     ("deputy", False), ("minister", False), ("viewer", False)],
)  # fmt: skip
def test_suggestions_for_the_bureau_only(survey, role_users, units, answer_as, role, sees):
    answer_as(role_users["unit_operator"], survey, units["a"], suggestion="Saran")
    result = selectors.results(survey, user=role_users[role])
    assert (result.suggestions is not None) is sees


# --- The questionnaire ---------------------------------------------------------------------


def _texts(questionnaire):
    return {
        e.code: {name: getattr(e, name) for name in services.ELEMENT_FIELDS}
        for e in questionnaire.elements.all()
    }


def test_questionnaire_edited_in_place_until_used(role_users):
    current = Questionnaire.objects.get()
    texts = _texts(current)
    texts["U4"]["option_4"] = "Tidak dipungut biaya"
    saved = services.save_questionnaire(
        actor=role_users["admin"],
        questionnaire=current,
        title="SKM",
        introduction="",
        elements=texts,
    )
    assert saved.pk == current.pk and saved.version == 1
    assert Element.objects.get(questionnaire=current, code="U4").option_4 == "Tidak dipungut biaya"


def test_questionnaire_used_gets_a_new_version(survey, role_users):
    current = survey.questionnaire
    texts = _texts(current)
    texts["U1"]["question"] = "Pertanyaan baru?"
    saved = services.save_questionnaire(
        actor=role_users["admin"], questionnaire=current, title=current.title,
        introduction=current.introduction, elements=texts,
    )  # fmt: skip
    assert saved.version == 2 and saved.elements.count() == 9
    assert Element.objects.get(questionnaire=current, code="U1").question != "Pertanyaan baru?"
    assert Element.objects.get(questionnaire=saved, code="U1").question == "Pertanyaan baru?"
    # An old version can no longer be edited; unchanged texts change nothing.
    with pytest.raises(ValidationError, match="newest"):
        services.save_questionnaire(
            actor=role_users["admin"],
            questionnaire=current,
            title="x",
            introduction="",
            elements=texts,
        )
    same = services.save_questionnaire(
        actor=role_users["admin"], questionnaire=saved, title=saved.title,
        introduction=saved.introduction, elements=texts,
    )  # fmt: skip
    assert same.version == 2 and Questionnaire.objects.count() == 2


def test_questionnaire_validation_and_permission(role_users):
    current = Questionnaire.objects.get()
    texts = _texts(current)
    texts["U2"]["option_3"] = "  "
    with pytest.raises(ValidationError) as caught:
        services.save_questionnaire(
            actor=role_users["admin"],
            questionnaire=current,
            title="",
            introduction="",
            elements=texts,
        )
    assert set(caught.value.message_dict) == {"title", "U2-option_3"}
    for role in ("staff", "head_of_bureau", "unit_operator"):
        with pytest.raises(PermissionDenied):
            services.save_questionnaire(
                actor=role_users[role], questionnaire=current, title="x", introduction="",
                elements=_texts(current),
            )  # fmt: skip

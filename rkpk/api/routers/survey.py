"""The satisfaction survey (SKM, PermenPAN-RB 14/2017): the surveys, their questionnaire, a
unit's answer, the results, opening and closing. Every write calls rkpk.survey.services, as
the web pages do.

Who sees what: the bureau, the leadership, the administrator and viewers see every survey
and its results; only the bureau sees the suggestions. A unit's head and operators see the
surveys their unit is invited to, answer for their unit, see their unit's answer and, once
the survey is closed, the overall result. A survey you may not see is answered 404.

Refusals when answering: a score missing or outside 1–4 → 422 (the error names the element);
the unit has already answered → 409 (Conflict: the answer exists and is never replaced); the
survey closed → 422; a unit that is not yours → 403.
"""

from datetime import date, datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from rkpk.api.permissions import NOT_FOUND, REFUSALS, require
from rkpk.api.schemas import ErrorOut, UnitRef
from rkpk.core.calendar import today
from rkpk.organisation.models import Unit
from rkpk.procedure.models import Cycle
from rkpk.survey import selectors, services
from rkpk.survey.models import SCORES, Response, Survey

router = Router(tags=["satisfaction survey"])
RESPONSES = {**NOT_FOUND, **REFUSALS, 409: ErrorOut}
VIEW = "survey.view_surveys"


# --- Schemas ------------------------------------------------------------------------------


class UnitState(Schema):
    unit: UnitRef
    answered_at: datetime | None
    can_answer: bool


class SurveyOut(Schema):
    id: int
    year: int
    cycle: str
    status: str = Field(..., description="open or closed")
    opened_at: datetime
    closes_on: date = Field(..., description="The last day answers are accepted.")
    closed_at: datetime | None
    questionnaire_version: int
    accepts_answers: bool
    invited: int | None = Field(None, description="Units invited (null for a unit's people).")
    answered: int | None = Field(None, description="Units that answered (null for units).")
    my_units: list[UnitState] = Field(
        [], description="Your units invited to the survey, answered or not."
    )


class OptionOut(Schema):
    score: int
    label: str


class ElementOut(Schema):
    code: str
    name: str
    question: str
    options: list[OptionOut]


class QuestionnaireOut(Schema):
    version: int
    title: str
    introduction: str
    elements: list[ElementOut]


class SurveyDetailOut(SurveyOut):
    questionnaire: QuestionnaireOut


class SurveyProfileIn(Schema):
    gender: str = Field("", description="L (male), P (female) or empty.")
    age_range: str = Field("", description="under_30, 30_39, 40_49, 50_plus or empty.")
    education: str = Field(
        "", description="secondary, diploma, bachelor, master, doctorate or empty."
    )


class SurveyAnswerIn(Schema):
    unit: str = Field(..., description="The code of your unit you answer for.")
    scores: dict[str, int] = Field(
        ..., description='A score 1–4 for every element U1–U9, e.g. {"U1": 4, "U2": 3, …}.'
    )
    suggestion: str = ""
    profile: SurveyProfileIn | None = None


class SurveyProfileOut(Schema):
    gender: str
    age_range: str
    education: str


class ResponseOut(Schema):
    id: int
    survey: int
    unit: UnitRef
    respondent: str
    submitted_at: datetime
    scores: dict[str, int]
    suggestion: str
    profile: SurveyProfileOut


class GradeOut(Schema):
    letter: str = Field(..., description="A, B, C or D")
    label: str
    label_id: str = Field(..., description="The regulation's wording, e.g. Sangat Baik.")


class ElementResultOut(Schema):
    code: str
    name: str
    answers: int
    average: Decimal | None = Field(..., description="NRR: the mean score (1–4), 2 decimals.")
    weighted: Decimal | None = Field(..., description="NRR × 1/9, 4 decimals.")
    converted: Decimal | None = Field(..., description="NRR × 25, 2 decimals.")
    grade: str | None
    distribution: dict[str, int] = Field(..., description='Answers per score: {"1": n, …}.')


class SurveySuggestionOut(Schema):
    unit: UnitRef
    submitted_at: datetime
    text: str


class ResultsOut(Schema):
    survey: int
    year: int
    status: str
    invited: int
    respondents: int
    response_rate: Decimal | None = Field(..., description="Percent, 2 decimals.")
    index: Decimal | None = Field(
        ..., description="IKM: the mean of the nine element averages × 25, 2 decimals."
    )
    grade: GradeOut | None
    elements: list[ElementResultOut]
    unanswered: list[UnitRef]
    suggestions: list[SurveySuggestionOut] | None = Field(
        None, description="For the bureau only (null otherwise)."
    )


class MyResultsOut(Schema):
    """What a unit's people see: their units' answers, and the overall result once closed."""

    survey: int
    year: int
    status: str
    responses: list[ResponseOut]
    results: ResultsOut | None = Field(None, description="Null until the survey is closed.")


class OpenIn(Schema):
    year: int = Field(..., description="The plan year of the cycle.")


# --- Helpers ------------------------------------------------------------------------------


def _unit_ref(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name}


def _summary(request, survey: Survey, *, my_units=None) -> dict:
    reader = request.user.has_perm(selectors.VIEW_RESULTS)
    day = today()
    if my_units is None:
        my_units = selectors.unit_invitations(request.user, survey)
    invited = getattr(survey, "invited", None)
    answered = getattr(survey, "answered", None)
    if reader and invited is None:
        invited = survey.invitations.count()
        answered = survey.invitations.filter(answered_at__isnull=False).count()
    return {
        "id": survey.pk,
        "year": survey.cycle.year,
        "cycle": survey.cycle.name,
        "status": survey.status,
        "opened_at": survey.opened_at,
        "closes_on": survey.closes_on,
        "closed_at": survey.closed_at,
        "questionnaire_version": survey.questionnaire.version,
        "accepts_answers": survey.accepts_answers(day),
        "invited": invited if reader else None,
        "answered": answered if reader else None,
        "my_units": [
            {
                "unit": _unit_ref(i.unit),
                "answered_at": i.answered_at,
                "can_answer": i.answered_at is None and survey.accepts_answers(day),
            }
            for i in my_units
        ],
    }


def _detail(request, survey: Survey) -> dict:
    questionnaire = survey.questionnaire
    return {
        **_summary(request, survey),
        "questionnaire": {
            "version": questionnaire.version,
            "title": questionnaire.title,
            "introduction": questionnaire.introduction,
            "elements": [
                {
                    "code": e.code,
                    "name": e.name,
                    "question": e.question,
                    "options": [{"score": s, "label": label} for s, label in e.options],
                }
                for e in selectors.elements(questionnaire)
            ],
        },
    }


def _response_out(response: Response) -> dict:
    return {
        "id": response.pk,
        "survey": response.survey_id,
        "unit": _unit_ref(response.unit),
        "respondent": response.respondent.get_username(),
        "submitted_at": response.submitted_at,
        "scores": {a.element: a.score for a in response.answers.all()},
        "suggestion": response.suggestion,
        "profile": {
            "gender": response.gender,
            "age_range": response.age_range,
            "education": response.education,
        },
    }


def _results_out(survey: Survey, result: selectors.Results, *, reader: bool) -> dict:
    grade = result.grade
    return {
        "survey": survey.pk,
        "year": survey.cycle.year,
        "status": survey.status,
        "invited": result.invited,
        "respondents": result.respondents,
        "response_rate": result.response_rate,
        "index": result.index,
        "grade": {"letter": grade.letter, "label": str(grade.label), "label_id": grade.label_id}
        if grade
        else None,
        "elements": [
            {
                "code": e.code,
                "name": e.element.name,
                "answers": e.count,
                "average": e.average,
                "weighted": e.weighted,
                "converted": e.converted,
                "grade": e.grade.letter if e.grade else None,
                "distribution": {str(s): e.distribution[s] for s in SCORES},
            }
            for e in result.elements
        ],
        "unanswered": [_unit_ref(u) for u in result.unanswered] if reader else [],
        "suggestions": [
            {"unit": _unit_ref(s["unit"]), "submitted_at": s["submitted_at"], "text": s["text"]}
            for s in result.suggestions
        ]
        if result.suggestions is not None
        else None,
    }


# --- Endpoints ----------------------------------------------------------------------------


@router.get("/surveys", response={200: list[SurveyOut], **REFUSALS})
def list_surveys(request):
    """The surveys you may see, newest cycle first (a unit's people: their units' surveys)."""
    require(request, VIEW)
    surveys = list(selectors.survey_list(request.user))
    invitations = selectors.unit_invitations(request.user)
    by_survey: dict[int, list] = {}
    for invitation in invitations:
        by_survey.setdefault(invitation.survey_id, []).append(invitation)
    return [_summary(request, s, my_units=by_survey.get(s.pk, [])) for s in surveys]


@router.post("/surveys", response={200: SurveyDetailOut, 201: SurveyDetailOut, **RESPONSES})
def open_survey(request, payload: OpenIn):
    """Open the cycle's survey (the bureau, once the RK-PK is distributed — step 13): every
    active unit is invited. 201 when opened now; 200 with the survey already opened."""
    require(request, services.MANAGE)
    cycle = get_object_or_404(Cycle, year=payload.year)
    existed = Survey.objects.filter(cycle=cycle).exists()
    survey = services.open_for_cycle(actor=request.user, cycle=cycle)
    survey = selectors.visible_survey(request.user, survey.pk)
    return Status(200 if existed else 201, _detail(request, survey))


@router.get("/surveys/{int:survey_id}", response={200: SurveyDetailOut, **RESPONSES})
def get_survey(request, survey_id: int):
    """A survey with its questionnaire (the nine elements, questions and score labels)."""
    require(request, VIEW)
    return _detail(request, selectors.visible_survey(request.user, survey_id))


@router.post("/surveys/{int:survey_id}/responses", response={201: ResponseOut, **RESPONSES})
def answer_survey(request, survey_id: int, payload: SurveyAnswerIn):
    """Answer for one of your units, once: every element U1–U9 with a score 1–4.
    422: a score missing or out of range, or the survey closed; 409: already answered."""
    require(request, services.ANSWER)
    survey = selectors.visible_survey(request.user, survey_id)
    unit = get_object_or_404(Unit, code=payload.unit)
    response = services.answer(
        actor=request.user,
        survey=survey,
        unit=unit,
        scores=payload.scores,
        suggestion=payload.suggestion,
        profile=payload.profile.dict() if payload.profile else None,
    )
    return Status(201, _response_out(selectors.unit_response(survey, unit) or response))


@router.get(
    "/surveys/{int:survey_id}/results", response={200: ResultsOut | MyResultsOut, **RESPONSES}
)
def survey_results(request, survey_id: int):
    """The bureau, the leadership, the administrator and viewers: the results (index, grade,
    element breakdown, response rate, units not answered; suggestions for the bureau).
    A unit's people: their units' answers, and the overall result once the survey is closed."""
    require(request, VIEW)
    user = request.user
    survey = selectors.visible_survey(user, survey_id)
    if user.has_perm(selectors.VIEW_RESULTS):
        return _results_out(survey, selectors.results(survey, user=user), reader=True)
    responses = [
        selectors.unit_response(survey, i.unit)
        for i in selectors.unit_invitations(user, survey)
        if i.response is not None
    ]
    results = None
    if survey.status == Survey.Status.CLOSED:
        results = _results_out(
            survey, selectors.results(survey, with_suggestions=False), reader=False
        )
    return {
        "survey": survey.pk,
        "year": survey.cycle.year,
        "status": survey.status,
        "responses": [_response_out(r) for r in responses],
        "results": results,
    }


@router.post("/surveys/{int:survey_id}/close", response={200: SurveyOut, **RESPONSES})
def close_survey(request, survey_id: int):
    """Close the survey (the bureau): no more answers; the units see the results."""
    require(request, services.MANAGE)
    survey = selectors.visible_survey(request.user, survey_id)
    services.close(actor=request.user, survey=survey)
    return _summary(request, selectors.visible_survey(request.user, survey_id))

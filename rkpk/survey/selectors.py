"""Reads of the satisfaction survey: what a user may see, the results (a fixed number of
queries however many responses), and the chart's geometry."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from rkpk.organisation import roles
from rkpk.organisation.models import Unit
from rkpk.procedure.models import Cycle, CycleStep
from rkpk.survey import scoring
from rkpk.survey.models import ELEMENT_CODES, SCORES, Answer, Element, Invitation, Response, Survey

DISTRIBUTION_STEP = 13
VIEW_RESULTS = "survey.view_results"
VIEW_SUGGESTIONS = "survey.view_suggestions"


# --- Visibility ----------------------------------------------------------------------------


def surveys_for(user) -> QuerySet[Survey]:
    """Every survey for those who read the results; for a unit's people, the surveys their
    units are invited to; nothing for anybody else."""
    surveys = Survey.objects.all()
    if user.has_perm(VIEW_RESULTS):
        return surveys
    units = roles.unit_ids(user)
    if not units:
        return surveys.none()
    return surveys.filter(pk__in=Invitation.objects.filter(unit_id__in=units).values("survey_id"))


def survey_list(user) -> QuerySet[Survey]:
    """The list page's rows, newest cycle first, with invitation and response counts."""
    return (
        surveys_for(user)
        .select_related("cycle", "questionnaire")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered_at__isnull=False)),
        )
        .order_by("-cycle__year", "-id")
    )


def visible_survey(user, pk: int) -> Survey:
    survey = surveys_for(user).select_related("cycle", "questionnaire").filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def elements(questionnaire) -> list[Element]:
    return list(Element.objects.filter(questionnaire=questionnaire).order_by("code"))


def current_questionnaire():
    from rkpk.survey.models import Questionnaire

    return Questionnaire.objects.order_by("-version").first()


# --- A unit's side ---------------------------------------------------------------------------


def unit_invitations(user, survey: Survey | None = None) -> list[Invitation]:
    """The invitations of the user's units (to `survey`, or to every survey), newest first,
    with the unit's response when there is one (`invitation.response`)."""
    units = roles.unit_ids(user)
    if not units:
        return []
    invitations = Invitation.objects.filter(unit_id__in=units).select_related(
        "unit", "survey__cycle"
    )
    if survey is not None:
        invitations = invitations.filter(survey=survey)
    invitations = list(
        invitations.order_by("-survey__cycle__year", "unit__sort_order", "unit__code")
    )
    responses = {
        (r.survey_id, r.unit_id): r
        for r in Response.objects.filter(
            unit_id__in=units, survey_id__in={i.survey_id for i in invitations}
        ).select_related("respondent")
    }
    for invitation in invitations:
        invitation.response = responses.get((invitation.survey_id, invitation.unit_id))
    return invitations


def unit_response(survey: Survey, unit: Unit) -> Response | None:
    """A unit's response with its answers (in element order)."""
    return (
        Response.objects.filter(survey=survey, unit=unit)
        .select_related("respondent", "unit")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("element")))
        .first()
    )


def answer_rows(response: Response, element_list: list[Element]) -> list[dict]:
    """The lines of a unit's answer: element, score and the score's label."""
    scores = {a.element: a.score for a in response.answers.all()}
    return [
        {
            "element": element,
            "score": scores.get(element.code),
            "label": element.option_label(scores.get(element.code)),
        }
        for element in element_list
    ]


# --- Opening ---------------------------------------------------------------------------------


def ready_for_survey(cycle: Cycle) -> bool:
    """The survey follows the distribution: step 13 done, or the RK-PK published (the
    distribution memorandum dispatched)."""
    from rkpk.ministry.models import MinistryPlan

    if CycleStep.objects.filter(
        cycle=cycle, number=DISTRIBUTION_STEP, status=CycleStep.Status.DONE
    ).exists():
        return True
    return MinistryPlan.objects.filter(cycle=cycle, status=MinistryPlan.Status.PUBLISHED).exists()


def cycles_to_open() -> list[Cycle]:
    """Cycles ready for a survey that have none yet (for the manual "open" button)."""
    from rkpk.ministry.models import MinistryPlan

    return list(
        Cycle.objects.filter(survey__isnull=True)
        .filter(
            Q(steps__number=DISTRIBUTION_STEP, steps__status=CycleStep.Status.DONE)
            | Q(
                pk__in=MinistryPlan.objects.filter(status=MinistryPlan.Status.PUBLISHED).values(
                    "cycle_id"
                )
            )
        )
        .distinct()
        .order_by("-year")
    )


# --- Results ---------------------------------------------------------------------------------


@dataclass
class ElementResult:
    element: Element
    count: int
    total: int
    distribution: dict[int, int]
    exact: Fraction | None

    @property
    def code(self) -> str:
        return self.element.code

    @property
    def average(self) -> Decimal | None:
        """The NRR, rounded to 2 decimals for display."""
        return scoring.to_decimal(self.exact) if self.exact is not None else None

    @property
    def weighted(self) -> Decimal | None:
        """The weighted NRR (NRR × 1/9), 4 decimals."""
        return scoring.weighted(self.exact) if self.exact is not None else None

    @property
    def converted(self) -> Decimal | None:
        """The element's average on the 25–100 scale."""
        return scoring.converted(self.exact) if self.exact is not None else None

    @property
    def grade(self):
        return scoring.grade(self.converted)

    @property
    def distribution_rows(self) -> list[tuple[int, str, int]]:
        return [(s, self.element.option_label(s), self.distribution[s]) for s in SCORES]


@dataclass
class Results:
    survey: Survey
    elements: list[ElementResult]
    respondents: int
    invited: int
    index: Decimal | None
    grade: scoring.Grade | None
    unanswered: list[Unit]
    suggestions: list[dict] | None = None
    profile: dict = field(default_factory=dict)

    @property
    def response_rate(self) -> Decimal | None:
        return scoring.percent(self.respondents, self.invited)

    @property
    def weighted_total(self) -> Decimal | None:
        """The sum of the weighted NRRs (the index ÷ 25, before rounding), 4 decimals."""
        if self.index is None:
            return None
        exact = sum((e.exact for e in self.elements), Fraction(0)) / scoring.ELEMENT_COUNT
        return scoring.to_decimal(exact, 4)


def results(survey: Survey, *, user=None, with_suggestions: bool | None = None) -> Results:
    """The survey's results in five queries, whatever the number of responses: elements,
    score counts, invitations (with units), profile counts and — for the bureau — the
    suggestions."""
    element_list = elements(survey.questionnaire)
    counts: dict[str, dict[int, int]] = defaultdict(lambda: dict.fromkeys(SCORES, 0))
    for code, score, n in (
        Answer.objects.filter(response__survey=survey)
        .values_list("element", "score")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[code][score] = n
    rows = []
    for element in element_list:
        distribution = counts[element.code]
        count = sum(distribution.values())
        total = sum(score * n for score, n in distribution.items())
        rows.append(
            ElementResult(
                element=element,
                count=count,
                total=total,
                distribution=dict(distribution),
                exact=scoring.average(total, count),
            )
        )
    invitations = list(
        Invitation.objects.filter(survey=survey)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__code")
    )
    respondents = sum(1 for i in invitations if i.answered_at is not None)
    complete = len(rows) == len(ELEMENT_CODES) and all(r.exact is not None for r in rows)
    value = scoring.index(r.exact for r in rows) if complete else None
    if with_suggestions is None:
        with_suggestions = user is not None and user.has_perm(VIEW_SUGGESTIONS)
    suggestions = None
    if with_suggestions:
        suggestions = [
            {"unit": r.unit, "submitted_at": r.submitted_at, "text": r.suggestion}
            for r in Response.objects.filter(survey=survey)
            .exclude(suggestion="")
            .select_related("unit")
            .order_by("submitted_at", "id")
        ]
    return Results(
        survey=survey,
        elements=rows,
        respondents=respondents,
        invited=len(invitations),
        index=value,
        grade=scoring.grade(value),
        unanswered=[i.unit for i in invitations if i.answered_at is None],
        suggestions=suggestions,
        profile=profile_counts(survey),
    )


def profile_counts(survey: Survey) -> dict[str, list[tuple[str, int]]]:
    """How many respondents gave each profile value ("" = not given), in one query."""
    found: dict[str, dict[str, int]] = {"gender": {}, "age_range": {}, "education": {}}
    for gender, age, education, n in (
        Response.objects.filter(survey=survey)
        .values_list("gender", "age_range", "education")
        .annotate(n=Count("id"))
        .order_by()
    ):
        for name, value in (("gender", gender), ("age_range", age), ("education", education)):
            found[name][value] = found[name].get(value, 0) + n
    choices = {
        "gender": Response.Gender.choices,
        "age_range": Response.AgeRange.choices,
        "education": Response.Education.choices,
    }
    return {
        name: [(str(label), found[name].get(value, 0)) for value, label in choices[name]]
        + ([("", found[name][""])] if found[name].get("") else [])
        for name in found
    }


def response_table(survey: Survey) -> list[Response]:
    """Every response with its answers (the bureau's export), in two queries."""
    return list(
        Response.objects.filter(survey=survey)
        .select_related("unit", "respondent")
        .prefetch_related("answers")
        .order_by("unit__sort_order", "unit__code")
    )


# --- The chart -------------------------------------------------------------------------------


CHART_LABEL_WIDTH = 44
CHART_BAR_WIDTH = 320
CHART_ROW = 24
CHART_TOP = 4
CHART_MAX = 4  # scores run 1–4


@dataclass
class ChartBar:
    code: str
    name: str
    value: Decimal
    y: int
    width: float
    colour: str

    @property
    def text_y(self) -> int:
        return self.y + 16

    @property
    def value_x(self) -> float:
        return CHART_LABEL_WIDTH + self.width + 6


@dataclass
class Chart:
    bars: list[ChartBar]
    height: int
    ticks: list[dict]
    width: int = CHART_LABEL_WIDTH + CHART_BAR_WIDTH + 50
    label_width: int = CHART_LABEL_WIDTH


GRADE_COLOURS = {"A": "#198754", "B": "#0d6efd", "C": "#fd7e14", "D": "#dc3545"}


def element_chart(result: Results) -> Chart | None:
    """A horizontal bar per element (its average on the 0–4 scale); the template draws it."""
    measured = [e for e in result.elements if e.average is not None]
    if not measured:
        return None
    bars = []
    for n, element in enumerate(measured):
        grade = element.grade
        bars.append(
            ChartBar(
                code=element.code,
                name=element.element.name,
                value=element.average,
                y=CHART_TOP + n * CHART_ROW,
                width=round(float(element.average) / CHART_MAX * CHART_BAR_WIDTH, 1),
                colour=GRADE_COLOURS.get(grade.letter if grade else "", "#6c757d"),
            )
        )
    height = CHART_TOP + len(bars) * CHART_ROW + 18
    ticks = [
        {"value": t, "x": CHART_LABEL_WIDTH + t / CHART_MAX * CHART_BAR_WIDTH}
        for t in range(CHART_MAX + 1)
    ]
    return Chart(bars=bars, height=height, ticks=ticks)

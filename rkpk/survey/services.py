"""Writes of the satisfaction survey. Every function takes keyword arguments, runs in one
transaction, checks who may act and audits what it changed.

Rules kept here, whatever the caller (web page, API, the distribution of step 13):
- one survey per cycle, opened once the RK-PK is distributed (step 13 done or the RK-PK
  published); opening twice returns the survey already opened;
- every active unit is invited and its head and operators are told;
- a unit answers once (the unit head or an operator, for their own unit), every one of
  the nine elements with a score of 1–4, while the survey is open: until it is closed and
  at the latest on `closes_on` (RKPK_SURVEY_DAYS working days after opening, default 10);
- the questionnaire a survey used never changes: editing it makes the next version.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rkpk.core import audit
from rkpk.core.actions import require
from rkpk.core.calendar import calendar, today
from rkpk.core.formatting import format_date_id
from rkpk.organisation.models import UNIT_ROLES, Role, Unit, User
from rkpk.plans import services as plan_services
from rkpk.plans.services import CONTROL_CHARACTERS
from rkpk.procedure.models import Cycle
from rkpk.survey import (
    rules,  # noqa: F401  (registers the permissions)
    selectors,
)
from rkpk.survey.models import (
    ELEMENT_CODES,
    SCORES,
    Answer,
    Element,
    Invitation,
    Questionnaire,
    Response,
    Survey,
)

MANAGE = "survey.manage"
ANSWER = "survey.answer"
ANSWER_FOR_UNIT = "survey.answer_for_unit"
EDIT_QUESTIONNAIRE = "survey.edit_questionnaire"
DEFAULT_DAYS = 10
MAX_SUGGESTION = 4000
PROFILE_FIELDS = {
    "gender": Response.Gender,
    "age_range": Response.AgeRange,
    "education": Response.Education,
}
ELEMENT_FIELDS = ("name", "question", "option_1", "option_2", "option_3", "option_4")
ELEMENT_LIMITS = {
    "name": 200,
    "question": 500,
    "option_1": 120,
    "option_2": 120,
    "option_3": 120,
    "option_4": 120,
}


class AlreadyAnswered(plan_services.ConflictError):
    """The unit has answered this survey already (409 in the API)."""


def survey_days() -> int:
    """Working days a survey stays open (setting RKPK_SURVEY_DAYS, default 10)."""
    return int(getattr(settings, "RKPK_SURVEY_DAYS", DEFAULT_DAYS))


# --- Helpers -------------------------------------------------------------------------------


def _text(value, *, field: str, max_length: int, required: bool = False) -> str:
    text = str(value or "").replace("\r\n", "\n").translate(CONTROL_CHARACTERS).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": f"{max_length:,}"}})
    return text


def _line(value, *, field: str, max_length: int, required: bool = False) -> str:
    text = " ".join(str(value or "").translate(CONTROL_CHARACTERS).split())
    return _text(text, field=field, max_length=max_length, required=required)


def unit_people(unit_ids) -> list[User]:
    """The active heads and operators of the units."""
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=list(UNIT_ROLES),
            role_assignments__unit_id__in=list(unit_ids),
        ).distinct()
    )


def _bureau() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=[Role.STAFF, Role.HEAD_OF_SECTION, Role.HEAD_OF_BUREAU],
        ).distinct()
    )


def _notify(recipients, *, event: str, title: str, body: str, url: str) -> None:
    from rkpk.notifications.services import notify

    notify(recipients=recipients, event=event, title=title, body=body, url=url)


def current_questionnaire() -> Questionnaire:
    """The newest questionnaire; the seeded one is loaded when there is none at all."""
    questionnaire = selectors.current_questionnaire()
    if questionnaire is None:
        from rkpk.survey.reference_data import load

        questionnaire = load(Questionnaire, Element)
    return questionnaire


# --- Opening and closing -------------------------------------------------------------------


@transaction.atomic
def open_for_cycle(*, actor, cycle: Cycle) -> Survey:
    """Open the cycle's survey (the bureau, once step 13 is done or the RK-PK published).
    A second call returns the survey already opened and changes nothing."""
    require(actor, MANAGE, message=_("Only the bureau opens the satisfaction survey."))
    return _open(actor=actor, cycle=cycle)


@transaction.atomic
def open_after_distribution(*, actor, cycle: Cycle) -> Survey | None:
    """Open the cycle's survey when the distribution memorandum of step 13 has been
    dispatched (called by the system when the ministry publishes the RK-PK; the dispatch
    was authorised there, so no permission is checked here). Returns None when the cycle
    is not ready; a survey already opened is returned unchanged."""
    try:
        return _open(actor=actor, cycle=cycle)
    except ValidationError:
        return None


def _open(*, actor, cycle: Cycle) -> Survey:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    existing = Survey.objects.filter(cycle=cycle).first()
    if existing is not None:
        return existing
    if not selectors.ready_for_survey(cycle):
        raise ValidationError(
            _(
                "The satisfaction survey of %(cycle)s opens after the distribution of the "
                "RK-PK (step 13)."
            )
            % {"cycle": cycle.name},
            code="not_distributed",
        )
    now = timezone.now()
    days = survey_days()
    survey = Survey.objects.create(
        cycle=cycle,
        questionnaire=current_questionnaire(),
        opened_at=now,
        opened_by=actor if getattr(actor, "pk", None) else None,
        closes_on=calendar().add_working_days(today(), days),
    )
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))
    Invitation.objects.bulk_create(Invitation(survey=survey, unit=u, sent_at=now) for u in units)
    audit.record(
        actor=actor,
        action="survey.opened",
        obj=survey,
        after={
            "cycle": cycle.year,
            "questionnaire": survey.questionnaire.version,
            "closes_on": survey.closes_on,
            "units": [u.code for u in units],
        },
    )
    _notify(
        unit_people(u.pk for u in units),
        event="survey.opened",
        title=_("Satisfaction survey: RK-PK %(year)s") % {"year": cycle.year},
        body=_(
            "Please tell the Performance Accountability Bureau how satisfied your unit is with "
            "the RK-PK service, by %(date)s. It takes a few minutes."
        )
        % {"date": format_date_id(survey.closes_on)},
        url=reverse("survey:list"),
    )
    return survey


@transaction.atomic
def close(*, actor, survey: Survey) -> Survey:
    require(actor, MANAGE, message=_("Only the bureau closes the satisfaction survey."))
    return _close(actor=actor, survey=survey)


def _close(*, actor, survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().select_related("cycle").get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise ValidationError(_("The survey is already closed."), code="closed")
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.closed_by = actor if getattr(actor, "pk", None) else None
    survey.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        actor=actor,
        action="survey.closed",
        obj=survey,
        before={"status": Survey.Status.OPEN},
        after={"status": survey.status},
    )
    invited = Invitation.objects.filter(survey=survey).values_list("unit_id", flat=True)
    _notify(
        unit_people(invited) + _bureau(),
        event="survey.closed",
        title=_("Results of the satisfaction survey RK-PK %(year)s") % {"year": survey.cycle.year},
        body=_("The survey is closed; its results are available."),
        url=reverse("survey:detail", args=[survey.pk]),
    )
    return survey


@transaction.atomic
def close_expired(*, actor=None, on_date=None) -> int:
    """Close the open surveys whose last day has passed (the daily job). Returns how many."""
    day = on_date or today()
    closed = 0
    for survey in Survey.objects.filter(status=Survey.Status.OPEN, closes_on__lt=day):
        _close(actor=actor, survey=survey)
        closed += 1
    return closed


# --- Answering ---------------------------------------------------------------------------


def clean_scores(scores, element_list: list[Element] | None = None) -> dict[str, int]:
    """Every one of the nine elements with an integer score of 1–4; the errors name the
    element (keyed by its code)."""
    names = {e.code: e.name for e in element_list or []}

    def label(code: str) -> str:
        return f"{code} {names[code]}" if code in names else code

    if not isinstance(scores, dict):
        raise ValidationError(_("Give a score for each of the nine elements."), code="invalid")
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, int] = {}
    for key in scores:
        if key not in ELEMENT_CODES:
            errors[str(key)] = [_("%(code)s is not an element of the survey.") % {"code": key}]
    for code in ELEMENT_CODES:
        value = scores.get(code)
        if value is None or value == "":
            errors[code] = [_("%(element)s: choose a score.") % {"element": label(code)}]
            continue
        score = None
        if isinstance(value, int) and not isinstance(value, bool):
            score = value
        elif isinstance(value, str) and value.strip().isdigit():
            score = int(value.strip())
        if score not in SCORES:
            errors[code] = [
                _("%(element)s: the score must be 1, 2, 3 or 4, not %(value)s.")
                % {"element": label(code), "value": value}
            ]
            continue
        cleaned[code] = score
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_profile(profile) -> dict[str, str]:
    """The optional respondent profile: each value one of its choices or empty."""
    profile = profile or {}
    if not isinstance(profile, dict):
        raise ValidationError({"profile": _("The profile is not valid.")})
    errors, cleaned = {}, {}
    for key in profile:
        if key not in PROFILE_FIELDS:
            errors[str(key)] = [_("Unknown profile field.")]
    for name, choices in PROFILE_FIELDS.items():
        value = str(profile.get(name) or "").strip()
        if value and value not in choices.values:
            errors[name] = [_("Choose one of the options.")]
        cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def answer(
    *,
    actor,
    survey: Survey,
    unit: Unit,
    scores: dict,
    suggestion: str = "",
    profile: dict | None = None,
) -> Response:
    """Record a unit's answer: by its head or an operator, once, while the survey is open."""
    if actor is None or unit is None or not actor.has_perm(ANSWER_FOR_UNIT, unit):
        raise PermissionDenied(_("Only the unit's head or operators answer for their unit."))
    invitation = (
        Invitation.objects.select_for_update().filter(survey_id=survey.pk, unit=unit).first()
    )
    if invitation is None:
        raise PermissionDenied(_("This unit is not invited to the survey."))
    survey = Survey.objects.select_related("questionnaire").get(pk=survey.pk)
    if not survey.accepts_answers(today()):
        raise ValidationError(
            _("The survey is closed; answers are no longer accepted."), code="closed"
        )
    if (
        invitation.answered_at is not None
        or Response.objects.filter(survey=survey, unit=unit).exists()
    ):
        raise AlreadyAnswered(
            _("%(unit)s has already answered this survey; a unit answers once.")
            % {"unit": unit.name},
            code="answered",
        )
    cleaned = clean_scores(scores, selectors.elements(survey.questionnaire))
    values = clean_profile(profile)
    text = _text(suggestion, field="suggestion", max_length=MAX_SUGGESTION)
    now = timezone.now()
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                unit=unit,
                respondent=actor,
                submitted_at=now,
                suggestion=text,
                **values,
            )
    except IntegrityError as error:
        raise AlreadyAnswered(
            _("%(unit)s has already answered this survey; a unit answers once.")
            % {"unit": unit.name},
            code="answered",
        ) from error
    Answer.objects.bulk_create(
        Answer(response=response, element=code, score=score) for code, score in cleaned.items()
    )
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    audit.record(
        actor=actor,
        action="survey.answered",
        obj=response,
        after={"unit": unit.code, "scores": cleaned, "suggestion": bool(text), **values},
    )
    return response


# --- The questionnaire ---------------------------------------------------------------------


@transaction.atomic
def save_questionnaire(
    *, actor, questionnaire: Questionnaire, title: str, introduction: str, elements: dict
) -> Questionnaire:
    """Save the texts of the current questionnaire. A version a survey has used is kept
    as it is and the changes become the next version. `elements`: code -> {name, question,
    option_1..option_4}, for every one of the nine elements."""
    require(actor, EDIT_QUESTIONNAIRE, message=_("Only the administrator edits the questionnaire."))
    current = Questionnaire.objects.select_for_update().order_by("-version").first()
    if current is None or current.pk != questionnaire.pk:
        raise ValidationError(
            _("Only the newest version of the questionnaire can be edited."), code="old_version"
        )
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, dict[str, str]] = {}
    head = {}
    for name, max_length, value, line in (
        ("title", 300, title, True),
        ("introduction", 4000, introduction, False),
    ):
        try:
            clean = _line if line else _text
            head[name] = clean(value, field=name, max_length=max_length, required=line)
        except ValidationError as error:
            errors.update(error.message_dict)
    for code in ELEMENT_CODES:
        given = (elements or {}).get(code) or {}
        cleaned[code] = {}
        for name in ELEMENT_FIELDS:
            key = f"{code}-{name}"
            try:
                cleaned[code][name] = _line(
                    given.get(name), field=key, max_length=ELEMENT_LIMITS[name], required=True
                )
            except ValidationError as error:
                errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    old = {e.code: e for e in Element.objects.filter(questionnaire=current)}
    before = {
        "title": current.title,
        "introduction": current.introduction,
        "elements": {c: {n: getattr(e, n) for n in ELEMENT_FIELDS} for c, e in old.items()},
    }
    after = {**head, "elements": cleaned}
    if before == after:
        return current
    if Survey.objects.filter(questionnaire=current).exists():
        target = Questionnaire.objects.create(version=current.version + 1, created_by=actor, **head)
        Element.objects.bulk_create(
            Element(questionnaire=target, code=code, **cleaned[code]) for code in ELEMENT_CODES
        )
        action = "survey.questionnaire_versioned"
    else:
        target = current
        target.title, target.introduction = head["title"], head["introduction"]
        target.save(update_fields=["title", "introduction"])
        for code in ELEMENT_CODES:
            element = old.get(code) or Element(questionnaire=target, code=code)
            for name, value in cleaned[code].items():
                setattr(element, name, value)
            element.save()
        action = "survey.questionnaire_changed"
    audit.record(
        actor=actor,
        action=action,
        obj=target,
        before={"version": current.version, **before},
        after={"version": target.version, **after},
    )
    return target

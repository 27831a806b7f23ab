"""The satisfaction survey (Survei Kepuasan Masyarakat, PermenPAN-RB 14/2017).

A questionnaire (versioned data an administrator edits: nine elements U1–U9, each with a
question and four option labels) is sent to every active unit after the distribution of
the RK-PK (step 13). One survey per cycle; one invitation and at most one response per
unit; each response scores every element 1–4.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The nine elements (unsur) of PermenPAN-RB 14/2017, in their order.
ELEMENT_CODES = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
ELEMENT_CHOICES = [(code, code) for code in ELEMENT_CODES]
SCORES = (1, 2, 3, 4)


class Questionnaire(models.Model):
    """One version of the questionnaire. A version used by a survey is never changed:
    editing it creates the next version (rkpk.survey.services.save_questionnaire)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Element(models.Model):
    """An element (unsur) of a questionnaire: its question and the labels of scores 1–4."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="elements"
    )
    code = models.CharField(_("code"), max_length=2, choices=ELEMENT_CHOICES)
    name = models.CharField(_("element"), max_length=200)
    question = models.CharField(_("question"), max_length=500)
    option_1 = models.CharField(_("label of score 1"), max_length=120)
    option_2 = models.CharField(_("label of score 2"), max_length=120)
    option_3 = models.CharField(_("label of score 3"), max_length=120)
    option_4 = models.CharField(_("label of score 4"), max_length=120)

    class Meta:
        ordering = ["questionnaire", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="survey_unique_element_code"
            )
        ]
        verbose_name = _("element")
        verbose_name_plural = _("elements")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def options(self) -> list[tuple[int, str]]:
        return [(1, self.option_1), (2, self.option_2), (3, self.option_3), (4, self.option_4)]

    def option_label(self, score: int) -> str:
        return dict(self.options).get(score, "")


class Survey(models.Model):
    """The survey of one cycle. Open until closed by the bureau or until the end of
    `closes_on` (then answers are refused and the daily job closes it)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("survey status", "Open")
        CLOSED = "closed", _("Closed")

    cycle = models.OneToOneField(
        "procedure.Cycle", on_delete=models.PROTECT, related_name="survey", verbose_name=_("cycle")
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="surveys"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self) -> str:
        return _("Satisfaction survey %(cycle)s") % {"cycle": self.cycle}

    def accepts_answers(self, on_date) -> bool:
        return self.status == self.Status.OPEN and on_date <= self.closes_on


class Invitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    sent_at = models.DateTimeField(_("sent at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["survey", "unit__sort_order", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="survey_unique_invitation")
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.survey} — {self.unit}"


class Response(models.Model):
    """A unit's answer to the survey (given by its head or operator), with the optional
    respondent profile the regulation lists and an open suggestion."""

    class Gender(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class AgeRange(models.TextChoices):
        UNDER_30 = "under_30", _("Under 30")
        FROM_30 = "30_39", _("30–39")
        FROM_40 = "40_49", _("40–49")
        FROM_50 = "50_plus", _("50 or older")

    class Education(models.TextChoices):
        SECONDARY = "secondary", _("Secondary school or lower")
        DIPLOMA = "diploma", _("Diploma (D1–D3)")
        BACHELOR = "bachelor", _("Bachelor (D4/S1)")
        MASTER = "master", _("Master (S2)")
        DOCTORATE = "doctorate", _("Doctorate (S3)")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("respondent"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    suggestion = models.TextField(_("suggestion"), blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    age_range = models.CharField(
        _("age range"), max_length=10, choices=AgeRange.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="survey_one_response_per_unit")
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey} — {self.unit}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    element = models.CharField(_("element"), max_length=2, choices=ELEMENT_CHOICES)
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["response", "element"]
        constraints = [
            models.UniqueConstraint(fields=["response", "element"], name="survey_unique_answer"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=4), name="survey_score_1_to_4"
            ),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.element}: {self.score}"

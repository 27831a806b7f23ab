"""Forms of the survey pages. They read input; the services check and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.forms import BootstrapForm
from rkpk.survey.models import ELEMENT_CODES, Response
from rkpk.survey.services import ELEMENT_FIELDS, ELEMENT_LIMITS, MAX_SUGGESTION

NOT_GIVEN = [("", _("Prefer not to say"))]


class AnswerForm(forms.Form):
    """One radio group (scores 1–4 with the element's labels) per element, the optional
    profile and the suggestion. The template draws each element as a fieldset."""

    suggestion = forms.CharField(
        label=_("Suggestions for improving the service"),
        required=False,
        max_length=MAX_SUGGESTION,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=NOT_GIVEN + list(Response.Gender.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    age_range = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=NOT_GIVEN + list(Response.AgeRange.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    education = forms.ChoiceField(
        label=_("Education"),
        required=False,
        choices=NOT_GIVEN + list(Response.Education.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, elements, **kwargs):
        super().__init__(*args, **kwargs)
        self.elements = elements
        for element in elements:
            self.fields[element.code] = forms.TypedChoiceField(
                label=f"{element.code}. {element.name}",
                help_text=element.question,
                choices=[(str(score), label) for score, label in element.options],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose one answer.")},
            )

    def element_fields(self):
        return [(element, self[element.code]) for element in self.elements]

    def profile_fields(self):
        return [self["gender"], self["age_range"], self["education"]]

    def scores(self) -> dict[str, int]:
        return {code: self.cleaned_data.get(code) for code in ELEMENT_CODES}

    def profile(self) -> dict[str, str]:
        return {
            name: self.cleaned_data.get(name, "") for name in ("gender", "age_range", "education")
        }


class OpenSurveyForm(BootstrapForm):
    cycle = forms.TypedChoiceField(label=_("Cycle"), coerce=int)

    def __init__(self, *args, cycles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].choices = [(c.pk, c.name) for c in cycles]


ELEMENT_LABELS = {
    "name": _("Element"),
    "question": _("Question"),
    "option_1": _("Label of score 1"),
    "option_2": _("Label of score 2"),
    "option_3": _("Label of score 3"),
    "option_4": _("Label of score 4"),
}


class QuestionnaireForm(BootstrapForm):
    """The texts of the questionnaire: a title, an introduction and, for each element, its
    name, question and the four labels (fields "U1-name", "U1-option_1", …)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, questionnaire, elements, **kwargs):
        initial = {"title": questionnaire.title, "introduction": questionnaire.introduction}
        by_code = {e.code: e for e in elements}
        for code in ELEMENT_CODES:
            for name in ELEMENT_FIELDS:
                element = by_code.get(code)
                initial[f"{code}-{name}"] = getattr(element, name) if element else ""
        super().__init__(*args, initial=initial, **kwargs)
        for code in ELEMENT_CODES:
            for name in ELEMENT_FIELDS:
                self.fields[f"{code}-{name}"] = forms.CharField(
                    label=ELEMENT_LABELS[name],
                    max_length=ELEMENT_LIMITS[name],
                    widget=forms.TextInput(attrs={"class": "form-control"}),
                )

    def element_groups(self):
        return [
            (code, [self[f"{code}-{name}"] for name in ELEMENT_FIELDS]) for code in ELEMENT_CODES
        ]

    def element_values(self) -> dict:
        return {
            code: {name: self.cleaned_data.get(f"{code}-{name}", "") for name in ELEMENT_FIELDS}
            for code in ELEMENT_CODES
        }

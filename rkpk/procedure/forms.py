from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.calendar import today
from rkpk.core.forms import BootstrapForm, DateInput, style_widgets
from rkpk.organisation.models import Role
from rkpk.procedure.models import StandardStep


class CycleStartForm(BootstrapForm):
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        help_text=_("Step 1 is planned to start on this date."),
    )
    name = forms.CharField(
        label=_("Name"), required=False, max_length=100, help_text=_("Default: RK-PK {year}")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = today().year + 1
        self.fields["start_date"].initial = today()


class StepActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("start", "start"), ("complete", "complete"), ("return", "return")]
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea)
    to_number = forms.IntegerField(
        label=_("Return to step"), required=False, min_value=1, max_value=32767
    )  # a step's number is a PositiveSmallIntegerField


class StandardHeaderForm(BootstrapForm):
    name = forms.CharField(label=_("Name of the standard"), max_length=300)
    notes = forms.CharField(
        label=_("What changed and why"), widget=forms.Textarea(attrs={"rows": 2})
    )


class StandardStepForm(forms.ModelForm):
    responsible_roles = forms.MultipleChoiceField(
        label=_("Responsible roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    activities = forms.CharField(
        label=_("Activities (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = StandardStep
        fields = [
            "title_id",
            "title_en",
            "standard_days",
            "responsible_roles",
            "activities",
            "done_when",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.activities, list):
            self.initial["activities"] = "\n".join(self.instance.activities)
        style_widgets(self)
        self.fields["responsible_roles"].widget.attrs["class"] = "form-check-input"

    def clean_activities(self):
        return [
            line.strip() for line in self.cleaned_data["activities"].splitlines() if line.strip()
        ]

    def as_step(self) -> dict:
        data = self.cleaned_data
        return {
            "title_id": data["title_id"],
            "title_en": data["title_en"],
            "standard_days": data["standard_days"],
            "responsible_roles": data["responsible_roles"],
            "activities": data["activities"],
            "done_when": data.get("done_when", ""),
        }


StandardStepFormSet = forms.modelformset_factory(
    StandardStep, form=StandardStepForm, extra=1, can_delete=True
)

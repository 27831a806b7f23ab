from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rkpk.complaints import selectors
from rkpk.complaints.models import Complaint
from rkpk.core.forms import BootstrapForm
from rkpk.procedure.models import Cycle
from rkpk.procedure.selectors import cycles_for


class CycleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def step_choices(cycle: Cycle | None) -> list[tuple[str, str]]:
    choices = [("", _("— none —"))]
    if cycle is not None:
        for step in cycle.steps.select_related("standard_step").order_by("number"):
            choices.append((str(step.number), f"{step.number}. {step.standard_step.title}"))
    return choices


class ComplaintForm(BootstrapForm):
    category = forms.ChoiceField(
        label=_("Category"), choices=Complaint.Category.choices, widget=forms.RadioSelect
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, when, and what you expect."),
    )
    cycle = CycleChoiceField(
        label=_("Related cycle"),
        queryset=Cycle.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    step_number = forms.IntegerField(
        label=_("Related step"),
        required=False,
        widget=forms.Select(choices=[]),
        min_value=1,
        max_value=32767,  # the column is a PositiveSmallIntegerField
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional. PDF, Word, Excel, PNG or JPEG, at most 10 MB; no macros."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles_for(user)
        self.fields["category"].widget.attrs["class"] = "form-check-input"
        cycle = None
        raw = self.data.get("cycle") if self.is_bound else None
        if raw and str(raw).isdigit():
            cycle = self.fields["cycle"].queryset.filter(pk=int(raw)).first()
        self.fields["step_number"].widget.choices = step_choices(cycle)
        self.fields["cycle"].widget.attrs.update(
            {
                "hx-get": reverse("complaints:step_options"),
                "hx-trigger": "change",
                "hx-target": "#id_step_number",
                "hx-swap": "innerHTML",
            }
        )


class DelegateForm(BootstrapForm):
    to = forms.ModelChoiceField(label=_("Head of Section"), queryset=None)
    note = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = selectors.delegate_candidates()


class FollowUpForm(BootstrapForm):
    action = forms.CharField(label=_("Action taken"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(BootstrapForm):
    text = forms.CharField(
        label=_("Answer to the complainant"), widget=forms.Textarea(attrs={"rows": 5})
    )


class CloseForm(BootstrapForm):
    note = forms.CharField(
        label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RateForm(BootstrapForm):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Complaint.Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].widget.attrs["class"] = "form-check-input"


class RegisterFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Complaint.Status.choices
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All"))] + Complaint.Category.choices,
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All"))] + [(y, str(y)) for y in selectors.years()]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "category": data.get("category") or "",
            "year": data.get("year"),
            "overdue": bool(data.get("overdue")),
        }

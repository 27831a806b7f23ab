"""Forms of the plan editor. They validate what people type; the services do the writing.

Numbers are read the Indonesian way ("1.234,5", "85%", "Rp1.500.000") with
`rkpk.core.formatting.parse_number` and shown back the same way.
"""

import hashlib
import json
import secrets
from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rkpk.core.formatting import format_number
from rkpk.core.forms import BootstrapForm, style_widgets
from rkpk.organisation.models import Official, Unit
from rkpk.plans import monitoring, services_approval
from rkpk.plans.models import (
    ActingKind,
    Activity,
    ActivityIndicator,
    Goal,
    Indicator,
    QualitativeValue,
    TargetKind,
    UnitPlan,
)
from rkpk.plans.validation import bounds, parse_decimal, percent_kind, required_message


class IndonesianDecimalField(forms.CharField):
    """A number typed as people in Indonesia write it; shown back with "." thousands."""

    def __init__(self, *, max_digits: int = 20, decimal_places: int = 4, min_value=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", "40")
        self.max_digits, self.decimal_places, self.min_value = max_digits, decimal_places, min_value
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return format_number(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        # The one reading of a number (editor, workbook, API): size checked before rounding.
        return parse_decimal(
            text,
            max_digits=self.max_digits,
            decimal_places=self.decimal_places,
            min_value=self.min_value,
        )


PARTY_FIELDS = ["first_party_id", "first_party_acting", "second_party_id", "second_party_acting"]


def fingerprint(instance, fields=None) -> str:
    """A digest of what the editor saw of a row (or of a plan's PK parties).

    A save whose revision is stale but whose row still matches this digest changed
    nothing anybody else wrote (e.g. only the row's position moved): it is not a conflict.
    """
    from rkpk.plans.services import CONTENT

    if fields is None:
        fields = [type(instance)._meta.get_field(name).attname for name in CONTENT[type(instance)]]
    values = {name: str(getattr(instance, name)) for name in fields}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


class RevisionMixin:
    """The revision (and a digest) of the row the editor saw, sent back with every save."""

    def add_revision(self, instance, fields=None) -> None:
        self.fields["revision"] = forms.IntegerField(
            required=False, widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1
        )
        self.fields["seen"] = forms.CharField(
            required=False, widget=forms.HiddenInput, max_length=64
        )
        if instance is not None and instance.pk:
            self.fields["revision"].initial = instance.revision
            self.fields["seen"].initial = fingerprint(instance, fields)


class EditorModelForm(RevisionMixin, forms.ModelForm):
    """Validates one content row. Never saved itself: `values()` goes to the services."""

    def __init__(self, *args, plan: UnitPlan, **kwargs):
        self.plan = plan
        instance = kwargs.get("instance")
        # Several rows may be open at once: ids unique on the page, names unchanged.
        key = instance.pk if instance is not None and instance.pk else f"new{secrets.token_hex(3)}"
        kwargs.setdefault("auto_id", f"id_{self._meta.model._meta.model_name}{key}_%s")
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name, field in self.fields.items():
            if isinstance(field, IndonesianDecimalField) and name in self._meta.fields:
                # The model field's size, so the form refuses what the database cannot hold.
                field.max_digits, field.decimal_places = bounds(model, name)
            if name in ("name", "text"):
                # The same words as every other path (workbook, API) for an empty text.
                field.error_messages["required"] = required_message()
        self.add_revision(self.instance)
        style_widgets(self)
        focus = "text" if "text" in self.fields else "name"
        if focus in self.fields:
            self.fields[focus].widget.attrs["autofocus"] = True

    def values(self) -> dict:
        return {
            name: value for name, value in self.cleaned_data.items() if name in self._meta.fields
        }


def _textarea(rows: int = 2):
    return forms.Textarea(attrs={"rows": rows})


class ListChoiceField(forms.ChoiceField):
    """A drop-down of a reference list whose value is judged by rkpk.plans.validation (the
    same refusal as the workbook and the API), not by the choices offered."""

    def valid_value(self, value) -> bool:
        return True


class TargetFormMixin:
    """Keeps only the inputs of the chosen target kind; "85%" typed as a number is a percentage."""

    def setup_target(self) -> None:
        values = list(
            QualitativeValue.objects.filter(is_active=True).values_list("value", flat=True)
        )
        current = getattr(self.instance, "target_text", "")
        if current and current not in values:
            values.append(current)
        self.fields["target_text"] = ListChoiceField(
            label=_("Qualitative target"),
            required=False,
            choices=[("", "—")] + [(v, v) for v in values],
        )
        self.fields["target_kind"].widget.attrs["data-target-kind"] = ""
        style_widgets(self)

    def clean(self):
        data = super().clean()
        kind = data.get("target_kind")
        raw_value = str(self.data.get(self.add_prefix("target_value"), "")).strip()
        if kind:  # "85%" under the kind number: the validator's rule, as on every path
            kind = data["target_kind"] = percent_kind(kind, raw_value)
        if kind in (TargetKind.NUMBER, TargetKind.PERCENT):
            data["target_min"] = data["target_max"] = None
            data["target_text"] = ""
        elif kind == TargetKind.RANGE:
            # min <= max, like every rule on a row, is judged by rkpk.plans.validation
            data["target_value"] = None
            data["target_text"] = ""
        elif kind == TargetKind.QUALITATIVE:
            data["target_value"] = data["target_min"] = data["target_max"] = None
        return data


class GoalForm(EditorModelForm):
    class Meta:
        model = Goal
        fields = ["code", "text", "level"]
        widgets = {"text": _textarea(2)}


class IndicatorForm(TargetFormMixin, EditorModelForm):
    target_value = IndonesianDecimalField(label=_("Target"))
    target_min = IndonesianDecimalField(label=_("Target from"))
    target_max = IndonesianDecimalField(label=_("Target to"))
    q1 = IndonesianDecimalField(label=_("Q1"))
    q2 = IndonesianDecimalField(label=_("Q2"))
    q3 = IndonesianDecimalField(label=_("Q3"))
    q4 = IndonesianDecimalField(label=_("Q4"))

    class Meta:
        model = Indicator
        fields = [
            "goal",
            "code",
            "name",
            "measure",
            "polarity",
            "indicator_type",
            "definition",
            "formula",
            "data_source",
            "target_kind",
            "target_value",
            "target_min",
            "target_max",
            "target_text",
            "q1",
            "q2",
            "q3",
            "q4",
            "in_pk",
        ]
        widgets = {
            "name": _textarea(2),
            "definition": _textarea(2),
            "formula": _textarea(2),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        goal_field = self.fields["goal"]
        goal_field.queryset = Goal.objects.filter(plan=self.plan).order_by("position", "id")
        goal_field.empty_label = None
        # The model's foreign key has no verbose name: Django would label it "Goal" untranslated.
        goal_field.label = _("Goal")
        goal_field.label_from_instance = goal_label
        self.fields["measure"].widget.attrs["list"] = "measure-units"
        self.setup_target()


def goal_label(goal: Goal) -> str:
    text = goal.text if len(goal.text) <= 90 else goal.text[:89] + "…"
    return f"{goal.code} · {text}" if goal.code else text


class ActivityForm(EditorModelForm):
    budget = IndonesianDecimalField(
        label=_("Budget (Rp)"),
        max_digits=18,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=_("E.g. 1.500.000"),
    )

    rolls_up = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Rolls up the plan of"),
        empty_label=_("— (the unit's own activity)"),
        help_text=_(
            "For a line that stands for the whole plan of a unit below: the compilation "
            "reconciles it with that plan and does not add it again."
        ),
    )

    class Meta:
        model = Activity
        fields = ["kind", "code", "name", "budget", "notes", "rolls_up"]
        widgets = {"name": _textarea(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from rkpk.plans.rollups import units_below

        field = self.fields["rolls_up"]
        field.queryset = units_below(self.plan.unit)
        field.label_from_instance = lambda unit: f"{unit.code} · {unit.name}"
        if not self.instance.rolls_up_id and not field.queryset.exists():
            # A unit with no unit below has nothing to roll up: the field stays out of sight.
            field.widget = forms.HiddenInput()

    def clean_budget(self):
        value = self.cleaned_data.get("budget")
        return Decimal(0) if value is None else value


class ActivityIndicatorForm(TargetFormMixin, EditorModelForm):
    target_value = IndonesianDecimalField(label=_("Target"))
    target_min = IndonesianDecimalField(label=_("Target from"))
    target_max = IndonesianDecimalField(label=_("Target to"))
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), widget=forms.HiddenInput)

    class Meta:
        model = ActivityIndicator
        fields = [
            "name",
            "measure",
            "target_kind",
            "target_value",
            "target_min",
            "target_max",
            "target_text",
        ]
        widgets = {"name": _textarea(2)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(plan=self.plan)
        if self.instance.pk:
            self.fields["activity"].initial = self.instance.activity_id
            self.fields["activity"].required = False
        self.fields["measure"].widget.attrs["list"] = "measure-units"
        self.setup_target()


# --- PK parties ---------------------------------------------------------------------------


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Official) -> str:
        nip = f" · NIP {obj.nip}" if obj.nip else ""  # a state official has none
        return f"{obj.name} · {obj.position}{nip}"


class PartiesForm(RevisionMixin, BootstrapForm):
    first_party = OfficialChoiceField(
        label=_("First party (the unit head)"), queryset=Official.objects.none(), required=False
    )
    first_party_acting = forms.ChoiceField(
        label=_("First party acts as"), choices=ActingKind.choices, required=False
    )
    second_party = OfficialChoiceField(
        label=_("Second party (the direct superior)"),
        queryset=Official.objects.none(),
        required=False,
    )
    second_party_acting = forms.ChoiceField(
        label=_("Second party acts as"), choices=ActingKind.choices, required=False
    )

    def __init__(self, *args, plan: UnitPlan, officials, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        self.add_revision(plan, PARTY_FIELDS)
        for name in ("first_party", "second_party"):
            self.fields[name].queryset = officials
            self.fields[name].widget.attrs["class"] = "form-select"
        for name in ("first_party_acting", "second_party_acting"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        first, second = data.get("first_party"), data.get("second_party")
        if first is not None and second is not None and first.pk == second.pk:
            self.add_error("second_party", _("The second party must be another person."))
        return data


# --- Lists --------------------------------------------------------------------------------


class PlanSearchForm(BootstrapForm):
    q = forms.CharField(label=_("Unit code or name"), required=False, max_length=100)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + UnitPlan.Status.choices
    )


class StartPlanForm(BootstrapForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            units if units is not None else Unit.objects.filter(is_active=True)
        )


class ReturnToOperatorForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the operator"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=services_approval.MAX_NOTE,
        help_text=_("What should be changed before you approve the plan."),
    )


class BoardFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    eselon1 = forms.ChoiceField(label=_("Eselon I unit"), required=False)
    late = forms.BooleanField(label=_("Late only"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = monitoring.status_filter_choices()
        self.fields["eselon1"].choices = [("", gettext("All"))] + [
            (u.code, u.short_name or u.name) for u in monitoring.eselon1_units(year)
        ]

    def filters(self) -> dict:
        """The valid filters (an invalid value is dropped, the others still apply)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "eselon1": data.get("eselon1") or "",
            "late_only": bool(data.get("late")),
            "sort": data.get("sort") or "",
        }

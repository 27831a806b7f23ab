from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.audit_labels import action_label, object_type_label
from rkpk.core.models import CalendarOverride


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapForm(forms.Form):
    """Gives every widget Bootstrap's classes, so templates can render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)


def style_widgets(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class CalendarOverrideForm(BootstrapForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarOverride.Kind.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("E.g. 'Cuti bersama, SKB 3 Menteri 2027' or 'Idul Fitri moved by decree'."),
    )


class AuditFilterForm(BootstrapForm):
    actor = forms.CharField(label=_("Actor"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    text = forms.CharField(label=_("Object"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        # Labels, not codes; the code stays the submitted value (the URL a filter shares).
        self.fields["action"].choices = everything + sorted(
            ((a, action_label(a)) for a in actions), key=lambda c: c[1]
        )
        self.fields["object_type"].choices = everything + sorted(
            ((t, object_type_label(t)) for t in object_types), key=lambda c: c[1]
        )

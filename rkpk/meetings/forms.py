"""Forms of the meeting pages. They read and check input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.forms import BootstrapForm, DateInput
from rkpk.meetings.dates import combine, local
from rkpk.meetings.models import AgendaItem, Decision
from rkpk.organisation.models import Official, Unit
from rkpk.procedure.models import Cycle

# A revision is a PositiveIntegerField: a larger number is a form error, not a database one.
REVISION_MAX = 2**31 - 1


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _officials():
    return Official.objects.filter(is_active=True).order_by("name")


def _units():
    return Unit.objects.filter(is_active=True).order_by("sort_order", "code")


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.position}"


class OfficialMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} — {obj.position}"


class MeetingForm(BootstrapForm):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), queryset=Cycle.objects.filter(status=Cycle.Status.ACTIVE)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at (WIB)"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at (WIB)"), widget=TimeInput(), required=False)
    place = forms.CharField(label=_("Place"), max_length=200)
    chair = OfficialChoiceField(
        label=_("Chair"),
        queryset=_officials(),
        required=False,
        help_text=_("The head of bureau chairs the meeting; left empty, their official is used."),
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=REVISION_MAX
    )

    def __init__(self, *args, meeting=None, **kwargs):
        if meeting is not None and not kwargs.get("initial"):
            start = local(meeting.starts_at)
            kwargs["initial"] = {
                "title": meeting.title,
                "day": start.date(),
                "start_time": start.time(),
                "end_time": local(meeting.ends_at).time() if meeting.ends_at else None,
                "place": meeting.place,
                "chair": meeting.chair_id,
                "revision": meeting.revision,
            }
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _officials()
        if meeting is not None:
            del self.fields["cycle"]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start:
            data["starts_at"] = combine(day, start)
            data["ends_at"] = combine(day, end) if end else None
            if end and end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return data

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data["place"],
            "chair": data["chair"],
        }


class InviteForm(BootstrapForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=_units(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    officials = OfficialMultipleChoiceField(
        label=_("Officials"),
        queryset=_officials(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    guests = forms.CharField(
        label=_("Other guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name per line, e.g. 'Perwakilan Kementerian PAN'."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units()
        self.fields["officials"].queryset = _officials()

    def guest_names(self) -> list[str]:
        return [line for line in self.cleaned_data.get("guests", "").splitlines() if line.strip()]


class AgendaItemForm(BootstrapForm):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(BootstrapForm):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False
    )
    owner_unit = forms.ModelChoiceField(label=_("Owner (unit)"), queryset=_units(), required=False)
    owner_official = OfficialChoiceField(
        label=_("Owner (official)"), queryset=_officials(), required=False
    )
    owner_text = forms.CharField(
        label=_("Owner (someone else)"),
        max_length=200,
        required=False,
        help_text=_("Name one owner: a unit, an official or someone else."),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Decision.Status.choices, required=False)
    revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=REVISION_MAX
    )

    def __init__(self, *args, meeting, decision=None, **kwargs):
        if decision is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "text": decision.text,
                "agenda_item": decision.agenda_item_id,
                "owner_unit": decision.owner_unit_id,
                "owner_official": decision.owner_official_id,
                "owner_text": decision.owner_text,
                "due_date": decision.due_date,
                "status": decision.status,
                "revision": decision.revision,
            }
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting=meeting)
        self.fields["owner_unit"].queryset = _units()
        self.fields["owner_official"].queryset = _officials()
        if decision is None:
            del self.fields["status"]

    def service_values(self) -> dict:
        data = self.cleaned_data
        values = {
            name: data.get(name)
            for name in (
                "text",
                "agenda_item",
                "owner_unit",
                "owner_official",
                "owner_text",
                "due_date",
            )
        }
        values["owner_text"] = values["owner_text"] or ""
        if "status" in self.fields and data.get("status"):
            values["status"] = data["status"]
        return values


class CancelForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)

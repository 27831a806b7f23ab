"""Forms of the acting assignments (Plt/Plh). The rules are checked by
rkpk.organisation.services_acting; its errors are shown on these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.calendar import today
from rkpk.core.forms import BootstrapForm, DateInput
from rkpk.organisation.models import ActingAssignment, Role, User
from rkpk.organisation.services_acting import ACTING_ROLES, MAX_REASON, State


def role_choices() -> list[tuple[str, str]]:
    return [(role, Role(role).label) for role in ACTING_ROLES]


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.official.name if obj.official_id else obj.get_full_name()
        return f"{name} ({obj.username})" if name else obj.username


class ActingFilterForm(BootstrapForm):
    STATES = [
        ("", _("All")),
        (State.CURRENT, _("Current")),
        (State.UPCOMING, _("Upcoming")),
        (State.PAST, _("Past")),
    ]

    q = forms.CharField(label=_("Search name or username"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Acts as"), required=False)
    state = forms.ChoiceField(label=_("Period"), required=False, choices=STATES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All roles")), *role_choices()]


class ActingAssignmentForm(BootstrapForm):
    user = UserChoiceField(
        label=_("Person who acts"),
        queryset=User.objects.none(),
        help_text=_("They review and sign in the role for the dates below."),
    )
    role = forms.ChoiceField(label=_("Acts as"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ActingAssignment.Kind.choices,
        help_text=_(
            "Plt. when the position is vacant or its holder away for long; "
            "Plh. for a short absence."
        ),
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until (included)"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON,
        help_text=_("E.g. 'Kepala Biro cuti tahunan, Surat Perintah No. …'."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"starts_on": today(), "ends_on": today()})
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True).select_related("official").order_by("username")
        )
        self.fields["role"].choices = [("", "—"), *role_choices()]


class EndAssignmentForm(BootstrapForm):
    last_day = forms.DateField(
        label=_("Last day"),
        widget=DateInput(),
        help_text=_("The person acts until the end of this day; today or later."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"last_day": today()})
        super().__init__(*args, **kwargs)

"""The organisation profile form (the administrator's page). Validation that concerns the
stored record (NIP, coordinating unit, logo content) is the service's; it is shown on the
fields here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.forms import BootstrapForm
from rkpk.organisation.forms import UnitChoiceField
from rkpk.organisation.models import OrganisationProfile, Unit

TEXTAREA = {"rows": 3}


def _max(name: str) -> int:
    return OrganisationProfile._meta.get_field(name).max_length


class ProfileForm(BootstrapForm):
    name = forms.CharField(
        label=_("Official name"),
        max_length=_max("name"),
        help_text=_("As printed on every document, e.g. 'Kementerian …' or 'Badan …'."),
    )
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=_max("short_name"),
        help_text=_("Used in numbers of official documents ({organisation} in a register)."),
    )
    minister_title = forms.CharField(
        label=_("Title of the minister (head of the organisation)"),
        max_length=_max("minister_title"),
        help_text=_("First party of the organisation's PK and signer of its RK-PK."),
    )
    deputy_title = forms.CharField(
        label=_("Title of the deputy"), max_length=_max("deputy_title"), required=False
    )
    head_of_bureau_title = forms.CharField(
        label=_("Title of the head of the coordinating bureau"),
        max_length=_max("head_of_bureau_title"),
        required=False,
    )
    head_of_section_title = forms.CharField(
        label=_("Title of the head of section"),
        max_length=_max("head_of_section_title"),
        required=False,
    )
    general_bureau_title = forms.CharField(
        label=_("Name of the general bureau"),
        max_length=_max("general_bureau_title"),
        required=False,
    )
    coordinating_unit = UnitChoiceField(
        label=_("Coordinating unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("The unit that coordinates the RK-PK (the bureau)."),
    )
    pk_second_party_title = forms.CharField(
        label=_("Second party of the organisation's PK (title)"),
        max_length=_max("pk_second_party_title"),
        help_text=_("E.g. 'Presiden Republik Indonesia'."),
    )
    pk_second_party_name = forms.CharField(
        label=_("Name of the second party"),
        max_length=_max("pk_second_party_name"),
        required=False,
        help_text=_("Empty: a dotted line is printed for the name."),
    )
    pk_second_party_has_nip = forms.BooleanField(
        label=_("The second party carries a NIP"), required=False
    )
    pk_second_party_nip = forms.CharField(
        label=_("NIP of the second party"),
        max_length=18,
        required=False,
        help_text=_("18 digits; printed only when the second party carries a NIP."),
    )
    address = forms.CharField(
        label=_("Address lines of the letterhead"),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One line per line, printed under the name."),
    )
    signing_city = forms.CharField(
        label=_("City before signature dates"),
        max_length=_max("signing_city"),
        help_text=_("E.g. 'Jakarta' in 'Jakarta, 2 Januari 2027'."),
    )
    unit_head_approval = forms.BooleanField(
        label=_("The unit head approves a unit's plan before it goes to the bureau"),
        required=False,
        initial=True,
        help_text=_(
            "On: a unit operator's submission waits for the approval of the unit head (the "
            "first party of the unit's PK). Off: the operator submits to the bureau directly."
        ),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 1 MB; printed at the head of official documents."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def __init__(self, *args, profile: OrganisationProfile | None = None, **kwargs):
        if profile is not None and profile.pk and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(profile, name)
                for name in self.base_fields
                if name not in ("logo", "remove_logo", "coordinating_unit")
            } | {"coordinating_unit": profile.coordinating_unit_id, "remove_logo": False}
        super().__init__(*args, **kwargs)
        self.fields["coordinating_unit"].queryset = Unit.objects.filter(is_active=True).order_by(
            "sort_order", "code"
        )
        if profile is None or not profile.logo:
            del self.fields["remove_logo"]

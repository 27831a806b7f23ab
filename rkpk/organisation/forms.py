from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.forms import BootstrapForm, DateInput
from rkpk.organisation import importers, selectors
from rkpk.organisation.models import UNIT_ROLES, Headship, Official, Role, Unit


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        marker = "" if obj.is_active else " " + str(_("(deactivated)"))
        return f"{'— ' * max(obj.level - 1, 0)}{obj.code} · {obj.name}{marker}"


class OfficialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Official) -> str:
        return " · ".join(part for part in (obj.name, obj.nip or "", obj.position) if part)


# --- Units --------------------------------------------------------------------------------


class UnitSearchForm(BootstrapForm):
    q = forms.CharField(label=_("Search code or name"), required=False, max_length=100)
    inactive = forms.BooleanField(label=_("Show deactivated units"), required=False)


class UnitForm(BootstrapForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=Unit._meta.get_field("code").max_length,
        help_text=_("Unique; letters, digits, dot, underscore and hyphen."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    level = forms.TypedChoiceField(label=_("Level"), choices=Unit.Level.choices, coerce=int)
    parent = UnitChoiceField(
        label=_("Parent unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Must be at a higher echelon (a lower level number). Empty for a top unit."),
    )
    head_position = forms.CharField(
        label=_("Head position"),
        max_length=200,
        required=False,
        help_text=_("Position title of the unit's head, e.g. 'Kepala Biro Umum'."),
    )
    sort_order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=2**31 - 1,  # the column is a PositiveIntegerField
        initial=0,
        required=False,
        help_text=_("Units with a lower number are listed first among their siblings."),
    )

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        if unit is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": unit.code,
                "name": unit.name,
                "short_name": unit.short_name,
                "level": unit.level,
                "parent": unit.parent_id,
                "head_position": unit.head_position,
                "sort_order": unit.sort_order,
            }
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = selectors.parent_choices(unit)


# --- Officials ----------------------------------------------------------------------------


class OfficialFilterForm(BootstrapForm):
    STATUS_CHOICES = [("", _("All")), ("active", _("Active")), ("inactive", _("Inactive"))]

    q = forms.CharField(label=_("Search name, NIP or position"), required=False, max_length=100)
    unit = UnitChoiceField(
        label=_("Unit (with its sub-units)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units.order_by("level", "sort_order", "code")


class OfficialForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    nip = forms.CharField(
        label=_("NIP"),
        max_length=24,
        required=False,
        help_text=_("18 digits. Empty only for a state official (pejabat negara)."),
        widget=forms.TextInput(),
    )
    is_state_official = forms.BooleanField(
        label=_("State official (pejabat negara, no NIP)"),
        required=False,
        help_text=_("A minister or other pejabat negara, who has no NIP."),
    )
    position = forms.CharField(label=_("Position"), max_length=200)
    rank = forms.CharField(label=_("Rank/grade"), max_length=100, required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, official: Official | None = None, **kwargs):
        if official is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": official.name,
                "nip": official.nip or "",
                "is_state_official": official.is_state_official,
                "position": official.position,
                "rank": official.rank,
                "unit": official.unit_id,
                "is_active": official.is_active,
            }
        super().__init__(*args, **kwargs)
        self.fields["nip"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        current = official.unit_id if official is not None else None
        units = Unit.objects.filter(is_active=True)
        if current:
            units = Unit.objects.filter(pk=current) | units
        self.fields["unit"].queryset = units.order_by("level", "sort_order", "code")


class HeadshipForm(BootstrapForm):
    """Record who heads a unit: definitively, or as Plt./Plh. for a period."""

    official = OfficialChoiceField(label=_("Official"), queryset=Official.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Headship.Kind.choices)
    starts_on = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("Required for Plt. and Plh."),
    )
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty while it lasts."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = Official.objects.filter(is_active=True).order_by(
            "name", "pk"
        )


class EndHeadshipForm(BootstrapForm):
    ends_on = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: today."),
    )


# --- Accounts and roles -------------------------------------------------------------------


class UserFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search name, username or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class _UserFields(BootstrapForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    official = OfficialChoiceField(
        label=_("Official"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("The civil servant this account belongs to, if any."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = Official.objects.filter(is_active=True).order_by("name")


class _PasswordFields(forms.Form):
    def clean(self):
        data = super().clean()
        first, second = data.get("password"), data.get("password_confirm")
        if (first or second) and first != second:
            self.add_error("password_confirm", _("The two passwords differ."))
        return data


def _password_field(label, required=True):
    return forms.CharField(
        label=label,
        required=required,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserCreateForm(_PasswordFields, _UserFields):
    password = _password_field(_("Password"))
    password_confirm = _password_field(_("Password (again)"))


class UserEditForm(_UserFields):
    def __init__(self, *args, user=None, **kwargs):
        if user is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "official": user.official_id,
                "is_active": user.is_active,
            }
        super().__init__(*args, **kwargs)
        if user is not None and user.official_id:
            self.fields["official"].queryset = Official.objects.filter(
                pk=user.official_id
            ) | Official.objects.filter(is_active=True)


class PasswordForm(_PasswordFields, BootstrapForm):
    password = _password_field(_("New password"))
    password_confirm = _password_field(_("New password (again)"))


class RoleForm(BootstrapForm):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices])
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Only for %(roles)s; leave empty for every other role."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by(
            "level", "sort_order", "code"
        )
        self.fields["unit"].help_text = self.fields["unit"].help_text % {
            "roles": ", ".join(str(Role(r).label) for r in sorted(UNIT_ROLES))
        }


# --- Import -------------------------------------------------------------------------------


class ImportForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=importers.KIND_CHOICES,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel workbook (.xlsx) or CSV in UTF-8 (comma or semicolon), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

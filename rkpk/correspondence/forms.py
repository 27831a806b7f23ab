"""Forms of the correspondence screens. They check input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from rkpk.core.forms import BootstrapForm, DateInput, style_widgets
from rkpk.correspondence import numbering
from rkpk.correspondence.admin_services import REGISTER_FIELDS, TEMPLATE_FIELDS
from rkpk.correspondence.models import Document, Kind, LetterTemplate, Register
from rkpk.correspondence.services import EDIT_FIELDS
from rkpk.organisation.models import Role
from rkpk.procedure.models import Cycle

TEXTAREA = {"rows": 3}
# A revision is a PositiveIntegerField: a larger number is a form error, not a database one.
REVISION_MAX = 2**31 - 1


class DocumentFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Subject or number"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Document.Status.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + Kind.choices
    )
    register = forms.ModelChoiceField(
        label=_("Register"), required=False, queryset=Register.objects.order_by("code"),
        empty_label=_("All"),
    )  # fmt: skip
    cycle = forms.ModelChoiceField(
        label=_("Cycle"), required=False, queryset=Cycle.objects.order_by("-year"),
        empty_label=_("All"),
    )  # fmt: skip


class DocumentCreateForm(BootstrapForm):
    template = forms.ModelChoiceField(
        label=_("Template"),
        queryset=LetterTemplate.objects.filter(is_active=True, register__is_active=True),
    )
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        required=False,
        queryset=Cycle.objects.order_by("-year"),
        help_text=_("Fills {cycle} and {year}."),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Fills {year}; the cycle's year when empty."),
    )
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=DateInput(), help_text=_("Fills {deadline}.")
    )
    recipients = forms.CharField(
        label=_("Recipients (text)"),
        required=False,
        max_length=300,
        help_text=_("Fills {recipients}, e.g. 'seluruh satuan organisasi'."),
    )
    addressee = forms.CharField(
        label=_("Addressee (Yth.)"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One addressee per line."),
    )
    copies = forms.CharField(
        label=_("Copies (tembusan)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("One per line."),
    )


class DocumentEditForm(BootstrapForm):
    """The content of a draft; `revision` detects a save by someone else meanwhile."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=REVISION_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Document,
                fields=EDIT_FIELDS,
                widgets={
                    "addressee": forms.Textarea(attrs=TEXTAREA),
                    "copies": forms.Textarea(attrs=TEXTAREA),
                    "body": forms.Textarea(attrs={"rows": 12}),
                },
            )
        )
        style_widgets(self)

    def clean(self):
        data = super().clean()
        for name in ("subject", "body", "addressee"):
            if name in data and not (data[name] or "").strip():
                self.add_error(name, _("This field is required."))
        return data


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("changes", _("Request changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Required when you request changes."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what has to change."))
        return data


class SignForm(BootstrapForm):
    acting = forms.ChoiceField(
        label=_("Signing as"),
        required=False,
        choices=[
            ("", _("The official holder of the position")),
            ("Plt", _("Plt. (acting, pelaksana tugas)")),
            ("Plh", _("Plh. (daily acting, pelaksana harian)")),
        ],
    )


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = TEMPLATE_FIELDS
        widgets = {
            "letterhead": forms.Textarea(attrs=TEXTAREA),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "body": _(
                "Placeholders: {cycle}, {year}, {deadline}, {recipients}, {sender}, {date}, "
                "{subject}, and from the organisation profile {organisation}, "
                "{organisation_short}, {minister_title}, {deputy_title}, "
                "{head_of_bureau_title}, {coordinating_unit}, {general_bureau}."
            ),
            "letterhead": _(
                "One line per line of the head. Placeholders from the organisation profile: "
                "{organisation_upper}, {organisation}, {address}. A document keeps the "
                "letterhead it was created with."
            ),
            "signer_position": _("E.g. {minister_title} or {deputy_title} (organisation profile)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_role"].choices = [
            (value, label)
            for value, label in Role.choices
            if value not in ("unit_operator", "unit_head")
        ]
        self.fields["register"].queryset = Register.objects.filter(is_active=True)
        style_widgets(self)


class RegisterForm(forms.ModelForm):
    class Meta:
        model = Register
        fields = REGISTER_FIELDS
        help_texts = {
            "pattern": _(
                "Tokens: {seq} (or {seq:04} for zero padding), {unit}, {organisation} (the "
                "short name in the organisation profile), {classification}, {month}, "
                "{month_roman}, {year}; anything else is fixed text. "
                "E.g. B-{seq}/{organisation}/{unit}/{classification}/{month}/{year}."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"]
        try:
            numbering.validate_pattern(pattern)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return pattern

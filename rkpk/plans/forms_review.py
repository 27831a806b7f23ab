"""Forms of the bureau's review: a decision on a submitted version, a message of the
clarification thread with its attachments, and the choice of two versions to compare."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rkpk.core.forms import BootstrapForm

MAX_FILES_PER_MESSAGE = 10


class DecisionForm(BootstrapForm):
    """A return or a request for clarification: reasons from the checklist and/or remarks."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reasons = forms.MultipleChoiceField(
        label=gettext_lazy("Reasons"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Pick at least one reason or write a remark."),
    )
    remarks = forms.CharField(
        label=gettext_lazy("Remarks"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, reasons: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = list(reasons.items())


class AcceptForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    remarks = forms.CharField(
        label=gettext_lazy("Remarks (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(items) > MAX_FILES_PER_MESSAGE:
            raise ValidationError(
                _("Attach at most %(n)s files to one message.") % {"n": MAX_FILES_PER_MESSAGE}
            )
        single = super().clean
        return [single(item, initial) for item in items]


class MessageForm(BootstrapForm):
    body = forms.CharField(
        label=gettext_lazy("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    files = MultipleFileField(
        label=gettext_lazy("Attachments"),
        required=False,
        help_text=gettext_lazy(
            "PDF, Word (DOCX), Excel (XLSX), PNG or JPEG; at most 10 MB each. "
            "Files with macros are refused."
        ),
    )
    return_to = forms.CharField(widget=forms.HiddenInput, required=False)


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=gettext_lazy("Older version"), coerce=int)
    b = forms.TypedChoiceField(label=gettext_lazy("Newer version"), coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, _("Version %(n)s") % {"n": n}) for n in numbers]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise ValidationError(_("Choose two different versions."))
        return data

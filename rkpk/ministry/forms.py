"""Forms of the ministry RK-PK pages. They only read and tidy what was posted; the rules
(who may, which version, stale revisions) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.ministry.models import ReviewComment
from rkpk.ministry.services import MAX_TEXT

# Revisions and version numbers are PositiveIntegerFields: larger is a form error.
NUMBER_MAX = 2**31 - 1


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"), required=False, max_length=MAX_TEXT, widget=forms.Textarea, strip=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=NUMBER_MAX)


class CommentForm(forms.Form):
    version_number = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=NUMBER_MAX)
    anchor_type = forms.ChoiceField(
        choices=ReviewComment.Anchor.choices,
        initial=ReviewComment.Anchor.GENERAL,
        widget=forms.HiddenInput,
    )
    anchor = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), max_length=10_000, widget=forms.Textarea)
    required = forms.BooleanField(label=_("Required change"), required=False)


class DecisionForm(forms.Form):
    version_number = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=NUMBER_MAX)


class ReturnForm(DecisionForm):
    changes = forms.CharField(
        label=_("Changes required (one per line)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea,
    )


def first_error(form: forms.Form) -> list[str]:
    """The form's errors as plain messages ("Title: This field is required.")."""
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.append(f"{label}: {error}" if label else str(error))
    return messages

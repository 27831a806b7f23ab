"""Forms of the reference-list pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.core.forms import BootstrapForm
from rkpk.plans import lists


class ListFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )


class ValueForm(BootstrapForm):
    """Add or rename a value; a return reason has a code and two texts."""

    value = forms.CharField(label=_("Value"), max_length=lists.MAX_LENGTH)
    text_id = forms.CharField(label=_("Text (Indonesian)"), max_length=300, required=False)
    text_en = forms.CharField(label=_("Text (English)"), max_length=300, required=False)

    def __init__(self, *args, slug: str, renaming: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if lists.kind_of(slug).model is lists.ReturnReason:
            self.fields["value"].label = _("Code")
            self.fields["value"].max_length = 30
            self.fields["value"].help_text = _(
                "Capital letters, e.g. BUDGET. Decisions refer to it, so it cannot change."
            )
            self.fields["text_id"].required = True
            if renaming:
                del self.fields["value"]
        else:
            del self.fields["text_id"]
            del self.fields["text_en"]


class MergeForm(BootstrapForm):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=None, empty_label=None)

    def __init__(self, *args, source, slug: str, **kwargs):
        super().__init__(*args, **kwargs)
        kind = lists.kind_of(slug)
        field = self.fields["target"]
        field.queryset = (
            kind.model.objects.filter(is_active=True)
            .exclude(pk=source.pk)
            .order_by("sort_order", kind.key)
        )
        field.label_from_instance = lists.label


class ListUploadForm(BootstrapForm):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        help_text=_("At most 10 MB. Download the list first to get the columns."),
        allow_empty_file=True,
    )

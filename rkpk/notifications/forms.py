from django import forms
from django.utils.translation import gettext_lazy as _

from rkpk.notifications.models import EmailChoice

# What each choice means, shown under its radio button.
EMAIL_HELP = {
    EmailChoice.IMMEDIATE: _(
        "One e-mail for every notification, sent within minutes. Best when you act on them quickly."
    ),
    EmailChoice.DIGEST: _(
        "One e-mail each morning listing the notifications of the previous day; nothing "
        "when there were none."
    ),
    EmailChoice.NONE: _(
        "No e-mail at all. Notifications still appear here and under the bell in the header."
    ),
}


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("E-mail me about notifications"),
        choices=EmailChoice.choices,
        widget=forms.RadioSelect,
    )

    def options(self) -> list[dict]:
        """The radio buttons with their explanation, for the template."""
        current = self["email"].value()
        return [
            {
                "value": value,
                "label": label,
                "help": EMAIL_HELP[value],
                "checked": value == current,
                "id": f"id_email_{value}",
            }
            for value, label in EmailChoice.choices
        ]

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """One code: six digits from the authenticator app, or (when signing in) a recovery code."""

    token = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off",
                                      "spellcheck": "false", "class": "code-input"}),
        error_messages={"required": _("Enter the code.")},
    )

    def __init__(self, *args, help_text: str = "", **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["token"].help_text = help_text

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shagym.complaints.states import TERM_DAYS, AddresseeKind, term_type_for
from shagym.directory import dates

ADMINISTRATIVE = "administrative"


def addressee_choices() -> list[tuple[str, object]]:
    choices: list[tuple[str, object]] = []
    for kind in AddresseeKind:
        days = TERM_DAYS[term_type_for(kind, public_service=True)]
        choices.append((kind.value, _("%(addressee)s: %(days)s working days") % {"addressee": kind.label, "days": days}))
    choices.append(
        (ADMINISTRATIVE, _("another administrative complaint, not about a public service: 20 working days"))
    )
    return choices


class DeadlineForm(forms.Form):
    addressee = forms.ChoiceField(
        label=_("To whom is the complaint addressed?"),
        choices=addressee_choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to whom the complaint is addressed."),
                        "invalid_choice": _("Choose to whom the complaint is addressed.")},
    )
    received = forms.DateField(
        label=_("Day the complaint was received"),
        help_text=_("For example, 20.03.2026. A complaint received on a day off is registered on the next working day."),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the day the complaint was received."),
                        "invalid": _("Enter a real date, for example 20.03.2026.")},
        validators=[dates.plausible],
    )
    extension_days = forms.IntegerField(
        label=_("Extension, in working days (if any)"),
        help_text=_("Only the quality authority, ministries, akimats and akims may extend, by at most 10 working days."),
        required=False,
        min_value=0,
        max_value=10,
        error_messages={"invalid": _("Enter a whole number of working days from 0 to 10."),
                        "min_value": _("Enter a whole number of working days from 0 to 10."),
                        "max_value": _("An extension is at most 10 working days.")},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        addressee = data.get("addressee")
        extension = data.get("extension_days") or 0
        if addressee and extension:
            allowed = {"quality_authority": "quality_authority", "central": "central", "akim": "akim"}
            if allowed.get(addressee) not in settings.SHAGYM_EXTENSION_BODY_KINDS:
                self.add_error(
                    "extension_days",
                    _("The law does not allow this addressee to extend the term (Law on public services, Art. 25(4))."),
                )
        return data

    def working_days(self) -> int:
        addressee = self.cleaned_data["addressee"]
        if addressee == ADMINISTRATIVE:
            return 20
        return TERM_DAYS[term_type_for(addressee, public_service=True)]


class VerifyForm(forms.Form):
    """The verification page: the number printed on a document, or the file itself."""

    MAX_MB = 20

    number = forms.CharField(
        label=_("Document number"), required=False, max_length=20,
        help_text=_("Printed at the foot of the document, for example K7QM-3RTA-9XWE."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    file = forms.FileField(
        label=_("Or the PDF file"), required=False,
        help_text=_("The electronic copy you received (PDF). It is checked here and not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > self.MAX_MB * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB: it is not a document we issued.")
                                        % {"mb": self.MAX_MB})
        return upload

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if not data.get("number") and not data.get("file") and not self.errors:
            raise forms.ValidationError(_("Enter the document number or choose the PDF file."))
        return data

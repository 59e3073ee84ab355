"""The portal's forms. They parse and explain; the rules of a complaint live in the services (validate_input).
Every message is translated and says how to fix the input."""

from __future__ import annotations

import datetime as dt
import re
from typing import cast

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from shagym.complaints import attachments
from shagym.complaints.identifiers import is_valid_bin, is_valid_iin
from shagym.complaints.states import AppealedAct, ApplicantKind, Language
from shagym.directory.models import Organisation

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _text(label, *, required_message=None, help_text="", max_length=150, **attrs) -> forms.CharField:  # type: ignore[no-untyped-def]
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required_message is not None,
        max_length=max_length,
        error_messages={
            "required": required_message or "",
            "max_length": _("Shorten this to %(limit_value)d characters or fewer."),
        },
        widget=forms.TextInput(attrs=attrs),
    )


def _textarea(label, *, required_message, help_text="", max_length=8000) -> forms.CharField:  # type: ignore[no-untyped-def]
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        error_messages={
            "required": required_message,
            "max_length": _("Shorten this to %(limit_value)d characters or fewer."),
        },
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def _date(label, *, required_message, help_text) -> forms.DateField:  # type: ignore[no-untyped-def]
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": required_message, "invalid": _("Enter a real date, for example 20.03.2026.")},
    )


class PortalForm(forms.Form):
    """Radios are rendered in a fieldset by portal/_field.html."""

    template_name = "portal/_form.html"


# ---- Who you are (RULES §3) ----


class WhoForm(PortalForm):
    applicant_kind = forms.ChoiceField(
        label=_("Who is complaining?"),
        choices=[
            (ApplicantKind.INDIVIDUAL, _("I am complaining for myself, as a person")),
            (ApplicantKind.LEGAL_ENTITY, _("I am complaining for an organisation (a legal entity)")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you complain as a person or for an organisation."),
            "invalid_choice": _("Choose whether you complain as a person or for an organisation."),
        },
    )


PHONE_DIGITS = re.compile(r"[\s\-()]")


def normalise_phone(value: str) -> str:
    """"8 701 123 45 67", "+77011234567" and "7011234567" all become "+7 701 123 45 67"."""
    digits = PHONE_DIGITS.sub("", value.strip())
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("8") and len(digits) == 11:
        digits = "7" + digits[1:]
    elif len(digits) == 10:
        digits = "7" + digits
    if not (digits.isascii() and digits.isdigit() and len(digits) == 11 and digits.startswith("7")):
        raise forms.ValidationError(
            _("Enter a Kazakhstan phone number in the format +7 701 123 45 67."), code="phone"
        )
    return f"+7 {digits[1:4]} {digits[4:7]} {digits[7:9]} {digits[9:11]}"


class ContactFields(PortalForm):
    postal_address = _text(
        _("Postal address"),
        required_message=_("Enter your postal address: the answer may be sent there."),
        help_text=_("City or village, street, house, flat. For example: Almaty, Abai avenue 150, flat 12."),
        max_length=400,
        autocomplete="street-address",
    )
    phones = _text(
        _("Phone (if you have one)"),
        help_text=_("In the format +7 701 123 45 67."),
        max_length=100,
        autocomplete="tel",
        type="tel",
        inputmode="tel",
    )
    email = forms.EmailField(
        label=_("E-mail (if you want news of the complaint there)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter an e-mail address like name@example.kz.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_phones(self) -> str:
        value = self.cleaned_data.get("phones", "")
        return normalise_phone(value) if value.strip() else ""


class IndividualForm(ContactFields):
    surname = _text(_("Surname"), required_message=_("Enter your surname as in your ID card."), autocomplete="family-name")
    first_name = _text(_("First name"), required_message=_("Enter your first name as in your ID card."),
                       autocomplete="given-name")
    patronymic = _text(_("Patronymic (if it is in your ID card)"), autocomplete="additional-name")
    iin = forms.CharField(
        label=_("IIN"),
        help_text=_("12 digits, on your ID card."),
        error_messages={"required": _("Enter your IIN: 12 digits, on your ID card.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "14"}),
    )

    field_order = ["surname", "first_name", "patronymic", "iin", "postal_address", "phones", "email"]

    def clean_iin(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["iin"])
        if not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("The IIN has digits only. Check it against your ID card."), code="digits")
        if len(value) != 12:
            raise forms.ValidationError(
                _("The IIN has 12 digits; you entered %(count)d. Check it against your ID card."),
                code="length",
                params={"count": len(value)},
            )
        if not is_valid_iin(value):
            raise forms.ValidationError(
                _("This IIN is not valid: a digit is probably mistyped. Check it against your ID card."),
                code="check_digit",
            )
        return value


class LegalEntityForm(ContactFields):
    legal_name = _text(_("Name of the organisation"),
                       required_message=_("Enter the name of the organisation as registered."),
                       max_length=400, autocomplete="organization")
    bin = forms.CharField(
        label=_("BIN"),
        help_text=_("12 digits, in the registration certificate."),
        error_messages={"required": _("Enter the BIN of the organisation: 12 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "14"}),
    )
    outgoing_number = _text(_("Outgoing number of your letter"),
                            required_message=_("Enter the outgoing number of your letter, for example 12/45."),
                            max_length=60)
    outgoing_date = _date(
        _("Date of your letter"),
        required_message=_("Enter the date of your letter, for example 20.03.2026."),
        help_text=_("For example, 20.03.2026."),
    )

    field_order = ["legal_name", "bin", "outgoing_number", "outgoing_date", "postal_address", "phones", "email"]

    def clean_bin(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data["bin"])
        if not (value.isascii() and value.isdigit()):
            raise forms.ValidationError(_("The BIN has digits only. Check it against the registration."), code="digits")
        if len(value) != 12:
            raise forms.ValidationError(
                _("The BIN has 12 digits; you entered %(count)d. Check it against the registration."),
                code="length",
                params={"count": len(value)},
            )
        if not is_valid_bin(value):
            raise forms.ValidationError(
                _("This BIN is not valid: a digit is probably mistyped. Check it against the registration."),
                code="check_digit",
            )
        return value

    def clean_outgoing_date(self) -> dt.date:
        value = self.cleaned_data["outgoing_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the letter cannot be in the future."), code="future")
        return value


# ---- Against whom ----


class BodySearchForm(PortalForm):
    q = forms.CharField(
        label=_("Name of the body, or a word from it"),
        required=False,
        max_length=100,
        help_text=_("For example: education, akimat, public service centre."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    territory = forms.TypedChoiceField(
        label=_("Region or city"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, territories=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["territory"]).choices = [("", _("All of Kazakhstan"))] + [(t.pk, t.name) for t in territories]


class BodyForm(PortalForm):
    respondent = forms.TypedChoiceField(
        label=_("Choose the body"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the body whose decision or action you complain about. Search for it above if it "
                          "is not in the list."),
            "invalid_choice": _("Choose the body from the list. Search for it above if it is not there."),
        },
    )

    def __init__(self, *args, bodies=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["respondent"]).choices = [(b.pk, b.name) for b in bodies]


class AppealedActForm(PortalForm):
    appealed_act = forms.ChoiceField(
        label=_("What do you complain about?"),
        choices=[
            (AppealedAct.DECISION, _("A decision (for example, a refusal to provide the service)")),
            (AppealedAct.ACTION, _("An action (for example, rude or wrong service)")),
            (AppealedAct.INACTION, _("Inaction (for example, no answer within the term)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you complain about: a decision, an action or inaction."),
                        "invalid_choice": _("Choose what you complain about: a decision, an action or inaction.")},
    )


class OfficialForm(PortalForm):
    position = _text(_("Position"), max_length=200)
    surname = _text(_("Surname"), max_length=150)
    initials = _text(_("Initials"), max_length=20, help_text=_("For example, Б.Т."))

    def clean(self) -> dict:
        data = super().clean() or {}
        given = [bool((data.get(name) or "").strip()) for name in ("position", "surname", "initials")]
        if any(given) and not all(given):
            for name, present in zip(("position", "surname", "initials"), given, strict=True):
                if not present:
                    self.add_error(name, MISSING_OFFICIAL[name])
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any((data.get(name) or "").strip() for name in ("position", "surname", "initials"))


MISSING_OFFICIAL = {
    "position": _("Enter the official's position, for example “head of department”."),
    "surname": _("Enter the official's surname."),
    "initials": _("Enter the official's initials, for example Б.Т."),
}


class BaseOfficialFormSet(forms.BaseFormSet):
    def __init__(self, *args, appealed_act: str = "", **kwargs):  # type: ignore[no-untyped-def]
        self.appealed_act = appealed_act
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        if any(self.errors):
            return
        filled = [f for f in self.forms if not f.is_blank]
        if not filled and self.appealed_act and self.appealed_act != AppealedAct.INACTION:
            # RULES §3: the position, surname and initials of the officials whose act is appealed.
            raise forms.ValidationError(
                _("Add at least one official whose decision or action you complain about: position, surname and "
                  "initials. If you do not know the name, write the position and “unknown”."),
                code="officials",
            )

    def officials(self) -> list[dict[str, str]]:
        return [
            {name: f.cleaned_data[name].strip() for name in ("position", "surname", "initials")}
            for f in self.forms
            if not f.is_blank
        ]


# formset_factory returns a subclass of the `formset` given; django-stubs types it as a plain BaseFormSet.
OfficialFormSet = cast(type[BaseOfficialFormSet], forms.formset_factory(
    OfficialForm, formset=BaseOfficialFormSet, extra=0, max_num=10, absolute_max=10, validate_max=True))


# ---- The public service ----

NO_SERVICE = "none"


class ServiceSearchForm(PortalForm):
    q = forms.CharField(
        label=_("Name or code of the service, or a word from it"),
        required=False,
        max_length=100,
        help_text=_("For example: birth, kindergarten, address."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ServiceForm(PortalForm):
    service = forms.ChoiceField(
        label=_("Choose the public service"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the public service, or “The service is not in the list”."),
            "invalid_choice": _("Choose the public service from the list, or “The service is not in the list”."),
        },
    )

    def __init__(self, *args, services=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["service"]).choices = [(str(s.pk), f"{s.code}: {s.name}") for s in services] + [
            (NO_SERVICE, _("The service is not in the list"))
        ]


# ---- What happened ----


class FactsForm(PortalForm):
    learned_on = _date(
        _("When did you learn of the decision or action?"),
        required_message=_("Enter the date you learned of the decision or action, for example 20.03.2026."),
        help_text=_("For example, 20.03.2026. The day you received the decision, or saw that nothing was done."),
    )
    circumstances = _textarea(
        _("What happened?"),
        required_message=_("Describe what happened: when you applied, for what, and what the body did."),
        help_text=_("When you applied, for which service, what you were told or given."),
    )
    reasons = _textarea(
        _("Why do you disagree?"),
        required_message=_("Explain why you disagree: which right or rule was broken."),
        help_text=_("Your reasons: what was wrong, which rule or right was broken."),
    )
    demands = _textarea(
        _("What do you ask for?"),
        required_message=_("Say what you ask the body to do, for example to provide the service."),
        help_text=_("For example: cancel the refusal and provide the service."),
    )
    language = forms.ChoiceField(
        label=_("Language of your complaint and of the answer"),
        choices=Language.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the language of the complaint: Kazakh or Russian."),
                        "invalid_choice": _("Choose the language of the complaint: Kazakh or Russian.")},
    )
    restoration_requested = forms.BooleanField(
        label=_("I ask to restore the term for filing the complaint"), required=False
    )
    restoration_reason = forms.CharField(
        label=_("Why did you miss the term?"),
        required=False,
        max_length=2000,
        help_text=_("For example: I was in hospital from 1 to 30 March."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Shorten this to %(limit_value)d characters or fewer.")},
    )

    def clean_learned_on(self) -> dt.date:
        value = self.cleaned_data["learned_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future. Enter the day you learned of it."),
                                        code="future")
        if value < dt.date(2000, 1, 1):
            raise forms.ValidationError(_("Enter a date after 01.01.2000."), code="too_old")
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("restoration_requested") and not (data.get("restoration_reason") or "").strip():
            self.add_error("restoration_reason", _("Write why you missed the term, or untick the request."))
        return data


# ---- Attachments ----


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """The files chosen, as a list; their checks (type by content, size, count) are in portal.uploads."""

    widget = MultipleFileInput

    def clean(self, value):  # type: ignore[no-untyped-def]
        files = value if isinstance(value, list | tuple) else [value]
        return [f for f in files if f]


class AttachmentsForm(PortalForm):
    # The form's metaclass moves declared fields into base_fields and removes them from the class, so this never
    # shadows BaseForm.files (the uploads); django-stubs cannot see that.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Add files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, help_text: str = "", **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = help_text


# ---- The addressee ----


class AddresseeForm(PortalForm):
    addressee = forms.ChoiceField(
        label=_("To whom do you address the complaint?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose to whom you address the complaint."),
            "invalid_choice": _("Choose to whom you address the complaint from the list."),
        },
    )

    def __init__(self, *args, options=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["addressee"]).choices = [(o.value, o) for o in options]


# ---- Submit and the cabinet's actions ----


class SubmitForm(PortalForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # RULES §3: the applicant's EDS of the complaint's canonical content, put here by NCALayer (ncalayer.js), or a
    # detached CMS signature file made with another program.
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200_000)
    signature_file = forms.FileField(
        label=_("Signature file (.cms) made with another program"), required=False,
        help_text=_("A detached CMS signature of the content downloaded from this page."),
    )

    def cms(self) -> bytes | str | None:
        upload = self.cleaned_data.get("signature_file")
        if upload is not None:
            return b"".join(upload.chunks())[: 2 * 1024 * 1024]
        return self.cleaned_data.get("signature") or None


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label=_("Why do you withdraw the complaint? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Shorten this to %(limit_value)d characters or fewer.")},
    )
    confirm = forms.BooleanField(
        label=_("I withdraw my complaint. I understand it will not be reviewed."),
        error_messages={"required": _("Tick the box to confirm that you withdraw the complaint.")},
    )


def _documents_field(label) -> MultipleFileField:  # type: ignore[no-untyped-def]
    return MultipleFileField(
        label=label,
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        help_text=lazy(attachments.help_text, str)(),
    )


class SupplyForm(PortalForm):
    """RULES §4: the missing information, as text, as documents (a copy of the refusal, a scan), or both."""

    text = forms.CharField(
        label=_("The missing information"),
        required=False,
        max_length=8000,
        help_text=_("Answer each point the body listed."),
        error_messages={"max_length": _("Shorten this to %(limit_value)d characters or fewer.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    files = _documents_field(_("Documents the body asked for"))  # type: ignore[assignment]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("files"):
            self.add_error("text", _("Write the missing information the body asked for, or attach the documents."))
        return data


class QualityAuthorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):  # type: ignore[no-untyped-def]
        return obj.name


class SecondTierSignForm(SubmitForm):
    """The second-tier complaint's signing step: the signature, and the draft it signs."""

    idempotency_key = None  # type: ignore[assignment]
    draft = forms.CharField(widget=forms.HiddenInput, max_length=64)


class SecondTierForm(PortalForm):
    authority = QualityAuthorityChoiceField(
        label=_("Which office of the quality authority?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("The department for your region, or the Agency itself: both review within 15 working days."),
        error_messages={"required": _("Choose the office of the quality authority."),
                        "invalid_choice": _("Choose the office of the quality authority from the list.")},
    )
    reasons = _textarea(
        _("Why are you not satisfied with the answer (or its absence)?"),
        required_message=_("Explain why the answer does not satisfy you, or that no answer came in time."),
    )
    demands = _textarea(
        _("What do you ask the quality authority to do?"),
        required_message=_("Say what you ask the quality authority to do."),
        help_text=_("For example: check the answer and restore my right to the service."),
    )
    files = _documents_field(_("Documents (optional)"))  # type: ignore[assignment]
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, authorities=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["authority"])
        # In the order given: the department for the region first, then the Agency itself.
        order = Case(*(When(pk=a.pk, then=Value(i)) for i, a in enumerate(authorities)), output_field=IntegerField())
        field.queryset = Organisation.objects.filter(pk__in=[a.pk for a in authorities]).order_by(order)
        if authorities:
            field.initial = authorities[0].pk


class StatusForm(PortalForm):
    number = forms.CharField(
        label=_("Registration number"),
        help_text=_("On the talon or the stamp, for example 26-012-00042."),
        max_length=40,
        error_messages={"required": _("Enter the registration number from the talon, for example 26-012-00042.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    code = forms.CharField(
        label=_("Access code"),
        help_text=_("8 letters and digits on the talon, for example K7QM-3RTA."),
        max_length=20,
        error_messages={"required": _("Enter the access code from the talon, for example K7QM-3RTA.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

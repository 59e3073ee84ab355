"""Back-office forms: they parse and explain; the lifecycle services decide. A `Refused` from a service becomes an
error on the field it names (`add_refusal`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms.utils import ErrorDict, ErrorList
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shagym import workdays
from shagym.complaints import access, attachments, selectors
from shagym.complaints import services as lifecycle
from shagym.complaints.models import Complaint
from shagym.complaints.states import (
    AddresseeKind,
    AppealedAct,
    ApplicantKind,
    Channel,
    DeliveryMethod,
    ExtensionGround,
    Language,
    Outcome,
    Refused,
    State,
    WithoutConsiderationGround,
)
from shagym.directory import dates
from shagym.directory.models import Organisation, Service, Territory
from shagym.directory.roles import Role
from shagym.notify.models import DeliveryStatus, Medium

from . import widgets

if TYPE_CHECKING:
    from shagym.accounts.models import User

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
# What the file chooser offers; the type is then read from the content (shagym.complaints.attachments).
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", "application/pdf", "image/jpeg", "image/png")


def date_field(label: Any, *, required: bool = True, help_text: Any = "", **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, for example 20.03.2026."),
        },
        validators=[dates.plausible],
        **kwargs,
    )


def text_area(label: Any, *, required: bool = True, help_text: Any = "", rows: int = 5,
              required_message: Any = None) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message or _("This field is required: fill it in.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def checked_uploads(files: list[Any]) -> list[Any]:
    """Every upload through the complaint's one door (type by content, size, count): shagym.complaints.attachments."""
    try:
        attachments.check_all(files)
    except Refused as exc:
        raise forms.ValidationError(exc.message) from exc
    return files


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ATTACHMENT_TYPES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class StaffForm(forms.Form):
    """Links each input to its hint and error (aria-describedby, matching web/_field.html) and turns a refusal
    of the lifecycle into a form error."""

    # Set by BaseForm.__init__ (None) and full_clean (the errors); django-stubs does not declare it.
    _errors: ErrorDict | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe()

    def _describe(self) -> None:
        errors: dict[str, ErrorList] = self._errors or {}
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            auto_id = self[name].auto_id
            ids = []
            if field.help_text:
                ids.append(f"{auto_id}-hint")
            if errors.get(name):
                ids.append(f"{auto_id}-error")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def add_refusal(self, exc: Refused) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)
        self._describe()


class ComplaintForm(StaffForm):
    """A form about one complaint, for one user."""

    def __init__(self, *args: Any, complaint: Complaint, user: User, **kwargs: Any) -> None:
        self.complaint = complaint
        self.user = user
        super().__init__(*args, **kwargs)


class ConfirmForm(ComplaintForm):
    """An action without input: the button is the form."""


class SignForm(ComplaintForm):
    """RULES §23: the head signs the answer's PDF with NCALayer; the page's script puts the CMS (base64) here. A
    signature made with another program may be uploaded instead (a .cms file of the PDF downloaded from this page)."""

    signature = forms.CharField(required=False, widget=forms.HiddenInput)
    signature_file = forms.FileField(
        label=_("Or a signature file (.cms) made with another program"), required=False,
        help_text=_("Sign the PDF of the answer downloaded from this page (detached CMS signature)."),
    )

    def cms(self) -> bytes | str | None:
        upload = self.cleaned_data.get("signature_file")
        if upload is not None:
            return b"".join(upload.chunks())[: 2 * 1024 * 1024]
        return self.cleaned_data.get("signature") or None


# ---------------------------------------------------------------------------------------------------------------
# Registration desk


class _NamedInLanguage:
    """The names of a long list in the page's language, asked once per list, not once per name."""

    def label_from_instance(self, obj: Organisation | Territory) -> str:
        language = getattr(self, "_language", None)
        if language is None:
            language = self._language = get_language() or "kk"
        return obj.name_in(language)


class OrganisationChoiceField(_NamedInLanguage, forms.ModelChoiceField):
    pass


class OrganisationMultipleChoiceField(_NamedInLanguage, forms.ModelMultipleChoiceField):
    pass


class RegionChoiceField(_NamedInLanguage, forms.ModelChoiceField):
    pass


class RedirectForm(ComplaintForm):
    target = OrganisationChoiceField(
        label=_("Competent body"),
        queryset=Organisation.objects.none(),
        help_text=_("The complaint goes there with its file; the applicant is told at the same time (АППК Art. 65)."),
        error_messages={"required": _("Choose the competent body."), "invalid_choice": _("Choose the competent body.")},
    )
    reason = text_area(
        _("Why the complaint is outside your competence"),
        help_text=_("The applicant reads this in the notice."),
        rows=3,
        required_message=_("Say why the complaint is outside your competence: the applicant will read it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = cast(OrganisationChoiceField, self.fields["target"])
        target.queryset = Organisation.objects.filter(is_active=True).exclude(pk=self.complaint.holder_id)


# RULES §3 (АППК 93): what a complaint must contain; the office names what is missing (§4).
MISSING_ITEMS = [
    ("name", _("the applicant's surname, name and patronymic (for a legal entity: its name)")),
    ("iin", _("the IIN (for a legal entity: the BIN)")),
    ("address", _("the postal address")),
    ("letter", _("the outgoing number and date of the legal entity's letter")),
    ("officials", _("the position, surname and initials of the officials whose decision, action or inaction is appealed")),
    ("service", _("the public service concerned")),
    ("circumstances", _("the circumstances: what happened")),
    ("reasons", _("the reasons why the applicant disagrees")),
    ("demands", _("the demands: what the applicant asks for")),
    ("signature", _("the date and the applicant's signature")),
    ("attachments", _("the list of attached documents, or the documents named in it")),
]


class RequestContentForm(ComplaintForm):
    items = forms.MultipleChoiceField(
        label=_("What is missing"),
        choices=MISSING_ITEMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other = text_area(_("Anything else missing"), required=False, rows=3,
                      help_text=_("One item per line. It is printed in the notice as written."))
    days = forms.IntegerField(
        label=_("Term to supply it, in working days"),
        min_value=1,
        max_value=30,
        help_text=_("A reasonable term (АППК Art. 64(6)); after it the complaint may be returned."),
        error_messages={
            "required": _("Enter the term in working days, from 1 to 30."),
            "invalid": _("Enter a whole number of working days from 1 to 30."),
            "min_value": _("Enter a whole number of working days from 1 to 30."),
            "max_value": _("Enter a whole number of working days from 1 to 30."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.SHAGYM_CONTENT_FIX_DAYS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        labels = dict(MISSING_ITEMS)
        # The notice is in the language of the complaint, so the list is written in it too.
        with translation.override(self.complaint.language):
            lines = [str(labels[key]) for key in data.get("items", [])]
        lines += [line.strip() for line in (data.get("other") or "").splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("Tick what is missing or write it in, so the applicant can supply it."))
        data["missing"] = "\n".join(lines)
        return data

    def service_arguments(self) -> dict[str, Any]:
        return {"missing": self.cleaned_data["missing"], "days": self.cleaned_data["days"]}


class SupplyContentForm(ComplaintForm):
    text = text_area(_("What the applicant supplied"), help_text=_("Summarise the letter or the documents received."),
                     required=False)
    attachments = MultipleFileField(label=_("Scans of the documents received"), required=False)

    def clean_attachments(self) -> list[Any]:
        return checked_uploads(self.cleaned_data.get("attachments") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or "").strip() and not data.get("attachments"):
            self.add_error("text", _("Write the missing information or attach it."))
        return data


class SatisfyForm(ComplaintForm):
    text = text_area(
        _("The decision or action that satisfies the demands in full"),
        help_text=_("Only when this body, whose act is appealed, itself satisfies every demand (АППК Art. 91(4))."),
        required_message=_("Describe the decision or action that satisfies the demands in full."),
    )


class WithdrawForm(ComplaintForm):
    reason = text_area(
        _("The applicant's written request"),
        help_text=_("For example: request of 02.11.2026, incoming number 26-009-00050."),
        rows=3,
        required_message=_("Describe the applicant's written request to withdraw (АППК Art. 64(9))."),
    )


# ---------------------------------------------------------------------------------------------------------------
# Head


class ExecutorChoiceField(forms.ModelChoiceField):
    loads: dict[int, tuple[int, int]]

    def label_from_instance(self, obj: Any) -> str:
        name = f"{obj.get_full_name() or obj.get_username()}"
        if obj.position:
            name = f"{name}, {obj.position}"
        open_count, overdue = self.loads.get(obj.pk, (0, 0))
        return gettext("%(name)s — open: %(open)s, overdue: %(overdue)s") % {
            "name": name, "open": open_count, "overdue": overdue,
        }


class AssignForm(ComplaintForm):
    executor = ExecutorChoiceField(
        label=_("Executor"),
        queryset=None,
        widget=forms.RadioSelect,
        help_text=_("The official whose act is appealed may not review the complaint (АППК Art. 97(2))."),
        error_messages={"required": _("Choose an executor of your body."),
                        "invalid_choice": _("Choose an executor of your body.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from shagym.accounts.models import User

        members = list(access.executors_of(self.complaint.holder))
        field = cast(ExecutorChoiceField, self.fields["executor"])
        field.queryset = User.objects.filter(pk__in=[m.user_id for m in members]).order_by("last_name", "first_name")
        # The head sees each executor's load while choosing (RULES §10).
        field.loads = {row["executor_id"]: (row["open"], row["overdue"]) for row in selectors.executor_load(self.user)}
        # A body with nobody but heads to review: the page says so and what to do (a dead end otherwise).
        self.no_executors = not any(m.role in {Role.EXECUTOR, Role.INSPECTOR} for m in members)
        self.heads_may_review = Role.HEAD in access.reviewer_roles()
        if self.complaint.executor_id:
            field.initial = self.complaint.executor_id


class ReturnDraftForm(ComplaintForm):
    comment = text_area(_("What the executor should change"), rows=4,
                        required_message=_("Tell the executor what to change."))


class LeaveForm(ComplaintForm):
    ground = forms.ChoiceField(
        label=_("Ground (АППК Art. 95)"),
        choices=WithoutConsiderationGround.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one of the grounds of АППК Art. 95 for leaving the complaint without consideration."),
            "invalid_choice": _("Choose one of the grounds of АППК Art. 95 for leaving the complaint without consideration."),
        },
    )
    comment = text_area(_("Details"), required=False, rows=3,
                        help_text=_("For example, the number and date of the earlier decision or court act."))


# ---------------------------------------------------------------------------------------------------------------
# Executor


class ExtendForm(ComplaintForm):
    days = forms.IntegerField(
        label=_("Extension, in working days"),
        min_value=1,
        help_text=_("At most 10 working days, once (Law on public services, Art. 25(4))."),
        error_messages={
            "required": _("Enter the number of working days, from 1 to 10."),
            "invalid": _("Enter a whole number of working days from 1 to 10."),
            "min_value": _("Enter a whole number of working days from 1 to 10."),
        },
    )
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=ExtensionGround.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the ground for the extension."),
                        "invalid_choice": _("Choose the ground for the extension.")},
    )
    reasons = text_area(
        _("Reasons"),
        help_text=_("The applicant is told them within 3 working days."),
        rows=4,
        required_message=_("Write the reasons for the extension: the applicant will be told them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # RULES §14: the law's 10 days, or fewer if the setting says so; the service checks again.
        days = cast(forms.IntegerField, self.fields["days"])
        days.max_value = min(settings.SHAGYM_MAX_EXTENSION_DAYS, 10)
        days.widget.attrs["max"] = days.max_value


class ExtensionNoticeForm(ComplaintForm):
    channel = forms.ChoiceField(
        label=_("How the notice was sent"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        help_text=_("In writing for a paper complaint, electronically for an electronic one (RULES §14)."),
        error_messages={"required": _("Choose how the notice was sent."),
                        "invalid_choice": _("Choose how the notice was sent.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].initial = (
            DeliveryMethod.ELECTRONIC if self.complaint.channel == Channel.PORTAL else DeliveryMethod.POST
        )


class HearingForm(ComplaintForm):
    held_on = date_field(_("Date of the hearing"))
    notes = text_area(_("What was heard"), help_text=_("Who took part, what the applicant said, what was shown."),
                      required_message=_("Write down what was heard."))

    def clean_held_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The hearing date cannot be in the future."))
        return day


class AnswerForm(ComplaintForm):
    outcome = forms.ChoiceField(
        label=_("Outcome (АППК Art. 100)"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Partial satisfaction is a partial cancellation."),
        error_messages={"invalid_choice": _("Choose the outcome of the review.")},
    )
    facts = text_area(_("Established facts"), required=False, rows=6)
    reasons = text_area(
        _("Reasons"),
        required=False,
        rows=8,
        help_text=_("Why the body decided so. A refusal must give its reasons (АППК Art. 100(4))."),
    )
    legal_references = text_area(
        _("Legal references"), required=False, rows=3,
        help_text=_("For example: Law on public services, Art. 25; АППК Art. 100."),
    )

    def service_arguments(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in ("outcome", "facts", "reasons", "legal_references")}


class DeliverForm(ComplaintForm):
    method = forms.ChoiceField(
        label=_("How the answer was delivered"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the answer was delivered."),
                        "invalid_choice": _("Choose how the answer was delivered.")},
    )
    delivered_on = date_field(_("Delivered on"), help_text=_("For post: the day it was sent by registered mail."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].initial = timezone.localdate()
        self.fields["method"].initial = (
            DeliveryMethod.ELECTRONIC if self.complaint.channel == Channel.PORTAL else DeliveryMethod.POST
        )


# ---------------------------------------------------------------------------------------------------------------
# Quality authority


class RecommendForm(ComplaintForm):
    body = OrganisationChoiceField(
        label=_("Body that must restore the rights"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the body."), "invalid_choice": _("Choose the body.")},
    )
    text = text_area(_("Recommendation"), help_text=_("Which rights to restore and how (Law Art. 25(3))."),
                     required_message=_("Write the recommendation: which rights to restore and how."))
    due_date = date_field(_("Execute by"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = cast(OrganisationChoiceField, self.fields["body"])
        body.queryset = Organisation.objects.filter(is_active=True).exclude(pk=self.complaint.holder_id)
        parent = self.complaint.parent
        self.fields["body"].initial = parent.reviewing_body_id if parent else self.complaint.respondent_id
        self.fields["due_date"].initial = timezone.localdate() + dt.timedelta(days=14)


class ReportExecutionForm(StaffForm):
    report = text_area(_("How the recommendation was executed"),
                       help_text=_("The decision taken, its number and date, and how the applicant was told."),
                       required_message=_("Describe how the recommendation was executed."))


class ConfirmExecutionForm(StaffForm):
    accepted = forms.TypedChoiceField(
        label=_("Is the recommendation executed in full and on time?"),
        choices=[("yes", _("Yes: executed")), ("no", _("No: send it back to the body"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the recommendation is executed."),
                        "invalid_choice": _("Choose whether the recommendation is executed.")},
    )
    comment = text_area(_("Comment"), required=False, rows=3)


# ---------------------------------------------------------------------------------------------------------------
# Paper intake (RULES §1, §3, §5, §6)


OFFICIAL_ROWS = 3


class IntakeForm(StaffForm):
    holder = OrganisationChoiceField(
        label=_("Received by"), queryset=Organisation.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("Choose your office.")},
    )
    channel = forms.ChoiceField(
        label=_("How it came"),
        choices=[(c.value, c.label) for c in (Channel.OFFICE, Channel.POST, Channel.CON)],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the complaint was received."),
                        "invalid_choice": _("Choose how the complaint was received.")},
    )
    received_on = date_field(_("Received on"), help_text=_("A complaint received on a day off is registered on the next working day."))
    received_time = forms.TimeField(
        label=_("Time of receipt"),
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter the time of receipt."), "invalid": _("Enter the time as 14:30.")},
    )
    postmark_date = date_field(_("Postmark date"), required=False,
                               help_text=_("For a complaint by post: the date on the envelope's postmark."))
    language = forms.ChoiceField(
        label=_("Language of the complaint"), choices=Language.choices, widget=forms.RadioSelect,
        help_text=_("The answer and every notice are written in it."),
        error_messages={"required": _("Choose the language of the complaint: Kazakh or Russian.")},
    )
    applicant_kind = forms.ChoiceField(
        label=_("The applicant is"), choices=ApplicantKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the applicant is an individual or a legal entity.")},
    )
    surname = forms.CharField(label=_("Surname"), max_length=150, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    patronymic = forms.CharField(label=_("Patronymic (if in the ID document)"), max_length=150, required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    legal_name = forms.CharField(label=_("Name of the legal entity"), max_length=400, required=False)
    bin = forms.CharField(label=_("BIN"), max_length=12, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    outgoing_number = forms.CharField(label=_("Outgoing number of its letter"), max_length=60, required=False)
    outgoing_date = date_field(_("Date of its letter"), required=False)
    postal_address = forms.CharField(
        label=_("Postal address"), max_length=400,
        error_messages={"required": _("Enter the postal address for the answer.")},
    )
    phones = forms.CharField(label=_("Contact phones (if any)"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail (if any)"), required=False,
                             error_messages={"invalid": _("Enter an e-mail address like name@example.kz.")})
    addressee_kind = forms.ChoiceField(
        label=_("Addressed to"), choices=AddresseeKind.choices,
        error_messages={"required": _("Choose to whom the complaint is addressed.")},
    )
    reviewing_body = OrganisationChoiceField(
        label=_("Body addressed (reviewing body)"), queryset=Organisation.objects.none(),
        help_text=_("If it is not your body, the complaint is registered and must be forwarded within 3 working days."),
        error_messages={"required": _("Choose the body the complaint is addressed to.")},
    )
    respondent = OrganisationChoiceField(
        label=_("Body whose decision, action or inaction is appealed"), queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the body whose act is appealed.")},
    )
    service = forms.ModelChoiceField(label=_("Public service"), queryset=Service.objects.none(), required=False)
    public_service = forms.BooleanField(
        label=_("The complaint is about a public service"), required=False, initial=True,
        help_text=_("Untick for another administrative complaint: 20 working days (АППК Art. 99)."),
    )
    appealed_act = forms.ChoiceField(
        label=_("What is appealed"), choices=AppealedAct.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is appealed: a decision, an action or inaction.")},
    )
    learned_on = date_field(_("Date the applicant learned of it"),
                            help_text=_("The filing term is 3 months from this day; a late complaint is still accepted."))
    circumstances = text_area(_("Circumstances"), required_message=_("Describe what happened."))
    reasons = text_area(pgettext_lazy("complaint", "Reasons"), required_message=_("Explain why the applicant disagrees (the reasons)."))
    demands = text_area(_("Demands"), rows=3, required_message=_("Say what the applicant asks the body to do (the demands)."))
    restoration_requested = forms.BooleanField(label=_("The applicant asks to restore the filing term"), required=False)
    restoration_reason = text_area(_("Reason given for missing the term"), required=False, rows=2)
    attachments = MultipleFileField(
        label=_("Scanned complaint and attachments"), required=False,
        help_text=_("PDF, JPEG, PNG or TIFF, up to 10 files of 10 MB each. After an error, attach them again."),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    SECTIONS = [
        (_("How it came"), ["holder", "channel", "received_on", "received_time", "postmark_date", "language"]),
        (_("Applicant"), ["applicant_kind", "surname", "first_name", "patronymic", "iin", "legal_name", "bin",
                          "outgoing_number", "outgoing_date", "postal_address", "phones", "email"]),
        (_("Whom and what it is about"), ["addressee_kind", "reviewing_body", "respondent", "service",
                                         "public_service", "appealed_act", "learned_on"]),
    ]
    CONTENT = ["circumstances", "reasons", "demands", "restoration_requested", "restoration_reason", "attachments"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for row in range(1, OFFICIAL_ROWS + 1):
            for name, label in (("position", _("Position")), ("surname", _("Surname")), ("initials", _("Initials"))):
                self.fields[f"official_{row}_{name}"] = forms.CharField(label=label, max_length=200, required=False)
        offices = Organisation.objects.filter(pk__in=access.organisation_ids(user, Role.CLERK), is_active=True)
        cast(OrganisationChoiceField, self.fields["holder"]).queryset = offices
        bodies = Organisation.objects.filter(is_active=True)
        cast(OrganisationChoiceField, self.fields["reviewing_body"]).queryset = bodies
        cast(OrganisationChoiceField, self.fields["respondent"]).queryset = bodies
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = Service.objects.all()
        now = timezone.localtime(timezone.now(), workdays.ALMATY)
        first_office = offices.first()
        self.initial.setdefault("holder", first_office.pk if first_office else None)
        self.initial.setdefault("reviewing_body", first_office.pk if first_office else None)
        self.initial.setdefault("respondent", first_office.pk if first_office else None)
        self.initial.setdefault("received_on", now.date())
        self.initial.setdefault("received_time", now.strftime("%H:%M"))
        self.initial.setdefault("channel", Channel.OFFICE)
        self.initial.setdefault("applicant_kind", ApplicantKind.INDIVIDUAL)
        self.initial.setdefault("appealed_act", AppealedAct.DECISION)
        self.initial.setdefault("public_service", True)
        self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        self._describe()

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def official_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (row, [self[f"official_{row}_{name}"] for name in ("position", "surname", "initials")])
            for row in range(1, OFFICIAL_ROWS + 1)
        ]

    def content_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CONTENT]

    def clean_attachments(self) -> list[Any]:
        return checked_uploads(self.cleaned_data.get("attachments") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        now = timezone.localtime(timezone.now(), workdays.ALMATY)
        day, time = data.get("received_on"), data.get("received_time")
        if day and time:
            received = dt.datetime.combine(day, time, tzinfo=workdays.ALMATY)
            if received > now + dt.timedelta(minutes=5):
                self.add_error("received_on", _("The time of receipt cannot be in the future."))
            elif day < now.date() - dt.timedelta(days=30):
                self.add_error("received_on", _("Register a complaint on the day it is received; this date is more than 30 days ago."))
            data["received_at"] = received
        postmark = data.get("postmark_date")
        if data.get("channel") == Channel.POST and not postmark and "postmark_date" not in self.errors:
            self.add_error("postmark_date", _("For a complaint by post, enter the postmark date."))
        if postmark and day and postmark > day:
            self.add_error("postmark_date", _("The postmark date cannot be after the day of receipt."))
        for row, fields in self.official_rows():
            values = [data.get(f.name, "").strip() for f in fields]
            if any(values) and not all(values):
                self.add_error(fields[0].name, _("For official %(row)s give the position, surname and initials.") % {"row": row})
        return data

    def to_input(self) -> lifecycle.ComplaintInput:
        """The answers as the service's input (ComplaintInput.from_answers, the same mapping as the portal's)."""
        d = self.cleaned_data
        officials = []
        for _row, fields in self.official_rows():
            position, surname, initials = (d.get(f.name, "").strip() for f in fields)
            if position:
                officials.append(lifecycle.OfficialInput(position=position, surname=surname, initials=initials))
        return lifecycle.ComplaintInput.from_answers(
            {**d, "public_service": bool(d.get("public_service"))},
            channel=d["channel"],
            reviewing_body=d["reviewing_body"],
            respondent=d["respondent"],
            officials=officials,
            service=d.get("service"),
        )


# ---------------------------------------------------------------------------------------------------------------
# Search


class SearchForm(StaffForm):
    q = forms.CharField(
        label=_("Number, applicant's name, IIN or BIN"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    body = OrganisationChoiceField(label=_("Body"), queryset=Organisation.objects.none(), required=False,
                                   empty_label=_("any"))
    service = forms.ModelChoiceField(label=_("Public service"), queryset=Service.objects.none(), required=False,
                                     empty_label=_("any"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    received_from = date_field(_("Received from"), required=False)
    received_to = date_field(_("Received to"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    mine = forms.BooleanField(label=_("Only mine (as executor)"), required=False)
    order = forms.ChoiceField(
        label=_("Order"), required=False,
        choices=[("received", _("newest first")), ("due", _("by due date"))],
    )
    # The filters behind the figures of the reports (issue 12).
    reviewer = OrganisationMultipleChoiceField(
        label=_("Reviewing body"), queryset=Organisation.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("The body the complaint is addressed to; with a second-tier filter, the body whose answer is "
                    "appealed; with a recommendation filter, the body it is addressed to."),
    )
    subordinates = forms.BooleanField(label=_("With its subordinate bodies"), required=False)
    region = RegionChoiceField(label=_("Region"), queryset=Territory.objects.none(), required=False,
                               empty_label=_("any"))
    addressee = forms.ChoiceField(label=_("Addressed to"), required=False)
    answer = forms.ChoiceField(label=pgettext_lazy("search filter", "Answer"), required=False, choices=[
        ("", _("any")), ("answered", _("answered")), ("on_time", _("answered on time")),
        ("late", _("answered late")), ("merits", _("decided on the merits or satisfied by the appealed body")),
        ("decided", _("decided on the merits")),
    ])
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    satisfied = forms.BooleanField(label=_("Only satisfied fully or partly"), required=False)
    extended = forms.BooleanField(label=_("Only with the term extended"), required=False)
    extension_ground = forms.ChoiceField(label=_("Ground for extension"), required=False)
    wc_ground = forms.ChoiceField(label=_("Ground for leaving without consideration"), required=False)
    tier = forms.ChoiceField(label=_("Tier"), required=False, choices=[
        ("", _("any")), ("1", _("complaints to the body")),
        ("2", _("complaints to the quality authority about an answer")),
    ])
    upheld = forms.BooleanField(label=_("Only upheld by the quality authority"), required=False)
    recommendation = forms.ChoiceField(label=_("Recommendations"), required=False, choices=[
        ("", _("any")), ("issued", _("with a recommendation")),
        ("executed_on_time", _("with a recommendation executed on time")),
        ("overdue", _("with a recommendation past its date")),
    ])

    REPORT_FIELDS = ("reviewer", "subordinates", "region", "addressee", "answer", "outcome", "satisfied", "extended",
                     "extension_ground", "wc_ground", "tier", "upheld", "recommendation")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inspector = access.is_inspector(user) or access.is_administrator(user)
        bodies = Organisation.objects.all() if access.is_inspector(user) else Organisation.objects.filter(
            pk__in=access.organisation_ids(user)
        )
        cast(OrganisationChoiceField, self.fields["body"]).queryset = bodies
        # The bodies the user serves and those below them (four levels: ministry, committee, department, office).
        own = sorted(access.organisation_ids(user))
        below = Q(pk__in=own) | Q(parent__in=own) | Q(parent__parent__in=own) | Q(parent__parent__parent__in=own) \
            | Q(parent__parent__parent__parent__in=own)
        cast(OrganisationMultipleChoiceField, self.fields["reviewer"]).queryset = (
            Organisation.objects.all() if inspector else Organisation.objects.filter(below)
        )
        cast(RegionChoiceField, self.fields["region"]).queryset = Territory.objects.filter(parent__isnull=True)
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = Service.objects.all()
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("any")), *State.choices]
        cast(forms.ChoiceField, self.fields["channel"]).choices = [("", _("any")), *Channel.choices]
        for name, choices in (("addressee", AddresseeKind.choices), ("outcome", Outcome.choices),
                              ("extension_ground", ExtensionGround.choices),
                              ("wc_ground", WithoutConsiderationGround.choices)):
            cast(forms.ChoiceField, self.fields[name]).choices = [("", _("any")), *choices]
        for name in ("body", "service", "status", "channel", "order", "region", "addressee", "answer", "outcome",
                     "extension_ground", "wc_ground", "tier", "recommendation"):
            self.fields[name].error_messages["invalid_choice"] = _("Choose one of the options in the list.")
        self.fields["reviewer"].error_messages["invalid_choice"] = _("Choose one of the options in the list.")
        self.fields["reviewer"].error_messages["invalid_pk_value"] = _("Choose one of the options in the list.")
        widgets.speed_up(self)  # every body of the country, twice: drawn in Python

    @property
    def report_filters_used(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.REPORT_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date must not be before the start date."))
        return data

    def filters(self) -> selectors.ComplaintFilter:
        if not self.is_bound or not self.is_valid():
            return selectors.ComplaintFilter()
        d = self.cleaned_data
        return selectors.ComplaintFilter(
            q=d.get("q") or "",
            body_id=d["body"].pk if d.get("body") else None,
            service_id=d["service"].pk if d.get("service") else None,
            status=d.get("status") or "",
            channel=d.get("channel") or "",
            received_from=d.get("received_from"),
            received_to=d.get("received_to"),
            overdue=bool(d.get("overdue")),
            mine=bool(d.get("mine")),
            order=d.get("order") or "received",
            reviewers=tuple(sorted(body.pk for body in d.get("reviewer") or ())),
            subordinates=bool(d.get("subordinates")),
            region_id=d["region"].pk if d.get("region") else None,
            addressee_kind=d.get("addressee") or "",
            outcome=d.get("outcome") or "",
            answer=d.get("answer") or "",
            satisfied=bool(d.get("satisfied")),
            extended=bool(d.get("extended")),
            extension_ground=d.get("extension_ground") or "",
            wc_ground=d.get("wc_ground") or "",
            tier=d.get("tier") or "",
            upheld=bool(d.get("upheld")),
            recommendation=d.get("recommendation") or "",
        )


# ---------------------------------------------------------------------------------------------------------------
# Notices (issue 6): the office's print queue and the administrator's outbox


class LetterPostedForm(StaffForm):
    """The button under a letter in the print queue: the clerk has printed it and posted it. No input; a letter
    that is no longer waiting (posted by a colleague a moment ago) comes back as an error on this form."""


class OutboxFilterForm(StaffForm):
    status = forms.ChoiceField(label=_("Delivery status"), required=False)
    # Translators: the way a notice is delivered (e-mail, SMS, paper letter), not how a complaint was filed.
    channel = forms.ChoiceField(label=pgettext_lazy("notice delivery", "Channel"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (("status", DeliveryStatus.choices), ("channel", Medium.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("any")), *choices]
            field.error_messages["invalid_choice"] = _("Choose one of the options in the list.")

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {"status": "", "medium": ""}
        return {"status": self.cleaned_data.get("status") or "", "medium": self.cleaned_data.get("channel") or ""}

"""Intake (RULES §1-§7): what a complaint must say, filing it on any channel, and a paper complaint received and
registered at the desk in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from shagym import workdays
from shagym.db import only_row
from shagym.directory.calendar import current_calendar
from shagym.directory.models import Organisation, Service
from shagym.directory.roles import Role
from shagym.signatures.verify import Verification

from .. import access, signing, states
from ..attachments import store_all as store_attachments
from ..codes import new_code
from ..identifiers import is_valid_bin, is_valid_iin
from ..models import AppealedOfficial, Complaint, ComplaintEvent, Signature
from ..states import Action, ApplicantKind, Channel, NotAllowed, Refused, State, SubmitData
from .common import local_date, now_or, record, scoped_key

if TYPE_CHECKING:
    from shagym.accounts.models import User


@dataclass
class OfficialInput:
    position: str
    surname: str
    initials: str


@dataclass
class ComplaintInput:
    """What an applicant (or a clerk from a paper complaint) gives. Validated by `validate_input`."""

    applicant_kind: str
    channel: str
    language: str
    addressee_kind: str
    reviewing_body: Organisation
    respondent: Organisation
    appealed_act: str
    learned_on: dt.date
    circumstances: str
    reasons: str
    demands: str
    postal_address: str
    surname: str = ""
    first_name: str = ""
    patronymic: str = ""
    iin: str = ""
    legal_name: str = ""
    bin: str = ""
    outgoing_number: str = ""
    outgoing_date: dt.date | None = None
    phones: str = ""
    email: str = ""
    service: Service | None = None
    public_service: bool = True
    officials: list[OfficialInput] = field(default_factory=list)
    restoration_requested: bool = False
    restoration_reason: str = ""
    postmark_date: dt.date | None = None

    @classmethod
    def from_answers(
        cls,
        answers: Mapping[str, Any],
        *,
        channel: str,
        reviewing_body: Organisation,
        respondent: Organisation,
        officials: list[OfficialInput],
        service: Service | None = None,
    ) -> ComplaintInput:
        """The input from a form's answers (the portal's steps, the desk's intake form, the API): the one place that
        maps answers to the complaint, so every channel files the same fields the same way."""

        def text(name: str) -> str:
            return str(answers.get(name) or "").strip()

        def day(name: str) -> dt.date | None:
            value = answers.get(name)
            if isinstance(value, str):
                return dt.date.fromisoformat(value) if value else None
            return value if isinstance(value, dt.date) else None

        learned_on = day("learned_on")
        if learned_on is None:
            raise Refused(gettext("Enter the date you learned of the decision or action."), field="learned_on")
        restoration = bool(answers.get("restoration_requested"))
        return cls(
            applicant_kind=text("applicant_kind"),
            channel=channel,
            language=text("language"),
            addressee_kind=text("addressee_kind"),
            reviewing_body=reviewing_body,
            respondent=respondent,
            appealed_act=text("appealed_act"),
            learned_on=learned_on,
            circumstances=text("circumstances"),
            reasons=text("reasons"),
            demands=text("demands"),
            postal_address=text("postal_address"),
            surname=text("surname"),
            first_name=text("first_name"),
            patronymic=text("patronymic"),
            iin=text("iin"),
            legal_name=text("legal_name"),
            bin=text("bin"),
            outgoing_number=text("outgoing_number"),
            outgoing_date=day("outgoing_date"),
            phones=text("phones"),
            email=text("email"),
            service=service,
            public_service=bool(answers.get("public_service", True)),
            officials=officials,
            restoration_requested=restoration,
            restoration_reason=text("restoration_reason") if restoration else "",
            postmark_date=day("postmark_date"),
        )


def validate_input(data: ComplaintInput, *, today: dt.date) -> None:
    """RULES §3 (АППК 93): the content a complaint must have. Raises Refused naming the field to fix."""
    if data.applicant_kind == ApplicantKind.INDIVIDUAL:
        if not data.surname.strip() or not data.first_name.strip():
            raise Refused(gettext("Enter the applicant's surname and first name."), field="surname")
        if not is_valid_iin(data.iin):
            raise Refused(
                gettext("The IIN must be 12 digits with a valid check digit: check it against the ID card."),
                field="iin",
            )
    elif data.applicant_kind == ApplicantKind.LEGAL_ENTITY:
        if not data.legal_name.strip():
            raise Refused(gettext("Enter the name of the legal entity."), field="legal_name")
        if not is_valid_bin(data.bin):
            raise Refused(
                gettext("The BIN must be 12 digits with a valid check digit: check it against the registration."),
                field="bin",
            )
        if not data.outgoing_number.strip() or data.outgoing_date is None:
            raise Refused(gettext("Enter the outgoing number and date of the letter."), field="outgoing_number")
    else:
        raise Refused(gettext("Choose whether the applicant is an individual or a legal entity."), field="applicant_kind")
    if data.channel not in Channel.values:
        raise Refused(gettext("Choose how the complaint was received."), field="channel")
    if data.language not in states.Language.values:
        raise Refused(gettext("Choose the language of the complaint: Kazakh or Russian."), field="language")
    if data.addressee_kind not in states.AddresseeKind.values:
        raise Refused(gettext("Choose to whom the complaint is addressed."), field="addressee_kind")
    if data.appealed_act not in states.AppealedAct.values:
        raise Refused(gettext("Choose what is appealed: a decision, an action or inaction."), field="appealed_act")
    if not data.postal_address.strip():
        raise Refused(gettext("Enter the postal address for the answer."), field="postal_address")
    for name, message in (
        ("circumstances", gettext("Describe what happened.")),
        ("reasons", gettext("Explain why you disagree (the reasons).")),
        ("demands", gettext("Say what you ask the body to do (the demands).")),
    ):
        if not getattr(data, name).strip():
            raise Refused(message, field=name)
    if data.learned_on > today:
        raise Refused(gettext("The date you learned of it cannot be in the future."), field="learned_on")
    if not data.officials and data.appealed_act != states.AppealedAct.INACTION and data.channel == Channel.PORTAL:
        # RULES §3: the position, surname and initials of the officials. Not blocking for paper intake (АППК 64(1):
        # acceptance may not be refused); the office asks for missing content instead.
        raise Refused(gettext("Add at least one official whose decision or action you appeal."), field="officials")
    for official in data.officials:
        if not (official.position.strip() and official.surname.strip() and official.initials.strip()):
            raise Refused(gettext("For each official give the position, surname and initials."), field="officials")


def filed_late(learned_on: dt.date, filed_on: dt.date) -> bool:
    """RULES §7 (АППК 92): 3 months from the day the applicant learned of it; never blocks filing.

    `filed_on` is the day of filing: the postmark date for a complaint sent by post (Civil Code Art. 176(2)).
    A term that ends on a non-working day runs to the next working day (Civil Code Art. 175)."""
    months = settings.SHAGYM_FILING_TERM_MONTHS
    year, month = divmod(learned_on.month - 1 + months, 12)
    first_of_month = dt.date(learned_on.year + year, month + 1, 1)
    last_of_month = (first_of_month + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    limit = first_of_month.replace(day=min(learned_on.day, last_of_month.day))
    cal = current_calendar()
    if not cal.is_working_day(limit):
        limit = workdays.next_working_day(cal, limit)
    return filed_on > limit


def new_reference() -> str:
    """"D-K7QM-3RTA": the complaint's delivery reference before registration (the code alphabet, easy to read)."""
    code = new_code().replace("-", "")
    return f"D-{code[:4]}-{code[4:]}"


def filing_event(complaint: Complaint) -> ComplaintEvent:
    """The filing event of a complaint already filed (an idempotent retry returns it)."""
    event = complaint.events.filter(action=Action.SUBMIT).order_by("pk").first()
    assert event is not None, "every complaint has its filing event"
    event.complaint = complaint
    return event


@transaction.atomic
def submit_complaint(
    *,
    actor: User | None,
    data: ComplaintInput,
    holder: Organisation | None = None,
    idempotency_key: str | None = None,
    attachments: list[UploadedFile] | None = None,
    parent: Complaint | None = None,
    signature: Verification | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """File a complaint (RULES §1): on the portal by the applicant, or at the office by a clerk. Returns the filing
    event; its `complaint` is the new complaint.

    `holder` is the body that received it (default: the body addressed). A retried submission with the same
    idempotency key returns the filing already made instead of a second one.

    RULES §3: on the portal the applicant signs the complaint's canonical content (signing.complaint_content) with
    an EDS; `signature` is that signature, verified by the caller before this transaction (the verification may
    ask the certification centre over the network). It must be valid, of exactly this content and files, and made
    with the applicant's certificate (IIN, or the BIN of a legal entity); it is kept with the filing event. Whether
    it is required is SHAGYM_APPLICANT_SIGNATURE. A paper complaint is signed on paper: its filing says so."""
    at = now_or(now)
    idempotency_key = scoped_key(actor, idempotency_key)
    if idempotency_key:
        existing = only_row(Complaint.objects.filter(idempotency_key=idempotency_key))
        if existing is not None:
            return filing_event(existing)
    validate_input(data, today=local_date(at))
    holder = holder or data.reviewing_body
    received_by = None
    if data.channel == Channel.PORTAL:
        if actor is None:
            raise NotAllowed(Action.SUBMIT)
        roles = {Role.APPLICANT}
    else:
        # Paper, post and CON intake is recorded by a clerk of the receiving body.
        if actor is None or not access.may_receive_for(actor, holder.pk):
            raise NotAllowed(Action.SUBMIT)
        received_by = actor
        roles = {Role.CLERK}
    content = None
    if data.channel == Channel.PORTAL and (signature is not None or signing.required("complaint")):
        if signature is None:
            raise Refused(gettext("Sign the complaint with your electronic digital signature (NCALayer) before "
                                  "sending it."), field="signature")
        content = signing.complaint_content(data, [signing.upload_digest(upload) for upload in attachments or []])
        individual = data.applicant_kind == ApplicantKind.INDIVIDUAL
        signing.check(signature, content=content, iin=data.iin if individual else "",
                      bin="" if individual else data.bin, who=gettext("the applicant"))
    term_type = states.term_type_for(data.addressee_kind, public_service=data.public_service)
    complaint = Complaint(
        applicant_kind=data.applicant_kind,
        applicant_user=actor if data.channel == Channel.PORTAL else None,
        surname=data.surname.strip(),
        first_name=data.first_name.strip(),
        patronymic=data.patronymic.strip(),
        iin=data.iin if data.applicant_kind == ApplicantKind.INDIVIDUAL else "",
        legal_name=data.legal_name.strip(),
        bin=data.bin if data.applicant_kind == ApplicantKind.LEGAL_ENTITY else "",
        outgoing_number=data.outgoing_number.strip(),
        outgoing_date=data.outgoing_date,
        postal_address=data.postal_address.strip(),
        phones=data.phones.strip(),
        email=data.email.strip(),
        channel=data.channel,
        language=data.language,
        addressee_kind=data.addressee_kind,
        reviewing_body=data.reviewing_body,
        holder=holder,
        respondent=data.respondent,
        service=data.service,
        appealed_act=data.appealed_act,
        learned_on=data.learned_on,
        circumstances=data.circumstances.strip(),
        reasons=data.reasons.strip(),
        demands=data.demands.strip(),
        restoration_requested=data.restoration_requested,
        restoration_reason=data.restoration_reason.strip(),
        idempotency_key=idempotency_key,
        received_at=at,
        reference=new_reference(),
        postmark_date=data.postmark_date,
        received_by=received_by,
        term_type=term_type,
        term_days=states.TERM_DAYS[term_type],
        status=State.RECEIVED,
        parent=parent,
    )
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError:
        # Two requests with the same key raced; the other one won: return its filing.
        if idempotency_key:
            return filing_event(Complaint.objects.get(idempotency_key=idempotency_key))
        raise
    AppealedOfficial.objects.bulk_create(
        AppealedOfficial(complaint=complaint, position=o.position.strip(), surname=o.surname.strip(),
                         initials=o.initials.strip())
        for o in data.officials
    )
    store_attachments(complaint=complaint, uploads=attachments or [])
    late = filed_late(data.learned_on, data.postmark_date or local_date(at))
    signed = "digital" if content is not None else "" if data.channel == Channel.PORTAL else "paper"
    event = record(complaint, action=Action.SUBMIT, actor=actor, roles=roles, at=at, before=None,
                   payload=SubmitData(late=late, parent_id=parent.pk if parent else None, signed=signed))
    if content is not None:
        assert signature is not None
        Signature.record(event, purpose=Signature.Purpose.COMPLAINT, content=content, verification=signature)
    return event


@transaction.atomic
def register_paper_complaint(
    *,
    actor: User,
    data: ComplaintInput,
    holder: Organisation,
    received_at: dt.datetime,
    attachments: list[UploadedFile] | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """A complaint brought to the office or sent by post: the clerk records it as received and registers it at
    once (RULES §5-§6, АППК 64(2)-(3)); the term counts from the day of receipt. Returns the registration event
    (its talon is issued from it, after commit). The same form sent twice (the idempotency key) gives back the
    complaint already registered."""
    from .routing import register_complaint

    filed = submit_complaint(actor=actor, data=data, holder=holder, attachments=attachments,
                             idempotency_key=idempotency_key, now=received_at)
    complaint = filed.complaint
    if complaint.status != State.RECEIVED:
        registered = complaint.events.filter(action=Action.REGISTER).order_by("-pk").first()
        if registered is not None:
            registered.complaint = complaint
            return registered
    return register_complaint(actor=actor, complaint=complaint, now=now)

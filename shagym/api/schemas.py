"""The shapes of the API v1: what comes in (bounded: every text has the length its column holds, no NUL, valid
UTF-8; every number its range) and what goes out."""

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints

MAX_ID = 2**63 - 1
LONG = 20000  # the longest free text taken (circumstances, reasons, an answer's reasons)


def _clean(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("not valid UTF-8 text") from exc
    return value


Text12 = Annotated[str, StringConstraints(max_length=12), AfterValidator(_clean)]
Text20 = Annotated[str, StringConstraints(max_length=20), AfterValidator(_clean)]
Text30 = Annotated[str, StringConstraints(max_length=30), AfterValidator(_clean)]
Text40 = Annotated[str, StringConstraints(max_length=40), AfterValidator(_clean)]
Text60 = Annotated[str, StringConstraints(max_length=60), AfterValidator(_clean)]
Text100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(_clean)]
Text150 = Annotated[str, StringConstraints(max_length=150), AfterValidator(_clean)]
Text200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_clean)]
Text254 = Annotated[str, StringConstraints(max_length=254), AfterValidator(_clean)]
Text400 = Annotated[str, StringConstraints(max_length=400), AfterValidator(_clean)]
Text500 = Annotated[str, StringConstraints(max_length=500), AfterValidator(_clean)]
Text5000 = Annotated[str, StringConstraints(max_length=5000), AfterValidator(_clean)]
LongText = Annotated[str, StringConstraints(max_length=LONG), AfterValidator(_clean)]
Code = Text60
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]

# The choices of the lifecycle (shagym.complaints.states), spelt out for the schema; a test keeps them equal.
ApplicantKindIn = Literal["individual", "legal"]
AppealedActIn = Literal["decision", "action", "inaction"]
LanguageIn = Literal["kk", "ru"]
AddresseeIn = Literal["provider_head", "akim", "central", "con_head", "state_corporation", "quality_authority"]
ChannelIn = Literal["portal", "office", "post", "con"]


# ---------------------------------------------------------------------------------------------------------------
# In


class OfficialIn(Schema):
    position: Text200
    surname: Text150
    initials: Text20


class ComplaintIn(Schema):
    """A complaint with every part RULES §3 (АППК Art. 93) asks for."""

    applicant_kind: ApplicantKindIn = Field(description="individual or legal (a legal entity).")
    surname: Text150 = ""
    first_name: Text150 = ""
    patronymic: Text150 = ""
    iin: Text12 = Field("", description="Individual: the IIN, 12 digits with its check digit.")
    legal_name: Text400 = ""
    bin: Text12 = Field("", description="Legal entity: the BIN, 12 digits with its check digit.")
    outgoing_number: Text60 = Field("", description="Legal entity: the letter's outgoing number.")
    outgoing_date: Day | None = Field(None, description="Legal entity: the letter's date.")
    postal_address: Text400 = Field(description="Where the answer is sent.")
    phones: Text100 = ""
    email: Text254 = ""
    officials: list[OfficialIn] = Field(default_factory=list, max_length=20,
                                        description="The officials whose decision, action or inaction is appealed.")
    reviewing_body: Code = Field(description="The body addressed (its short code, GET /bodies).")
    respondent: Code | None = Field(None, description="The body whose act is appealed (default: the addressee).")
    service: Code | None = Field(None, description="The public service's register code (GET /services).")
    public_service: bool = True
    addressee_kind: AddresseeIn
    appealed_act: AppealedActIn
    circumstances: LongText
    reasons: LongText
    demands: LongText
    learned_on: Day = Field(description="The day the applicant learned of the act.")
    language: LanguageIn
    channel: ChannelIn | None = Field(
        None, description="A key: office, post or con (default office). The applicant's session: portal."
    )
    postmark_date: Day | None = None
    restoration_requested: bool = False
    restoration_reason: Text5000 = ""


class RedirectIn(Schema):
    target: Code = Field(description="The competent body's short code.")
    reason: Text5000


class RequestContentIn(Schema):
    missing: Text5000
    days: int | None = Field(None, ge=0, le=1000, description="Working days to supply it (1 to 30).")


class SupplyIn(Schema):
    text: LongText


class AssignIn(Schema):
    executor: Text150 = Field(description="The executor's user name (a key's own: GET /me).")


class ExtendIn(Schema):
    days: int = Field(ge=0, le=1000, description="1 to 10 working days (RULES §14).")
    ground: Text30 = Field(description="further_study or more_information.")
    reasons: LongText


class NoticeIn(Schema):
    channel: Text30 = Field(description="How the applicant was told: post, email, cabinet, in_person.")


class HearingIn(Schema):
    held_on: Day
    notes: LongText


class ProposeIn(Schema):
    outcome: Text30 = Field(description="cancel, cancel_adopt, perform, refuse or send_back.")
    reasons: LongText
    facts: LongText = ""
    legal_references: LongText = ""


class CommentIn(Schema):
    comment: Text5000


class LeaveIn(Schema):
    ground: Text30 = Field(description="already_decided, court_act, returned or withdrawn (АППК Art. 95).")
    comment: Text5000 = ""


class WithdrawIn(Schema):
    reason: Text5000 = ""


class DeliverIn(Schema):
    method: Text12 = Field(description="post, in_person or electronic.")
    delivered_on: Day | None = None


class SatisfyIn(Schema):
    text: LongText


class RecommendIn(Schema):
    body: Code = Field(description="The body told to restore the rights (short code).")
    text: LongText
    due_date: Day


class ReportIn(Schema):
    report: LongText


class ConfirmIn(Schema):
    accepted: bool
    comment: Text5000 = ""


class WebhookIn(Schema):
    url: Text500
    contact_email: Text254
    actions: list[Text40] = Field(default_factory=list, max_length=40)
    description: Text200 = ""


# ---------------------------------------------------------------------------------------------------------------
# Out


class BodyRef(Schema):
    key: str
    name: str


class ServiceRef(Schema):
    code: str
    name: str


class ApplicantOut(Schema):
    kind: str
    surname: str
    first_name: str
    patronymic: str
    iin: str
    legal_name: str
    bin: str
    outgoing_number: str
    outgoing_date: dt.date | None
    postal_address: str
    phones: str
    email: str


class OfficialOut(Schema):
    position: str
    surname: str
    initials: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class RecommendationOut(Schema):
    id: int
    body: BodyRef
    text: str
    due_date: dt.date
    status: str
    report: str


class DocumentOut(Schema):
    id: str = Field(description="A letter's id, or `receipt` for the receipt of a portal complaint.")
    kind: str
    created_at: dt.datetime | None
    url: str


class ComplaintSummary(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    channel: str
    reviewing_body: str
    holder: str
    service: str | None
    received_at: dt.datetime
    registered_on: dt.date | None
    due_date: dt.date | None
    overdue: bool
    url: str


class ComplaintOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str = Field(description="The status in the applicant's words (RULES §26).")
    channel: str
    language: str
    addressee_kind: str
    appealed_act: str
    reviewing_body: BodyRef
    holder: BodyRef
    respondent: BodyRef
    forwarded_from: BodyRef | None
    service: ServiceRef | None
    public_service: bool
    applicant: ApplicantOut
    officials: list[OfficialOut]
    circumstances: str
    reasons: str
    demands: str
    learned_on: dt.date
    restoration_requested: bool
    received_at: dt.datetime
    registered_on: dt.date | None
    term_type: str
    term_days: int
    due_date: dt.date | None
    overdue: bool
    overdue_since: dt.date | None
    extension_days: int
    executor: int | None = Field(description="The executor's user id (staff only).")
    outcome: str
    decided_at: dt.datetime | None
    delivery_method: str
    delivered_on: dt.date | None
    closed_at: dt.datetime | None
    parent: int | None
    attachments: list[AttachmentOut]
    recommendations: list[RecommendationOut]
    actions: list[str] = Field(description="The actions the caller's roles may take in this state.")
    url: str


class ComplaintPage(Schema):
    items: list[ComplaintSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class EventOut(Schema):
    position: int | None = Field(description="The event's place in the feed (null until it is published).")
    id: int
    type: str
    action: str
    at: dt.datetime
    complaint: dict[str, Any]
    status_before: str | None
    status_after: str | None
    due_date: dt.date | None
    role: str | None
    actor: int | None
    data: dict[str, Any]


class EventPage(Schema):
    items: list[EventOut]
    next_after: int = Field(description="Pass as `after` for the next page (the last position read, or `after`).")


class ActionOut(Schema):
    event: EventOut
    complaint: ComplaintOut | None = Field(description="The complaint after the action; null once it left the caller.")


class MeOut(Schema):
    username: str
    organisation: BodyRef | None
    scopes: list[str]
    roles: list[str]
    expires_at: dt.datetime | None
    session: bool


class BodyOut(Schema):
    key: str
    kind: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    parent: str | None
    reviewer: str | None
    territory: str | None = Field(description="KATO code.")
    address: str
    phones: str
    bin: str


class ServiceOut(Schema):
    code: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    providers: list[str]


class TerritoryOut(Schema):
    kato: str
    level: str
    name: str
    name_kk: str
    name_ru: str
    parent: str | None


class BodyPage(Schema):
    items: list[BodyOut]
    next_cursor: str | None


class ServicePage(Schema):
    items: list[ServiceOut]
    next_cursor: str | None


class TerritoryPage(Schema):
    items: list[TerritoryOut]
    next_cursor: str | None


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    actions: list[str]
    contact_email: str
    is_active: bool
    disabled_at: dt.datetime | None
    disabled_reason: str
    secret: str | None = Field(description="The signing secret: only in the answer that creates the subscription.")


class WebhookDeliveryOut(Schema):
    id: int
    message_id: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    last_error: str


class Done(Schema):
    detail: str

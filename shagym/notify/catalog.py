"""What each kind of message is: who gets it, its subject and SMS text, its legal basis, whether it is a letter.

The bodies are templates: notify/<audience>/<kind>.txt. Placeholders are named and filled from the context that
`compose.py` builds; every subject and SMS text is one translatable sentence (no concatenation)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shagym.complaints.states import Action

from .models import Audience, Kind


@dataclass(frozen=True)
class Spec:
    audience: Audience
    subject: Promise
    sms: Promise | None = None
    # A paper complaint gets it as a letter; an electronic one only when its e-mail and SMS both fail.
    letter: bool = False
    legal_reference: Promise | None = None

    def template(self, kind: str) -> str:
        return f"notify/{self.audience}/{kind}.txt"


_APPLICANT = Audience.APPLICANT
_STAFF = Audience.STAFF

SPECS: Mapping[str, Spec] = {
    Kind.RECEIVED: Spec(
        _APPLICANT,
        _("Your complaint has been received"),
        sms=_("Shagym: your complaint was received on %(date)s."),
        legal_reference=_("АППК Art. 64(2)-(3)"),
    ),
    Kind.REGISTERED: Spec(
        _APPLICANT,
        _("Complaint %(number)s registered"),
        sms=_("Shagym: your complaint was registered on %(registered)s under No. %(number)s."),
        legal_reference=_("АППК Art. 64(2)-(3)"),
    ),
    Kind.FORWARDED: Spec(
        _APPLICANT,
        _("Complaint %(number)s forwarded to the reviewing body"),
        sms=_("Shagym: complaint %(number)s was forwarded for review to %(reviewer)s."),
        letter=True,
        legal_reference=_("АППК Art. 91(4)"),
    ),
    Kind.SATISFIED: Spec(
        _APPLICANT,
        _("Complaint %(number)s: your demands have been satisfied in full"),
        sms=_("Shagym: the demands of complaint %(number)s were satisfied in full by %(body)s."),
        letter=True,
        legal_reference=_("АППК Art. 91(4)"),
    ),
    Kind.REDIRECTED: Spec(
        _APPLICANT,
        _("Complaint %(number)s sent to the competent body"),
        sms=_("Shagym: complaint %(number)s was sent to the competent body, %(reviewer)s (АППК Art. 65)."),
        letter=True,
        legal_reference=_("АППК Art. 65"),
    ),
    Kind.CONTENT_REQUESTED: Spec(
        _APPLICANT,
        _("Complaint %(number)s: please supply the missing information by %(content_due)s"),
        sms=_("Shagym: complaint %(number)s lacks information; please supply it by %(content_due)s."),
        letter=True,
        legal_reference=_("АППК Art. 64(6)"),
    ),
    Kind.RETURNED: Spec(
        _APPLICANT,
        _("Complaint %(number)s returned"),
        sms=_("Shagym: complaint %(number)s was returned (АППК Art. 64(7)); you may file it again."),
        letter=True,
        legal_reference=_("АППК Art. 64(7)-(8)"),
    ),
    Kind.EXTENDED: Spec(
        _APPLICANT,
        _("Complaint %(number)s: the review term is extended to %(due)s"),
        sms=_("Shagym: the review of complaint %(number)s is extended to %(due)s (Law on public services, Art. 25(4))."),
        letter=True,
        legal_reference=_("Law “On public services”, Art. 25(4)"),
    ),
    Kind.DECIDED: Spec(
        _APPLICANT,
        _("Decision on complaint %(number)s"),
        sms=_("Shagym: a decision on complaint %(number)s was taken on %(date)s; the answer has been sent to you."),
        letter=True,
        legal_reference=_("АППК Art. 100, 101, 136"),
    ),
    Kind.LEFT_WITHOUT_CONSIDERATION: Spec(
        _APPLICANT,
        _("Complaint %(number)s left without consideration"),
        sms=_("Shagym: complaint %(number)s was left without consideration (АППК Art. 95)."),
        letter=True,
        legal_reference=_("АППК Art. 95"),
    ),
    Kind.WITHDRAWN: Spec(
        _APPLICANT,
        _("Complaint %(number)s withdrawn"),
        sms=_("Shagym: the withdrawal of complaint %(number)s was recorded on %(date)s."),
        legal_reference=_("АППК Art. 64(9)"),
    ),
    Kind.DEEMED_REFUSED: Spec(
        _APPLICANT,
        _("Complaint %(number)s: the review term ended without a decision"),
        sms=_("Shagym: complaint %(number)s was not decided by %(due)s and is deemed refused (АППК Art. 91(2))."),
        letter=True,
        legal_reference=_("АППК Art. 91(2), 100(5)"),
    ),
    Kind.ASSIGNED: Spec(_STAFF, _("You are the executor of complaint %(number)s, due %(due)s")),
    Kind.AWAITING_SIGNATURE: Spec(_STAFF, _("The answer to complaint %(number)s awaits your signature")),
    Kind.RECOMMENDATION: Spec(
        _STAFF,
        _("Recommendation on complaint %(number)s: execute by %(recommendation_due)s"),
        legal_reference=_("Law “On public services”, Art. 25(3)"),
    ),
    Kind.DUE_REMINDER: Spec(
        _STAFF, _("Complaint %(number)s is due on %(due)s"), legal_reference=_("АППК Art. 91(2), 100(5)")
    ),
    Kind.OVERDUE: Spec(
        _STAFF,
        _("Complaint %(number)s: the review term ended on %(due)s without a decision"),
        legal_reference=_("АППК Art. 91(2), 100(5)"),
    ),
    Kind.EXTENSION_NOTICE_REMINDER: Spec(
        _STAFF,
        _("Complaint %(number)s: tell the applicant of the extension by %(notice_due)s"),
        legal_reference=_("Law “On public services”, Art. 25(4)"),
    ),
    Kind.EXTENSION_NOTICE_OVERDUE: Spec(
        _STAFF,
        _("Complaint %(number)s: the extension notice was due on %(notice_due)s"),
        legal_reference=_("Law “On public services”, Art. 25(4)"),
    ),
    Kind.FORWARD_REMINDER: Spec(
        _STAFF,
        _("Complaint %(number)s: forward it to the reviewing body by %(forward_due)s"),
        legal_reference=_("АППК Art. 91(4)"),
    ),
    Kind.FORWARD_OVERDUE: Spec(
        _STAFF,
        _("Complaint %(number)s: forwarding to the reviewing body was due on %(forward_due)s"),
        legal_reference=_("АППК Art. 91(4)"),
    ),
    Kind.DIGEST: Spec(_STAFF, _("Complaints: summary for %(date)s")),
}

# The lifecycle events that are told, and the messages each one makes. An event's kind is its action.
EVENT_KINDS: Mapping[str, tuple[Kind, ...]] = {
    Action.SUBMIT: (Kind.RECEIVED,),
    Action.REGISTER: (Kind.REGISTERED,),
    Action.FORWARD: (Kind.FORWARDED,),
    Action.SATISFY: (Kind.SATISFIED,),
    Action.REDIRECT: (Kind.REDIRECTED,),
    Action.REQUEST_CONTENT: (Kind.CONTENT_REQUESTED,),
    Action.RETURN: (Kind.RETURNED,),
    Action.ASSIGN: (Kind.ASSIGNED,),
    Action.EXTEND: (Kind.EXTENDED,),
    Action.PROPOSE_DECISION: (Kind.AWAITING_SIGNATURE,),
    Action.SIGN_DECISION: (Kind.DECIDED,),
    Action.LEAVE_WITHOUT_CONSIDERATION: (Kind.LEFT_WITHOUT_CONSIDERATION,),
    Action.WITHDRAW: (Kind.WITHDRAWN,),
    # RULES §15: the applicant is told of the deemed refusal; the executor and the head, that they are late.
    Action.MARK_OVERDUE: (Kind.DEEMED_REFUSED, Kind.OVERDUE),
    Action.RECOMMEND: (Kind.RECOMMENDATION,),
}

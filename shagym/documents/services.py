"""Issuing documents: the letters an event calls for, each rendered once and kept as printed.

`issue_for_event` is this layer's subscriber to the complaints' events (registered in apps.py): it runs after the
action has committed, so no row is locked while a PDF renders. A page that needs the letter at once (the clerk who
has just forwarded a complaint prints the covering letter) calls it too, and gets what is there or issues it;
whoever comes first writes the letter, the other finds it (one letter per event and kind, a unique constraint)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from shagym import workdays
from shagym.complaints import codes
from shagym.complaints.models import Complaint, ComplaintEvent, Signature
from shagym.complaints.states import Action, Channel
from shagym.directory.models import Organisation

from . import render, seal
from .models import Document, Letter

logger = logging.getLogger(__name__)

# The letters each action issues (RULES §4, §5, §8, §9, §14, §23).
LETTERS: dict[str, tuple[str, ...]] = {
    Action.REGISTER: (Letter.Kind.TALON,),
    Action.REISSUE_TALON: (Letter.Kind.TALON,),
    Action.FORWARD: (Letter.Kind.FORWARDING,),
    Action.REDIRECT: (Letter.Kind.REDIRECT,),
    Action.REQUEST_CONTENT: (Letter.Kind.CONTENT,),
    Action.EXTEND: (Letter.Kind.EXTENSION,),
    Action.SIGN_DECISION: (Letter.Kind.ANSWER,),
}


def kinds_for(event: ComplaintEvent) -> tuple[str, ...]:
    kinds = LETTERS.get(event.action, ())
    if event.action == Action.REGISTER:
        # RULES §5: a paper, post or CON complaint gets its talon at its first registration; a portal complaint's
        # receipt is its status in the cabinet (and the receipt PDF made on request).
        first = event.old.number is None
        return kinds if first and event.complaint.channel != Channel.PORTAL else ()
    return kinds


def issue_for_event(event: ComplaintEvent) -> list[Letter]:
    """Every letter this event calls for, issued once: a page that needs the letter now calls it (after the action
    committed, never inside its transaction), and gets the letters whether it made them or found them."""
    return [ensure_letter(event, kind)[0] for kind in kinds_for(event)]


def issue_missing(event: ComplaintEvent) -> list[Letter]:
    """The subscriber: issues the letters this event calls for and returns the ones it made (none the second time)."""
    return [letter for letter, made in (ensure_letter(event, kind) for kind in kinds_for(event)) if made]


def new_number() -> str:
    """A document's number: 12 characters of the code alphabet (about 59 bits, random), "K7QM-3RTA-9XWE"."""
    code = "".join(secrets.choice(codes.ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def answer_number(complaint: Complaint) -> str:
    """The number of the answer the head is about to sign: fixed by the draft (its event), so the PDF the head
    signs, the one the page renders again to check the signature, and the letter issued after are the same bytes."""
    draft = complaint.events.filter(action=Action.PROPOSE_DECISION).order_by("-pk").values_list("pk", flat=True).first()
    digest = hmac.new(settings.SECRET_KEY.encode(), f"answer:{complaint.pk}:{draft}".encode(), hashlib.sha256).digest()
    code = "".join(codes.ALPHABET[b % len(codes.ALPHABET)] for b in digest[:12])
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def answer_to_sign(complaint: Complaint, *, signer: object, today: dt.date | None = None) -> bytes:
    """RULES §23: the answer exactly as it will be issued once signed today: the bytes the head signs with NCALayer
    (the page hands them out, and renders them again when the signature comes back)."""
    day = today or timezone.localtime(timezone.now(), workdays.ALMATY).date()
    return render.answer(complaint, text=render.AnswerText.of(complaint), signer=signer,  # type: ignore[arg-type]
                         draft=False, document=answer_number(complaint), signed_on=day)


SEAL_REASONS: dict[str, str] = {
    Document.Kind.ANSWER: "Reasoned answer",
    Document.Kind.TALON: "Talon",
    Document.Kind.RECEIPT: "Receipt",
    Document.Kind.NOTICE: "Notice",
}


def sealed(pdf: bytes, *, issuer: Organisation | None, number: str, kind: str,
           signature: Signature | None = None) -> tuple[bytes, seal.Seal | None]:
    """The PDF with the issuing body's seal (or as it is, when no seal is configured). An answer signed by the head
    carries the head's CMS inside, under the seal, so the copy proves itself anywhere."""
    body_seal = seal.seal_for(issuer)
    if body_seal is None:
        logger.warning("No seal for %s: document %s issued unsealed", issuer.key if issuer else "the operator", number)
        return pdf, None
    attachments = []
    if signature is not None:
        attachments.append((f"{number}-signature.cms", bytes(signature.cms),
                            f"CMS signature of the first revision of this PDF by {signature.signer_name}"))
    reason = f"{SEAL_REASONS.get(kind, 'Letter')} {number}"
    return seal.apply(pdf, body_seal, number=number, reason=reason, attachments=attachments), body_seal


def _record(kind: str, *, number: str, pdf: bytes, body_seal: seal.Seal | None, complaint: Complaint | None,
            issuer: Organisation | None, language: str, letter: Letter | None = None,
            signature: Signature | None = None) -> Document:
    return Document.objects.create(
        number=number, kind=kind, complaint=complaint, organisation=issuer, letter=letter, signature=signature,
        language=language, sha256=hashlib.sha256(pdf).hexdigest(),
        sealed_by=body_seal.name[:400] if body_seal else "", seal_fingerprint=body_seal.fingerprint if body_seal else "",
    )


def ensure_letter(event: ComplaintEvent, kind: str) -> tuple[Letter, bool]:
    """The letter of this kind for this event, and whether this call made it: numbered, sealed and recorded as an
    issued document (after the action's commit: no row is locked while it renders and is sealed)."""
    existing = Letter.objects.filter(event=event, kind=kind).select_related("complaint").first()
    if existing is not None:
        return existing, False
    complaint = event.complaint
    issuer = render.issuer_of(event)
    code = None
    signature = Signature.objects.filter(event=event).first() if kind == Letter.Kind.ANSWER else None
    number = answer_number(complaint) if kind == Letter.Kind.ANSWER else new_number()
    if kind == Letter.Kind.TALON:
        # RULES §5: the talon carries an access code for the status page; only its hash is kept, and only the code
        # of the talon that is stored (below, in one transaction) is made valid.
        code = codes.new_code() if complaint.channel != Channel.PORTAL else None
        pdf = render.talon(complaint, issuer=issuer, access_code=code, document=number)
        addressee = complaint.applicant_name
    elif signature is not None:
        # The head signed these very bytes: the letter is them, sealed (an incremental update keeps them intact).
        pdf, addressee = bytes(signature.content), complaint.applicant_name
    else:
        pdf, addressee = render.letter(kind, event=event, issuer=issuer, signer=event.actor, document=number)
    pdf, body_seal = sealed(pdf, issuer=issuer, number=number, kind=kind, signature=signature)
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                complaint=complaint, kind=kind, organisation=issuer, event=event, language=complaint.language,
                addressee=addressee[:400], created_by=event.actor, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
            )
            _record(kind, number=number, pdf=pdf, body_seal=body_seal, complaint=complaint, issuer=issuer,
                    language=complaint.language, letter=letter, signature=signature)
            if code is not None:
                codes.store_access_code(complaint, code)
    except IntegrityError:
        # Another process issued it first: theirs is the letter (and the code) in force.
        return Letter.objects.select_related("complaint").get(event=event, kind=kind), False
    return letter, True


def issue_receipt(complaint: Complaint) -> bytes:
    """The portal's receipt (RULES §5), issued anew on each request (its status moves on): numbered, sealed by the
    body holding the complaint, recorded."""
    number = new_number()
    pdf = render.receipt(complaint, document=number)
    pdf, body_seal = sealed(pdf, issuer=complaint.holder, number=number, kind=Document.Kind.RECEIPT)
    _record(Document.Kind.RECEIPT, number=number, pdf=pdf, body_seal=body_seal, complaint=complaint,
            issuer=complaint.holder, language=complaint.language)
    return pdf


def issue_notice(*, complaint: Complaint | None, sender: Organisation | None, language: str, **content: object) -> bytes:
    """A notification as a letter (the print queue, the PDF an e-mail carries): numbered, sealed, recorded."""
    number = new_number()
    pdf = render.notice(language=language, sender=sender, document=number, **content)  # type: ignore[arg-type]
    pdf, body_seal = sealed(pdf, issuer=sender, number=number, kind=Document.Kind.NOTICE)
    _record(Document.Kind.NOTICE, number=number, pdf=pdf, body_seal=body_seal, complaint=complaint, issuer=sender,
            language=language)
    return pdf


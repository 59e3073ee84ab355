"""Issuing documents: the letters an event calls for, each rendered once and kept as printed.

`issue_for_event` is this layer's subscriber to the complaints' events (registered in apps.py): it runs after the
action has committed, so no row is locked while a PDF renders. A page that needs the letter at once (the clerk who
has just forwarded a complaint prints the covering letter) calls it too, and gets what is there or issues it;
whoever comes first writes the letter, the other finds it (one letter per event and kind, a unique constraint)."""

from __future__ import annotations

import hashlib
import logging

from django.db import IntegrityError, transaction

from shagym.complaints import codes
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action, Channel

from . import render
from .models import Letter

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


def ensure_letter(event: ComplaintEvent, kind: str) -> tuple[Letter, bool]:
    """The letter of this kind for this event, and whether this call made it."""
    existing = Letter.objects.filter(event=event, kind=kind).select_related("complaint").first()
    if existing is not None:
        return existing, False
    complaint = event.complaint
    issuer = render.issuer_of(event)
    code = None
    if kind == Letter.Kind.TALON:
        # RULES §5: the talon carries an access code for the status page; only its hash is kept, and only the code
        # of the talon that is stored (below, in one transaction) is made valid.
        code = codes.new_code() if complaint.channel != Channel.PORTAL else None
        pdf = render.talon(complaint, issuer=issuer, access_code=code)
        addressee = complaint.applicant_name
    else:
        pdf, addressee = render.letter(kind, event=event, issuer=issuer, signer=event.actor)
    try:
        with transaction.atomic():
            letter = Letter.objects.create(
                complaint=complaint, kind=kind, organisation=issuer, event=event, language=complaint.language,
                addressee=addressee[:400], created_by=event.actor, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
            )
            if code is not None:
                codes.store_access_code(complaint, code)
    except IntegrityError:
        # Another process issued it first: theirs is the letter (and the code) in force.
        return Letter.objects.select_related("complaint").get(event=event, kind=kind), False
    return letter, True

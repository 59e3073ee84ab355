"""The back office's own writes: the executor's answer draft, kept beside the complaint, and sent with the proposal
in one transaction."""

from __future__ import annotations

import subprocess

import pytest

from shagym.complaints.states import Action, NotAllowed, Refused, State

from .. import services as desk
from ..models import AnswerDraft


def pdf_text(pdf: bytes) -> str:
    # One line: pdftotext wraps long lines where the PDF does.
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_draft_is_kept_without_touching_the_complaint(under_review, executor):
    before = under_review.snapshot()
    events = under_review.events.count()
    desk.save_answer_draft(actor=executor, complaint=under_review, outcome="", facts="Бір", reasons="",
                           legal_references="")
    under_review.refresh_from_db()
    assert under_review.snapshot() == before and under_review.events.count() == events
    assert AnswerDraft.objects.get(complaint=under_review).facts == "Бір"


def test_only_the_executor_drafts(under_review, clerk, outsider):
    for user in (clerk, outsider):
        with pytest.raises(NotAllowed):
            desk.save_answer_draft(actor=user, complaint=under_review, outcome="refuse", facts="", reasons="x",
                                   legal_references="")
    assert not AnswerDraft.objects.exists()


def test_refusal_without_reasons_is_not_sent(under_review, executor):
    with pytest.raises(Refused) as refused:
        desk.submit_answer(actor=executor, complaint=under_review, outcome="refuse", facts="", reasons=" ",
                           legal_references="")
    assert refused.value.field == "reasons"
    under_review.refresh_from_db()
    assert under_review.status == State.UNDER_REVIEW and not AnswerDraft.objects.exists()


def test_submitting_the_answer_keeps_the_draft_as_sent(under_review, executor):
    event = desk.submit_answer(actor=executor, complaint=under_review, outcome="perform", facts="Тексерілді.",
                               reasons="Заң бойынша.", legal_references="25-бап")
    assert event.action == Action.PROPOSE_DECISION
    under_review.refresh_from_db()
    assert under_review.status == State.AWAITING_SIGNATURE
    assert AnswerDraft.objects.get(complaint=under_review).reasons == "Заң бойынша."

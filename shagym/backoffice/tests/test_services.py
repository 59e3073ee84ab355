"""The back-office steps: one lifecycle service plus the letter or draft kept beside it, whole or not at all."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from shagym.complaints import services
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action, Channel, NotAllowed, Refused, State
from shagym.complaints.tests.factories import complaint_input
from shagym.portal import codes

from .. import services as desk
from ..models import AnswerDraft, Letter


def pdf_text(pdf: bytes) -> str:
    # One line: pdftotext wraps long lines where the PDF does.
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


def test_paper_complaint_is_registered_at_once_with_its_talon(paper, clerk):
    assert paper.status == State.REGISTERED
    assert paper.number and paper.registered_on == dt.date(2026, 11, 2)
    assert paper.received_by == clerk
    assert list(paper.events.values_list("action", flat=True)) == [Action.SUBMIT, Action.REGISTER]
    talon = Letter.objects.get(complaint=paper, kind=Letter.Kind.TALON)
    text = pdf_text(bytes(talon.pdf))
    assert paper.number in text
    assert clerk.initials_name in text  # RULES §5: surname and initials of the receiver
    # The access code printed on the talon opens the portal's status page.
    code = re.search(r"\b([2-9A-Z]{4}-[2-9A-Z]{4})\b", text).group(1)
    assert codes.check_access_code(paper.number, code) == paper


def test_same_intake_form_twice_gives_one_complaint(clerk, ministry, now):
    data = complaint_input(reviewing_body=ministry, channel=Channel.OFFICE)
    first = desk.register_paper_complaint(actor=clerk, data=data, holder=ministry, received_at=now,
                                          idempotency_key="form-1", now=now)
    again = desk.register_paper_complaint(actor=clerk, data=data, holder=ministry, received_at=now,
                                          idempotency_key="form-1", now=now)
    assert again.pk == first.pk
    assert Letter.objects.filter(complaint=first, kind=Letter.Kind.TALON).count() == 1


def test_only_a_clerk_of_the_receiving_body_registers_paper(outsider, ministry, now):
    with pytest.raises(NotAllowed):
        desk.register_paper_complaint(actor=outsider, data=complaint_input(reviewing_body=ministry, channel=Channel.POST),
                                      holder=ministry, received_at=now, now=now)
    assert not ComplaintEvent.objects.exists()


def test_new_talon_replaces_the_access_code(paper, clerk):
    first = pdf_text(bytes(Letter.objects.get(complaint=paper, kind=Letter.Kind.TALON).pdf))
    old = re.search(r"\b([2-9A-Z]{4}-[2-9A-Z]{4})\b", first).group(1)
    desk.issue_talon(actor=clerk, complaint=paper)
    assert codes.check_access_code(paper.number, old) is None


def test_complaint_against_the_provider_is_forwarded_with_a_covering_letter(against_provider, provider_clerk, provider,
                                                                            ministry):
    assert against_provider.status == State.FORWARDING
    assert against_provider.forward_due == dt.date(2026, 11, 5)  # RULES §8: 3 working days
    letter = desk.forward_with_letter(actor=provider_clerk, complaint=against_provider)
    against_provider.refresh_from_db()
    assert against_provider.status == State.RECEIVED and against_provider.holder == ministry
    # The letter stays with the body that sent it.
    assert letter.organisation == provider and letter.kind == Letter.Kind.FORWARDING
    assert letter.event.action == Action.FORWARD
    text = pdf_text(bytes(letter.pdf))
    assert against_provider.number in text and "91" in text  # АППК Art. 91(4)


def test_redirect_needs_a_reason_and_changes_nothing_without_it(registered, clerk, other_body):
    with pytest.raises(Refused) as refused:
        desk.redirect_with_notice(actor=clerk, complaint=registered, target=other_body, reason="  ")
    assert refused.value.field == "reason"
    registered.refresh_from_db()
    assert registered.status == State.REGISTERED and not Letter.objects.exists()


def test_redirect_produces_the_notice_in_the_complaint_language(registered, clerk, other_body, ministry):
    letter = desk.redirect_with_notice(actor=clerk, complaint=registered, target=other_body,
                                       reason="Мәселе білім министрлігінің құзыретінде.")
    registered.refresh_from_db()
    assert registered.holder == other_body
    assert letter.organisation == ministry and letter.language == "kk"
    text = pdf_text(bytes(letter.pdf))
    assert "Мәселе білім министрлігінің құзыретінде." in text
    assert "65" in text


def test_missing_content_notice_lists_what_is_missing_and_the_term(registered, clerk):
    letter = desk.request_content_with_notice(actor=clerk, complaint=registered,
                                              missing="IIN\nThe list of attachments", days=5)
    registered.refresh_from_db()
    assert registered.status == State.AWAITING_CONTENT
    assert registered.content_due == dt.date(2026, 11, 9)
    text = pdf_text(bytes(letter.pdf))
    assert "The list of attachments" in text and "09.11.2026" in text


def test_provider_may_not_extend_and_nothing_is_issued(provider, provider_clerk, provider_head, now):
    """RULES §14: providers are not in Law Art. 25(4)."""
    from shagym.complaints.tests.factories import UserFactory, member
    from shagym.directory.models import Role

    complaint = desk.register_paper_complaint(
        actor=provider_clerk,
        data=complaint_input(reviewing_body=provider, respondent=provider, channel=Channel.OFFICE,
                             addressee_kind="provider_head"),
        holder=provider, received_at=now, now=now)
    worker = member(UserFactory(username="provider_executor"), provider, Role.EXECUTOR)
    services.assign_executor(actor=provider_head, complaint=complaint, executor=worker, now=now)
    with pytest.raises(Refused):
        desk.extend_with_notice(actor=worker, complaint=complaint, days=5, ground="more_information", reasons="...")
    complaint.refresh_from_db()
    assert complaint.extension_days == 0 and complaint.status == State.UNDER_REVIEW
    assert not Letter.objects.filter(kind=Letter.Kind.EXTENSION).exists()


def test_extension_produces_the_notice_with_reasons_and_new_due_date(under_review, executor):
    letter = desk.extend_with_notice(actor=executor, complaint=under_review, days=10, ground="more_information",
                                     reasons="Облыстық басқармадан ақпарат сұралды.")
    under_review.refresh_from_db()
    assert under_review.status == State.EXTENDED
    assert under_review.extension_notice_due == dt.date(2026, 11, 5)
    text = pdf_text(bytes(letter.pdf))
    assert "Облыстық басқармадан ақпарат сұралды." in text
    assert under_review.due_date.strftime("%d.%m.%Y") in text


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


def test_signing_fixes_the_answer_letter_with_rights(decided, head):
    assert decided.status == State.DECIDED
    letter = Letter.objects.get(complaint=decided, kind=Letter.Kind.ANSWER)
    assert letter.created_by == head and letter.language == "kk"
    text = pdf_text(bytes(letter.pdf))
    assert "Заңның 25-бабы бойынша." in text  # the reasons as written
    assert "136" in text  # the right to go to court (АППК 136)
    assert "DRAFT" not in text

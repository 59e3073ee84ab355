"""services.py: who is told what, on which channels, once; retries, fallbacks and the paper letter."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
import time_machine

from shagym.complaints import services as complaints
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action, NotAllowed, Refused
from shagym.notify import selectors, services, sweep
from shagym.notify.models import Audience, Delivery, DeliveryStatus, Kind, Medium, Message

from .conftest import MONDAY, free_port, paper_complaint, portal_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_portal(applicant, clerk, ministry, committed):
    with committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        return complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint


def channels(message: Message) -> dict[str, str]:
    return {d.medium: d.status for d in message.deliveries.all()}


def test_registration_is_told_in_the_cabinet_by_email_and_by_sms(registered_portal, applicant, mailoutbox, settings):
    message = Message.objects.get(complaint=registered_portal, kind=Kind.REGISTERED)
    assert message.audience == Audience.APPLICANT
    assert message.recipient == applicant
    assert message.language == "kk"
    assert registered_portal.number in message.subject
    assert "09.11.2026" in message.body  # the due date: 5 working days from Monday 2 November 2026
    assert channels(message) == {Medium.CABINET: "sent", Medium.EMAIL: "sent", Medium.SMS: "sent"}
    assert [m.to for m in mailoutbox if m.subject == message.subject] == [["erlan@example.kz"]]
    sms = [json.loads(p.read_text()) for p in settings.SHAGYM_SMS_DIR.glob("*.json")]
    assert [s["to"] for s in sms if registered_portal.number in s["text"]] == ["+77011234567"]


def test_a_portal_complaint_is_acknowledged_on_receipt_a_paper_one_is_not(
    registered_portal, clerk, ministry, committed
):
    assert Message.objects.filter(complaint=registered_portal, kind=Kind.RECEIVED).count() == 1
    with committed():
        paper = paper_complaint(clerk=clerk, body=ministry, now=MONDAY)
    # RULES §5: the talon confirms a paper complaint.
    assert not Message.objects.filter(complaint=paper).exists()


def test_announcing_an_event_again_sends_nothing(registered_portal, mailoutbox, committed, settings):
    settings.SHAGYM_DIGEST_HOUR = 23  # the head's digest is not what this test is about
    event = ComplaintEvent.objects.get(complaint=registered_portal, action=Action.REGISTER)
    before = (Message.objects.count(), Delivery.objects.count(), len(mailoutbox))
    with time_machine.travel(MONDAY, tick=False), committed():
        assert services.announce_event(event) == []
        services.hand_off(event.pk)
        sweep.run()
    assert (Message.objects.count(), Delivery.objects.count(), len(mailoutbox)) == before


def test_an_event_that_tells_nobody_makes_no_message(registered_portal, head, executor, committed):
    complaints.assign_executor(actor=head, complaint=registered_portal, executor=executor, now=MONDAY)
    count = Message.objects.count()
    with committed():
        event = complaints.record_hearing(actor=executor, complaint=registered_portal, held_on=MONDAY.date(),
                                          notes="Тыңдалды.", now=MONDAY)
    assert services.announce_event(event) == []
    assert Message.objects.count() == count


def test_assignment_goes_to_the_executor_and_the_draft_to_the_head(
    registered_portal, head, executor, committed, mailoutbox
):
    with committed():
        complaint = complaints.assign_executor(actor=head, complaint=registered_portal, executor=executor, now=MONDAY).complaint
        complaints.propose_decision(actor=executor, complaint=complaint, outcome="perform", reasons="Заң", now=MONDAY)
    assigned = selectors.messages_for_staff(executor).get(kind=Kind.ASSIGNED)
    assert assigned.complaint == registered_portal
    assert channels(assigned) == {Medium.CABINET: "sent", Medium.EMAIL: "sent"}
    assert "09.11.2026" in assigned.subject
    assert selectors.messages_for_staff(head).filter(kind=Kind.AWAITING_SIGNATURE).count() == 1
    assert not selectors.messages_for_staff(executor).filter(kind=Kind.AWAITING_SIGNATURE).exists()


def test_the_decision_goes_out_with_the_answer_attached(registered_portal, head, executor, committed, mailoutbox):
    with committed():
        complaint = complaints.assign_executor(actor=head, complaint=registered_portal, executor=executor, now=MONDAY).complaint
        complaint = complaints.propose_decision(
            actor=executor, complaint=complaint, outcome="perform", reasons="Анықтама берілуі тиіс.",
            legal_references="Заңның 25-бабы", now=MONDAY,
        ).complaint
        complaints.sign_decision(actor=head, complaint=complaint, now=MONDAY)
    message = Message.objects.get(complaint=registered_portal, kind=Kind.DECIDED)
    assert "Анықтама берілуі тиіс." in message.body
    assert "136" in message.body  # RULES §23 (АППК 136): the right to go to court
    [mail] = [m for m in mailoutbox if m.subject == message.subject]
    [(name, content, mimetype)] = mail.attachments
    assert (name, mimetype) == (f"decided-{registered_portal.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_paper_extension_notice_waits_in_the_print_queue_until_posted(
    clerk, head, executor, outsider, ministry, committed
):
    with committed():
        complaint = paper_complaint(clerk=clerk, body=ministry, now=MONDAY)
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint
        complaint = complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=MONDAY).complaint
        complaint = complaints.extend_term(
            actor=executor, complaint=complaint, days=5, ground="more_information", reasons="Сұрау жіберілді.",
            now=MONDAY,
        ).complaint
    message = Message.objects.get(complaint=complaint, kind=Kind.EXTENDED)
    assert message.notice_due == dt.date(2026, 11, 5)  # RULES §14: 3 working days from the extension
    assert channels(message) == {Medium.PAPER: "awaiting_print", Medium.SMS: "sent"}
    [letter] = selectors.print_queue(clerk)
    assert letter.message == message
    assert letter.address == complaint.postal_address
    assert message.document.name.endswith(".pdf")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", message.document.path, "-"], capture_output=True, text=True).stdout
        assert complaint.number in text
        assert "Сұрау жіберілді." in text
    complaint.refresh_from_db()
    assert complaint.extension_notice_sent_at is None  # RULES §14: a paper complaint is told in writing

    assert list(selectors.print_queue(outsider)) == []
    with pytest.raises(NotAllowed):
        services.record_letter_posted(actor=outsider, delivery=letter)
    with committed():
        posted = services.record_letter_posted(actor=clerk, delivery=letter)
    assert (posted.status, posted.posted_by) == (DeliveryStatus.SENT, clerk)
    complaint.refresh_from_db()
    assert complaint.extension_notice_sent_at is not None
    event = ComplaintEvent.objects.get(complaint=complaint, action=Action.RECORD_EXTENSION_NOTICE)
    assert (event.actor, event.data["channel"]) == (clerk, "paper")
    with pytest.raises(Refused):
        services.record_letter_posted(actor=clerk, delivery=letter)


def test_portal_extension_notice_is_recorded_once_it_is_in_the_cabinet(registered_portal, head, executor, committed):
    with committed():
        complaint = complaints.assign_executor(actor=head, complaint=registered_portal, executor=executor, now=MONDAY).complaint
        complaints.extend_term(actor=executor, complaint=complaint, days=3, ground="further_study",
                               reasons="Жерге барып тексеру.", now=MONDAY)
    complaint.refresh_from_db()
    assert complaint.extension_notice_sent_at is not None
    [event] = ComplaintEvent.objects.filter(complaint=complaint, action=Action.RECORD_EXTENSION_NOTICE)
    assert (event.actor, event.data["channel"]) == (None, "cabinet")
    message = Message.objects.get(complaint=complaint, kind=Kind.EXTENDED)
    assert "Жерге барып тексеру." in message.body
    assert "12.11.2026" in message.subject  # 9 November + 3 working days


def test_failed_email_is_retried_with_backoff_then_falls_back_to_sms(
    applicant, clerk, ministry, committed, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    settings.SHAGYM_NOTIFY_SMS_KINDS = []
    settings.SHAGYM_NOTIFY_MAX_ATTEMPTS = 3
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)
    message = Message.objects.get(complaint=complaint, kind=Kind.REGISTERED)
    email = message.deliveries.get(medium=Medium.EMAIL)
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 1)
    assert email.next_attempt_at == MONDAY + dt.timedelta(seconds=60)

    with time_machine.travel(MONDAY + dt.timedelta(seconds=59), tick=False), committed():
        sweep.run()  # not due yet
    email.refresh_from_db()
    assert email.attempts == 1
    with time_machine.travel(MONDAY + dt.timedelta(seconds=61), tick=False), committed():
        sweep.run()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 2)
    assert email.next_attempt_at == MONDAY + dt.timedelta(seconds=61 + 240)  # 4 times longer
    with time_machine.travel(MONDAY + dt.timedelta(seconds=302), tick=False), committed():
        sweep.run()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 3)
    assert "Connection refused" in email.last_error
    assert email.attempt_log.filter(ok=False).count() == 3
    sms = message.deliveries.get(medium=Medium.SMS)
    assert (sms.status, sms.fallback_from, sms.address) == (DeliveryStatus.SENT, email, "+77011234567")
    # Issue 6, item 4: the failed channel is shown on the complaint to staff.
    problems = list(selectors.delivery_problems(complaint))  # the e-mails of "received" and "registered"
    assert email in problems
    assert {d.medium for d in problems} == {Medium.EMAIL}


def test_rejected_sms_falls_back_to_a_paper_letter(applicant, clerk, ministry, committed, sms_provider):
    sms_provider.status = 400
    applicant.email = ""
    applicant.save()
    with committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY, email="")
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint
        complaints.request_content(actor=clerk, complaint=complaint, missing="Өтініш берілген күн.", now=MONDAY)
    message = Message.objects.get(complaint=complaint, kind=Kind.CONTENT_REQUESTED)
    assert channels(message) == {Medium.CABINET: "sent", Medium.SMS: "failed", Medium.PAPER: "awaiting_print"}
    letter = message.deliveries.get(medium=Medium.PAPER)
    assert letter.organisation == ministry
    assert letter.fallback_from == message.deliveries.get(medium=Medium.SMS)
    assert "HTTP 400" in letter.fallback_from.last_error
    assert letter.fallback_from.attempts == 1  # a refusal is not retried
    assert "Өтініш берілген күн." in message.body


def test_delivery_is_claimed_once(registered_portal):
    email = Delivery.objects.filter(medium=Medium.EMAIL).first()
    Delivery.objects.filter(pk=email.pk).update(status=DeliveryStatus.PENDING)
    assert services.deliver(email.pk) == DeliveryStatus.SENT
    assert services.deliver(email.pk) == "skipped"


def test_cabinet_selectors_show_each_user_only_their_own(registered_portal, applicant, outsider, head, executor,
                                                         committed):
    with committed():
        complaints.assign_executor(actor=head, complaint=registered_portal, executor=executor, now=MONDAY)
    mine = selectors.messages_for_applicant(applicant)
    assert {m.kind for m in mine} == {Kind.RECEIVED, Kind.REGISTERED}
    assert not selectors.messages_for_applicant(outsider).exists()
    assert not selectors.messages_for_applicant(executor).exists()
    assert {m.kind for m in selectors.messages_for_complaint(registered_portal, audience=Audience.APPLICANT)} == {
        Kind.RECEIVED, Kind.REGISTERED,
    }
    assert Kind.ASSIGNED in {m.kind for m in selectors.messages_for_complaint(registered_portal)}

    assert selectors.unread_count(applicant) == 2
    message = mine.first()
    assert not services.mark_read(user=outsider, message=message)
    assert services.mark_read(user=applicant, message=message)
    assert not services.mark_read(user=applicant, message=message)
    assert selectors.unread_count(applicant) == 1


def test_recommendation_goes_to_the_heads_of_the_body(
    applicant, ministry, quality_authority, qa_clerk, qa_head, inspector, head, committed
):
    with committed():
        complaint = portal_complaint(applicant=applicant, body=quality_authority, now=MONDAY,
                                     addressee_kind="quality_authority", respondent=ministry)
        complaint = complaints.register_complaint(actor=qa_clerk, complaint=complaint, now=MONDAY).complaint
        complaint = complaints.assign_executor(actor=qa_head, complaint=complaint, executor=inspector, now=MONDAY).complaint
        complaints.recommend(actor=inspector, complaint=complaint, body=ministry, text="Анықтаманы беру.",
                             due_date=dt.date(2026, 11, 20), now=MONDAY)
    [message] = selectors.messages_for_staff(head).filter(kind=Kind.RECOMMENDATION)
    assert "20.11.2026" in message.subject
    assert "Анықтаманы беру." in message.body


def test_two_quick_actions_of_one_kind_give_two_messages_each_for_its_own_event(
    registered_portal, head, executor, committed, settings
):
    """Issue 9: the hand-off carries the event's id. Two appointments in quick succession, whose tasks run only
    after both (a busy worker), give one message per event, to the executor of that event, once each; running the
    tasks again and the sweep's catch-up add nothing."""
    from django_tasks import default_task_backend

    from shagym.complaints.tests.factories import UserFactory, member
    from shagym.directory.roles import Role

    second = member(UserFactory(username="executor2"), registered_portal.holder, Role.EXECUTOR)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the worker is behind
    with time_machine.travel(MONDAY, tick=False), committed():
        first_event = complaints.assign_executor(actor=head, complaint=registered_portal, executor=executor, now=MONDAY)
        second_event = complaints.assign_executor(actor=head, complaint=registered_portal, executor=second, now=MONDAY)
    queued = list(default_task_backend.results)
    assert [r.kwargs["event_id"] for r in queued if r.task.name == "announce"] == [first_event.pk, second_event.pk]
    assert not Message.objects.filter(kind=Kind.ASSIGNED).exists()

    for _ in range(2):  # the worker runs the queue, then a retry runs it again
        for result in queued:
            result.task.call(*result.args, **result.kwargs)
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        sweep.run()

    assigned = Message.objects.filter(kind=Kind.ASSIGNED).order_by("pk")
    assert [(m.event_id, m.recipient) for m in assigned] == [(first_event.pk, executor), (second_event.pk, second)]

"""Notices in the back office (issue 6): the failed channel on the case page, the print queue of paper letters,
the staff member's messages, the administrator's outbox. Messages are made by the real notify flow: the
lifecycle services hand each event over after commit and the tasks run at once."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from django.urls import reverse

from shagym.complaints import services
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action
from shagym.complaints.tests.factories import complaint_input
from shagym.notify import services as notify_services
from shagym.notify import sweep
from shagym.notify.models import Delivery, DeliveryAttempt, DeliveryStatus, Kind, Medium, Message

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _notify_settings(settings, tmp_path):
    """As in shagym/notify/tests: tasks run at once, SMS land in a temporary folder, e-mail in the locmem outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SHAGYM_SMS_GATEWAY = "shagym.notify.gateways.FileSmsGateway"
    settings.SHAGYM_SMS_DIR = tmp_path / "sms"


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def secrets_of(complaint) -> list[str]:
    return [complaint.applicant_name, complaint.postal_address, complaint.number]


@pytest.fixture
def letter(paper, head, executor, now, committed):
    """RULES §14: the ministry's paper complaint is extended; the applicant is told by a letter in the print queue."""
    with committed():
        complaint = services.assign_executor(actor=head, complaint=paper, executor=executor, now=now).complaint
        services.extend_term(actor=executor, complaint=complaint, days=5, ground="more_information",
                             reasons="Сұрау жіберілді.", now=now)
    return Delivery.objects.get(message__complaint=paper, medium=Medium.PAPER)


@pytest.fixture
def email_down(settings):
    """The mail server refuses connections and a failure is final at once: e-mail falls back to SMS."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens there once the socket is closed
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.SHAGYM_NOTIFY_MAX_ATTEMPTS = 1
    settings.SHAGYM_NOTIFY_SMS_KINDS = []


@pytest.fixture
def failed_email(email_down, applicant, clerk, ministry, now, committed):
    """A portal complaint registered while the mail server is down: the e-mails failed, SMS went instead."""
    with committed():
        complaint = services.submit_complaint(
            actor=applicant, data=complaint_input(reviewing_body=ministry, email="erlan@example.kz"), now=now
        ).complaint
        complaint = services.register_complaint(actor=clerk, complaint=complaint, now=now).complaint
    return complaint


# ---- The case page ---------------------------------------------------------------------------------------------


def test_failed_channel_is_flagged_at_the_top_of_the_case(failed_email, clerk, django_assert_max_num_queries):
    failed = Delivery.objects.get(message__complaint=failed_email, message__kind=Kind.REGISTERED,
                                  medium=Medium.EMAIL)
    assert failed.status == DeliveryStatus.FAILED
    client = login(clerk)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("bo-case", args=[failed_email.pk]))
    assert response.status_code == 200
    page = body(response)
    warning = page[page.index('id="delivery-problems-title"'):page.index('id="next-title"')]
    assert "could not be delivered" in warning
    assert "E-mail" in warning and "erlan@example.kz" in warning
    assert "Connection refused" in warning  # the server's error
    assert "SMS to +77011234567: sent" in warning  # the fallback used
    assert "Personal cabinet: sent" in warning  # and the channel that carried it all the same
    assert page.index('id="delivery-problems-title"') < page.index('id="next-title"')  # above everything else


def test_case_lists_every_notice_with_its_delivery_log(letter, clerk):
    page = body(login(clerk).get(reverse("bo-case", args=[letter.message.complaint_id])))
    log = page[page.index('id="notices"'):page.index('id="history-title"')]
    assert letter.message.subject in log
    assert "in the office&#x27;s print queue" in log or "in the office's print queue" in log
    assert "paper letter" in log and "SMS" in log
    assert Message.objects.get(complaint=letter.message.complaint, kind=Kind.ASSIGNED).subject in log  # staff too
    assert 'id="delivery-problems-title"' not in page  # nothing failed: no warning


def test_case_without_notices_says_so(clerk, ministry, now):
    # Registered, but its events never handed over (no commit in this test): nothing was sent.
    from shagym.complaints.states import Channel

    complaint = services.register_paper_complaint(
        actor=clerk, data=complaint_input(reviewing_body=ministry, channel=Channel.OFFICE), holder=ministry,
        received_at=now, now=now).complaint
    page = body(login(clerk).get(reverse("bo-case", args=[complaint.pk])))
    assert "No notices have been sent for this complaint yet." in page


def test_case_query_count_does_not_grow_with_the_notices(failed_email, head, executor, now, committed,
                                                         django_assert_max_num_queries):
    client = login(head)
    url = reverse("bo-case", args=[failed_email.pk])
    with django_assert_max_num_queries(25) as before:
        client.get(url)
    with committed():
        complaint = services.assign_executor(actor=head, complaint=failed_email, executor=executor, now=now).complaint
        services.extend_term(actor=executor, complaint=complaint, days=3, ground="further_study", reasons="x",
                             now=now)
    assert Message.objects.filter(complaint=failed_email).count() >= 4
    with django_assert_max_num_queries(len(before.captured_queries) + 3):  # events and letters, not notices
        assert client.get(url).status_code == 200


# ---- The print queue -------------------------------------------------------------------------------------------


def test_clerk_sees_the_letter_in_the_print_queue_and_the_count_in_the_menu(letter, clerk, head):
    for user in (clerk, head):
        response = login(user).get(reverse("bo-print"))
        assert response.status_code == 200
        page = body(response)
        assert letter.message.addressee in page
        assert letter.address in page
        assert reverse("bo-print-pdf", args=[letter.pk]) in page
        assert reverse("bo-print-posted", args=[letter.pk]) in page
        assert "1 letter to print" in page  # the count in the staff sub-navigation, in words
        assert "05.11.2026" in page  # RULES §14: the notice is due within 3 working days


def test_letters_with_a_legal_term_come_first(clerk, ministry, letter, now, committed):
    with committed():
        complaint = services.submit_complaint(
            actor=clerk, data=complaint_input(reviewing_body=ministry, channel="office", email=""), now=now
        ).complaint
        complaint = services.register_complaint(actor=clerk, complaint=complaint, now=now).complaint
        services.request_content(actor=clerk, complaint=complaint, missing="Өтініш берілген күн.", now=now)
    untimed = Delivery.objects.get(message__complaint=complaint, medium=Medium.PAPER)
    assert untimed.message.notice_due is None and letter.message.notice_due is not None
    Delivery.objects.filter(pk=untimed.pk).update(created_at=letter.created_at - dt.timedelta(days=1))
    page = body(login(clerk).get(reverse("bo-print")))
    assert page.index(reverse("bo-print-pdf", args=[letter.pk])) < page.index(
        reverse("bo-print-pdf", args=[untimed.pk])
    )


def test_letter_pdf_is_served_through_the_access_door(letter, clerk, executor):
    response = login(clerk).get(reverse("bo-print-pdf", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert body(response).startswith("%PDF")
    # Any member of the office may read it; only clerks and heads work the queue.
    assert login(executor).get(reverse("bo-print-pdf", args=[letter.pk])).status_code == 200


def test_clerk_records_the_letter_posted_once(letter, clerk, committed):
    client = login(clerk)
    complaint = letter.message.complaint
    with committed():
        response = client.post(reverse("bo-print-posted", args=[letter.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("bo-print")
    letter.refresh_from_db()
    assert (letter.status, letter.posted_by) == (DeliveryStatus.SENT, clerk)
    complaint.refresh_from_db()
    assert complaint.extension_notice_sent_at is not None  # RULES §14: told in writing once posted
    page = body(client.get(reverse("bo-print")))
    assert "is recorded as posted" in page
    assert "No letters to print." in page

    before = (letter.sent_at, DeliveryAttempt.objects.count(),
              ComplaintEvent.objects.filter(action=Action.RECORD_EXTENSION_NOTICE).count())
    with committed():
        again = client.post(reverse("bo-print-posted", args=[letter.pk]))
    assert again.status_code == 400
    assert "This letter is not waiting to be posted." in body(again)
    assert 'class="error-summary"' in body(again)
    letter.refresh_from_db()
    assert (letter.sent_at, DeliveryAttempt.objects.count(),
            ComplaintEvent.objects.filter(action=Action.RECORD_EXTENSION_NOTICE).count()) == before


def test_recording_needs_a_post(letter, clerk):
    assert login(clerk).get(reverse("bo-print-posted", args=[letter.pk])).status_code == 405
    letter.refresh_from_db()
    assert letter.status == DeliveryStatus.AWAITING_PRINT


def test_print_queue_is_for_clerks_and_heads(letter, executor, inspector, applicant, client):
    for user in (executor, inspector, applicant):
        assert login(user).get(reverse("bo-print")).status_code == 403
        assert login(user).post(reverse("bo-print-posted", args=[letter.pk])).status_code == 403
    assert login(inspector).get(reverse("bo-print-pdf", args=[letter.pk])).status_code == 404  # not his office
    response = client.get(reverse("bo-print"))
    assert response.status_code == 302 and "login" in response["Location"]
    letter.refresh_from_db()
    assert letter.status == DeliveryStatus.AWAITING_PRINT


def test_outsider_never_sees_or_posts_the_letter(letter, outsider):
    client = login(outsider)
    complaint = letter.message.complaint
    queue = client.get(reverse("bo-print"))
    assert queue.status_code == 200  # a clerk elsewhere has a print queue of his own, empty
    assert "No letters to print." in body(queue)
    for response in (
        client.get(reverse("bo-print-pdf", args=[letter.pk])),
        client.post(reverse("bo-print-posted", args=[letter.pk])),
        client.get(reverse("bo-case", args=[complaint.pk])),
    ):
        assert response.status_code == 404
        text = body(response)
        assert not text.startswith("%PDF")
        for secret in secrets_of(complaint):
            assert secret not in text
    for name in ("bo-print", "bo-messages", "staff-home"):
        text = body(client.get(reverse(name)))
        for secret in secrets_of(complaint):
            assert secret not in text, name
    letter.refresh_from_db()
    assert (letter.status, letter.posted_by) == (DeliveryStatus.AWAITING_PRINT, None)


def test_print_queue_queries_are_bounded(clerk, head, executor, ministry, now, committed,
                                         django_assert_max_num_queries):
    with committed():
        for _ in range(3):
            complaint = services.submit_complaint(
                actor=clerk, data=complaint_input(reviewing_body=ministry, channel="office", email=""), now=now
            ).complaint
            complaint = services.register_complaint(actor=clerk, complaint=complaint, now=now).complaint
            complaint = services.assign_executor(actor=head, complaint=complaint, executor=executor, now=now).complaint
            services.extend_term(actor=executor, complaint=complaint, days=5, ground="more_information",
                                 reasons="x", now=now)
    assert Delivery.objects.filter(status=DeliveryStatus.AWAITING_PRINT).count() == 3
    client = login(clerk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("bo-print"))
    assert response.status_code == 200


# ---- Staff messages --------------------------------------------------------------------------------------------


def test_executor_reads_the_assignment_and_it_is_marked_read(letter, executor):
    client = login(executor)
    assigned = Message.objects.get(recipient=executor, kind=Kind.ASSIGNED)
    home = body(client.get(reverse("staff-home")))
    assert "1 unread" in home  # the count in the staff sub-navigation
    page = body(client.get(reverse("bo-messages")))
    assert assigned.subject in page
    assert ">unread<" in page  # marked in words, not only a colour
    assert reverse("bo-case", args=[assigned.complaint_id]) in page
    assigned.refresh_from_db()
    assert assigned.read_at is not None
    page = body(client.get(reverse("bo-messages")))
    assert assigned.subject in page and ">unread<" not in page
    assert "1 unread" not in page


def test_head_reads_the_daily_summary(registered, head, settings, now, committed):
    settings.SHAGYM_DIGEST_HOUR = 0
    with committed():
        sweep.run()
    digest = Message.objects.get(recipient=head, kind=Kind.DIGEST)
    page = body(login(head).get(reverse("bo-messages")))
    assert digest.subject in page and "Daily summary" in page


def test_each_user_sees_only_their_own_messages(letter, head, executor, outsider, clerk):
    assigned = Message.objects.get(recipient=executor, kind=Kind.ASSIGNED)
    for user in (head, clerk, outsider):
        assert assigned.subject not in body(login(user).get(reverse("bo-messages")))
    assigned.refresh_from_db()
    assert assigned.read_at is None  # nobody else's visit marks it read


def test_messages_page_is_for_staff(applicant, client):
    assert login(applicant).get(reverse("bo-messages")).status_code == 403
    assert client.get(reverse("bo-messages")).status_code == 302


def test_messages_are_paginated_with_bounded_queries(registered, executor, head, now, committed,
                                                     django_assert_max_num_queries):
    with committed():
        complaint = services.assign_executor(actor=head, complaint=registered, executor=executor, now=now).complaint
        for offset in range(30):
            notify_services.remind(Kind.DUE_REMINDER, complaint=complaint, users=[executor],
                                   day=now.date() + dt.timedelta(days=offset))
    assert Message.objects.filter(recipient=executor).count() == 31
    client = login(executor)
    # The first visit marks the 25 shown read, one update each (notify.services.mark_read).
    with django_assert_max_num_queries(25 + 10):
        first = client.get(reverse("bo-messages"))
    assert "Page 1 of 2" in body(first)
    assert "6 unread" in body(first)  # the next page is still unread
    with django_assert_max_num_queries(10):
        again = client.get(reverse("bo-messages"))
    assert ">unread<" not in body(again)
    second = body(client.get(reverse("bo-messages"), {"page": 2}))
    assert second.count(">unread<") == 6
    assert Message.objects.filter(recipient=executor, read_at__isnull=True).count() == 0


# ---- The outbox ------------------------------------------------------------------------------------------------


def test_administrator_reads_every_message_in_the_outbox(failed_email, administrator,
                                                         django_assert_max_num_queries):
    client = login(administrator)
    assert reverse("bo-outbox") in body(client.get(reverse("staff-home")))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("bo-outbox"))
    assert response.status_code == 200
    page = body(response)
    for message in Message.objects.all():
        assert message.subject in page
    assert "erlan@example.kz" in page and "+77011234567" in page
    assert "Connection refused" in page


def test_outbox_filters_by_status_and_channel(failed_email, letter, administrator):
    client = login(administrator)
    failed = body(client.get(reverse("bo-outbox"), {"status": "failed", "channel": "email"}))
    registered = Message.objects.get(complaint=failed_email, kind=Kind.REGISTERED)
    extended = Message.objects.get(kind=Kind.EXTENDED)
    assert registered.subject in failed and extended.subject not in failed
    paper = body(client.get(reverse("bo-outbox"), {"channel": "paper"}))
    assert extended.subject in paper and registered.subject not in paper
    nothing = body(client.get(reverse("bo-outbox"), {"status": "sent", "channel": "paper"}))
    assert "No messages match." in nothing
    junk = client.get(reverse("bo-outbox"), {"status": "nonsense"})
    assert junk.status_code == 200 and "Choose one of the options in the list." in body(junk)


def test_outbox_is_paginated_and_keeps_the_filter(registered, executor, head, administrator, now, committed,
                                                  django_assert_max_num_queries):
    with committed():
        complaint = services.assign_executor(actor=head, complaint=registered, executor=executor, now=now).complaint
        for offset in range(30):
            notify_services.remind(Kind.DUE_REMINDER, complaint=complaint, users=[executor],
                                   day=now.date() + dt.timedelta(days=offset))
    client = login(administrator)
    with django_assert_max_num_queries(10):
        page = body(client.get(reverse("bo-outbox"), {"channel": "cabinet"}))
    assert "31 messages" in page and "Page 1 of 2" in page
    assert "channel=cabinet&amp;page=2" in page
    assert "Page 2 of 2" in body(client.get(reverse("bo-outbox"), {"channel": "cabinet", "page": 2}))


def test_outbox_is_read_only(failed_email, administrator):
    before = list(Delivery.objects.values_list("pk", "status", "attempts"))
    assert login(administrator).post(reverse("bo-outbox"), {"status": "sent"}).status_code == 405
    assert list(Delivery.objects.values_list("pk", "status", "attempts")) == before


def test_outbox_is_only_for_administrators(failed_email, clerk, head, inspector, outsider, applicant, client):
    for user in (clerk, head, inspector, outsider, applicant):
        response = login(user).get(reverse("bo-outbox"))
        assert response.status_code == 403
        for secret in secrets_of(failed_email):
            assert secret not in body(response)
        assert reverse("bo-outbox") not in body(login(user).get(reverse("staff-home")))
    assert client.get(reverse("bo-outbox")).status_code == 302


# ---- The menu's counts: from the cache, forgotten by every change (issue 14) ---------------------------------------


def _count_queries(client, url: str, table: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(f'"{table}"' in q["sql"] and "COUNT(" in q["sql"] for q in captured.captured_queries)


def test_the_menus_counts_are_cached_and_follow_every_change(letter, clerk, head, executor, ministry, now, committed):
    clerk_client, executor_client = login(clerk), login(executor)
    home = reverse("staff-home")
    assert "1 letter to print" in body(clerk_client.get(home))
    assert _count_queries(clerk_client, home, "notify_delivery") == 0  # the second page counts nothing
    assert "1 unread" in body(executor_client.get(home))
    assert _count_queries(executor_client, home, "notify_message") == 0

    with committed():  # posted: the count goes at once, for every member of the office
        clerk_client.post(reverse("bo-print-posted", args=[letter.pk]))
    assert "letter to print" not in body(login(head).get(home))

    with committed():  # a new letter enters the queue; a new message reaches the executor
        complaint = services.submit_complaint(
            actor=clerk, data=complaint_input(reviewing_body=ministry, channel="office", email=""), now=now
        ).complaint
        complaint = services.register_complaint(actor=clerk, complaint=complaint, now=now).complaint
        complaint = services.assign_executor(actor=head, complaint=complaint, executor=executor, now=now).complaint
        services.extend_term(actor=executor, complaint=complaint, days=5, ground="more_information",
                             reasons="x", now=now)
    assert "1 letter to print" in body(clerk_client.get(home))
    assert "2 unread" in body(executor_client.get(home))
    executor_client.get(reverse("bo-messages"))  # read
    assert "unread" not in body(executor_client.get(home))


def test_a_member_of_staff_who_files_a_complaint_finds_his_cabinet_in_the_menu(clerk, ministry, now, committed):
    client = login(clerk)
    home = reverse("staff-home")
    assert reverse("cabinet") not in body(client.get(home))
    with committed():
        services.submit_complaint(actor=clerk, data=complaint_input(reviewing_body=ministry), now=now)
    assert reverse("cabinet") in body(client.get(home))

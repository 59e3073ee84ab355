"""The applicant's notices in the personal cabinet (issue 6): on the complaint page, read there; on the Messages
page across complaints; the unread count beside "My complaints". The messages are made by the notify app's own
flow (services hand off after commit, tasks run at once), as in production."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext, pgettext

from shagym.complaints import services
from shagym.complaints.states import Outcome
from shagym.complaints.tests.factories import UserFactory, complaint_input
from shagym.notify import selectors
from shagym.notify.models import Kind, Message
from shagym.portal import views

from .wizard_steps import url

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _notify_settings(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.SHAGYM_SMS_GATEWAY = "shagym.notify.gateways.FileSmsGateway"
    settings.SHAGYM_SMS_DIR = tmp_path / "sms"


def file_and_register(applicant, clerk, body, now, committed, **overrides):  # type: ignore[no-untyped-def]
    values = {"email": "erlan@example.kz", **overrides}
    with committed():
        complaint = services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=body, **values),
                                              now=now).complaint
        return services.register_complaint(actor=clerk, complaint=complaint, now=now).complaint


@pytest.fixture
def noticed(verified, clerk, ministry, now, committed):
    """A portal complaint, received and registered: two notices to the applicant (received, registered)."""
    return file_and_register(verified, clerk, ministry, now, committed)


@pytest.fixture
def client_of(client, verified):
    client.force_login(verified)
    return client


@pytest.fixture
def other_applicant(clerk, ministry, now, committed):
    """Another citizen with a complaint and notices of his own."""
    user = UserFactory(username="other_applicant", first_name="Айгүл", last_name="Серікова")
    file_and_register(user, clerk, ministry, now, committed, email="aigul@example.kz")
    return user


def nav_label(count: int, language: str = "kk") -> str:
    with translation.override(language):
        return escape(ngettext("My complaints (%(counter)s new message)", "My complaints (%(counter)s new messages)",
                               count) % {"counter": count})


def new_tag(language: str = "kk") -> str:
    with translation.override(language):
        return f'<span class="tag warn">{escape(pgettext("message", "new"))}</span>'


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_complaint_page_shows_its_notices_in_the_complaints_language(
    client_of, verified, clerk, ministry, now, committed, language
):
    complaint = file_and_register(verified, clerk, ministry, now, committed, language=language)
    response = client_of.get(url("cabinet-complaint", complaint.pk, language="kk"))
    content = response.content.decode()
    registered = Message.objects.get(complaint=complaint, kind=Kind.REGISTERED)
    received = Message.objects.get(complaint=complaint, kind=Kind.RECEIVED)
    with translation.override(language):
        subject = gettext("Complaint %(number)s registered") % {"number": complaint.number}
    assert registered.subject == subject  # written by notify in the complaint's language, shown as written
    assert escape(subject) in content
    assert "09.11.2026" in content  # the due date, from the body text
    assert content.index(f'id="message-{registered.pk}"') < content.index(f'id="message-{received.pk}"')
    # WCAG 3.1.2: a notice in another language than the page says so to screen readers.
    assert (f'lang="{language}">{escape(subject)}' in content) == (language != "kk")
    with translation.override("kk"):
        assert escape(gettext("Messages")) in content


def test_opening_the_complaint_marks_its_notices_read(client_of, verified, noticed, django_assert_max_num_queries):
    assert selectors.messages_for_applicant(verified).filter(read_at__isnull=True).count() == 2
    assert nav_label(2) in client_of.get(url("cabinet")).content.decode()

    # The page takes 11 queries; reading adds one update per unread notice (notify.services.mark_read marks one).
    with django_assert_max_num_queries(11 + 2):
        first = client_of.get(url("cabinet-complaint", noticed.pk)).content.decode()
    assert first.count(new_tag()) == 2
    assert not selectors.messages_for_applicant(verified).filter(read_at__isnull=True).exists()
    assert nav_label(2) not in first  # the navigation is drawn after the notices are marked

    with django_assert_max_num_queries(11):
        second = client_of.get(url("cabinet-complaint", noticed.pk)).content.decode()
    assert new_tag() not in second
    with translation.override("kk"):
        assert f">{escape(gettext('My complaints'))}</a>" in second


def test_another_applicant_never_sees_them(client, noticed, other_applicant, outsider):
    mine = list(Message.objects.filter(complaint=noticed))
    for stranger in (other_applicant, outsider):
        client.force_login(stranger)
        assert client.get(url("cabinet-complaint", noticed.pk)).status_code == 404
        for message in mine:
            assert client.get(url("cabinet-notice-letter", noticed.pk, message.pk)).status_code == 404
        listing = client.get(url("cabinet-messages")).content.decode()
        assert noticed.number not in listing
        for message in mine:
            assert f"#message-{message.pk}" not in listing
    # Reading his own complaint leaves the applicant's notices unread.
    assert all(m.read_at is None for m in Message.objects.filter(complaint=noticed))


def test_the_messages_page_lists_every_notice_and_marks_the_unread(
    client_of, verified, noticed, clerk, ministry, now, committed, other_applicant, django_assert_max_num_queries
):
    second = file_and_register(verified, clerk, ministry, now, committed)
    client_of.get(url("cabinet-complaint", noticed.pk))  # reads the first complaint's two notices
    with django_assert_max_num_queries(6):  # the same for 4 notices as for 400: no query per row
        content = client_of.get(url("cabinet-messages")).content.decode()
    for message in Message.objects.filter(recipient=verified):
        assert f'href="{url("cabinet-complaint", message.complaint_id)}#message-{message.pk}"' in content
    assert content.count(new_tag()) == 2  # the second complaint's
    assert escape(second.number) in content
    for message in Message.objects.filter(recipient=other_applicant):
        assert f"#message-{message.pk}" not in content


def test_the_messages_page_is_paginated(client_of, verified, noticed, monkeypatch):
    monkeypatch.setattr(views, "MESSAGES_PER_PAGE", 1)
    newest, oldest = Message.objects.filter(recipient=verified).order_by("-created_at", "-pk")
    first = client_of.get(url("cabinet-messages")).content.decode()
    assert f"#message-{newest.pk}" in first and f"#message-{oldest.pk}" not in first
    assert 'href="?page=2"' in first
    last = client_of.get(url("cabinet-messages") + "?page=2").content.decode()
    assert f"#message-{oldest.pk}" in last and f"#message-{newest.pk}" not in last


def test_the_cabinet_list_shows_which_complaint_has_new_messages(
    client_of, noticed, registered, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):  # one grouped count for all complaints, one for the navigation
        content = client_of.get(url("cabinet")).content.decode()
    with translation.override("kk"):
        words = escape(ngettext("%(counter)s new message", "%(counter)s new messages", 2) % {"counter": 2})
    # Beside the Messages link and on the complaint with the notices; none on `registered`, which has none.
    assert content.count(f'<span class="tag warn">{words}</span>') == 2
    assert url("cabinet-messages") in content


def test_a_staff_inbox_is_not_counted_as_new_cabinet_messages(client, noticed, head, executor, now, committed):
    with committed():
        services.assign_executor(actor=head, complaint=noticed, executor=executor, now=now)
    assert selectors.messages_for_staff(executor).filter(kind=Kind.ASSIGNED, read_at__isnull=True).exists()
    client.force_login(executor)
    content = client.get(url("cabinet", language="en")).content.decode()
    assert ">My work</a>" in content  # staff work from there (issue 10: no citizen's links for staff)
    assert "new message" not in content  # the staff inbox is not counted as cabinet messages


def test_the_decision_letter_is_linked_and_only_for_its_applicant(
    client, verified, noticed, head, executor, other_applicant, now, committed
):
    with committed():
        complaint = services.assign_executor(actor=head, complaint=noticed, executor=executor, now=now).complaint
        complaint = services.propose_decision(actor=executor, complaint=complaint, outcome=Outcome.PERFORM_ACTION,
                                              reasons="Анықтама берілуі тиіс.", now=now).complaint
        services.sign_decision(actor=head, complaint=complaint, now=now)
    decided = Message.objects.get(complaint=noticed, kind=Kind.DECIDED)
    assert decided.document  # made when the e-mail went out with the answer attached
    letter = url("cabinet-notice-letter", noticed.pk, decided.pk)

    client.force_login(verified)
    content = client.get(url("cabinet-complaint", noticed.pk)).content.decode()
    assert f'href="{letter}"' in content
    assert "Анықтама берілуі тиіс." in content
    response = client.get(letter)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    received = Message.objects.get(complaint=noticed, kind=Kind.RECEIVED)
    assert client.get(url("cabinet-notice-letter", noticed.pk, received.pk)).status_code == 404  # no letter

    client.force_login(other_applicant)
    assert client.get(letter).status_code == 404

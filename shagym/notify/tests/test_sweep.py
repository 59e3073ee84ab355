"""sweep.py with a frozen clock: reminders on the working day before a term ends, the overdue mark the day after it
ends, alerts and digests once, across weekends, holidays and transfer orders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shagym.complaints import services as complaints
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action
from shagym.complaints.tests.factories import UserFactory, complaint_input, member
from shagym.directory.models import CalendarOverride
from shagym.directory.roles import Role
from shagym.notify import sweep
from shagym.notify.models import Delivery, DeliveryStatus, Kind, Medium, Message

from .conftest import MONDAY, at, paper_complaint, portal_complaint

pytestmark = pytest.mark.django_db


def sweep_at(moment: dt.datetime, committed) -> sweep.SweepReport:
    with time_machine.travel(moment, tick=False), committed():
        return sweep.run()


def sweep_daily(first: dt.date, last: dt.date, committed, *, hours=(10, 16)) -> dict[str, dict[dt.date, set[str]]]:
    """Sweep at the given hours of every calendar day; return, per kind, the days its messages were made on and to
    whom."""
    made: dict[str, dict[dt.date, set[str]]] = defaultdict(lambda: defaultdict(set))
    seen = set(Message.objects.values_list("pk", flat=True))
    day = first
    while day <= last:
        for hour in hours:
            sweep_at(at(day.year, day.month, day.day, hour), committed)
        for message in Message.objects.exclude(pk__in=seen).select_related("recipient"):
            who = message.recipient.username if message.recipient else message.addressee
            made[message.kind][day].add(who)
            seen.add(message.pk)
        day += dt.timedelta(days=1)
    return made


def test_across_new_year_the_reminder_fires_on_the_transferred_sunday_and_the_mark_after_the_due_day(
    applicant, clerk, head, executor, ministry, committed
):
    # Registered Thursday 26 December 2024. 1-2 January are holidays, Friday 3 January a day off moved (by the
    # transfer order) to Sunday 5 January, which is worked; 7 January is Orthodox Christmas.
    start = at(2024, 12, 26)
    with time_machine.travel(start, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=start)
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=start).complaint
        complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=start)
    complaint.refresh_from_db()
    assert complaint.due_date == dt.date(2025, 1, 6)

    made = sweep_daily(dt.date(2024, 12, 26), dt.date(2025, 1, 6), committed, hours=(0, 10, 16, 23))
    assert made[Kind.DUE_REMINDER] == {dt.date(2025, 1, 5): {"executor"}}
    complaint.refresh_from_db()
    assert complaint.overdue_since is None  # the term runs to 24:00 of 6 January (Civil Code Art. 176)

    made = sweep_daily(dt.date(2025, 1, 7), dt.date(2025, 1, 10), committed, hours=(0, 10, 16, 23))
    complaint.refresh_from_db()
    assert complaint.overdue_since == dt.date(2025, 1, 7)
    assert ComplaintEvent.objects.filter(complaint=complaint, action=Action.MARK_OVERDUE).count() == 1
    assert made[Kind.DEEMED_REFUSED] == {dt.date(2025, 1, 7): {"applicant"}}
    assert made[Kind.OVERDUE] == {dt.date(2025, 1, 7): {"executor", "head"}}
    assert Kind.DUE_REMINDER not in made
    deemed = Message.objects.get(kind=Kind.DEEMED_REFUSED)
    assert "06.01.2025" in deemed.body
    assert {d.medium: d.status for d in deemed.deliveries.all()} == {
        Medium.CABINET: "sent", Medium.EMAIL: "sent", Medium.SMS: "sent",
    }


def test_an_administrators_transfer_order_moves_the_reminder(applicant, clerk, head, ministry, administrator, committed):
    # A (hypothetical) order for 2026: Friday 18 December off, Saturday 26 December worked. 16 December is a holiday.
    CalendarOverride.objects.create(day=dt.date(2026, 12, 18), working=False, reason="transfer", reference="order 1")
    CalendarOverride.objects.create(day=dt.date(2026, 12, 26), working=True, reason="transfer", reference="order 1")
    start = at(2026, 12, 11)
    with time_machine.travel(start, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=start)
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=start).complaint
    assert complaint.due_date == dt.date(2026, 12, 22)

    made = sweep_daily(dt.date(2026, 12, 11), dt.date(2026, 12, 24), committed)
    # No executor yet: the head is reminded, on Monday 21 December (not on Friday 18, the day off).
    assert made[Kind.DUE_REMINDER] == {dt.date(2026, 12, 21): {"head"}}
    assert made[Kind.OVERDUE] == {dt.date(2026, 12, 23): {"head"}}
    complaint.refresh_from_db()
    assert complaint.overdue_since == dt.date(2026, 12, 23)


def test_paper_extension_notice_is_watched_until_the_letter_is_posted(clerk, head, executor, ministry, committed):
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = paper_complaint(clerk=clerk, body=ministry, now=MONDAY)
        complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint
        complaint = complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=MONDAY).complaint
        complaint = complaints.extend_term(actor=executor, complaint=complaint, days=5, ground="further_study",
                                           reasons="Тексеру.", now=MONDAY).complaint
    assert complaint.extension_notice_due == dt.date(2026, 11, 5)

    made = sweep_daily(dt.date(2026, 11, 2), dt.date(2026, 11, 10), committed)
    staff = {"executor", "head", "clerk"}
    assert made[Kind.EXTENSION_NOTICE_REMINDER] == {dt.date(2026, 11, 4): staff}
    assert made[Kind.EXTENSION_NOTICE_OVERDUE] == {dt.date(2026, 11, 6): staff}


def test_forwarding_term_is_watched_at_the_appealed_body(applicant, ministry, provider, committed):
    member(UserFactory(username="provider_head"), provider, Role.HEAD)
    provider_clerk = member(UserFactory(username="provider_clerk"), provider, Role.CLERK)
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = complaints.submit_complaint(
            actor=applicant, holder=provider, now=MONDAY,
            data=complaint_input(reviewing_body=ministry, respondent=provider, email="erlan@example.kz"),
        ).complaint
        complaint = complaints.register_complaint(actor=provider_clerk, complaint=complaint, now=MONDAY).complaint
    assert (complaint.status, complaint.forward_due) == ("forwarding", dt.date(2026, 11, 5))

    made = sweep_daily(dt.date(2026, 11, 2), dt.date(2026, 11, 9), committed)
    assert made[Kind.FORWARD_REMINDER] == {dt.date(2026, 11, 4): {"provider_head", "provider_clerk"}}
    assert made[Kind.FORWARD_OVERDUE] == {dt.date(2026, 11, 6): {"provider_head", "provider_clerk"}}
    registered = Message.objects.get(kind=Kind.REGISTERED)
    assert "05.11.2026" in registered.body  # the applicant is told the forwarding term (RULES §8)


def test_heads_get_one_digest_per_working_day(applicant, clerk, head, ministry, committed, settings):
    settings.LANGUAGE_CODE = "en"  # read the digest in the source wording
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)

    def digests() -> int:
        return Message.objects.filter(kind=Kind.DIGEST, recipient=head).count()

    sweep_at(at(2026, 11, 6, 8, 30), committed)
    assert digests() == 0  # before SHAGYM_DIGEST_HOUR
    sweep_at(at(2026, 11, 6, 9, 5), committed)
    sweep_at(at(2026, 11, 6, 15), committed)
    assert digests() == 1
    sweep_at(at(2026, 11, 7, 10), committed)  # Saturday
    sweep_at(at(2026, 11, 8, 10), committed)  # Sunday
    assert digests() == 1
    sweep_at(at(2026, 11, 9, 10), committed)
    assert digests() == 2
    latest = Message.objects.filter(kind=Kind.DIGEST).first()
    assert "09.11.2026" in latest.subject
    assert complaint.number in latest.body  # due today, 9 November
    assert "Registered and waiting for an executor: 1" in latest.body


def test_a_lost_hand_off_is_caught_up_by_the_sweep(applicant, clerk, ministry, committed, settings):
    settings.SHAGYM_DIGEST_HOUR = 23  # the head's digest is not what this test is about
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # tasks never run
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)
    assert not Message.objects.exists()

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    report = sweep_at(MONDAY + dt.timedelta(minutes=5), committed)
    assert report.caught_up == 2
    assert set(Message.objects.values_list("kind", flat=True)) == {Kind.RECEIVED, Kind.REGISTERED}
    assert sweep_at(MONDAY + dt.timedelta(minutes=10), committed).caught_up == 0
    assert Message.objects.count() == 2


def test_the_sweep_does_not_read_every_complaint(applicant, clerk, ministry, committed):
    def complaints_far_from_due(n: int) -> None:
        with time_machine.travel(MONDAY, tick=False), committed():
            for _ in range(n):
                complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY, email="")
                complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)

    def queries() -> int:
        sweep_at(at(2026, 11, 3, 8), committed)  # settle the cursor and the first reads
        cache.clear()  # the calendar's overrides are cached for a minute of (travelled) time: read them each round
        with CaptureQueriesContext(connection) as captured:
            sweep_at(at(2026, 11, 3, 8, 30), committed)
        return len(captured)

    complaints_far_from_due(2)
    few = queries()
    complaints_far_from_due(10)
    assert queries() == few


def test_a_claim_left_by_a_dead_worker_is_sent_again_after_the_stale_time(registration_email, committed, settings):
    delivery = registration_email
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING, claimed_at=MONDAY)
    sweep_at(MONDAY + dt.timedelta(seconds=settings.SHAGYM_NOTIFY_STALE_SECONDS - 1), committed)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING
    sweep_at(MONDAY + dt.timedelta(seconds=settings.SHAGYM_NOTIFY_STALE_SECONDS + 1), committed)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


@pytest.fixture
def registration_email(applicant, clerk, ministry, committed) -> Delivery:
    """The e-mail of a registration notice, sent once."""
    with time_machine.travel(MONDAY, tick=False), committed():
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)
    delivery = Delivery.objects.get(message__kind=Kind.REGISTERED, medium=Medium.EMAIL)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    return delivery

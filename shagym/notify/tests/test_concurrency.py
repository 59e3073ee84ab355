"""Two sweeps at once, two workers on one delivery, two announcements of one event: nothing is done twice.

Real threads, each with its own database connection, in transactional tests, on SQLite and on PostgreSQL
(DATABASE_URL=postgresql://... runs the same tests there). On PostgreSQL the threads truly race on row locks and
unique keys and neither may fail. SQLite lets one writer in at a time, and its in-memory test database answers
"table is locked" to the other instead of waiting: that thread's items fail and are left, as in production, to
the next sweep, which the tests run too. Either way every effect happens exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection

from shagym.complaints import services as complaints
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action
from shagym.notify import services, sweep
from shagym.notify.models import Delivery, DeliveryAttempt, DeliveryStatus, Kind, Medium, Message
from shagym.notify.runner import Runner

from .conftest import DATABASE, MONDAY, at, portal_complaint

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRES = connection.vendor == "postgresql"


def together(*functions: Callable[[], Any]) -> list[Any]:
    """Start the functions in threads at the same moment; return each one's result or exception."""
    barrier = threading.Barrier(len(functions))
    results: list[Any] = [None] * len(functions)

    def run(index: int, function: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def drain() -> None:
    """What the worker does: run every task in the database queue."""
    Runner(sweep_every=3600, poll=1).drain()


@pytest.fixture
def queued_tasks(settings) -> None:
    settings.TASKS = DATABASE  # tasks wait in the database for the worker, as in production


def test_two_sweeps_at_once_mark_remind_and_tell_once(
    applicant, clerk, head, executor, ministry, queued_tasks, mailoutbox
):
    # A is due Monday 6 January 2025, B Thursday 9 January. Sweeping on Wednesday 8 January: A is overdue,
    # B is due on the next working day, and the head's digest is due.
    for registered in (at(2024, 12, 26), at(2024, 12, 30)):
        with time_machine.travel(registered, tick=False):
            complaint = portal_complaint(applicant=applicant, body=ministry, now=registered)
            complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=registered).complaint
            complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=registered)
            drain()
    a, b = Message.objects.filter(kind=Kind.REGISTERED).order_by("pk").values_list("complaint", flat=True)
    sent_before = len(mailoutbox)

    moment = at(2025, 1, 8, 10)
    with time_machine.travel(moment, tick=False):
        reports = together(sweep.run, sweep.run)
        if POSTGRES:
            assert all(isinstance(r, sweep.SweepReport) and r.errors == 0 for r in reports), reports
        follow_up = sweep.run()  # the next periodic sweep
        drain()
    if POSTGRES:
        assert (follow_up.overdue, follow_up.reminders, follow_up.digests, follow_up.caught_up) == (0, 0, 0, 0)

    assert ComplaintEvent.objects.filter(complaint=a, action=Action.MARK_OVERDUE).count() == 1
    assert not ComplaintEvent.objects.filter(complaint=b, action=Action.MARK_OVERDUE).exists()
    made = Counter(
        (m.kind, m.complaint_id, m.recipient.username) for m in Message.objects.exclude(kind__in=_setup_kinds())
    )
    assert made == {
        (Kind.DEEMED_REFUSED, a, "applicant"): 1,
        (Kind.OVERDUE, a, "executor"): 1,
        (Kind.OVERDUE, a, "head"): 1,
        (Kind.DUE_REMINDER, b, "executor"): 1,
        (Kind.DIGEST, None, "head"): 1,
    }
    # Every delivery went out once: one attempt each, one e-mail per message with an e-mail address.
    new = Delivery.objects.filter(message__kind__in=[k for k, *_ in made])
    assert set(new.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert DeliveryAttempt.objects.filter(delivery__in=new).count() == new.count()
    mails = Counter((m.subject, *m.to) for m in mailoutbox[sent_before:])
    assert set(mails.values()) == {1}
    assert len(mails) == new.filter(medium=Medium.EMAIL).count() == 5


def _setup_kinds() -> list[str]:
    return [Kind.RECEIVED, Kind.REGISTERED, Kind.ASSIGNED]


def test_two_workers_on_one_delivery_send_it_once(applicant, clerk, ministry, queued_tasks):
    with time_machine.travel(MONDAY, tick=False):
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)
        services.announce_event(complaint.events.get(action=Action.REGISTER))
    email = Delivery.objects.get(message__kind=Kind.REGISTERED, medium=Medium.EMAIL)
    assert email.status == DeliveryStatus.PENDING

    with time_machine.travel(MONDAY + dt.timedelta(seconds=1), tick=False):
        results = together(lambda: services.deliver(email.pk), lambda: services.deliver(email.pk))
    if POSTGRES:
        assert sorted(results) == [DeliveryStatus.SENT, "skipped"]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.SENT, 1)
    assert [m.to for m in mail.outbox] == [["erlan@example.kz"]]


def test_one_event_announced_twice_at_once_makes_one_set_of_messages(applicant, clerk, ministry, queued_tasks):
    with time_machine.travel(MONDAY, tick=False):
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)
    event = ComplaintEvent.objects.get(complaint=complaint, action=Action.REGISTER)

    with time_machine.travel(MONDAY, tick=False):
        results = together(lambda: services.announce_event(event), lambda: services.announce_event(event))
        if not POSTGRES:
            services.announce_event(event)  # what the sweep's catch-up would do after a locked-out attempt
    if POSTGRES:
        assert sorted(len(r) for r in results) == [0, 1]
    [message] = Message.objects.filter(kind=Kind.REGISTERED)
    assert message.deliveries.count() == 3  # cabinet, e-mail, SMS: once each

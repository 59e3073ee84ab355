"""Two people acting on the lifecycle at the same moment: real threads, each with its own database connection, in
transactional tests, started together at a barrier.

On PostgreSQL they race on row locks (SELECT ... FOR UPDATE on the complaint, the number counter) and on unique keys.
On SQLite the test database is a file (settings: DATABASES TEST NAME), each transaction begins IMMEDIATE, so the
second writer waits for the first (the busy timeout) and then sees what it left: the same race, serialised by the
database's one write lock. Either way the outcome must be the one the rules allow, exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from shagym.complaints import services
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import Action, Refused, State
from shagym.complaints.tests.factories import complaint_input

pytestmark = pytest.mark.django_db(transaction=True)


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


def test_the_test_database_lets_writers_wait_for_each_other():
    # Not an in-memory database, where the second writer is refused at once instead of waiting its turn.
    assert connection.vendor == "postgresql" or "memory" not in str(connection.settings_dict["NAME"])


def test_two_clerks_registering_at_once_get_different_numbers(applicant, ministry, clerk, now):
    filed = [
        services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry), now=now).complaint
        for _ in range(4)
    ]

    results = together(*(lambda c=c: services.register_complaint(actor=clerk, complaint=c, now=now) for c in filed))

    assert not [r for r in results if isinstance(r, Exception)]
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    assert numbers == [f"26-{ministry.pk:03d}-{n:05d}" for n in (1, 2, 3, 4)]


def test_one_submission_sent_twice_at_once_files_one_complaint(applicant, ministry, now):
    data = complaint_input(reviewing_body=ministry)

    results = together(*(lambda: services.submit_complaint(actor=applicant, data=data, idempotency_key="double-click",
                                                           now=now) for _ in range(3)))

    assert not [r for r in results if isinstance(r, Exception)]
    assert {event.complaint.pk for event in results} == set(Complaint.objects.values_list("pk", flat=True))
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.filter(action=Action.SUBMIT).count() == 1


def test_the_extension_notice_recorded_at_once_by_two_is_recorded_once(extended, clerk, now):
    """The clerk who posted the letter and the system that saw the cabinet delivery, at the same moment: one event,
    and the other is told it is already recorded."""
    results = together(
        lambda: services.record_extension_notice(actor=clerk, complaint=Complaint.objects.get(pk=extended.pk),
                                                 channel="post", now=now),
        lambda: services.record_extension_notice(actor=None, complaint=Complaint.objects.get(pk=extended.pk),
                                                 channel="cabinet", now=now),
    )

    assert len([r for r in results if isinstance(r, ComplaintEvent)]) == 1
    assert len([r for r in results if isinstance(r, Refused) and r.code == "state"]) == 1
    assert ComplaintEvent.objects.filter(complaint=extended, action=Action.RECORD_EXTENSION_NOTICE).count() == 1


def test_withdrawal_and_signature_at_once_leave_one_outcome(awaiting_signature, applicant, head, now):
    """RULES §22: withdrawal is possible only before the decision. Whichever commits first wins; the other is
    refused on the state it finds, and the history tells one story."""
    results = together(
        lambda: services.withdraw_complaint(actor=applicant, complaint=Complaint.objects.get(pk=awaiting_signature.pk),
                                            reason="Шешілді.", now=now),
        lambda: services.sign_decision(actor=head, complaint=Complaint.objects.get(pk=awaiting_signature.pk), now=now),
    )

    done = [r for r in results if isinstance(r, ComplaintEvent)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(done) == 1 and len(refused) == 1 and refused[0].code == "state"
    final = Complaint.objects.get(pk=awaiting_signature.pk).status
    assert final == (State.WITHDRAWN if done[0].action == Action.WITHDRAW else State.DECIDED)
    last = ComplaintEvent.objects.filter(complaint=awaiting_signature).order_by("pk").last()
    assert last.action == done[0].action and last.new.status == final

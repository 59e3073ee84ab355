"""The `sweep` and `worker` commands, and the worker's loop with the database queue."""

from __future__ import annotations

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from shagym.complaints import services as complaints
from shagym.notify import runner, tasks
from shagym.notify.models import DeliveryStatus, Kind, Message

from .conftest import DATABASE, MONDAY, portal_complaint

pytestmark = pytest.mark.django_db


def test_sweep_command_prints_one_line():
    out = StringIO()
    with time_machine.travel(MONDAY, tick=False):
        call_command("sweep", stdout=out)
    assert out.getvalue().startswith("Sweep done: overdue=0")
    assert out.getvalue().count("\n") == 1


def test_sweep_command_can_put_the_sweep_on_the_queue(settings):
    settings.TASKS = DATABASE
    call_command("sweep", "--enqueue", stdout=StringIO())
    assert DBTaskResult.objects.filter(task_path=tasks.sweep.module_path).count() == 1


@pytest.mark.django_db(transaction=True)
def test_worker_once_runs_the_queue_and_the_sweep(applicant, clerk, ministry, settings, mailoutbox):
    settings.TASKS = DATABASE
    with time_machine.travel(MONDAY, tick=False):
        complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
        complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY)
    assert not Message.objects.exists()  # the hand-offs wait in the queue
    assert DBTaskResult.objects.ready().count() == 2

    out = StringIO()
    with time_machine.travel(MONDAY, tick=False):
        call_command("worker", "--once", stdout=out)
    assert out.getvalue().startswith("Sweep done: overdue=0, caught_up=0")
    message = Message.objects.get(kind=Kind.REGISTERED)
    assert set(message.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert any(m.subject == message.subject for m in mailoutbox)
    assert not DBTaskResult.objects.ready().exists()
    assert not DBTaskResult.objects.failed().exists()


def test_a_worker_does_not_pile_up_sweeps(settings):
    settings.TASKS = DATABASE
    assert runner.enqueue_sweep() is not None
    assert runner.enqueue_sweep() is None  # one is already waiting
    assert DBTaskResult.objects.ready().count() == 1

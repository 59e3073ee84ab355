"""The events' outbox (production): an action is one commit holding the complaint's change, its event and the task that
publishes it; the worker's task hands the event to every subscriber once, however often it runs."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from shagym.complaints import services, tasks
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.tests.factories import complaint_input
from shagym.documents.models import Letter
from shagym.notify.models import Message
from shagym.reports.models import Fact
from shagym.webhooks.models import FeedEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outbox(settings):
    settings.SHAGYM_EVENTS_OUTBOX = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def publications() -> list[int]:
    return [
        row.args_kwargs["kwargs"]["event_id"]
        for row in DBTaskResult.objects.filter(task_path="shagym.complaints.tasks.publish").order_by("enqueued_at")
    ]


def test_an_action_commits_its_event_and_its_publication_together(applicant, clerk, ministry, now,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as after_commit:
        filed = services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry), now=now)
        registered = services.register_complaint(actor=clerk, complaint=filed.complaint, now=now)
    assert publications() == [filed.pk, registered.pk]
    assert after_commit == []  # nothing left to do after the commit: it is one commit
    assert not Letter.objects.exists() and not Message.objects.exists()  # the worker's work, not the request's


def test_an_action_rolled_back_leaves_neither_event_nor_publication(applicant, clerk, ministry, now):
    filed = services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry), now=now)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.register_complaint(actor=clerk, complaint=filed.complaint, now=now)
        raise RuntimeError("the server died before the commit")
    assert publications() == [filed.pk]
    assert list(ComplaintEvent.objects.values_list("pk", flat=True)) == [filed.pk]
    assert Complaint.objects.get().number is None


def test_the_worker_hands_each_event_to_every_subscriber_once(applicant, clerk, ministry, now, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # deliveries
    settings.SHAGYM_EVENTS_OUTBOX = False  # only while acting below: the rows are written, not yet published
    paper = complaint_input(reviewing_body=ministry, channel="office", email="")  # its registration issues a talon
    filed = services.submit_complaint(actor=clerk, data=paper, now=now)
    registered = services.register_complaint(actor=clerk, complaint=filed.complaint, now=now)

    for _ in range(2):  # a task run twice (a worker killed after the work, before marking it done) makes nothing twice
        for event in (filed, registered):
            tasks.publish.call(event_id=event.pk)
        assert Letter.objects.filter(kind=Letter.Kind.TALON, event=registered).count() == 1  # documents
        assert Message.objects.filter(event=registered).count() >= 1  # notices
        assert FeedEntry.objects.filter(event_id__in=[filed.pk, registered.pk]).count() == 2  # webhooks' feed
        assert Fact.objects.filter(complaint=registered.complaint).count() == 1  # reports
    made = {m.pk for m in Message.objects.all()}
    tasks.publish.call(event_id=registered.pk)
    assert {m.pk for m in Message.objects.all()} == made

"""The events feed: one position per event, in commit order; a lost hand-off is appended by the catch-up, once;
each reader sees what the access door lets it see."""

import datetime as dt

import pytest
from django.utils import timezone

from shagym.complaints import events
from shagym.complaints import services as lifecycle
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action, Outcome
from shagym.complaints.tests.factories import complaint_input
from shagym.webhooks import feed
from shagym.webhooks.models import FeedEntry

pytestmark = pytest.mark.django_db


def test_each_event_gets_one_position_in_commit_order(applicant, clerk, ministry, committed):
    with committed():
        complaint = lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry)).complaint
    with committed():
        lifecycle.register_complaint(actor=clerk, complaint=complaint)
    entries = list(FeedEntry.objects.order_by("position"))
    assert [e.action for e in entries] == [Action.SUBMIT, Action.REGISTER]
    assert entries[0].position < entries[1].position
    assert (entries[1].holder_before_id, entries[1].holder_after_id) == (ministry.pk, ministry.pk)
    assert entries[0].applicant_user_id == applicant.pk
    # Handing them over again makes nothing.
    assert feed.append(entries[0].event) == []


def test_a_lost_hand_off_is_appended_by_the_catch_up_at_a_later_position(applicant, clerk, ministry, committed):
    with committed():
        first = lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry)).complaint
    lost = lifecycle.register_complaint(actor=clerk, complaint=first)  # its after-commit hand-off never runs
    with committed():
        lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry))
    assert not FeedEntry.objects.filter(event=lost).exists()

    events.catch_up(now=timezone.now() + dt.timedelta(hours=1))
    assert FeedEntry.objects.filter(event=lost).count() == 1
    assert FeedEntry.objects.order_by("position").last().event_id == lost.pk  # later than events committed after it
    events.catch_up(now=timezone.now() + dt.timedelta(hours=2))
    assert FeedEntry.objects.count() == ComplaintEvent.objects.count() == 3


def test_who_reads_which_events(applicant, clerk, head, executor, outsider, inspector, ministry, other_body,
                                committed):
    with committed():
        complaint = lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry)).complaint
        lifecycle.register_complaint(actor=clerk, complaint=complaint)
        lifecycle.assign_executor(actor=head, complaint=complaint, executor=executor)
        lifecycle.propose_decision(actor=executor, complaint=complaint, outcome=Outcome.REFUSE, reasons="Негізсіз.")
        lifecycle.return_draft(actor=head, complaint=complaint, comment="Толықтырыңыз.")
    with committed():
        lifecycle.propose_decision(actor=executor, complaint=complaint, outcome=Outcome.REFUSE, reasons="Негізсіз, "
                                   "Заңның 25-бабы.")
        lifecycle.sign_decision(actor=head, complaint=complaint)

    def actions(user, *, as_applicant=False):
        return [e.action for e in feed.visible(user, as_applicant=as_applicant)]

    everything = [Action.SUBMIT, Action.REGISTER, Action.ASSIGN, Action.PROPOSE_DECISION, Action.RETURN_DRAFT,
                  Action.PROPOSE_DECISION, Action.SIGN_DECISION]
    assert actions(clerk) == everything
    assert actions(inspector) == everything
    assert actions(outsider) == []
    assert actions(applicant, as_applicant=True) == [Action.SUBMIT, Action.REGISTER, Action.ASSIGN,
                                                     Action.SIGN_DECISION]
    assert actions(applicant) == []  # not staff
    assert actions(clerk, as_applicant=True) == []

    entry = feed.visible(applicant, as_applicant=True).get(action=Action.ASSIGN)
    public = feed.document(entry, for_applicant=True)
    assert public["data"] == {} and public["actor"] is None and public["role"] is None
    staff = feed.document(entry, for_applicant=False)
    assert staff["data"]["executor"] == executor.pk and staff["actor"] == head.pk


def test_a_body_keeps_the_events_until_the_complaint_leaves_it(applicant, clerk, ministry, other_body, outsider,
                                                               committed):
    with committed():
        complaint = lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry)).complaint
        lifecycle.redirect_complaint(actor=clerk, complaint=complaint, target=other_body, reason="Құзыретті емес.")
        lifecycle.register_complaint(actor=outsider, complaint=complaint)
    assert [e.action for e in feed.visible(clerk, as_applicant=False)] == [Action.SUBMIT, Action.REDIRECT]
    assert [e.action for e in feed.visible(outsider, as_applicant=False)] == [Action.REDIRECT, Action.REGISTER]

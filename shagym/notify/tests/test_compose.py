"""compose.py and the templates: every kind reads as a whole text in every language, with its facts."""

from __future__ import annotations

import datetime as dt

import pytest

from shagym.complaints import services as complaints
from shagym.complaints.models import ComplaintEvent, Recommendation
from shagym.complaints.states import Action
from shagym.notify import compose
from shagym.notify.catalog import EVENT_KINDS, SPECS
from shagym.notify.models import Audience, Kind

from .conftest import MONDAY, portal_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(applicant, clerk, head, executor, ministry):
    ministry.name_kk = "«Әділет & Ко» министрлігі"
    ministry.save()
    complaint = portal_complaint(applicant=applicant, body=ministry, now=MONDAY)
    complaint = complaints.register_complaint(actor=clerk, complaint=complaint, now=MONDAY).complaint
    complaint = complaints.assign_executor(actor=head, complaint=complaint, executor=executor, now=MONDAY).complaint
    complaint = complaints.extend_term(actor=executor, complaint=complaint, days=2, ground="further_study",
                                       reasons="Тексеру <жүргізіледі>.", now=MONDAY).complaint
    complaint = complaints.propose_decision(actor=executor, complaint=complaint, outcome="perform",
                                            reasons="Заң бойынша.", legal_references="25-бап", now=MONDAY).complaint
    return complaints.sign_decision(actor=head, complaint=complaint, now=MONDAY).complaint


def test_every_kind_of_message_is_made_by_an_event_or_by_the_sweep():
    by_events = {
        "received", "registered", "forwarded", "satisfied", "redirected", "content_requested", "returned",
        "assigned", "extended", "awaiting_signature", "decided", "left_without_consideration", "withdrawn",
        "deemed_refused", "overdue", "recommendation",
    }
    assert {k for kinds in EVENT_KINDS.values() for k in kinds} == by_events
    assert {k for kinds in EVENT_KINDS.values() for k in kinds} | {
        Kind.DUE_REMINDER, Kind.EXTENSION_NOTICE_REMINDER, Kind.EXTENSION_NOTICE_OVERDUE, Kind.FORWARD_REMINDER,
        Kind.FORWARD_OVERDUE, Kind.DIGEST,
    } == set(Kind) == set(SPECS)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("kind", [k for k in Kind if SPECS[k].audience == Audience.APPLICANT])
def test_applicant_messages_read_whole(decided, kind, language):
    decided.language = language
    event = ComplaintEvent.objects.filter(complaint=decided, action=Action.SIGN_DECISION).get()
    composed = compose.applicant_message(kind, complaint=decided, event=event)
    for text in (composed.subject, composed.body, composed.sms_text):
        assert text
        assert "None" not in text and "{{" not in text and "%(" not in text and "&amp;" not in text
    assert "\n" not in composed.subject
    assert len(composed.sms_text) <= 160
    if kind != Kind.RECEIVED:
        assert decided.number in composed.subject
    if language == "kk":
        assert "«Әділет & Ко» министрлігі" in composed.body  # plain text: nothing is HTML-escaped


def test_the_decision_holds_what_the_law_asks_of_an_answer(decided):
    event = ComplaintEvent.objects.get(complaint=decided, action=Action.SIGN_DECISION)
    assert "136" in compose.applicant_message(Kind.DECIDED, complaint=decided, event=event).body  # in Kazakh
    decided.language = "en"  # the wording, read in the source language
    body = compose.applicant_message(Kind.DECIDED, complaint=decided, event=event).body
    # RULES §23 (АППК 101): date, body, the appealed act, the demands, the reasons with the law, the right to court.
    for part in ("02.11.2026", decided.holder.name_en, "Анықтаманы беруді сұраймын.", "Заң бойынша.",
                 "25-бап", "Article 136", "1 month"):
        assert part in body
    assert "quality of public services" in body  # RULES §24: the second tier is open


def test_extension_notice_gives_the_ground_and_reasons(decided):
    decided.language = "en"
    event = ComplaintEvent.objects.get(complaint=decided, action=Action.EXTEND)
    body = compose.applicant_message(Kind.EXTENDED, complaint=decided, event=event).body
    assert "Article 25" in body and "2 working days" in body and "11.11.2026" in body
    assert "Тексеру <жүргізіледі>." in body
    assert "further study or inspection" in body


@pytest.mark.parametrize("kind", [k for k in Kind if SPECS[k].audience == Audience.STAFF and k != Kind.DIGEST])
def test_staff_messages_read_whole(decided, executor, head, ministry, kind):
    recommendation = Recommendation.objects.create(complaint=decided, body=ministry, text="Қалпына келтіру.",
                                                   due_date=dt.date(2026, 11, 30))
    event = ComplaintEvent.objects.get(complaint=decided, action=Action.ASSIGN)
    composed = compose.staff_message(kind, complaint=decided, user=executor, event=event,
                                     recommendation=recommendation)
    assert decided.number in composed.subject
    assert "None" not in composed.body and "{{" not in composed.body and "%(" not in composed.body
    assert composed.sms_text == ""


def test_digest_lists_only_what_is_there(head, settings):
    settings.LANGUAGE_CODE = "en"  # staff messages are in the site's first language; read the source wording
    composed = compose.digest_message(
        user=head, day=dt.date(2026, 11, 6), next_day=dt.date(2026, 11, 9),
        figures={"overdue": (2, ["26-001-00001", "26-001-00002"]), "due_next": (1, ["26-001-00003"]),
                 "unassigned": (0, []), "letters": (3, [])},
    )
    assert "06.11.2026" in composed.subject
    assert "Review term passed without a decision: 2 (26-001-00001, 26-001-00002)" in composed.body
    assert "Review term ends on 09.11.2026, the next working day: 1 (26-001-00003)" in composed.body
    assert "Letters waiting in the office's print queue: 3" in composed.body
    assert "executor" not in composed.body

"""RULES §18: when the calendar changes, open complaints whose due date would move are listed for an
administrator, who chooses complaint by complaint, confirms the exact list, and only then are due dates applied or
kept; each choice is an event. Complaints whose date would not move cannot be chosen: they are recorded apart."""

import datetime as dt

import pytest

from shagym.complaints import services
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action
from shagym.complaints.tests.factories import complaint_input
from shagym.directory.models import CalendarOverride

URL = "/en/staff/calendar-changes/"


@pytest.fixture
def day_off(registered):
    # Registered Mon 2 Nov 2026, due Mon 9 Nov; a new order makes Wed 4 Nov a day off.
    return CalendarOverride.objects.create(day=dt.date(2026, 11, 4), working=False, reason="Day off", reference="Order 7")


@pytest.fixture
def second(applicant, clerk, ministry, now):
    """Another complaint registered the same day: its date moves too."""
    complaint = services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry), now=now).complaint
    return services.register_complaint(actor=clerk, complaint=complaint, now=now).complaint


@pytest.fixture
def late_one(applicant, clerk, ministry):
    """Registered Tue 10 Nov, due Tue 17 Nov: a day off on 4 Nov does not move it."""
    import django.utils.timezone as tz

    moment = tz.make_aware(dt.datetime(2026, 11, 10, 10))
    complaint = services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry),
                                          now=moment).complaint
    return services.register_complaint(actor=clerk, complaint=complaint, now=moment).complaint


def test_complaint_with_moved_due_date_is_listed_unticked(client, administrator, registered, day_off):
    client.force_login(administrator)
    html = client.get(URL).content.decode()
    assert registered.number in html
    assert "09.11.2026" in html and "10.11.2026" in html
    assert " checked" not in html  # nothing is chosen for the administrator


def test_a_complaint_that_does_not_move_cannot_be_chosen(client, administrator, registered, late_one, day_off):
    client.force_login(administrator)
    html = client.get(URL).content.decode()
    assert f'value="{registered.pk}"' in html
    assert f'name="complaint" value="{late_one.pk}"' not in html  # listed apart, without a box
    assert late_one.number in html

    # Sent all the same: it is not revised.
    client.post(URL, {"step": "confirm", "complaint": [late_one.pk], "decision": "apply", "reason": "Order 7"})
    assert not ComplaintEvent.objects.filter(action=Action.REVISE_DUE_DATE).exists()


def test_nothing_changes_before_the_confirmation_which_lists_the_chosen(client, administrator, registered, second,
                                                                       day_off):
    client.force_login(administrator)
    response = client.post(URL, {"step": "review", "complaint": [registered.pk], "decision": "apply",
                                 "reason": "Order 7"})
    assert response.status_code == 200
    html = response.content.decode()
    assert registered.number in html and second.number not in html
    assert not ComplaintEvent.objects.filter(action=Action.REVISE_DUE_DATE).exists()


def test_apply_moves_only_the_chosen_due_date_with_an_event(client, administrator, registered, second, day_off):
    client.force_login(administrator)
    response = client.post(URL, {"step": "confirm", "complaint": [registered.pk], "decision": "apply",
                                 "reason": "Order 7"})
    assert response.status_code == 302
    registered.refresh_from_db()
    second.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 10)
    assert second.due_date == dt.date(2026, 11, 9)  # not chosen: untouched
    event = ComplaintEvent.objects.filter(action=Action.REVISE_DUE_DATE).get()
    assert event.complaint_id == registered.pk
    assert event.old.due_date == dt.date(2026, 11, 9) and event.new.due_date == dt.date(2026, 11, 10)
    assert event.data == {"applied": True, "reason": "Order 7", "proposed": "2026-11-10"}
    html = client.get(URL).content.decode()
    assert f'value="{registered.pk}"' not in html and f'value="{second.pk}"' in html


def test_keep_records_the_decision_and_keeps_the_date(client, administrator, registered, day_off):
    client.force_login(administrator)
    client.post(URL, {"step": "confirm", "complaint": [registered.pk], "decision": "keep",
                      "reason": "Registered before the order"})
    registered.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 9)
    event = ComplaintEvent.objects.get(complaint=registered, action=Action.REVISE_DUE_DATE)
    assert event.payload.applied is False
    assert event.new.calendar_version != event.old.calendar_version


def test_unchanged_complaints_are_recorded_together_without_moving(client, administrator, late_one, day_off):
    client.force_login(administrator)
    client.post(URL, {"step": "unchanged", "reason": "Order 7 checked"})
    late_one.refresh_from_db()
    assert late_one.due_date == dt.date(2026, 11, 17)
    event = ComplaintEvent.objects.get(complaint=late_one, action=Action.REVISE_DUE_DATE)
    assert event.old.due_date == event.new.due_date


@pytest.mark.parametrize("data", [
    {"step": "confirm", "decision": "apply", "reason": " "},
    {"step": "confirm", "decision": "", "reason": "Order 7"},
    {"step": "confirm", "decision": "apply", "reason": "Order 7", "complaint": []},
    {"step": "unchanged", "reason": ""},
])
def test_bad_input_changes_nothing_and_says_why(client, administrator, registered, day_off, data):
    client.force_login(administrator)
    data = {"complaint": [registered.pk], **data}
    response = client.post(URL, data, follow=True)
    assert response.status_code in (200, 400)
    registered.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 9)
    assert not ComplaintEvent.objects.filter(action=Action.REVISE_DUE_DATE).exists()
    assert 'class="messages' in response.content.decode() or "notice-error" in response.content.decode()


@pytest.mark.parametrize("persona", ["clerk", "head", "executor", "inspector", "outsider", "applicant"])
def test_only_administrators_may_review(client, request, persona, registered, day_off):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"step": "confirm", "complaint": [registered.pk], "decision": "apply",
                             "reason": "x"}).status_code == 403
    registered.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 9)

"""RULES §18: when the calendar changes, open complaints whose due date would move are listed for an
administrator, who applies the new date or keeps the old one; each choice is an event."""

import datetime as dt

import pytest

from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action
from shagym.directory.models import CalendarOverride

URL = "/en/staff/calendar-changes/"


@pytest.fixture
def day_off(registered):
    # Registered Mon 2 Nov 2026, due Mon 9 Nov; a new order makes Wed 4 Nov a day off.
    return CalendarOverride.objects.create(day=dt.date(2026, 11, 4), working=False, reason="Day off", reference="Order 7")


def test_complaint_with_moved_due_date_is_listed(client, administrator, registered, day_off):
    client.force_login(administrator)
    html = client.get(URL).content.decode()
    assert registered.number in html
    assert "09.11.2026" in html and "10.11.2026" in html


def test_apply_moves_the_due_date_with_an_event(client, administrator, registered, day_off):
    client.force_login(administrator)
    response = client.post(URL, {"complaint": [registered.pk], "decision": "apply", "reason": "Order 7"})
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 10)
    event = ComplaintEvent.objects.filter(complaint=registered, action=Action.REVISE_DUE_DATE).get()
    assert event.before["due_date"] == "2026-11-09" and event.after["due_date"] == "2026-11-10"
    assert event.data == {"applied": True, "reason": "Order 7", "proposed": "2026-11-10"}
    assert registered.number not in client.get(URL).content.decode()


def test_keep_records_the_decision_and_keeps_the_date(client, administrator, registered, day_off):
    client.force_login(administrator)
    client.post(URL, {"complaint": [registered.pk], "decision": "keep", "reason": "Registered before the order"})
    registered.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 9)
    event = ComplaintEvent.objects.get(complaint=registered, action=Action.REVISE_DUE_DATE)
    assert event.data["applied"] is False
    assert event.after["calendar_version"] != event.before["calendar_version"]


def test_missing_reason_changes_nothing(client, administrator, registered, day_off):
    client.force_login(administrator)
    client.post(URL, {"complaint": [registered.pk], "decision": "apply", "reason": " "})
    registered.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 9)
    assert not ComplaintEvent.objects.filter(action=Action.REVISE_DUE_DATE).exists()


@pytest.mark.parametrize("persona", ["clerk", "head", "executor", "inspector", "outsider", "applicant"])
def test_only_administrators_may_review(client, request, persona, registered, day_off):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"complaint": [registered.pk], "decision": "apply", "reason": "x"}).status_code == 403
    registered.refresh_from_db()
    assert registered.due_date == dt.date(2026, 11, 9)

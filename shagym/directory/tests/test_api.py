"""GET /api/v1/calendar/deadline: the public deadline calculator (issue 3, item 6)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from shagym.directory.models import CalendarOverride

URL = "/api/v1/calendar/deadline"
pytestmark = pytest.mark.django_db


def get(client, **params):
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE=params.pop("lang", "en") if "lang" in params else "en")


def test_deadline_across_nauryz_2025_with_extension(client):
    response = client.get(URL, {"received": "2025-03-20", "working_days": "5", "extension_days": "10"})
    assert response.status_code == 200
    body = response.json()
    assert body["registered"] == "2025-03-20"
    # Day 1 = 26 Mar (21-25 Mar are Nauryz and its moved days off); 5th working day = 1 Apr; +10 = 15 Apr.
    assert body["due"] == "2025-04-15"
    skipped = {d["date"]: d for d in body["skipped"]}
    assert {"2025-03-21", "2025-03-24", "2025-03-25"} <= set(skipped)
    assert skipped["2025-03-24"]["kind"] == "observed"
    assert body["calendar_version"].startswith("kz-")
    assert body["extension_days"] == 10


def test_receipt_on_saturday_registers_on_monday(client):
    body = client.get(URL, {"received": "2026-11-07", "working_days": "5"}).json()
    assert body["registered"] == "2026-11-09"
    assert body["due"] == "2026-11-16"
    assert [d["date"] for d in body["skipped"]][:2] == ["2026-11-07", "2026-11-08"]


def test_quality_authority_term_over_new_year(client):
    body = client.get(URL, {"received": "2025-12-24", "working_days": "15"}).json()
    # 25, 26, 29, 30, 31 Dec (1-5); 1-2 Jan off; 5, 6 Jan (6-7); 7 Jan off (Orthodox Christmas);
    # 8, 9, 12, 13, 14, 15, 16, 19 Jan (8-15): the 15th working day is 19 Jan 2026.
    assert body["due"] == "2026-01-19"


def test_skipped_reasons_are_translated(client):
    body = client.get(URL, {"received": "2026-03-20", "working_days": "5"}, HTTP_ACCEPT_LANGUAGE="ru").json()
    reasons = {d["date"]: d["reason"] for d in body["skipped"]}
    assert reasons["2026-03-28"] == "Суббота"


def test_override_changes_due_date_and_version(client):
    before = client.get(URL, {"received": "2026-11-02", "working_days": "5"}).json()
    CalendarOverride.objects.create(day=dt.date(2026, 11, 4), working=False, reason="Test day off", reference="Order 1")
    after = client.get(URL, {"received": "2026-11-02", "working_days": "5"}).json()
    assert before["due"] == "2026-11-09"
    assert after["due"] == "2026-11-10"
    assert after["calendar_version"] != before["calendar_version"]
    assert {"date": "2026-11-04", "reason": "Test day off (Order 1)", "kind": "override_off"} in after["skipped"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"working_days": "5"}, "received"),
        ({"received": "2025-02-30", "working_days": "5"}, "received"),
        ({"received": "20.03.2025", "working_days": "5"}, "received"),
        ({"received": "0", "working_days": "5"}, "received"),
        ({"received": "2025-03-20", "working_days": "0"}, "working_days"),
        ({"received": "2025-03-20", "working_days": "five"}, "working_days"),
        ({"received": "2025-03-20", "working_days": "-5"}, "working_days"),
        ({"received": "2025-03-20", "working_days": "61"}, "working_days"),
        ({"received": "2025-03-20", "working_days": "5", "extension_days": "11"}, "extension_days"),
        ({"received": "2025-03-20", "working_days": "5", "extension_days": "-1"}, "extension_days"),
        ({"received": "2025-03-20", "working_days": "5", "extension_days": "1.5"}, "extension_days"),
        ({"received": "9999-01-01", "working_days": "5"}, "received"),
    ],
)
def test_bad_parameters_get_a_clear_422(client, params, field):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert field in body["detail"] or body.get("field") == field


def test_422_message_is_translated(client):
    response = client.get(URL, {"received": "x", "working_days": "5"}, HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 422
    assert response.json()["detail"] != "received must be a date written YYYY-MM-DD."


def test_openapi_schema_documents_the_422(client):
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"][URL]["get"]["responses"]
    assert {"200", "422"} <= set(responses)


@given(
    received=st.one_of(st.text(max_size=12), st.dates().map(str)),
    working_days=st.one_of(st.text(max_size=4), st.integers(-5, 70).map(str)),
    extension_days=st.one_of(st.none(), st.text(max_size=4), st.integers(-3, 14).map(str)),
)
@hypothesis_settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_input_gets_an_answer_never_a_500(client, received, working_days, extension_days):
    params = {"received": received, "working_days": working_days}
    if extension_days is not None:
        params["extension_days"] = extension_days
    response = client.get(URL, params)
    assert response.status_code in (200, 422)
    assert response.json()

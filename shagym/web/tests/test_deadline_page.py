import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def test_calculator_page_shows_due_date_and_skipped_days(client):
    response = client.get("/en/calendar/deadline/", {"addressee": "quality_authority", "received": "2024-05-03"})
    assert response.status_code == 200
    html = response.content.decode()
    # Registered Fri 3 May 2024. Sat 4 May is worked by a transfer order (day 1), Mon 6 May is day 2; 7, 8, 9 May
    # are off; 10, 13-17, 20-24, 27, 28 May are days 3-15: due Tue 28 May.
    assert "28 May 2024" in html
    assert 'datetime="2024-05-08"' in html
    assert 'datetime="2024-05-04"' not in html  # a working Saturday is not skipped


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"received": "2024-05-03"}, "Choose to whom the complaint is addressed."),
        ({"addressee": "central"}, "Enter the day the complaint was received."),
        ({"addressee": "central", "received": "31.02.2024"}, "Enter a real date"),
        ({"addressee": "central", "received": "2024-05-03", "extension_days": "11"}, "at most 10 working days"),
        ({"addressee": "provider_head", "received": "2024-05-03", "extension_days": "3"}, "does not allow this addressee"),
    ],
)
def test_calculator_errors_are_listed_and_linked(client, params, message):
    response = client.get("/en/calendar/deadline/", params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert message in html
    assert "Answer due by" not in html


def test_dates_are_written_the_same_way_in_every_language(client):
    """Issue 10, 9: the framework's Kazakh names were wrong ("Жума", Tuesday as "Сб", capitalised months); one
    helper writes the dates everywhere."""
    from shagym.directory import dates

    tuesday = dt.date(2026, 12, 1)
    assert dates.long(tuesday, "kk", weekday=True) == "2026 жылғы 1 желтоқсан, сейсенбі"
    assert dates.long(tuesday, "ru", weekday=True) == "1 декабря 2026 г., вторник"
    assert dates.long(tuesday, "en", weekday=True) == "1 December 2026, Tuesday"
    assert dates.weekday_name(dt.date(2026, 12, 4), "kk") == "жұма"
    assert dates.weekday_name(tuesday, "kk", short=True) == "сс"
    page = client.get("/kk/calendar/deadline/", {"addressee": "central", "received": "2026-12-14"}).content.decode()
    assert "Жума" not in page and "Желтоқсан" not in page
    assert "2026 жылғы 14 желтоқсан, дүйсенбі" in page
    assert "16 желтоқсан, ср" in page  # Independence Day, a Wednesday, in the list of days not counted

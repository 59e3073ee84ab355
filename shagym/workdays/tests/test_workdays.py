"""Tests for the Kazakhstan working-day calendar (RULES §6, §14, §16-19).

Expected dates in the tables were worked out by hand from the official calendar (the day lists are
in the comments), not by running the code.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shagym.workdays import (
    ALMATY,
    Calendar,
    DayInfo,
    DayKind,
    Override,
    add_working_days,
    due_date,
    explain,
    next_working_day,
    registration_day,
    skipped_days,
    working_days_between,
)

D = dt.date
UTC = dt.UTC
CAL = Calendar()  # shared: its per-year and per-day caches make the property tests fast

WORKING_KINDS = {DayKind.WORKDAY, DayKind.TRANSFERRED_WORKING, DayKind.OVERRIDE_WORKING}


# --- 1. Real days 2024-2027 (RULES §17) -------------------------------------------------------------

DAY_TABLE = [
    # day, working, kind
    (D(2024, 1, 7), False, DayKind.HOLIDAY),  # Orthodox Christmas on a Sunday: does not move
    (D(2024, 1, 8), True, DayKind.WORKDAY),  # ... so Monday 8 Jan is working
    (D(2024, 3, 25), False, DayKind.HOLIDAY_OBSERVED),  # Nauryz 23 Mar was a Saturday
    (D(2024, 5, 4), True, DayKind.TRANSFERRED_WORKING),  # working Saturday (transfer order)
    (D(2024, 5, 8), False, DayKind.TRANSFERRED_OFF),  # ... the day off it paid for
    (D(2024, 6, 16), False, DayKind.HOLIDAY),  # Kurban Ait on a Sunday: does not move
    (D(2024, 6, 17), True, DayKind.WORKDAY),  # ... so Monday 17 Jun is working
    (D(2024, 7, 8), False, DayKind.HOLIDAY_OBSERVED),  # Capital Day 6 Jul 2024 was a Saturday
    (D(2024, 8, 30), False, DayKind.HOLIDAY),  # Constitution Day, Friday
    (D(2025, 1, 3), False, DayKind.TRANSFERRED_OFF),  # Friday off, paid by Sunday 5 Jan
    (D(2025, 1, 5), True, DayKind.TRANSFERRED_WORKING),  # working Sunday
    (D(2025, 1, 7), False, DayKind.HOLIDAY),  # Orthodox Christmas, Tuesday
    (D(2025, 3, 21), False, DayKind.HOLIDAY),  # Nauryz
    (D(2025, 3, 22), False, DayKind.HOLIDAY),  # Nauryz on a Saturday
    (D(2025, 3, 24), False, DayKind.HOLIDAY_OBSERVED),  # for 22 Mar (Saturday)
    (D(2025, 3, 25), False, DayKind.HOLIDAY_OBSERVED),  # for 23 Mar (Sunday)
    (D(2025, 3, 26), True, DayKind.WORKDAY),
    (D(2025, 6, 6), False, DayKind.HOLIDAY),  # Kurban Ait, Friday
    (D(2025, 8, 30), False, DayKind.HOLIDAY),  # Constitution Day on a Saturday
    (D(2025, 9, 1), False, DayKind.HOLIDAY_OBSERVED),  # ... moved to Monday
    (D(2025, 10, 27), False, DayKind.HOLIDAY_OBSERVED),  # Republic Day 25 Oct was a Saturday
    (D(2025, 12, 31), True, DayKind.WORKDAY),  # Wednesday, working
    (D(2026, 1, 1), False, DayKind.HOLIDAY),
    (D(2026, 1, 2), False, DayKind.HOLIDAY),
    (D(2026, 1, 7), False, DayKind.HOLIDAY),  # Orthodox Christmas, Wednesday
    (D(2026, 3, 9), False, DayKind.HOLIDAY_OBSERVED),  # 8 March 2026 was a Sunday
    (D(2026, 3, 23), False, DayKind.HOLIDAY),  # Nauryz, Monday
    (D(2026, 3, 24), False, DayKind.HOLIDAY_OBSERVED),  # for 21 Mar (Saturday)
    (D(2026, 3, 25), False, DayKind.HOLIDAY_OBSERVED),  # for 22 Mar (Sunday)
    (D(2026, 5, 11), False, DayKind.HOLIDAY_OBSERVED),  # Victory Day 9 May was a Saturday
    (D(2026, 7, 6), False, DayKind.HOLIDAY),  # Capital Day, Monday
    (D(2026, 8, 30), False, DayKind.SUNDAY),  # no Constitution Day in 2026
    (D(2026, 8, 31), True, DayKind.WORKDAY),  # ... so no observed Monday either
    (D(2027, 3, 15), False, DayKind.HOLIDAY),  # Constitution Day from 2027
    (D(2027, 8, 30), True, DayKind.WORKDAY),  # no longer a holiday
    (D(2025, 2, 15), False, DayKind.SATURDAY),
    (D(2025, 2, 16), False, DayKind.SUNDAY),
]


@pytest.mark.parametrize(("day", "working", "kind"), DAY_TABLE)
def test_real_days(day: dt.date, working: bool, kind: DayKind) -> None:
    info = CAL.day_info(day)
    assert CAL.is_working_day(day) is working
    assert info == DayInfo(day, working, kind, info.name)
    assert info.name
    assert (kind in WORKING_KINDS) is working


def test_names_come_from_the_holidays_package() -> None:
    assert CAL.day_info(D(2024, 3, 25)).name == "Nowruz Holiday (observed)"
    assert CAL.day_info(D(2024, 5, 8)).name == "Day off (substituted from 05/04/2024)"
    assert CAL.day_info(D(2024, 6, 16)).name == "Eid al-Adha"
    assert CAL.day_info(D(2025, 2, 15)).name == "Saturday"
    assert CAL.day_info(D(2025, 2, 17)).name == "Monday"
    assert (
        CAL.day_info(D(2024, 5, 4)).name == "Working Saturday (transfer order), day off moved to 2024-05-08"
    )
    assert CAL.day_info(D(2025, 1, 5)).name == "Working Sunday (transfer order), day off moved to 2025-01-03"


def test_estimated_kurban_ait_is_a_holiday() -> None:
    # The package only estimates Kurban Ait after 2025: an administrator confirms it by override.
    info = CAL.day_info(D(2026, 5, 27))
    assert (info.kind, info.name) == (DayKind.HOLIDAY, "Eid al-Adha (estimated)")


def test_day_with_two_holiday_names_is_a_holiday() -> None:
    info = CAL.day_info(D(2032, 3, 22))
    assert info.name == "Eid al-Adha (estimated); Nowruz Holiday"
    assert info.kind == DayKind.HOLIDAY


def test_cross_year_transfer_2013() -> None:
    # `weekend_workdays` always carries 2013-12-28 (a cross-year transfer source). It is a real
    # working Saturday of 2013 and must not leak into any other year's data.
    assert CAL.day_info(D(2013, 12, 28)).kind == DayKind.TRANSFERRED_WORKING
    assert CAL.day_info(D(2014, 1, 3)).kind == DayKind.TRANSFERRED_OFF
    assert CAL.day_info(D(2023, 7, 1)).kind == DayKind.TRANSFERRED_WORKING
    assert CAL.day_info(D(2023, 7, 7)).kind == DayKind.TRANSFERRED_OFF


def test_agrees_with_holidays_is_working_day_2024_2027() -> None:
    kz = holidays.country_holidays("KZ", years=range(2024, 2028))
    day = D(2024, 1, 1)
    while day <= D(2027, 12, 31):
        assert CAL.is_working_day(day) is kz.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_years_are_built_lazily() -> None:
    cal = Calendar()
    cal.is_working_day(D(2025, 6, 1))
    assert set(cal._years) == {2025}


def test_almaty_is_utc_plus_5_since_march_2024() -> None:
    # RULES §19: checks the machine's tz database too.
    assert dt.datetime(2025, 3, 21, tzinfo=ALMATY).utcoffset() == dt.timedelta(hours=5)


# --- 2. Due dates (RULES §11-12, §14, §16) -------------------------------------------------------

DUE_TABLE = [
    # registered, working_days, extension_days, day_one_after_registration, expected
    # Nauryz 2025: Thu 20 Mar; off 21-25 Mar (Fri, Sat, Sun, obs Mon, obs Tue).
    # 26 Mar(1) 27(2) 28(3) 31(4) 1 Apr(5)
    (D(2025, 3, 20), 5, 0, True, D(2025, 4, 1)),
    # Wed 19 Mar 2025: 20 Mar(1), off 21-25, 26(2) 27(3) 28(4) 31(5) 1 Apr(6) 2(7) 3(8) 4(9)
    # 7(10) 8(11) 9(12) 10(13) 11(14) 14(15)
    (D(2025, 3, 19), 15, 0, True, D(2025, 4, 14)),
    # Nauryz 2026: Fri 20 Mar; off Sat 21, Sun 22, Mon 23, obs Tue 24, obs Wed 25.
    # 26 Mar(1) 27(2) 30(3) 31(4) 1 Apr(5)
    (D(2026, 3, 20), 5, 0, True, D(2026, 4, 1)),
    # Fri 6 Mar 2026: off Sat 7, Sun 8, Mon 9 (8 March observed). 10(1) 11(2) 12(3) 13(4) 16(5)
    # 17(6) 18(7) 19(8) 20(9), off 21-25, 26(10) 27(11) 30(12) 31(13) 1 Apr(14) 2 Apr(15)
    (D(2026, 3, 6), 15, 0, True, D(2026, 4, 2)),
    # May 2024: Thu 2 May. 3(1) Sat 4 working(2), Sun 5 off, 6(3), off 7 (Defender), 8
    # (transferred), 9 (Victory), 10(4), off 11-12, 13(5)
    (D(2024, 5, 2), 5, 0, True, D(2024, 5, 13)),
    # Tue 30 Apr 2024: off 1 May. 2(1) 3(2) Sat 4(3) 6(4) 10(5) 13(6) 14(7) 15(8) 16(9) 17(10)
    # 20(11) 21(12) 22(13) 23(14) 24(15)
    (D(2024, 4, 30), 15, 0, True, D(2024, 5, 24)),
    # Mon 30 Dec 2024: 31 Dec(1), off 1, 2, 3 (transferred), Sat 4 Jan; Sun 5 Jan working(2),
    # 6(3), off 7 (Orthodox Christmas), 8(4) 9(5)
    (D(2024, 12, 30), 5, 0, True, D(2025, 1, 9)),
    # Wed 31 Dec 2025: off Thu 1, Fri 2, Sat 3, Sun 4. 5 Jan(1) 6(2), off 7, 8(3) 9(4) 12(5)
    (D(2025, 12, 31), 5, 0, True, D(2026, 1, 12)),
    # Tue 23 Dec 2025: 24(1) 25(2) 26(3) 29(4) 30(5) 31(6) 5 Jan(7) 6(8) 8(9) 9(10) 12(11)
    # 13(12) 14(13) 15(14) 16(15)
    (D(2025, 12, 23), 15, 0, True, D(2026, 1, 16)),
    # Kurban Ait 2025: Wed 4 Jun. 5(1), off Fri 6 (Kurban Ait), Sat, Sun, 9(2) 10(3) 11(4) 12(5)
    (D(2025, 6, 4), 5, 0, True, D(2025, 6, 12)),
    # Kurban Ait 2024 on Sunday 16 Jun, not moved: Fri 14 Jun. 17(1) 18(2) 19(3) 20(4) 21(5)
    (D(2024, 6, 14), 5, 0, True, D(2024, 6, 21)),
    # Kurban Ait 2026 (estimated Wed 27 May): Mon 25 May. 26(1), off 27, 28(2) 29(3) 1 Jun(4) 2(5)
    (D(2026, 5, 25), 5, 0, True, D(2026, 6, 2)),
    # Constitution Day 2025 (Sat 30 Aug, observed Mon 1 Sep): Thu 28 Aug. 29(1), off 30, 31,
    # 1 Sep, 2(2) 3(3) 4(4) 5(5)
    (D(2025, 8, 28), 5, 0, True, D(2025, 9, 5)),
    # Victory Day 2026 (Sat 9 May, observed Mon 11): Wed 6 May. off 7 (Defender), 8(1), off 9,
    # 10, 11, 12(2) 13(3) 14(4) 15(5)
    (D(2026, 5, 6), 5, 0, True, D(2026, 5, 15)),
    # Republic Day 2025 (Sat 25 Oct, observed Mon 27): Fri 24 Oct. 28(1) 29(2) 30(3) 31(4) 3 Nov(5)
    (D(2025, 10, 24), 5, 0, True, D(2025, 11, 3)),
    # Extension: Thu 20 Mar 2025, 5 days -> Tue 1 Apr; +10: 2(1) 3(2) 4(3) 7(4) 8(5) 9(6) 10(7)
    # 11(8) 14(9) 15(10)
    (D(2025, 3, 20), 5, 10, True, D(2025, 4, 15)),
    # Extension: Tue 30 Apr 2024, 15 days -> Fri 24 May; +10: 27(1) 28(2) 29(3) 30(4) 31(5)
    # 3 Jun(6) 4(7) 5(8) 6(9) 7(10)
    (D(2024, 4, 30), 15, 10, True, D(2024, 6, 7)),
    # Registration day is day 1: Thu 20 Mar 2025(1), off 21-25, 26(2) 27(3) 28(4) 31(5)
    (D(2025, 3, 20), 5, 0, False, D(2025, 3, 31)),
    # ... unless it is a non-working day: Sun 23 Mar 2025 -> 26(1) 27(2) 28(3) 31(4) 1 Apr(5)
    (D(2025, 3, 23), 5, 0, False, D(2025, 4, 1)),
    # ... a transferred working Saturday is a working day: Sat 4 May 2024(1) 6(2) 10(3) 13(4) 14(5)
    (D(2024, 5, 4), 5, 0, False, D(2024, 5, 14)),
    # 1-day term, registration day is day 1: due the same day
    (D(2025, 12, 31), 1, 0, False, D(2025, 12, 31)),
]


@pytest.mark.parametrize(("registered", "days", "ext", "day_one_after", "expected"), DUE_TABLE)
def test_due_dates(registered: dt.date, days: int, ext: int, day_one_after: bool, expected: dt.date) -> None:
    due = due_date(
        CAL,
        registered=registered,
        working_days=days,
        extension_days=ext,
        day_one_after_registration=day_one_after,
    )
    assert due == expected
    assert CAL.is_working_day(due)


@pytest.mark.parametrize(("days", "ext"), [(0, 0), (-1, 0), (5, -1)])
def test_due_date_rejects_bad_terms(days: int, ext: int) -> None:
    with pytest.raises(ValueError):
        due_date(CAL, registered=D(2025, 3, 20), working_days=days, extension_days=ext)


def test_add_working_days_edges() -> None:
    assert add_working_days(CAL, D(2025, 3, 22), 0) == D(2025, 3, 22)  # n == 0: start, even if off
    assert add_working_days(CAL, D(2025, 3, 20), 1) == D(2025, 3, 26)
    with pytest.raises(ValueError):
        add_working_days(CAL, D(2025, 3, 20), -1)
    assert next_working_day(CAL, D(2025, 1, 2)) == D(2025, 1, 5)  # the working Sunday
    assert working_days_between(CAL, D(2025, 3, 20), D(2025, 3, 20)) == 0
    assert working_days_between(CAL, D(2025, 4, 1), D(2025, 3, 20)) == 0
    assert working_days_between(CAL, D(2025, 3, 20), D(2025, 4, 1)) == 5


# --- 3. Registration day (RULES §6) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Saturday receipt -> Monday
        (dt.datetime(2025, 2, 15, 10, 0, tzinfo=ALMATY), D(2025, 2, 17)),
        # 23:30 Almaty on a working Friday -> that Friday (aware Almaty, and the same instant in UTC)
        (dt.datetime(2025, 2, 14, 23, 30, tzinfo=ALMATY), D(2025, 2, 14)),
        (dt.datetime(2025, 2, 14, 18, 30, tzinfo=UTC), D(2025, 2, 14)),
        # 19:30Z Friday is 00:30 Saturday in Almaty -> Monday
        (dt.datetime(2025, 2, 14, 19, 30, tzinfo=UTC), D(2025, 2, 17)),
        # 20:00Z 20 Mar 2025 = 01:00 21 Mar Almaty (Nauryz): off 21-25 -> Wed 26 Mar
        (dt.datetime(2025, 3, 20, 20, 0, tzinfo=UTC), D(2025, 3, 26)),
        # naive datetimes are Almaty local time
        (dt.datetime(2025, 3, 20, 23, 59), D(2025, 3, 20)),
        (dt.datetime(2025, 3, 21, 0, 1), D(2025, 3, 26)),
        # Friday 3 Jan 2025 (transferred off) -> Sunday 5 Jan 2025, a working day
        (dt.datetime(2025, 1, 3, 9, 0, tzinfo=ALMATY), D(2025, 1, 5)),
        # other zones are converted: 22:00 Moscow on Thu 20 Mar 2025 = 00:00 Fri 21 Mar Almaty
        (dt.datetime(2025, 3, 20, 22, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow")), D(2025, 3, 26)),
    ],
)
def test_registration_day(received: dt.datetime, expected: dt.date) -> None:
    assert registration_day(CAL, received) == expected


# --- 4. Skipped days / explain --------------------------------------------------------------------


def test_explain_nauryz_2026() -> None:
    due = due_date(CAL, registered=D(2026, 3, 20), working_days=5)
    skipped = explain(CAL, registered=D(2026, 3, 20), due=due)
    assert [(i.day, i.kind) for i in skipped] == [
        (D(2026, 3, 21), DayKind.HOLIDAY),  # Saturday, but the holiday wins
        (D(2026, 3, 22), DayKind.HOLIDAY),
        (D(2026, 3, 23), DayKind.HOLIDAY),
        (D(2026, 3, 24), DayKind.HOLIDAY_OBSERVED),
        (D(2026, 3, 25), DayKind.HOLIDAY_OBSERVED),
        (D(2026, 3, 28), DayKind.SATURDAY),
        (D(2026, 3, 29), DayKind.SUNDAY),
    ]
    assert [i.name for i in skipped[:5]] == ["Nowruz Holiday"] * 3 + ["Nowruz Holiday (observed)"] * 2
    assert all(not i.working for i in skipped)
    assert skipped == skipped_days(CAL, D(2026, 3, 20), due)


def test_skipped_days_may_2024() -> None:
    skipped = skipped_days(CAL, D(2024, 4, 30), D(2024, 5, 13))
    assert [(i.day.day, i.kind) for i in skipped] == [
        (1, DayKind.HOLIDAY),
        (5, DayKind.SUNDAY),  # Saturday 4 May was working
        (7, DayKind.HOLIDAY),
        (8, DayKind.TRANSFERRED_OFF),
        (9, DayKind.HOLIDAY),
        (11, DayKind.SATURDAY),
        (12, DayKind.SUNDAY),
    ]
    assert skipped_days(CAL, D(2024, 5, 13), D(2024, 5, 13)) == []


# --- 5. Overrides (RULES §18) ---------------------------------------------------------------------


def test_override_day_off_pushes_due_date() -> None:
    # Mon 10 Feb 2025 + 5: 11(1) 12(2) 13(3) 14(4) 17(5)
    assert due_date(CAL, registered=D(2025, 2, 10), working_days=5) == D(2025, 2, 17)
    off = Override(D(2025, 2, 12), working=False, reason="Mourning day", reference="Decree No. 1")
    cal = Calendar([off])
    assert due_date(cal, registered=D(2025, 2, 10), working_days=5) == D(2025, 2, 18)
    info = cal.day_info(D(2025, 2, 12))
    assert info == DayInfo(D(2025, 2, 12), False, DayKind.OVERRIDE_OFF, "Mourning day", "Decree No. 1")
    assert info in explain(cal, registered=D(2025, 2, 10), due=D(2025, 2, 18))


def test_override_working_saturday_pulls_due_date() -> None:
    cal = Calendar([Override(D(2025, 2, 15), working=True, reason="Transfer order")])
    assert due_date(cal, registered=D(2025, 2, 10), working_days=5) == D(2025, 2, 15)
    assert cal.day_info(D(2025, 2, 15)).kind == DayKind.OVERRIDE_WORKING


def test_override_confirms_kurban_ait() -> None:
    cal = Calendar(
        [
            Override(D(2026, 5, 27), working=True, reason="Kurban Ait 2026 is on 26 May"),
            Override(
                D(2026, 5, 26), working=False, reason="Kurban Ait 2026 (confirmed)", reference="Order 7"
            ),
        ]
    )
    assert cal.is_working_day(D(2026, 5, 27))
    assert cal.day_info(D(2026, 5, 26)).name == "Kurban Ait 2026 (confirmed)"
    # Mon 25 May: off 26, 27(1) 28(2) 29(3) 1 Jun(4) 2(5)
    assert due_date(cal, registered=D(2026, 5, 25), working_days=5) == D(2026, 6, 2)


def test_last_override_for_a_day_wins() -> None:
    a = Override(D(2025, 2, 12), working=False, reason="off")
    b = Override(D(2025, 2, 12), working=True, reason="back on")
    assert Calendar([a, b]).is_working_day(D(2025, 2, 12))
    assert not Calendar([b, a]).is_working_day(D(2025, 2, 12))
    assert Calendar([a, b]).version != Calendar([b, a]).version


def test_version() -> None:
    base = Calendar().version
    assert base == f"kz-{holidays.__version__}+base"
    a = Override(D(2025, 2, 12), working=False, reason="off")
    b = Override(D(2025, 2, 15), working=True, reason="on", reference="Order 1")
    v = Calendar([a, b]).version
    assert re.fullmatch(r"kz-[\d.]+\+[0-9a-f]{8}", v)
    assert v == Calendar([b, a]).version == Calendar([a, b]).version  # deterministic, order-free
    assert v != base
    assert v != Calendar([a]).version
    assert v != Calendar([a, Override(b.day, True, "on", "Order 2")]).version  # reference
    assert v != Calendar([a, Override(b.day, True, "on!", "Order 1")]).version  # reason
    assert v != Calendar([a, Override(b.day, False, "on", "Order 1")]).version  # working
    assert v != Calendar([a, Override(D(2025, 2, 16), True, "on", "Order 1")]).version  # day


def test_whole_year_off_raises_instead_of_looping() -> None:
    first = D(2030, 1, 1)
    cal = Calendar(Override(first + dt.timedelta(days=i), False, "all off") for i in range(400))
    with pytest.raises(ValueError):
        next_working_day(cal, D(2029, 12, 31))
    with pytest.raises(ValueError):
        due_date(cal, registered=D(2029, 12, 31), working_days=5)
    with pytest.raises(ValueError):
        registration_day(cal, dt.datetime(2030, 1, 1, 12, 0))


# --- 6. Properties --------------------------------------------------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))
terms = st.integers(min_value=1, max_value=30)
extensions = st.integers(min_value=0, max_value=10)
received_datetimes = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),
    max_value=dt.datetime(2027, 12, 31, 23, 59),
    timezones=st.sampled_from([UTC, ALMATY, zoneinfo.ZoneInfo("Europe/Moscow")]),
)
props = settings(deadline=None, max_examples=300)


@props
@given(registered=dates, days=terms, ext=extensions, day_one_after=st.booleans())
def test_due_date_is_a_working_day(registered: dt.date, days: int, ext: int, day_one_after: bool) -> None:
    due = due_date(
        CAL,
        registered=registered,
        working_days=days,
        extension_days=ext,
        day_one_after_registration=day_one_after,
    )
    assert CAL.is_working_day(due)
    assert due >= registered


@props
@given(a=dates, b=dates, days=terms, ext=extensions, day_one_after=st.booleans())
def test_due_date_is_monotonic_in_registration(
    a: dt.date, b: dt.date, days: int, ext: int, day_one_after: bool
) -> None:
    a, b = min(a, b), max(a, b)
    kw = {"working_days": days, "extension_days": ext, "day_one_after_registration": day_one_after}
    assert due_date(CAL, registered=a, **kw) <= due_date(CAL, registered=b, **kw)  # type: ignore[arg-type]


@props
@given(r1=received_datetimes, r2=received_datetimes, days=terms)
def test_later_receipt_never_gives_earlier_due(r1: dt.datetime, r2: dt.datetime, days: int) -> None:
    r1, r2 = min(r1, r2), max(r1, r2)
    reg1, reg2 = registration_day(CAL, r1), registration_day(CAL, r2)
    assert reg1 <= reg2
    assert due_date(CAL, registered=reg1, working_days=days) <= due_date(
        CAL, registered=reg2, working_days=days
    )


@props
@given(registered=dates, days=terms, ext=extensions)
def test_extension_never_shortens(registered: dt.date, days: int, ext: int) -> None:
    plain = due_date(CAL, registered=registered, working_days=days)
    extended = due_date(CAL, registered=registered, working_days=days, extension_days=ext)
    assert extended >= plain
    assert working_days_between(CAL, plain, extended) == ext


@props
@given(registered=dates, days=terms)
def test_term_counts_exactly_its_working_days(registered: dt.date, days: int) -> None:
    due = due_date(CAL, registered=registered, working_days=days)
    assert working_days_between(CAL, registered, due) == days
    # Every day in between is either counted or listed as skipped.
    assert days + len(explain(CAL, registered=registered, due=due)) == (due - registered).days


@props
@given(start=dates, n=st.integers(min_value=0, max_value=40))
def test_add_then_count_round_trip(start: dt.date, n: int) -> None:
    end = add_working_days(CAL, start, n)
    assert working_days_between(CAL, start, end) == n


@props
@given(start=dates, end=dates)
def test_count_then_add_round_trip(start: dt.date, end: dt.date) -> None:
    n = working_days_between(CAL, start, end)
    back = add_working_days(CAL, start, n)
    if end > start:
        assert back <= end
        assert back == end or not CAL.is_working_day(end)
    else:
        assert n == 0 and back == start


@props
@given(received=received_datetimes)
def test_registration_day_is_a_working_day_on_or_after_receipt(received: dt.datetime) -> None:
    local_day = received.astimezone(ALMATY).date()
    reg = registration_day(CAL, received)
    assert CAL.is_working_day(reg)
    assert reg >= local_day
    assert all(
        not CAL.is_working_day(local_day + dt.timedelta(days=i)) for i in range((reg - local_day).days)
    )
    # the same wall-clock time without a zone is read as Almaty time
    assert registration_day(CAL, received.astimezone(ALMATY).replace(tzinfo=None)) == reg

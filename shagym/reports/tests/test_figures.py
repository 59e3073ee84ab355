"""Each figure of the dashboard on the hand-built dataset (conftest.py), counted both ways: by the events subscriber
as the complaints moved, and by the rebuild from the complaints."""

from __future__ import annotations

import datetime as dt

import pytest

from shagym.complaints import selectors
from shagym.reports import facts, queries
from shagym.reports.models import Fact, Tally

from .conftest import TODAY

DECEMBER = queries.ReportFilter(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1))
EVERYONE = queries.Scope(None)


def board(filters=DECEMBER, scope=EVERYONE):
    return queries.dashboard(filters, scope, selectors.body_tree(), day=TODAY)


def ministry_board(dataset, **kw):
    return board(queries.ReportFilter(start=DECEMBER.start, end=DECEMBER.end, body=dataset.ministry.pk, **kw))


def test_working_days_to_answer_cross_the_holiday_the_transfer_order_and_the_extension(dataset):
    days = {name: Fact.objects.get(pk=getattr(dataset, name).pk).review_days for name in ("c1", "c2", "c3", "c4", "c9")}
    # 16 Dec (Independence Day) and 18 Dec (transferred day off) are skipped, Saturday 19 Dec (worked) counts.
    assert days == {"c1": 4, "c2": 7, "c3": 9, "c4": 1, "c9": 5}
    assert dataset.c2.due_date == dt.date(2026, 12, 25)  # 22 Dec + 3 working days of extension


def test_the_ministry_with_its_subordinate(dataset):
    b = ministry_board(dataset)
    t = b.total
    assert t["received"] == 7
    assert (t["answered"], t["on_time"], t["late"], t.overdue) == (5, 4, 1, 1)
    assert t.due == 6 and t.on_time_share == 66.7
    assert (t["merits"], t["satisfied"], t.satisfied_share) == (4, 3, 75.0)
    assert (t["extended"], t["extension_further_study"], t["extension_more_information"]) == (1, 1, 0)
    assert t.extended_share == round(100 / 7, 1)
    assert (t["outcome_perform"], t["outcome_refuse"], t["outcome_cancel"], t["outcome_cancel_adopt"]) == (2, 1, 1, 0)
    assert (t["status_decided"], t["status_left"], t["status_returned"], t["status_under_review"]) == (4, 1, 1, 1)
    assert (t["left_court_act"], t["left_already_decided"]) == (1, 0)
    assert (t["second_tier"], t["second_tier_answered"], t["second_tier_upheld"], t.upheld_share) == (1, 1, 1, 100.0)
    assert (t.recommendations, t.recommendations_executed, t.recommendations_on_time, t.recommendations_overdue) == (
        1, 1, 1, 0)
    assert b.histogram == {1: 1, 4: 1, 5: 1, 7: 1, 9: 1}
    assert (b.median_days, b.p90_days) == (5, 9)


def test_without_subordinates_and_by_body(dataset):
    b = ministry_board(dataset, subordinates=False)
    assert (b.total["received"], b.total["answered"]) == (6, 4)
    assert b.by_body[dataset.provider.pk]["received"] == 0 if dataset.provider.pk in b.by_body else True
    everything = board()
    assert everything.by_body[dataset.provider.pk]["on_time"] == 1


def test_the_country_the_regions_and_the_months(dataset):
    b = board()
    assert b.total["received"] == 9  # with the second-tier complaint and the other region's
    assert b.total["status_received"] == 1
    assert b.by_region[dataset.regions.astana.pk]["received"] == 8
    assert b.by_region[dataset.regions.almaty_region.pk]["received"] == 1  # a district body counts for its region
    region = board(queries.ReportFilter(start=DECEMBER.start, end=DECEMBER.end, region=dataset.regions.almaty_region.pk))
    assert (region.total["received"], region.total["answered"]) == (1, 0)
    months = dict(board(queries.ReportFilter(start=dt.date(2026, 11, 1), end=dt.date(2027, 1, 1))).by_month)
    assert [months[m]["received"] for m in (dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1))] == [0, 9, 0]
    assert months[dt.date(2026, 12, 1)].overdue == 1


def test_filters_by_service_channel_and_addressee(dataset):
    by_addressee = board(queries.ReportFilter(start=DECEMBER.start, end=DECEMBER.end, addressee_kind="provider_head"))
    assert by_addressee.total["received"] == 1
    by_channel = board(queries.ReportFilter(start=DECEMBER.start, end=DECEMBER.end, channel="post"))
    assert by_channel.total["received"] == 0
    november = board(queries.ReportFilter(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 1)))
    assert november.total["received"] == 0 and november.total.recommendations == 0


def test_a_second_handing_of_an_event_changes_nothing(dataset):
    before = list(Tally.objects.order_by("pk").values())
    for complaint in (dataset.c1, dataset.c7):
        event = complaint.events.order_by("-pk").first()
        assert facts.refresh_for_event(event) == []
    assert list(Tally.objects.order_by("pk").values()) == before


def _cells():
    """Every non-empty cell of the three summary tables, without ids."""
    found = {}
    for grain in facts.GRAINS:
        rows = []
        for row in grain.model.objects.order_by().values():
            counts = tuple(row[name] for name in grain.names)
            if any(counts):
                rows.append((tuple(row[k] for k in grain.key), counts))
        found[grain.model.__name__] = sorted(rows)
    return found


def test_the_rebuild_gives_what_the_events_gave(dataset):
    incremental = _cells()
    assert {name: len(rows) for name, rows in incremental.items()} == {"Tally": 5, "BodyMonth": 4, "ServiceMonth": 1}
    facts_before = sorted(Fact.objects.values_list())
    assert facts.rebuild() == (9, sum(len(rows) for rows in incremental.values()))
    assert _cells() == incremental
    assert sorted(Fact.objects.values_list()) == facts_before


def test_the_histogram_of_the_monthly_table_is_the_facts(dataset):
    coarse = board()
    fine = board(queries.ReportFilter(start=DECEMBER.start, end=DECEMBER.end, channel="portal"))
    assert coarse.histogram == fine.histogram == {1: 1, 2: 1, 4: 1, 5: 1, 7: 1, 9: 1}
    assert coarse.total.values == fine.total.values and coarse.total.overdue == fine.total.overdue


def test_the_events_seam_keeps_the_tables(dataset, executor, head, committed):
    from shagym.complaints import services

    from .conftest import at

    assert Fact.objects.get(pk=dataset.c6.pk).open_due == dt.date(2026, 12, 22)
    with committed():
        services.propose_decision(actor=executor, complaint=dataset.c6, outcome="refuse", reasons="Негізсіз.",
                                  now=at(8, month=1, year=2027))
        services.sign_decision(actor=head, complaint=dataset.c6, now=at(8, 12, month=1, year=2027))
    b = ministry_board(dataset)
    assert (b.total["answered"], b.total["late"], b.total.overdue, b.total["status_under_review"]) == (6, 2, 0, 0)


@pytest.mark.parametrize("fraction,expected", [(0.5, 2), (0.9, 3), (0.1, 1), (1.0, 3)])
def test_percentiles_by_nearest_rank(fraction, expected):
    assert queries.percentile({1: 1, 2: 2, 3: 1}, fraction) == expected
    assert queries.percentile({}, fraction) is None

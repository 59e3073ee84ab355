"""The figures of the dashboards, the ranking and the open data, read from the summary tables (models.py).

Counts come from the monthly tallies (a few thousand cells for a year of the whole country); the two figures a
tally cannot hold come from the fact rows through their indexes: complaints overdue now (the date moves every day)
and the working days to answer (a distribution: its median and 90th percentile). Recommendations are few and are
counted from their own table. Each page runs a fixed number of queries, whatever the number of complaints."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from shagym import workdays
from shagym.complaints import access, selectors
from shagym.complaints.models import Recommendation
from shagym.complaints.states import RecommendationState
from shagym.directory.roles import Role

from .measures import DAY_NAMES, DAYS_OPEN_ENDED, NAMES
from .models import BodyMonth, Fact, ServiceMonth, Tally

if TYPE_CHECKING:
    from shagym.accounts.models import User

# Secondary parts of the compliance score count only with at least this many cases behind them.
SECONDARY_MIN = 5
TREND_MEASURES = ("received", "answered", "on_time", "late", "merits", "satisfied", "extended")


# ---------------------------------------------------------------------------------------------------------------
# Who sees what


def may_see_reports(user: User | None) -> bool:
    """Inspectors of the quality authority and administrators (every body), heads (their bodies and subordinates)."""
    return access.is_inspector(user) or access.is_administrator(user) or bool(access.organisation_ids(user, Role.HEAD))


@dataclass(frozen=True)
class Scope:
    """The bodies a user's reports cover: None for every body; else the bodies the user heads, with subordinates."""

    bodies: frozenset[int] | None
    roots: tuple[int, ...] = ()  # the bodies the user heads (the search filter that shows the same complaints)


def scope_of(user: User | None, tree: selectors.BodyTree) -> Scope:
    if access.is_inspector(user) or access.is_administrator(user):
        return Scope(None)
    roots = tuple(sorted(access.organisation_ids(user, Role.HEAD)))
    return Scope(frozenset(tree.with_subordinates(roots)), roots)


# ---------------------------------------------------------------------------------------------------------------
# Filters


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def today() -> dt.date:
    return timezone.localtime(timezone.now(), workdays.ALMATY).date()


@dataclass(frozen=True)
class ReportFilter:
    start: dt.date  # first month (its first day)
    end: dt.date  # last month (its first day), inclusive
    region: int | None = None
    body: int | None = None
    subordinates: bool = True
    service: int | None = None
    channel: str = ""
    addressee_kind: str = ""

    @classmethod
    def last_twelve_months(cls, day: dt.date) -> ReportFilter:
        return cls(start=add_months(month_start(day), -11), end=month_start(day))

    @property
    def months(self) -> list[dt.date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months


def chosen_bodies(filters: ReportFilter, scope: Scope, tree: selectors.BodyTree) -> frozenset[int] | None:
    """The bodies counted: the scope, narrowed by the body (with its subordinates) and the region chosen."""
    bodies: set[int] | None = set(scope.bodies) if scope.bodies is not None else None
    if filters.body:
        chosen = tree.with_subordinates({filters.body}) if filters.subordinates else {filters.body}
        bodies = chosen if bodies is None else bodies & chosen
    if filters.region:
        in_region = tree.in_region(filters.region)
        bodies = in_region if bodies is None else bodies & in_region
    return frozenset(bodies) if bodies is not None else None


def _narrow(qs: QuerySet[Any], filters: ReportFilter, bodies: frozenset[int] | None, *, body: str = "body") -> QuerySet[Any]:
    qs = qs.filter(month__gte=filters.start, month__lte=filters.end)
    if bodies is not None:
        qs = qs.filter(**{f"{body}__in": sorted(bodies)})
    if filters.service:
        qs = qs.filter(service=filters.service)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.addressee_kind:
        qs = qs.filter(addressee_kind=filters.addressee_kind)
    return qs


def search_params(filters: ReportFilter, scope: Scope) -> list[tuple[str, str]]:
    """The staff search's parameters that list the complaints behind a figure (selectors.ComplaintFilter)."""
    params = [("received_from", filters.start.isoformat()), ("received_to", month_end(filters.end).isoformat())]
    if filters.body:
        params.append(("reviewer", str(filters.body)))
        if filters.subordinates:
            params.append(("subordinates", "on"))
    elif scope.bodies is not None:
        params += [("reviewer", str(root)) for root in scope.roots] + [("subordinates", "on")]
    if filters.region:
        params.append(("region", str(filters.region)))
    if filters.service:
        params.append(("service", str(filters.service)))
    if filters.channel:
        params.append(("channel", filters.channel))
    if filters.addressee_kind:
        params.append(("addressee", filters.addressee_kind))
    return params


# ---------------------------------------------------------------------------------------------------------------
# Figures


def share(part: int, whole: int) -> float | None:
    """Per cent, one decimal; None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def percentile(histogram: dict[int, int], fraction: float) -> int | None:
    """The smallest value at or below which `fraction` of the cases lie (nearest rank): exact, since working days
    are whole numbers."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, running = max(1, math.ceil(fraction * total)), 0
    for value in sorted(histogram):
        running += histogram[value]
        if running >= rank:
            return value
    return None  # pragma: no cover


@dataclass
class Counts:
    """The tallies of a set of complaints, with overdue now and recommendations beside them."""

    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(NAMES, 0))
    overdue: int = 0
    recommendations: int = 0
    recommendations_executed: int = 0
    recommendations_on_time: int = 0
    recommendations_overdue: int = 0

    def __getitem__(self, name: str) -> int:
        return self.values[name]

    def add(self, row: dict[str, Any]) -> None:
        for name in NAMES:
            self.values[name] += row.get(name) or 0

    @property
    def due(self) -> int:
        """Complaints whose term has come: answered, or open past their due date."""
        return self.values["answered"] + self.overdue

    @property
    def on_time_share(self) -> float | None:
        return share(self.values["on_time"], self.due)

    @property
    def satisfied_share(self) -> float | None:
        return share(self.values["satisfied"], self.values["merits"])

    @property
    def upheld_share(self) -> float | None:
        return share(self.values["second_tier_upheld"], self.values["second_tier_answered"])

    @property
    def extended_share(self) -> float | None:
        return share(self.values["extended"], self.values["received"])

    @property
    def recommendations_settled(self) -> int:
        """Recommendations executed, or past their date without execution."""
        return self.recommendations_executed + self.recommendations_overdue

    @property
    def recommendations_share(self) -> float | None:
        return share(self.recommendations_on_time, self.recommendations_settled)


def _sum_all() -> dict[str, Sum]:
    return {name: Sum(name) for name in NAMES}


def fine(filters: ReportFilter) -> bool:
    """A filter the monthly table by body cannot answer: by service, channel or addressee."""
    return bool(filters.service or filters.channel or filters.addressee_kind)


def _tallies(filters: ReportFilter, bodies: frozenset[int] | None) -> QuerySet[Any]:
    """The cells to add up: by month and body (a few thousand a year), or by every filter when one is chosen."""
    model = Tally if fine(filters) else BodyMonth
    return _narrow(model.objects.order_by(), filters, bodies)


def _facts(filters: ReportFilter, bodies: frozenset[int] | None) -> QuerySet[Fact]:
    return _narrow(Fact.objects.order_by(), filters, bodies)


def _recommendations(filters: ReportFilter, bodies: frozenset[int] | None, *, day: dt.date) -> dict[int, dict[str, int]]:
    """Recommendations on the second-tier complaints received in the period, by the body they are addressed to."""
    start = timezone.make_aware(dt.datetime.combine(filters.start, dt.time.min), workdays.ALMATY)
    end = timezone.make_aware(dt.datetime.combine(add_months(filters.end, 1), dt.time.min), workdays.ALMATY)
    qs = Recommendation.objects.filter(complaint__received_at__gte=start, complaint__received_at__lt=end)
    if bodies is not None:
        qs = qs.filter(body_id__in=sorted(bodies))
    if filters.service:
        qs = qs.filter(complaint__service_id=filters.service)
    if filters.channel:
        qs = qs.filter(complaint__channel=filters.channel)
    if filters.addressee_kind:
        qs = qs.filter(complaint__addressee_kind=filters.addressee_kind)
    executed = Q(status=RecommendationState.EXECUTED)
    rows = qs.order_by().values("body_id").annotate(
        issued=Count("pk"),
        executed=Count("pk", filter=executed),
        on_time=Count("pk", filter=executed & Q(reported_at__date__lte=F("due_date"))),
        overdue=Count("pk", filter=~executed & Q(due_date__lt=day)),
    )
    return {row["body_id"]: row for row in rows}


@dataclass
class Dashboard:
    filters: ReportFilter
    scope: Scope
    bodies: frozenset[int] | None
    total: Counts
    by_body: dict[int, Counts]
    by_region: dict[int | None, Counts]
    by_month: list[tuple[dt.date, Counts]]
    histogram: dict[int, int]
    today: dt.date

    @property
    def median_days(self) -> int | None:
        return percentile(self.histogram, 0.5)

    @property
    def p90_days(self) -> int | None:
        return percentile(self.histogram, 0.9)


def dashboard(filters: ReportFilter, scope: Scope, tree: selectors.BodyTree, *, day: dt.date | None = None) -> Dashboard:
    """Every figure of the dashboard, in five queries over the summary tables and recommendations (six with a
    service, channel or addressee filter, or when the 90th percentile is beyond the histogram's last column)."""
    day = day or today()
    bodies = chosen_bodies(filters, scope, tree)
    tallies = _tallies(filters, bodies)
    facts = _facts(filters, bodies)
    coarse = not fine(filters)
    by_body: dict[int, Counts] = defaultdict(Counts)
    histogram: dict[int, int] = defaultdict(int)
    sums = NAMES + DAY_NAMES if coarse else NAMES
    for row in tallies.values("body").annotate(**{name: Sum(name) for name in sums}):
        by_body[row["body"]].add(row)
        if coarse:
            for days, name in enumerate(DAY_NAMES):
                histogram[days] += row[name] or 0
    months: dict[dt.date, Counts] = {month: Counts() for month in filters.months}
    for row in facts.filter(open_due__lt=day).values("month", "body").annotate(n=Count("pk")):
        by_body[row["body"]].overdue += row["n"]
        months.setdefault(row["month"], Counts()).overdue += row["n"]
    for body, row in _recommendations(filters, bodies, day=day).items():
        counts = by_body[body]
        counts.recommendations += row["issued"]
        counts.recommendations_executed += row["executed"]
        counts.recommendations_on_time += row["on_time"]
        counts.recommendations_overdue += row["overdue"]
    for row in tallies.values("month").annotate(**{name: Sum(name) for name in TREND_MEASURES}):
        months.setdefault(row["month"], Counts()).add(row)
    histogram = {days: n for days, n in histogram.items() if n}
    if not coarse or (percentile(histogram, 0.9) or 0) >= DAYS_OPEN_ENDED:
        # Exact from the fact rows: a fine filter, or answers beyond the histogram's last column.
        histogram = {
            row["review_days"]: row["n"]
            for row in facts.filter(review_days__isnull=False).values("review_days").annotate(n=Count("pk"))
        }
    total = Counts()
    by_region: dict[int | None, Counts] = defaultdict(Counts)
    for body, counts in by_body.items():
        for target in (total, by_region[tree.region.get(body)]):
            target.add(counts.values)
            target.overdue += counts.overdue
            target.recommendations += counts.recommendations
            target.recommendations_executed += counts.recommendations_executed
            target.recommendations_on_time += counts.recommendations_on_time
            target.recommendations_overdue += counts.recommendations_overdue
    return Dashboard(filters, scope, bodies, total, dict(by_body), dict(by_region), sorted(months.items()), histogram,
                     day)


# ---------------------------------------------------------------------------------------------------------------
# Ranking of bodies


RANK_KEYS = ("score", "on_time", "satisfied", "upheld", "recommendations")


@dataclass
class Ranked:
    body: int
    counts: Counts
    score: float | None
    parts: dict[str, float | None]
    rank: int | None = None

    @property
    def ranked(self) -> bool:
        return self.rank is not None


def compliance(counts: Counts) -> tuple[float | None, dict[str, float | None]]:
    """The compliance score, 0-100, and its parts (see the method on the ranking page): the mean of the on-time
    share, the satisfied share, the share of second-tier complaints the authority did not uphold, and the share of
    recommendations executed on time; a part with fewer than SECONDARY_MIN cases behind it is left out."""
    parts: dict[str, float | None] = {
        "on_time": counts.on_time_share,
        "satisfied": counts.satisfied_share if counts["merits"] >= SECONDARY_MIN else None,
        "upheld": (100 - counts.upheld_share
                   if counts["second_tier_answered"] >= SECONDARY_MIN and counts.upheld_share is not None else None),
        "recommendations": counts.recommendations_share if counts.recommendations_settled >= SECONDARY_MIN else None,
    }
    present = [value for value in parts.values() if value is not None]
    return (round(sum(present) / len(present), 1) if present else None), parts


def ranking(board: Dashboard, *, key: str = "score", minimum: int | None = None) -> list[Ranked]:
    """Every body counted on the dashboard, the ranked ones first (best first), then those with too few complaints
    to rank (fewer than SHAGYM_REPORTS_RANK_MIN whose term has come), by name order of the caller."""
    minimum = settings.SHAGYM_REPORTS_RANK_MIN if minimum is None else minimum
    rows = []
    for body, counts in board.by_body.items():
        if board.bodies is not None and body not in board.bodies:
            continue
        if not counts["received"] and not counts.due and not counts["second_tier"] and not counts.recommendations:
            continue
        score, parts = compliance(counts)
        rows.append(Ranked(body, counts, score, parts))

    def value(row: Ranked) -> float | None:
        if key == "score":
            return row.score
        if key == "upheld":  # the fewest upheld first
            return row.parts["upheld"]
        return row.parts.get(key)

    eligible = [row for row in rows if row.counts.due >= minimum and value(row) is not None]
    eligible.sort(key=lambda row: (-(value(row) or 0), -row.counts.due, row.body))
    previous, rank = None, 0
    for index, row in enumerate(eligible, start=1):
        current = value(row)
        if current != previous:
            rank, previous = index, current
        row.rank = rank
    others = sorted((row for row in rows if row.rank is None), key=lambda row: (-row.counts.due, row.body))
    return eligible + others


# ---------------------------------------------------------------------------------------------------------------
# Open data


@dataclass
class OpenTable:
    dimension: str  # month, region, body, service
    rows: list[tuple[Any, Counts]]


def open_data(filters: ReportFilter, tree: selectors.BodyTree, *, dimensions: Iterable[str] = ("month", "region", "body",
                                                                                              "service")) -> list[OpenTable]:
    """The public aggregates: counts per month, region, body and service (only what the tallies hold, so the page
    reads a few thousand cells; the region's come from the body's query). Small counts are suppressed by the caller."""
    by_body = _tallies(filters, None)
    by_service = _narrow(ServiceMonth.objects.order_by(), filters, None)
    grouped: dict[str, list[dict[str, Any]]] = {}
    tables = []
    for dimension in dimensions:
        group = "body" if dimension == "region" else dimension
        if group not in grouped:
            cells = by_service if group == "service" else by_body
            grouped[group] = list(cells.values(group).annotate(**_sum_all()))
        counts: dict[Any, Counts] = defaultdict(Counts)
        for row in grouped[group]:
            key = tree.region.get(row["body"]) if dimension == "region" else row[group]
            counts[key].add(row)
        tables.append(OpenTable(dimension, sorted(counts.items(), key=lambda item: (item[0] is None, item[0] or 0))))
    return tables


def last_update() -> dt.datetime | None:
    """When the figures last changed: the newest event (the tables follow each one at once) or the last rebuild."""
    from shagym.complaints.models import ComplaintEvent

    from .models import Rebuild

    moments = [
        ComplaintEvent.objects.order_by("-pk").values_list("at", flat=True).first(),
        Rebuild.objects.order_by("-pk").values_list("at", flat=True).first(),
    ]
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None

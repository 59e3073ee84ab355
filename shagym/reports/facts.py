"""Keeping the summary tables: a complaint's fact row, recomputed from the complaint on each of its events, and the
monthly tallies moved by the difference between its old and new row.

Idempotent by construction: the row is derived from the complaint as it stands, not from the event, so handing the
same event twice (the catch-up after a crash), or two events of one complaint in any order, leaves the same row and
the same tallies. The fact row is locked while it changes, so two processes never apply one change twice.
`rebuild()` makes both tables again from the complaints (an existing database, a calendar change)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Value
from django.utils import timezone

from shagym import workdays
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.complaints.states import ANSWERED_STATES, OPEN_STATES, SATISFYING_OUTCOMES, Outcome, State
from shagym.directory.calendar import current_calendar

from .measures import APPEALED_MEASURES, DAY_NAMES, MAIN_MEASURES, MAIN_WITH_DAYS, NAMES, vector
from .models import KEY, BodyMonth, Fact, Rebuild, ServiceMonth, Tally

# The complaint's columns a fact is made of (and nothing personal).
FIELDS = ("id", "received_at", "reviewing_body_id", "respondent_id", "parent_id", "service_id", "channel",
          "addressee_kind", "status", "outcome", "extension_days", "extension_ground", "without_consideration_ground",
          "registered_on", "due_date", "decided_at")
FACT_COLUMNS = tuple(f.attname for f in Fact._meta.concrete_fields)
# An answer: the decision on the merits, leaving without consideration, or the appealed body satisfying the demands.
ANSWERS = ANSWERED_STATES | {State.LEFT_WITHOUT_CONSIDERATION, State.SATISFIED_BY_RESPONDENT}
# Rebuild and event handlers exclude each other (PostgreSQL advisory lock; SQLite locks the whole database).
LOCK_KEY = 20261212


class WorkingDays:
    """`workdays.working_days_between` for many pairs of dates: a running count of working days, built once for the
    years asked about. The same calendar (with the administrator's overrides) as every due date."""

    def __init__(self, cal: workdays.Calendar) -> None:
        self.cal = cal
        self._first: dt.date | None = None
        self._last: dt.date | None = None
        self._running: list[int] = []

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (0 if end <= start)."""
        if end <= start:
            return 0
        self._cover(start, end)
        assert self._first is not None
        return self._running[(end - self._first).days] - self._running[(start - self._first).days]

    def _cover(self, start: dt.date, end: dt.date) -> None:
        if self._first is not None and self._last is not None and self._first <= start and end <= self._last:
            return
        first = dt.date(min(start.year, self._first.year if self._first else start.year), 1, 1)
        last = dt.date(max(end.year, self._last.year if self._last else end.year), 12, 31)
        running, count = [0], 0
        for offset in range(1, (last - first).days + 1):
            count += self.cal.is_working_day(first + dt.timedelta(days=offset))
            running.append(count)
        self._first, self._last, self._running = first, last, running


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(workdays.ALMATY).date()


def derive(row: dict[str, Any], days: WorkingDays) -> dict[str, Any]:
    """The fact row of one complaint (its values as FIELDS names them)."""
    received_on = _local(row["received_at"])
    status = row["status"]
    decided_on = _local(row["decided_at"]) if row["decided_at"] is not None else None
    answered = decided_on is not None and status in ANSWERS
    on_merits = status in ANSWERED_STATES
    outcome = row["outcome"] if on_merits else ""
    due = row["due_date"]
    # RULES §15: the term runs to the end of its last day. A complaint satisfied by the appealed body before any
    # review term began has no due date: it was answered in time.
    on_time = answered and (due is None or (decided_on is not None and decided_on <= due))
    second_tier = row["parent_id"] is not None
    extended = bool(row["extension_days"])
    review_days = None
    if answered and decided_on is not None and row["registered_on"] is not None:
        review_days = days.between(row["registered_on"], decided_on)
    return {
        "complaint_id": row["id"],
        "received_on": received_on,
        "month": received_on.replace(day=1),
        "body": row["reviewing_body_id"],
        "appealed_body": row["respondent_id"] if second_tier else 0,
        "service": row["service_id"] or 0,
        "channel": row["channel"],
        "addressee_kind": row["addressee_kind"],
        "status": status,
        "outcome": outcome,
        "extension_ground": row["extension_ground"] if extended else "",
        "wc_ground": row["without_consideration_ground"] if status == State.LEFT_WITHOUT_CONSIDERATION else "",
        "answered": answered,
        "on_time": on_time,
        "late": answered and not on_time,
        "merits": on_merits or status == State.SATISFIED_BY_RESPONDENT,
        "satisfied": (on_merits and outcome in SATISFYING_OUTCOMES) or status == State.SATISFIED_BY_RESPONDENT,
        "extended": extended,
        "second_tier": second_tier,
        "second_tier_answered": second_tier and on_merits,
        # RULES §24: the authority found for the applicant (cancelled, ordered, or sent the case back with the
        # violations) rather than refusing.
        "upheld": second_tier and on_merits and outcome != Outcome.REFUSE,
        "review_days": review_days,
        "open_due": due if status in OPEN_STATES else None,
    }


Key = tuple[Any, ...]


@dataclass(frozen=True)
class Grain:
    """A summary table: its key columns (each a fact column; for the second-tier measures "body" is the body whose
    answer is appealed) and whether it holds the histogram of working days to answer."""

    model: type[Tally] | type[BodyMonth] | type[ServiceMonth]
    key: tuple[str, ...]
    days: bool

    @property
    def names(self) -> tuple[str, ...]:
        return NAMES + DAY_NAMES if self.days else NAMES

    @property
    def main(self) -> tuple[Any, ...]:
        return MAIN_WITH_DAYS if self.days else MAIN_MEASURES


GRAINS = (
    Grain(Tally, KEY, days=False),
    Grain(BodyMonth, ("month", "body"), days=True),
    Grain(ServiceMonth, ("month", "service"), days=True),
)


def _key(fact: Any, grain: Grain, *, appealed: bool = False) -> Key:
    return tuple(getattr(fact, "appealed_body" if appealed and name == "body" else name) for name in grain.key)


def contributions(fact: Any, grain: Grain = GRAINS[0]) -> dict[Key, dict[str, int]]:
    """What a fact row adds to a summary table, by cell: its own measures to its reviewing body, the second-tier
    measures to the body whose answer is appealed."""
    cells: dict[Key, dict[str, int]] = defaultdict(dict)
    cells[_key(fact, grain)].update(vector(fact, grain.main))
    if fact.second_tier:
        appealed = cells[_key(fact, grain, appealed=True)]
        for name, n in vector(fact, APPEALED_MEASURES).items():
            appealed[name] = appealed.get(name, 0) + n
    return cells


def difference(old: Any | None, new: Any | None, grain: Grain = GRAINS[0]) -> list[tuple[Key, dict[str, int]]]:
    """The change to a summary table when a fact row goes from `old` to `new` (either may be None), in key order."""
    cells: dict[Key, dict[str, int]] = defaultdict(dict)
    for fact, sign in ((old, -1), (new, 1)):
        if fact is None:
            continue
        for key, counts in contributions(fact, grain).items():
            cell = cells[key]
            for name, n in counts.items():
                cell[name] = cell.get(name, 0) + sign * n
    changed = [(key, {n: v for n, v in counts.items() if v}) for key, counts in cells.items()]
    return sorted((item for item in changed if item[1]), key=lambda item: item[0])


def add_to_tallies(changes: Sequence[tuple[Key, dict[str, int]]], grain: Grain = GRAINS[0]) -> None:
    """Add counts to the cells of a summary table (made when missing), in the order given: always key order, and the
    tables always in the same order, so two transactions never wait for each other's cells in a circle."""
    if not changes:
        return
    qn = connection.ops.quote_name
    table = qn(grain.model._meta.db_table)
    columns = (*grain.key, *grain.names)
    sql = (
        # B608: the table's and columns' own names, quoted; every value is a parameter.
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # nosec B608
        f"ON CONFLICT ({', '.join(qn(c) for c in grain.key)}) DO UPDATE SET "
        + ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in grain.names)
    )
    params: list[list[Any]] = [[*key, *(counts.get(name, 0) for name in grain.names)] for key, counts in changes]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _apply(old: Fact | None, new: Fact) -> None:
    for grain in GRAINS:
        add_to_tallies(difference(old, new, grain), grain)


def _advisory_lock(*, exclusive: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT pg_advisory_xact_lock{'' if exclusive else '_shared'}(%s)", [LOCK_KEY])


def _complaint_row(complaint_id: int) -> dict[str, Any] | None:
    return Complaint.objects.filter(pk=complaint_id).values(*FIELDS).first()


def _same(old: Fact, new: Fact) -> bool:
    return all(getattr(old, name) == getattr(new, name) for name in FACT_COLUMNS)


def refresh(complaint_id: int) -> list[Fact]:
    """Make the complaint's fact row what the complaint is now, and move the tallies by the difference. Returns the
    row when something changed, nothing otherwise."""
    days = WorkingDays(current_calendar())
    with transaction.atomic():
        _advisory_lock(exclusive=False)
        old = Fact.objects.select_for_update().filter(pk=complaint_id).first()
        row = _complaint_row(complaint_id)  # read under the lock: a later event's handler waits and reads after us
        if row is None:
            return []
        new = Fact(**derive(row, days))
        if old is None:
            try:
                with transaction.atomic():
                    new.save(force_insert=True)
            except IntegrityError:
                # Another process made the row a moment ago: take its lock and compare with what it wrote.
                old = Fact.objects.select_for_update().get(pk=complaint_id)
                row = _complaint_row(complaint_id)
                assert row is not None
                new = Fact(**derive(row, days))
            else:
                _apply(None, new)
                return [new]
        if _same(old, new):
            return []
        new.save(force_update=True)
        _apply(old, new)
        return [new]


def refresh_for_event(event: ComplaintEvent) -> list[Fact]:
    """The events subscriber: every action may change what the reports count of its complaint."""
    return refresh(event.complaint_id)


# ---------------------------------------------------------------------------------------------------------------
# Rebuilding from the complaints


def write_facts(rows: Iterable[dict[str, Any]], *, batch: int = 5000) -> int:
    """Insert fact rows: COPY on PostgreSQL, batched inserts elsewhere. Returns how many."""
    count = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Fact._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({', '.join(FACT_COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row([row[name] for name in FACT_COLUMNS])
                    count += 1
        return count
    chunk: list[Fact] = []
    for row in rows:
        chunk.append(Fact(**row))
        if len(chunk) >= batch:
            Fact.objects.bulk_create(chunk)
            count += len(chunk)
            chunk = []
    Fact.objects.bulk_create(chunk)
    return count + len(chunk)


def _count(measure: Any) -> Count:
    return Count("pk", filter=measure.q()) if measure.field is not None else Count("pk")


def build_tallies(*, batch: int = 5000) -> int:
    """Make every cell of the summary tables from the fact rows, in the database (INSERT ... SELECT ... GROUP BY; the
    second-tier measures added to their cells by an upsert). The tables must be empty. Returns the cells made."""
    qn = connection.ops.quote_name
    made = 0
    for grain in GRAINS:
        table = qn(grain.model._meta.db_table)
        zeros = {m.name: Value(0) for m in APPEALED_MEASURES}
        main = Fact.objects.order_by().values(*grain.key).annotate(**{m.name: _count(m) for m in grain.main}, **zeros)
        sql, params = main.query.sql_with_params()
        columns = ", ".join(qn(c) for c in (*grain.key, *(m.name for m in grain.main), *zeros))
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        appealed = (
            Fact.objects.filter(second_tier=True).order_by()
            .values(**{f"cell_{name}": F("appealed_body") if name == "body" else F(name) for name in grain.key})
            .annotate(**{m.name: _count(m) for m in APPEALED_MEASURES}, **{m.name: Value(0) for m in grain.main})
        )
        sql, params = appealed.query.sql_with_params()
        names = [m.name for m in APPEALED_MEASURES]
        everything = [*names, *(m.name for m in grain.main)]
        with connection.cursor() as cursor:
            cursor.execute(
                # B608: the table's and columns' own names, quoted; the rows come from a query with parameters.
                f"INSERT INTO {table} ({', '.join(qn(c) for c in (*grain.key, *everything))}) {sql} "  # nosec B608
                f"ON CONFLICT ({', '.join(qn(c) for c in grain.key)}) DO UPDATE SET "
                + ", ".join(f"{qn(c)} = {table}.{qn(c)} + excluded.{qn(c)}" for c in names),
                params,
            )
        made += grain.model.objects.count()
    return made


def facts_from_complaints(days: WorkingDays, *, chunk: int = 5000) -> Iterable[list[dict[str, Any]]]:
    """The fact rows of every complaint, in batches read by primary key (plain queries, not a cursor held open: the
    batch is written with COPY on the same connection before the next is read)."""
    last = 0
    while True:
        rows = list(Complaint.objects.filter(pk__gt=last).order_by("pk").values(*FIELDS)[:chunk])
        if not rows:
            return
        last = rows[-1]["id"]
        yield [derive(row, days) for row in rows]


def rebuild(*, log: Callable[[str], None] | None = None) -> tuple[int, int]:
    """Both tables again from the complaints, in one transaction (readers see the old figures until it commits).
    Returns (fact rows, tally cells)."""
    say = log or (lambda message: None)
    days = WorkingDays(current_calendar())
    with transaction.atomic():
        _advisory_lock(exclusive=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                tables = ", ".join([Fact._meta.db_table, *(grain.model._meta.db_table for grain in GRAINS)])
                cursor.execute(f"TRUNCATE {tables}")
        else:
            for grain in GRAINS:
                grain.model.objects.all().delete()
            Fact.objects.all().delete()
        facts = sum(write_facts(batch) for batch in facts_from_complaints(days))
        say(f"{facts} fact rows")
        cells = build_tallies()
        say(f"{cells} tally cells")
        Rebuild.objects.create(at=timezone.now(), facts=facts, cells=cells)
    return facts, cells

"""Back-office queues at scale (issue 5): the executor's queue, the head's inbox and a search by IIN, with
1,000,000 complaints in PostgreSQL, must answer in under 50 ms at the server (median of repeated requests).

    pg_ctlcluster 15 main start   # Debian's cluster (README: Deployment); a database of its own, e.g. `bench`
    su postgres -c "psql -c 'CREATE DATABASE bench OWNER app'"
    SHAGYM_DEBUG=1 DATABASE_URL=postgresql://app:app@127.0.0.1:5432/bench .venv/bin/python bench/queues.py

Loads the reference bodies (38 real organisations), staff for each body, and the complaints with COPY (skipped
when the table already holds enough: run it again to time only). Then, through Django's test Client (middleware,
session, view, template: everything but the network), requests each page `--repeat` times after a warm-up and
prints the median and p95, the queries one request runs, and EXPLAIN ANALYZE of each query on the complaints.
Each complaint gets its filing event (the database refuses a complaint without one); the queues do not read events."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shagym.settings")
os.environ.setdefault("SHAGYM_DEBUG", "1")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

# The bench signs staff in with force_login and times their pages; the second factor, which heads and inspectors owe
# at sign-in, is not what it measures.
settings.SHAGYM_2FA_REQUIRED_ROLES = []

from shagym import workdays  # noqa: E402
from shagym.accounts.models import User  # noqa: E402
from shagym.complaints import demo  # noqa: E402
from shagym.complaints.identifiers import check_digit  # noqa: E402
from shagym.complaints.models import Complaint, Counter  # noqa: E402
from shagym.complaints.states import OPEN_STATES, State  # noqa: E402
from shagym.directory.models import Membership, Organisation, OrganisationKind, Service  # noqa: E402
from shagym.directory.roles import Role  # noqa: E402

EXECUTORS_PER_BODY = 10
PEOPLE = 400_000  # distinct applicants: some complain more than once

# Share of complaints per status: most of a body's history is closed; about 13 % are open.
STATUS_WEIGHTS = [
    (State.CLOSED, 60.0), (State.ANSWER_DELIVERED, 15.0), (State.DECIDED, 2.0), (State.SATISFIED_BY_RESPONDENT, 1.0),
    (State.RETURNED, 1.5), (State.LEFT_WITHOUT_CONSIDERATION, 1.0), (State.WITHDRAWN, 2.5),
    (State.RECEIVED, 0.4), (State.FORWARDING, 0.2), (State.REGISTERED, 1.2), (State.AWAITING_CONTENT, 0.6),
    (State.UNDER_REVIEW, 9.0), (State.EXTENDED, 2.6), (State.AWAITING_SIGNATURE, 3.0),
]
WITH_EXECUTOR = {State.CLOSED, State.ANSWER_DELIVERED, State.DECIDED, State.UNDER_REVIEW, State.EXTENDED,
                 State.AWAITING_SIGNATURE}


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Loading


def staff(bodies: list[Organisation]) -> dict[int, dict[str, list[int]]]:
    """A clerk, a head and executors for each body (no passwords: the bench signs in with force_login)."""
    existing = {m.organisation_id for m in Membership.objects.filter(user__username__startswith="bench-")}
    new_users, roles = [], []
    for body in bodies:
        if body.pk in existing:
            continue
        people = [("clerk", Role.CLERK), ("head", Role.HEAD)] + [(f"executor{i}", Role.EXECUTOR)
                                                               for i in range(EXECUTORS_PER_BODY)]
        if body.kind == OrganisationKind.QUALITY_AUTHORITY:
            people.append(("inspector", Role.INSPECTOR))
        for name, role in people:
            user = User(username=f"bench-{body.key}-{name}", first_name=name.title(), last_name=body.key,
                        password="!")  # nosec B106 # "!" is Django's unusable-password mark
            new_users.append(user)
            roles.append((user, body, role))
    User.objects.bulk_create(new_users, batch_size=1000)
    Membership.objects.bulk_create([Membership(user=u, organisation=b, role=r) for u, b, r in roles], batch_size=1000)
    result: dict[int, dict[str, list[int]]] = {b.pk: {} for b in bodies}
    for m in Membership.objects.filter(user__username__startswith="bench-").values("organisation_id", "role", "user_id"):
        result[m["organisation_id"]].setdefault(m["role"], []).append(m["user_id"])
    return result


def iin_pool(rng: random.Random, n: int) -> list[str]:
    pool: set[str] = set()
    while len(pool) < n:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
        first = f"{born:%y%m%d}{3 if born.year < 2000 else 5}{rng.randrange(10000):04d}"
        digit = check_digit(first)
        if digit is not None:
            pool.add(f"{first}{digit}")
    return sorted(pool)


def columns() -> list[str]:
    return [f.column for f in Complaint._meta.concrete_fields if not f.primary_key]


def defaults() -> dict[str, object]:
    values: dict[str, object] = {}
    for f in Complaint._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.has_default():
            values[f.column] = f.get_default()
        elif f.null:
            values[f.column] = None
        else:
            values[f.column] = ""
    return values


def load(count: int, *, seed: int = 5) -> None:
    rng = random.Random(seed)  # nosec B311 # made-up data, reproducible by its seed
    bodies = list(Organisation.objects.order_by("pk"))
    people = staff(bodies)
    services_ids = list(Service.objects.values_list("pk", flat=True)) or [None]
    # A few big bodies (the city akimats, the State Corporation's branches) take most complaints.
    weights = [8.0 if b.kind in {OrganisationKind.LOCAL_EXECUTIVE, OrganisationKind.STATE_CORPORATION} else
               4.0 if b.kind in {OrganisationKind.CON, OrganisationKind.PROVIDER} else 2.0 for b in bodies]
    statuses = [s for s, _ in STATUS_WEIGHTS]
    status_weights = [w for _, w in STATUS_WEIGHTS]
    iins = iin_pool(rng, PEOPLE)
    cols = columns()
    base = defaults()
    now = timezone.now()
    today = timezone.localdate()
    # Numbers go on from the bodies' counters (the demo's complaints have taken the first ones).
    sequence: dict[tuple[int, int], int] = {
        (c.organisation_id, c.year): c.value for c in Counter.objects.all()
    }
    start = time.perf_counter()
    log(f"Loading {count:,} complaints over {len(bodies)} bodies …")
    batch = 200_000
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor: COPY
        made = Complaint.objects.count()
        while made < count:
            size = min(batch, count - made)
            with transaction.atomic():
                cursor.execute("SELECT coalesce(max(id), 0) FROM complaints_complaint")
                first = cursor.fetchone()[0]
                with raw.copy(f"COPY complaints_complaint ({', '.join(cols)}) FROM STDIN") as copy:
                    for body, status in zip(rng.choices(bodies, weights, k=size), rng.choices(statuses, status_weights, k=size),
                                            strict=True):
                        row = dict(base)
                        is_open = status in OPEN_STATES
                        # Open complaints are recent; the history spreads over three years.
                        age = rng.randrange(0, 25) if is_open else rng.randrange(20, 3 * 365)
                        received = now - dt.timedelta(days=age, minutes=rng.randrange(600))
                        registered = received.date()
                        key = (body.pk, registered.year)
                        sequence[key] = sequence.get(key, 0) + 1
                        iin = iins[rng.randrange(len(iins))]
                        row.update(
                            applicant_kind="individual", surname=rng.choice(SURNAMES), first_name=rng.choice(NAMES),
                            patronymic="", iin=iin, postal_address="Алматы қ., Абай даңғылы, 1",
                            channel=rng.choice(("portal", "portal", "portal", "office", "post", "con")),
                            language=rng.choice(("kk", "ru")), addressee_kind="akim", reviewing_body_id=body.pk,
                            holder_id=body.pk, respondent_id=body.pk, service_id=rng.choice(services_ids),
                            appealed_act="decision", learned_on=registered - dt.timedelta(days=10),
                            circumstances="Қызмет көрсетілмеді.", reasons="Мерзім бұзылды.", demands="Қызметті көрсету.",
                            restoration_requested=False, received_at=received, term_type="public_service", term_days=5,
                            status=status, created_at=received, updated_at=received,
                        )
                        if status not in {State.RECEIVED}:
                            row.update(number=f"{registered.year % 100:02d}-{body.pk:03d}-{sequence[key]:05d}",
                                       registered_at=received, registered_on=registered,
                                       calendar_version="kz-bench")
                        if status not in {State.RECEIVED, State.FORWARDING}:
                            # Due about 7 calendar days after registration; some open ones already overdue.
                            row["due_date"] = registered + dt.timedelta(days=7 + (10 if status == State.EXTENDED else 0))
                        if status == State.EXTENDED:
                            row.update(extension_days=10, extension_ground="more_information", extension_reasons="…",
                                       extended_on=registered + dt.timedelta(days=5),
                                       extension_notice_due=registered + dt.timedelta(days=8))
                        if status in WITH_EXECUTOR:
                            row["executor_id"] = rng.choice(people[body.pk][Role.EXECUTOR])
                        if status in {State.CLOSED, State.ANSWER_DELIVERED, State.DECIDED}:
                            row.update(outcome=rng.choice(("perform", "refuse", "cancel")), decided_at=received,
                                       decision_reasons="Заң бойынша.")
                        if status in {State.CLOSED, State.ANSWER_DELIVERED}:
                            row.update(delivery_method="electronic", delivered_on=min(today, registered + dt.timedelta(days=6)))
                        copy.write_row([row[c] for c in cols])
                # Migration 0007: the database refuses a complaint without its event at commit; the filing is
                # its first (the queues do not read events).
                cursor.execute(
                    "INSERT INTO complaints_complaintevent (complaint_id, action, role, at, before, after, data) "
                    "SELECT id, 'submit', 'applicant', received_at, '{}', json_build_object('status', status), '{}' "
                    "FROM complaints_complaint WHERE id > %s", [first])
            made += size
            log(f"  {made:,} rows, {time.perf_counter() - start:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), max(id)) FROM complaints_complaint")
    for (organisation_id, year), value in sequence.items():  # registrations after the load go on from there
        Counter.objects.update_or_create(organisation_id=organisation_id, year=year, defaults={"value": value})
    log(f"Loaded in {time.perf_counter() - start:.0f} s; VACUUM ANALYZE …")
    vacuum()


# Indexes proposed for shagym/complaints/models.py (Complaint.Meta.indexes), tried here with --proposed-indexes.
PROPOSED_INDEXES = [
    # The head's inbox counts each executor's open and overdue complaints of the body: with executor_id in the
    # queue index the count is an index-only scan instead of a heap visit per open complaint.
    "CREATE INDEX IF NOT EXISTS bench_complaint_queue_covering ON complaints_complaint "
    "(holder_id, status, due_date) INCLUDE (executor_id)",
]


def propose_indexes() -> None:
    with connection.cursor() as cursor:
        for sql in PROPOSED_INDEXES:
            log(sql)
            cursor.execute(sql)
    vacuum()


def vacuum() -> None:
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE complaints_complaint")
    log(f"VACUUM ANALYZE took {time.perf_counter() - start:.0f} s")


SURNAMES = ["Ахметов", "Иванова", "Нұрғалиева", "Ким", "Сейітова", "Бекенов", "Омарова", "Жұмабаев", "Петров",
            "Қасымов", "Мұратов", "Нұрланова", "Ли", "Смағұлов", "Әбдірахманова"]
NAMES = ["Ерлан", "Ольга", "Дана", "Виктор", "Айгүл", "Серік", "Жанар", "Дәурен", "Әсел", "Марат"]


# ---------------------------------------------------------------------------------------------------------------
# Timing


def timed(client: Client, url: str, repeat: int) -> list[float]:
    for _ in range(3):  # warm-up: connection, template loading, plan cache
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return samples


def explain(client: Client, url: str) -> None:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    log(f"  {len(captured.captured_queries)} queries in one request:")
    for query in captured.captured_queries:
        sql = query["sql"]
        log(f"    {float(query['time']) * 1000:6.2f} ms  {sql[:150]}{'…' if len(sql) > 150 else ''}")
    for query in captured.captured_queries:
        sql = query["sql"]
        if "complaints_complaint" not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        log(f"\n  EXPLAIN (ANALYZE, BUFFERS) {sql[:400]}{' …' if len(sql) > 400 else ''}")
        for line in plan:
            log("    " + line)


def report(name: str, client: Client, url: str, repeat: int) -> dict[str, float]:
    samples = timed(client, url, repeat)
    median = statistics.median(samples)
    p95 = sorted(samples)[max(0, round(len(samples) * 0.95) - 1)]
    verdict = "OK" if median < 50 else "TOO SLOW"
    log(f"\n=== {name}: {url}\n  median {median:.1f} ms, p95 {p95:.1f} ms, min {min(samples):.1f} ms over {repeat} "
        f"requests — {verdict} (target: median < 50 ms)")
    explain(client, url)
    return {"median": median, "p95": p95}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="complaints to have in the table")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--explain-only", action="store_true", help="skip loading")
    parser.add_argument("--proposed-indexes", action="store_true",
                        help="create the indexes proposed for the complaints model before timing")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (a separate one, e.g. …/bench).")
    setup_test_environment()
    settings.DEBUG = False  # no per-query bookkeeping beyond what CaptureQueriesContext asks for
    call_command("migrate", verbosity=0)
    demo.load_reference()
    if not args.explain_only and Complaint.objects.count() < args.count:
        load(args.count)
    if args.proposed_indexes:
        propose_indexes()
    total = Complaint.objects.count()
    open_total = Complaint.objects.filter(status__in=OPEN_STATES).count()
    log(f"\n{total:,} complaints, {open_total:,} open; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; today {timezone.localdate()} "
        f"({workdays.ALMATY})")

    # The executor with the median open load; the head of the body with the most unassigned complaints;
    # an applicant with several complaints in that body.
    loads = list(
        Complaint.objects.filter(status__in=OPEN_STATES, executor__isnull=False, executor__username__startswith="bench-")
        .values("executor_id").annotate(n=Count("pk")).order_by("n")
    )
    executor = User.objects.get(pk=loads[len(loads) // 2]["executor_id"])
    body_id = (Complaint.objects.filter(status=State.REGISTERED).values("holder_id").annotate(n=Count("pk"))
               .order_by("-n").first()["holder_id"])
    head = User.objects.get(memberships__organisation_id=body_id, memberships__role=Role.HEAD,
                            username__startswith="bench-")
    # An applicant of that body with the most complaints in all bodies (the IIN index answers both searches).
    sample = list(Complaint.objects.filter(holder_id=body_id).exclude(iin="").values_list("iin", flat=True)[:2000])
    counts = dict(Complaint.objects.filter(iin__in=sample).values("iin").annotate(n=Count("pk"))
                  .values_list("iin", "n"))
    iin = max(sample, key=lambda value: counts.get(value, 0))
    inspector = User.objects.filter(memberships__role=Role.INSPECTOR, username__startswith="bench-").first()
    body_total = Complaint.objects.filter(holder_id=body_id).count()
    log(f"executor {executor.username}: {loads[len(loads) // 2]['n']} open complaints "
        f"(executors' loads from {loads[0]['n']} to {loads[-1]['n']})")
    log(f"head {head.username}: body of {body_total:,} complaints, "
        f"{Complaint.objects.filter(holder_id=body_id, status=State.REGISTERED).count()} without an executor")
    log(f"IIN {iin}: {Complaint.objects.filter(Q(iin=iin) | Q(bin=iin)).count()} complaints in all bodies")

    results = {}
    for name, user, url in (
        ("Executor's queue", executor, "/ru/staff/mine/"),
        ("Head's inbox", head, "/ru/staff/inbox/"),
        ("Search by IIN (head, own body)", head, f"/ru/staff/search/?q={iin}"),
        ("Search by IIN (inspector, every body)", inspector, f"/ru/staff/search/?q={iin}"),
    ):
        client = Client()
        client.force_login(user)
        results[name] = report(name, client, url, args.repeat)
    log("\nSummary (server time through the Django test Client):")
    for name, figures in results.items():
        log(f"  {name:40s} median {figures['median']:6.1f} ms   p95 {figures['p95']:6.1f} ms")
    if any(f["median"] >= 50 for f in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()

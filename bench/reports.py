"""Reports at national scale (issue 12): 1,000,000 complaints in PostgreSQL, then the time at the server of the
country dashboard for one year (target < 1 s), one region's (< 300 ms), the open-data page (< 300 ms), and a
100,000-row CSV export's time and peak memory (< 150 MB).

    SHAGYM_DEBUG=1 DATABASE_URL=postgresql://app:app@127.0.0.1:5432/bench .venv/bin/python bench/reports.py

Loading (under 3 minutes): the 38 reference bodies plus 360 district bodies spread over the regions, staff for each
(bench/queues.py's `staff`, so that bench still runs on these rows), and complaints with COPY: three years with
growth, channels, addressees by the kind of body, public services the body provides, statuses, outcomes, working-day
durations counted with the real calendar (some late, some extended), returns, refusals to consider, second-tier
complaints to the quality authority (some upheld) and recommendations. The reports' fact rows are derived by the
same function as the events subscriber (`shagym.reports.facts.derive`) and written in the same pass; the tallies are
built by the rebuild's own query. `--reuse` times the pages without loading again.

The pages are requested through Django's test Client (middleware, session, view, template: all but the network),
after a warm-up, `--repeat` times; the median is compared with the target. The export runs in a fresh process that
streams the whole response and reports its time and the process's peak memory (ru_maxrss)."""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import statistics
import subprocess
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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.queues import NAMES, SURNAMES, columns, defaults, iin_pool, staff  # noqa: E402
from shagym import workdays  # noqa: E402
from shagym.accounts.models import User  # noqa: E402
from shagym.complaints import demo  # noqa: E402
from shagym.complaints.history import purge_allowed  # noqa: E402
from shagym.complaints.models import Complaint, Recommendation  # noqa: E402
from shagym.complaints.states import OPEN_STATES, State  # noqa: E402
from shagym.directory.calendar import current_calendar  # noqa: E402
from shagym.directory.models import Organisation, OrganisationKind, Service, Territory  # noqa: E402
from shagym.directory.roles import Role  # noqa: E402
from shagym.reports import facts  # noqa: E402
from shagym.reports.models import Fact, Rebuild, Tally  # noqa: E402

ALMATY = workdays.ALMATY
YEARS = 3
DISTRICT_BODIES = 18  # per region: district akims, providers, public service centres

ADDRESSEE = {
    OrganisationKind.CENTRAL: "central", OrganisationKind.LOCAL_EXECUTIVE: "akim", OrganisationKind.AKIM: "akim",
    OrganisationKind.PROVIDER: "provider_head", OrganisationKind.CON: "con_head",
    OrganisationKind.STATE_CORPORATION: "state_corporation",
}
EXTENDING = {OrganisationKind.CENTRAL, OrganisationKind.LOCAL_EXECUTIVE, OrganisationKind.AKIM}
# The status a complaint has now, by its age in days: the last week's are at work, a month's mostly answered with a
# few past their term, older ones closed (a handful forgotten, overdue).
STATUSES_BY_AGE = [
    (8, [(State.RECEIVED, 3), (State.FORWARDING, 2), (State.REGISTERED, 10), (State.AWAITING_CONTENT, 4),
         (State.UNDER_REVIEW, 50), (State.EXTENDED, 4), (State.AWAITING_SIGNATURE, 15), (State.DECIDED, 8),
         (State.SATISFIED_BY_RESPONDENT, 1), (State.WITHDRAWN, 1)]),
    (45, [(State.CLOSED, 40), (State.ANSWER_DELIVERED, 25), (State.DECIDED, 5), (State.UNDER_REVIEW, 3),
          (State.EXTENDED, 3), (State.AWAITING_SIGNATURE, 2), (State.SATISFIED_BY_RESPONDENT, 1.5),
          (State.RETURNED, 2.5), (State.LEFT_WITHOUT_CONSIDERATION, 2), (State.WITHDRAWN, 2.5)]),
    (100_000, [(State.CLOSED, 70), (State.ANSWER_DELIVERED, 15), (State.DECIDED, 1), (State.UNDER_REVIEW, 0.2),
               (State.SATISFIED_BY_RESPONDENT, 1.5), (State.RETURNED, 2.5), (State.LEFT_WITHOUT_CONSIDERATION, 2),
               (State.WITHDRAWN, 2.5)]),
]
OUTCOMES = [("perform", 30), ("cancel", 15), ("cancel_adopt", 5), ("refuse", 45), ("send_back", 5)]
CHANNELS = [("portal", 55), ("office", 20), ("post", 15), ("con", 10)]
WC_GROUNDS = [("already_decided", 45), ("court_act", 10), ("returned", 15), ("withdrawn", 30)]
ANSWERED = {State.CLOSED, State.ANSWER_DELIVERED, State.DECIDED}
WITH_EXECUTOR = ANSWERED | {State.UNDER_REVIEW, State.EXTENDED, State.AWAITING_SIGNATURE}


def log(message: str) -> None:
    print(message, flush=True)


def _pick(rng: random.Random, weighted: list[tuple[object, float]]) -> object:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


# ---------------------------------------------------------------------------------------------------------------
# Reference data


def district_bodies() -> None:
    """Bodies below the regions' akimats: a national picture has hundreds of bodies, not 38."""
    if Organisation.objects.filter(key__startswith="bench-d-").exists():
        return
    regions = list(Territory.objects.filter(parent__isnull=True))
    akimats = {o.territory_id: o for o in Organisation.objects.filter(kind=OrganisationKind.LOCAL_EXECUTIVE)}
    kinds = [OrganisationKind.AKIM, OrganisationKind.PROVIDER, OrganisationKind.CON]
    made = []
    for region in regions:
        for index in range(DISTRICT_BODIES):
            kind = kinds[index % 3]
            made.append(Organisation(
                key=f"bench-d-{region.kato}-{index}", kind=kind, territory=region,
                parent=akimats.get(region.pk), name_kk=f"{region.name_kk}: аудандық орган {index + 1}",
                name_ru=f"{region.name_ru}: районный орган {index + 1}",
                name_en=f"{region.name_en}: district body {index + 1}",
            ))
    Organisation.objects.bulk_create(made)


class Days:
    """Working days as a sorted list, for `n working days after` by bisection (the calendar with its overrides)."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        cal = current_calendar()
        self.days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)
                     if cal.is_working_day(start + dt.timedelta(days=i))]

    def after(self, day: dt.date, n: int) -> dt.date:
        index = bisect.bisect_right(self.days, day) + n - 1
        return self.days[min(index, len(self.days) - 1)]

    def on_or_after(self, day: dt.date) -> dt.date:
        return self.days[min(bisect.bisect_left(self.days, day), len(self.days) - 1)]


# ---------------------------------------------------------------------------------------------------------------
# Loading


def load(count: int, *, seed: int = 12) -> None:
    rng = random.Random(seed)  # nosec B311 # made-up data, reproducible by its seed
    start = time.perf_counter()
    # The bench's own database, emptied on purpose by its owner: the one way past the history's guard (complaints
    # migration 0007), as manage.py flush takes it.
    with purge_allowed(), connection.cursor() as cursor:
        log("Emptying the complaints and the reports' tables …")
        cursor.execute("TRUNCATE complaints_complaint, reports_fact, reports_tally, reports_bodymonth, "
                       "reports_servicemonth, reports_rebuild CASCADE")
    district_bodies()
    bodies = list(Organisation.objects.exclude(kind=OrganisationKind.QUALITY_AUTHORITY).order_by("pk"))
    authorities = list(Organisation.objects.filter(kind=OrganisationKind.QUALITY_AUTHORITY).order_by("pk"))
    people = staff(bodies + authorities)
    log(f"{len(bodies)} bodies, {len(authorities)} offices of the quality authority; staff ready "
        f"({time.perf_counter() - start:.0f} s)")
    provided: dict[int, list[int]] = {}
    for service_id, body_id in Service.providers.through.objects.values_list("service_id", "organisation_id"):
        provided.setdefault(body_id, []).append(service_id)
    all_services = list(Service.objects.values_list("pk", flat=True))
    # The city akimats and the State Corporation take the most; each district body a little.
    by_kind = {OrganisationKind.LOCAL_EXECUTIVE: 30.0, OrganisationKind.STATE_CORPORATION: 20.0,
               OrganisationKind.CENTRAL: 8.0, OrganisationKind.CON: 4.0}
    weights = [1.0 if b.key.startswith("bench-d-") else by_kind.get(b.kind, 3.0) for b in bodies]
    iins = iin_pool(rng, 200_000)
    cols = ["id", *columns()]
    base = defaults()
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=365 * YEARS)
    days = Days(first_day - dt.timedelta(days=10), today + dt.timedelta(days=120))
    counter = facts.WorkingDays(current_calendar())
    sequence: dict[tuple[int, int], int] = {}
    recommendations: list[Recommendation] = []
    next_id = 1

    def number(body_id: int, day: dt.date) -> str:
        key = (body_id, day.year)
        sequence[key] = sequence.get(key, 0) + 1
        return f"{day.year % 100:02d}-{body_id:04d}-{sequence[key]:05d}"

    def complaint(body: Organisation, status: State, received: dt.datetime, *, parent: dict | None = None) -> dict:
        nonlocal next_id
        row = dict(base)
        received_on = received.astimezone(ALMATY).date()
        registered = days.on_or_after(received_on)
        second = parent is not None
        service = parent["service_id"] if second else (
            rng.choice(provided.get(body.pk) or all_services) if rng.random() > 0.08 else None)
        term = 15 if second else 5
        row.update(
            id=next_id, applicant_kind="individual", surname=rng.choice(SURNAMES), first_name=rng.choice(NAMES),
            iin=rng.choice(iins), postal_address="Алматы қ., Абай даңғылы, 1",
            channel="portal" if second else _pick(rng, CHANNELS), language=rng.choice(("kk", "ru")),
            addressee_kind="quality_authority" if second else ADDRESSEE.get(body.kind, "provider_head"),
            reviewing_body_id=body.pk, holder_id=body.pk,
            respondent_id=parent["reviewing_body_id"] if second else body.pk, service_id=service,
            appealed_act="decision", learned_on=received_on - dt.timedelta(days=rng.randrange(1, 40)),
            circumstances="Қызмет көрсетілмеді.", reasons="Мерзім бұзылды.", demands="Қызметті көрсету.",
            restoration_requested=False, received_at=received, term_type="quality_authority" if second else
            "public_service", term_days=term, status=status, created_at=received, updated_at=received,
            parent_id=parent["id"] if second else None, reference=f"D-B{next_id:08d}"[:12],
        )
        next_id += 1
        if status != State.RECEIVED:
            row.update(number=number(body.pk, registered), registered_at=received, registered_on=registered,
                       calendar_version="kz-bench")
        due = days.after(registered, term) if status not in {State.RECEIVED, State.FORWARDING} else None
        extension = 0
        if due and body.kind in EXTENDING | {OrganisationKind.QUALITY_AUTHORITY} and (
                status == State.EXTENDED or (status in ANSWERED and rng.random() < 0.09)):
            extension = rng.choice((3, 5, 5, 7, 10))
            due = days.after(due, extension)
            row.update(extension_days=extension, extension_ground=rng.choice(("further_study", "more_information",
                                                                              "more_information")),
                       extension_reasons="…", extended_on=registered + dt.timedelta(days=3))
        row["due_date"] = due
        if status in WITH_EXECUTOR:
            row["executor_id"] = rng.choice(people[body.pk].get(Role.EXECUTOR) or people[body.pk][Role.HEAD])
        decided = None
        if status in ANSWERED:
            # Most answers inside the term, a tail of late ones (the term is term + extension working days).
            limit = term + extension
            spent = rng.randint(1, limit) if rng.random() < 0.86 else limit + rng.randint(1, 12)
            decided = days.after(registered, spent)
            row.update(outcome=_pick(rng, OUTCOMES), decision_reasons="Заң бойынша.")
        elif status == State.LEFT_WITHOUT_CONSIDERATION:
            decided = days.after(registered, rng.randint(1, term))
            row["without_consideration_ground"] = _pick(rng, WC_GROUNDS)
        elif status == State.SATISFIED_BY_RESPONDENT:
            decided = days.after(registered, rng.randint(1, 3))
            row["due_date"] = None
        if decided is not None:
            row["decided_at"] = dt.datetime.combine(decided, dt.time(15, 0), ALMATY)
            if decided > today:  # a complaint cannot be answered in the future: keep it under review
                row.update(status=State.UNDER_REVIEW, outcome="", decided_at=None, without_consideration_ground="")
        if row["status"] in {State.CLOSED, State.ANSWER_DELIVERED} and row.get("decided_at"):
            row.update(delivery_method="electronic", delivered_on=min(today, decided + dt.timedelta(days=1)))
        if row["status"] in OPEN_STATES and due and due < today and rng.random() < 0.9:
            row["overdue_since"] = due + dt.timedelta(days=1)
        return row

    log(f"Loading {count:,} complaints …")
    batch = 100_000
    made = 0
    # A bulk load writes the rows first and builds the secondary indexes once at the end (each COPY row would
    # otherwise update some twenty of them); the unique constraints stay.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('complaints_complaint', "
                       "'reports_fact') AND indexname NOT IN (SELECT conname FROM pg_constraint)")
        secondary = cursor.fetchall()
        for name, _definition in secondary:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            while made < count:
                size = min(batch, count - made)
                rows = []
                for body in rng.choices(bodies, weights, k=size):
                    # Growth: later months receive more.
                    age = int((365 * YEARS) * (1 - rng.random() ** 0.8))
                    status = _pick(rng, next(band for limit, band in STATUSES_BY_AGE if age < limit))
                    received = timezone.now() - dt.timedelta(days=age, minutes=rng.randrange(60 * 10))
                    row = complaint(body, status, received)
                    rows.append(row)
                    # The second tier: some refusals and some silences are appealed to the quality authority.
                    appeal = (row["outcome"] == "refuse" and rng.random() < 0.09) or (
                        row["status"] in OPEN_STATES and row.get("overdue_since") and rng.random() < 0.05)
                    if appeal and made + len(rows) < count:
                        answered_at = row.get("decided_at") or dt.datetime.combine(row["due_date"], dt.time(18), ALMATY)
                        filed = answered_at + dt.timedelta(days=rng.randint(2, 25))
                        if filed < timezone.now():
                            office = authorities[0] if body.territory_id is None or rng.random() < 0.5 else authorities[-1]
                            child_status = _pick(rng, [(State.CLOSED, 70), (State.DECIDED, 8), (State.UNDER_REVIEW, 15),
                                                       (State.LEFT_WITHOUT_CONSIDERATION, 7)])
                            child = complaint(office, child_status, filed, parent=row)
                            if child["outcome"]:
                                child["outcome"] = rng.choice(("refuse", "refuse", "cancel", "perform", "send_back"))
                            rows.append(child)
                            if child["outcome"] and child["outcome"] != "refuse" and rng.random() < 0.6:
                                issued = child["decided_at"]
                                due_on = issued.astimezone(ALMATY).date() + dt.timedelta(days=30)
                                state = _pick(rng, [("executed", 60), ("reported", 10), ("issued", 30)])
                                reported = issued + dt.timedelta(days=rng.randint(5, 45)) if state != "issued" else None
                                recommendations.append(Recommendation(
                                    complaint_id=child["id"], body_id=row["reviewing_body_id"], text="…", due_date=due_on,
                                    status=state, issued_at=issued, reported_at=reported,
                                    confirmed_at=reported + dt.timedelta(days=2) if state == "executed" else None))
                with transaction.atomic():
                    with raw.copy(f"COPY complaints_complaint ({', '.join(cols)}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row([row[c] for c in cols])
                    # complaints migration 0007: the database refuses a complaint without its event at commit;
                    # the filing is its first (the reports read the facts, not the events).
                    cursor.execute(
                        "INSERT INTO complaints_complaintevent (complaint_id, action, role, at, before, after, data) "
                        "SELECT id, 'submit', 'applicant', received_at, '{}', json_build_object('status', status), "
                        "'{}' FROM complaints_complaint WHERE id = ANY(%s)", [[row["id"] for row in rows]])
                    facts.write_facts(facts.derive(row, counter) for row in rows)
                made += len(rows)
                log(f"  {made:,} complaints and their fact rows, {time.perf_counter() - start:.0f} s")
            cursor.execute("SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), max(id)) "
                           "FROM complaints_complaint")
    finally:
        with connection.cursor() as cursor:
            for _name, definition in secondary:
                cursor.execute(definition)
        log(f"{len(secondary)} indexes built again ({time.perf_counter() - start:.0f} s)")
    Recommendation.objects.bulk_create(recommendations, batch_size=5000)
    # issued_at is auto_now_add: set the generated moments.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_recommendation r SET issued_at = c.decided_at FROM complaints_complaint c "
                       "WHERE c.id = r.complaint_id AND c.decided_at IS NOT NULL")
    log(f"{len(recommendations):,} recommendations ({time.perf_counter() - start:.0f} s)")
    with transaction.atomic():
        cells = facts.build_tallies()
        Rebuild.objects.create(at=timezone.now(), facts=made, cells=cells)
    log(f"{cells:,} tally cells ({time.perf_counter() - start:.0f} s); VACUUM ANALYZE …")
    with connection.cursor() as cursor:
        for table in ("complaints_complaint", "reports_fact", "reports_tally", "reports_bodymonth", "reports_servicemonth",
                      "complaints_recommendation"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    log(f"LOADED {made:,} complaints in {time.perf_counter() - start:.0f} s (target: under 180 s)")


# ---------------------------------------------------------------------------------------------------------------
# Timing


def timed(client: Client, url: str, repeat: int) -> list[float]:
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200, url
    return samples


def report(name: str, client: Client, url: str, repeat: int, target: float) -> float:
    samples = timed(client, url, repeat)
    median = statistics.median(samples)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    log(f"\n=== {name}: {url}\n  median {median:.0f} ms, min {min(samples):.0f} ms, max {max(samples):.0f} ms over "
        f"{repeat} requests; {len(captured.captured_queries)} queries — "
        f"{'OK' if median < target else 'TOO SLOW'} (target: under {target:.0f} ms)")
    for query in slowest:
        log(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:140]}")
    return median


def _memory_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process, from /proc: unlike ru_maxrss, it starts afresh at exec, so
    the parent's size does not count."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_export(url: str, username: str) -> None:
    """In a fresh process: stream the whole export and print time, rows and peak memory as JSON."""
    setup_test_environment()
    settings.DEBUG = False
    client = Client()
    client.force_login(User.objects.get(username=username))
    import tracemalloc

    client.get("/ru/calendar/deadline/")  # load the templates, translations and session machinery first
    before = _memory_mb("VmRSS")
    tracemalloc.start()
    begin = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    elapsed = time.perf_counter() - begin
    _current, traced = tracemalloc.get_traced_memory()
    peak = _memory_mb("VmHWM")
    print(json.dumps({"seconds": elapsed, "rows": lines - 1, "bytes": size, "rss_before_mb": before,
                      "rss_peak_mb": peak, "python_peak_mb": traced / 2**20}))


def export_in_subprocess(url: str, username: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure-export", url, "--user", username],
                         capture_output=True, text=True, check=True, env={**os.environ})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="time only, on the rows already loaded")
    parser.add_argument("--measure-export", help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (a separate one, e.g. …/bench).")
    if args.measure_export:
        measure_export(args.measure_export, args.user)
        return
    setup_test_environment()
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    demo.load_reference()
    loaded = Rebuild.objects.filter(facts__gte=args.count).exists() and Fact.objects.count() >= args.count
    if not (args.reuse and loaded):
        load(args.count)
    total = Complaint.objects.count()
    log(f"\n{total:,} complaints ({Complaint.objects.filter(parent__isnull=False).count():,} second-tier), "
        f"{Fact.objects.count():,} fact rows, {Tally.objects.count():,} tally cells, "
        f"{Recommendation.objects.count():,} recommendations; {Organisation.objects.count()} bodies; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; today {timezone.localdate()}")
    inspector = User.objects.filter(memberships__role=Role.INSPECTOR, username__startswith="bench-").first()
    assert inspector is not None
    from shagym.complaints.selectors import body_tree

    biggest = (Fact.objects.values("body").annotate(n=Count("pk")).order_by("-n").first() or {}).get("body")
    region_id = body_tree().region[biggest]
    client = Client()
    client.force_login(inspector)
    results = {
        "country dashboard, one year": report("Country dashboard, the last twelve months (inspector)", client,
                                              "/ru/staff/reports/", args.repeat, 1000),
        "region dashboard, one year": report("One region's dashboard, the last twelve months", client,
                                             f"/ru/staff/reports/?region={region_id}", args.repeat, 300),
        "open data page": report("Open-data page (anonymous)", Client(), "/ru/open-data/", args.repeat, 300),
    }
    # An export of about 100,000 complaints: the months of receipt that hold that many.
    months = list(Fact.objects.values("month").annotate(n=Count("pk")).order_by("-month"))
    picked, rows = [], 0
    for month in months[1:]:
        picked.append(month["month"])
        rows += month["n"]
        if rows >= 100_000:
            break
    first, last = min(picked), max(picked)
    end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    url = f"/ru/staff/search/export.csv?received_from={first.isoformat()}&received_to={end.isoformat()}"
    export = export_in_subprocess(url, inspector.username)
    grown = export["rss_peak_mb"] - export["rss_before_mb"]
    log(f"\n=== CSV export of {export['rows']:,} complaints: {url}\n  {export['seconds']:.1f} s, "
        f"{export['bytes'] / 1e6:.1f} MB written; the process held {export['rss_before_mb']:.0f} MB before (Django "
        f"and the project loaded) and peaked at {export['rss_peak_mb']:.0f} MB: the export added {grown:.0f} MB "
        f"(Python's own allocations peaked at {export['python_peak_mb']:.1f} MB) — "
        f"{'OK' if export['rss_peak_mb'] < 150 else 'TOO MUCH'} (target: peak under 150 MB)")
    xlsx = export_in_subprocess(url.replace("export.csv", "export.xlsx"), inspector.username)
    log(f"=== The same as XLSX: {xlsx['seconds']:.1f} s, {xlsx['bytes'] / 1e6:.1f} MB; the export added "
        f"{xlsx['rss_peak_mb'] - xlsx['rss_before_mb']:.0f} MB (Python peak {xlsx['python_peak_mb']:.1f} MB)")
    log("\nSummary (server time through the Django test Client):")
    for name, median in results.items():
        log(f"  {name:32s} median {median:7.0f} ms")
    log(f"  {'CSV export, ' + format(export['rows'], ',') + ' rows':32s} {export['seconds'] * 1000:7.0f} ms, "
        f"+{grown:.0f} MB (process peak {export['rss_peak_mb']:.0f} MB)")


if __name__ == "__main__":
    main()

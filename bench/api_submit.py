"""Submissions per second through POST /api/v1/complaints (issue 11), against pgbench writing the same rows.

    apt-get install -y wrk                 # the load generator (Debian's); PostgreSQL on 127.0.0.1:5432
    .venv/bin/python bench/api_submit.py   # --connections 16 --seconds 20 --workers 3 --threads 4

What it does, in one run:
1. makes the database `shagym_bench_api` if missing (`--fresh`: anew; the role `app` has CREATEDB), migrates it,
   makes the cache table,
   a body and an API key (scopes submit and read);
2. starts gunicorn on 127.0.0.1 with production settings (SHAGYM_DEBUG unset, a secret key, SHAGYM_ALLOWED_HOSTS,
   persistent connections, the database task queue; the cache and the rate limits' counters in a Redis of its own
   as deploy/ runs them (`--cache database`: in PostgreSQL); the rate limits count every request but are set high
   enough never to refuse one);
3. warms up, then runs wrk with N connections for S seconds, each request a new complaint with its own
   Idempotency-Key: requests per second, p50/p95/p99 latency, any non-201;
4. runs pgbench for the same time with the same number of clients, each transaction writing the rows one
   submission writes, grouped as the application groups them: with `--cache database` the two rate counters
   (upserts; in Redis they write no row), then one transaction
   with the complaint, its appealed official, its filing event, the idempotency record and (with the events outbox,
   on in production) the event's publication task; without the outbox, the notification task after commit and the
   feed entry under the feed's advisory lock. The rows are copied from a submission the API made, so they are the
   same width and touch the same indexes;
5. prints the ratio of the two, and the target: at least 40 % of pgbench, p99 under 100 ms at 16 connections."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgresql://app:app@127.0.0.1:5432"
DATABASE = "shagym_bench_api"
PGBENCH = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))), None)


def environment(port: int, cache: str, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHAGYM_")}
    env.update(SHAGYM_CACHE=cache, SHAGYM_REDIS_URL=redis_url)
    env.update(
        DJANGO_SETTINGS_MODULE="shagym.settings",
        DATABASE_URL=f"{PG}/{DATABASE}",
        SHAGYM_SECRET_KEY="bench-only-" + "x" * 40,
        SHAGYM_ALLOWED_HOSTS="127.0.0.1",
        SHAGYM_SSL_REDIRECT="0",  # plain http on loopback
        SHAGYM_DB_CONN_MAX_AGE="600",
        SHAGYM_API_RATE_PER_KEY="1000000000",
        SHAGYM_API_RATE_PER_ADDRESS="1000000000",
        SHAGYM_LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore::UserWarning",
        SHAGYM_MEDIA_ROOT=str(Path(tempfile.gettempdir()) / "shagym-bench-media"),
    )
    return env


def run_django(env: dict[str, str], code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True,
                            text=True)
    return result.stdout.strip()


def make_database(*, fresh: bool) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/app", autocommit=True) as conn:
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DATABASE} OWNER app")


SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
from shagym.directory.models import Organisation, OrganisationKind
from shagym.api import keys
org, _ = Organisation.objects.get_or_create(key="minjust", defaults=dict(kind=OrganisationKind.CENTRAL,
    name_kk="Әділет министрлігі", name_ru="Министерство юстиции", name_en="Ministry of Justice"))
key, token = keys.issue(organisation=org, name="bench", scopes=["read", "submit"])
print(token)
"""


def body() -> str:
    import datetime as dt

    sys.path.insert(0, str(ROOT))
    from shagym.complaints.identifiers import make_iin

    return json.dumps({
        "applicant_kind": "individual", "surname": "Ахметов", "first_name": "Ерлан", "patronymic": "Серікұлы",
        "iin": make_iin(dt.date(1990, 5, 17)), "postal_address": "Астана қ., Абай даңғылы, 10, 5-пәтер",
        "phones": "+7 701 123 45 67",
        "officials": [{"position": "бөлім басшысы", "surname": "Қасымов", "initials": "Б.Т."}],
        "reviewing_body": "minjust", "addressee_kind": "central", "appealed_act": "decision",
        "circumstances": "Анықтама он жұмыс күні ішінде берілмеді, себебі түсіндірілмеді.",
        "reasons": "Барлық құжаттар толық тапсырылды, мерзім өтті.",
        "demands": "Анықтаманы беруді және мерзімді бұзу себебін түсіндіруді сұраймын.",
        "learned_on": dt.date.today().isoformat(), "language": "kk", "channel": "office",
    }, ensure_ascii=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(
        [gunicorn, "shagym.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "gthread",
         "--threads", str(threads), "--keep-alive", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=1).read()  # nosec B310 # our server
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


LUA = r"""
local counter = 0
local threads = 0
local body = [==[%(body)s]==]
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
request = function()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = string.format("%(run)s-%%d-%%d", tid, counter)
  return wrk.format("POST", "/api/v1/complaints", wrk.headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format(
    '\nRESULT {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "socket_errors": %%d, '
    .. '"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def wrk(port: int, token: str, payload: str, *, connections: int, seconds: int, run: str) -> dict[str, float]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as script:
        script.write(LUA % {"body": payload, "run": run})
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", script.name,
               "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
               "-H", "Accept-Language: en", f"http://127.0.0.1:{port}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


# The rate counters, when they are kept in the database (`--cache database`).
PGBENCH_RATES = """
INSERT INTO api_ratecounter (key, slot, count) VALUES ('a-127.0.0.1', 1, 1)
  ON CONFLICT (key) DO UPDATE SET count = api_ratecounter.count + 1;
INSERT INTO api_ratecounter (key, slot, count) VALUES ('k-pgbench', 1, 1)
  ON CONFLICT (key) DO UPDATE SET count = api_ratecounter.count + 1;
"""
PGBENCH_HEAD = """
-- The rows of one submission, as the application writes them (bench/api_submit.py).
BEGIN;
INSERT INTO complaints_complaint (%(complaint_cols)s)
  SELECT %(complaint_vals)s FROM complaints_complaint WHERE id = %(complaint)d RETURNING id AS cid \\gset
INSERT INTO complaints_appealedofficial (%(official_cols)s)
  SELECT %(official_vals)s FROM complaints_appealedofficial WHERE id = %(official)d;
INSERT INTO complaints_complaintevent (%(event_cols)s)
  SELECT %(event_vals)s FROM complaints_complaintevent WHERE id = %(event)d RETURNING id AS eid \\gset
INSERT INTO api_idempotencyrecord (%(record_cols)s)
  SELECT %(record_vals)s FROM api_idempotencyrecord WHERE id = %(record)d;
"""
# The task row: with the events outbox (production) the event's publication, in the same transaction; without it,
# the notification's hand-off after commit.
PGBENCH_TASK = """INSERT INTO %(task_table)s (%(task_cols)s)
  SELECT %(task_vals)s FROM %(task_table)s WHERE id = '%(task)s';
"""
# Without the outbox, the feed entry is written after commit by the process that acted, under the feed's lock.
PGBENCH_FEED = """BEGIN;
SELECT pg_advisory_xact_lock(%(lock)d);
INSERT INTO webhooks_feedentry (%(feed_cols)s)
  SELECT %(feed_vals)s FROM webhooks_feedentry WHERE position = %(feed)d;
COMMIT;
"""

TEMPLATES = """
import django, json; django.setup()
from django.apps import apps
from shagym.api.models import IdempotencyRecord
from shagym.complaints.models import AppealedOfficial, Complaint, ComplaintEvent
from shagym.webhooks.models import FeedEntry
task = apps.get_model("django_tasks_database", "DBTaskResult")

def cols(model):
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]

def unique(model):
    return {f.column: f.max_length or 36 for f in model._meta.concrete_fields if f.unique and not f.primary_key
            and f.get_internal_type() == "CharField"}

complaint = Complaint.objects.order_by("-pk").first()
event = ComplaintEvent.objects.filter(complaint=complaint).order_by("pk").first()
print(json.dumps({
    "complaint": complaint.pk, "official": complaint.officials.first().pk, "event": event.pk,
    "record": IdempotencyRecord.objects.order_by("-pk").first().pk,
    "task": str(task.objects.order_by("-enqueued_at").first().pk),
    "feed": getattr(FeedEntry.objects.filter(event=event).first(), "position", None),
    "outbox": __import__("django.conf", fromlist=["settings"]).settings.SHAGYM_EVENTS_OUTBOX,
    "cols": {name: cols(model) for name, model in (("complaint", Complaint), ("official", AppealedOfficial),
             ("event", ComplaintEvent), ("record", IdempotencyRecord), ("task", task), ("feed", FeedEntry))},
    "unique": {name: unique(model) for name, model in (("complaint", Complaint), ("record", IdempotencyRecord))},
    "task_table": task._meta.db_table,
    "lock": __import__("shagym.webhooks.feed", fromlist=["FEED_LOCK"]).FEED_LOCK,
}))
"""


def pgbench_script(env: dict[str, str], *, rates: bool) -> str:
    t = json.loads(run_django(env, TEMPLATES))
    # Unique text columns get a fresh value each (as each submission has its own keys); the number comes later.
    fresh = {name: {column: f"left(replace(gen_random_uuid()::text, '-', ''), {min(length, 32)})"
                    for column, length in columns.items()} for name, columns in t["unique"].items()}
    overrides = {
        "complaint": {**fresh["complaint"], "number": "NULL"},
        "official": {"complaint_id": ":cid"},
        "event": {"complaint_id": ":cid"},
        "record": {"key": "gen_random_uuid()::text"},  # (owner, key) is unique
        "task": {},
        "feed": {"event_id": ":eid", "complaint_id": ":cid"},
    }
    values: dict[str, object] = {"lock": t["lock"], "complaint": t["complaint"], "official": t["official"],
                                 "event": t["event"], "record": t["record"], "task": t["task"], "feed": t["feed"]}
    for name, columns in t["cols"].items():
        if name == "task":
            columns = ["id", *columns]
        values[f"{name}_cols"] = ", ".join(f'"{c}"' for c in columns)
        over = dict(overrides[name], **({"id": "gen_random_uuid()"} if name == "task" else {}))
        values[f"{name}_vals"] = ", ".join(over.get(c, f'"{c}"') for c in columns)
    values["task_table"] = t["task_table"]
    head = (PGBENCH_RATES if rates else "") + PGBENCH_HEAD
    if t["outbox"]:
        script = head + PGBENCH_TASK + "COMMIT;\n"
    else:
        script = head + "COMMIT;\n" + PGBENCH_TASK + (PGBENCH_FEED if t["feed"] else "")
    return script % values


def pgbench(script: str, *, clients: int, seconds: int) -> dict[str, float]:
    if PGBENCH is None:
        raise SystemExit("pgbench not found (postgresql's bin directory)")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False, encoding="utf-8") as f:
        f.write(script)
    env = dict(os.environ, PGPASSWORD="app")
    command = [str(PGBENCH), "-h", "127.0.0.1", "-U", "app", "-n", "-c", str(clients), "-j", "2", "-T", str(seconds),
               "-M", "prepared", "-r", "-f", f.name, DATABASE]
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"pgbench failed:\n{done.stderr}\n{script}")
    output = done.stdout
    os.unlink(f.name)
    tps = next(float(line.split("=")[1].split()[0]) for line in output.splitlines() if line.startswith("tps ="))
    latency = next((float(line.split("=")[1].split()[0]) for line in output.splitlines()
                    if line.startswith("latency average")), 0.0)
    return {"tps": tps, "latency_ms": latency}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--fresh", action="store_true", help="Drop the bench database first.")
    parser.add_argument("--cache", choices=["redis", "database"], default="redis",
                        help="where the cache and the rate counters live: Redis as deploy/ runs it, or PostgreSQL")
    args = parser.parse_args()

    port = free_port()
    redis = None
    redis_url = ""
    if args.cache == "redis":
        from web import start_redis  # bench/web.py, beside this script

        redis, redis_url = start_redis()
    try:
        run(args, port, environment(port, args.cache, redis_url))
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


def run(args: argparse.Namespace, port: int, env: dict[str, str]) -> None:
    print(f"Database {DATABASE}: {'fresh, ' if args.fresh else ''}migrated ...", flush=True)
    make_database(fresh=args.fresh)
    token = run_django(env, SETUP).splitlines()[-1]
    payload = body()
    print(f"gunicorn: {args.workers} workers x {args.threads} threads (gthread), production settings, cache and "
          f"rate counters in {args.cache}", flush=True)
    server = start_gunicorn(env, port, args.workers, args.threads)
    try:
        wrk(port, token, payload, connections=args.connections, seconds=args.warmup, run="warmup")
        api = wrk(port, token, payload, connections=args.connections, seconds=args.seconds, run="run")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    script = pgbench_script(env, rates=args.cache == "database")
    db = pgbench(script, clients=args.connections, seconds=args.seconds)

    ratio = api["rps"] / db["tps"] if db["tps"] else 0.0
    p99_ms = api["p99"] / 1000
    print()
    print(f"POST /api/v1/complaints  {args.connections} connections, {args.seconds} s")
    print(f"  submissions/s   {api['rps']:8.1f}   ({api['requests']} requests, {api['non2xx']} not 201, "
          f"{api['socket_errors']} socket errors)")
    print(f"  latency p50     {api['p50'] / 1000:8.1f} ms")
    print(f"  latency p95     {api['p95'] / 1000:8.1f} ms")
    print(f"  latency p99     {p99_ms:8.1f} ms   (max {api['max'] / 1000:.1f} ms)")
    print(f"pgbench, the same rows, {args.connections} clients, {args.seconds} s")
    print(f"  transactions/s  {db['tps']:8.1f}   (average latency {db['latency_ms']:.1f} ms)")
    print(f"ratio API / pgbench  {ratio:6.1%}   target >= 40 %: {'met' if ratio >= 0.40 else 'NOT met'}; "
          f"p99 < 100 ms: {'met' if p99_ms < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()

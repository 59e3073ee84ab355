"""Speed of every page and of filing, each figure beside its reference measured in the same run (issue 14).

    .venv/bin/python bench/web.py                      # starts PostgreSQL if needed, uses database shagym_webbench
    DATABASE_URL=postgresql://… .venv/bin/python bench/web.py --duration 10 --connections 8
    .venv/bin/python bench/web.py --skip-helpdesk      # without the peer (it needs a virtual environment of its own)

What it does, on this machine, with production settings (SHAGYM_DEBUG off) under gunicorn, the cache and the
sessions in a Redis of its own as deploy/ runs them (`--cache database`: in PostgreSQL), the load generator on
loopback:
1. Prepares the database: migrations, the demo, a verified applicant, and 50,000 complaints (bench/queues.py's
   loader) so lists and pages read a realistic table.
2. Starts gunicorn (`--workers`, default 4, sync) and measures with wrk (Debian's): the bare view /healthz (the
   framework's ceiling: the same middleware, nothing else), the home page (anonymous, and signed in: what every
   signed-in page pays before its content), the status page with number and code, the
   applicant's cabinet, the staff case page, the executor's queue and the deadline API: requests/s, p50 and p99.
3. Files complaints through the portal's eight steps end to end with `--clients` (8) clients in threads:
   complaints/s and per-complaint p50/p95/p99.
4. Times the submit service in-process (1 and 2 processes), and pgbench inserting the rows a submission writes
   in one transaction (the database's ceiling) with as many clients (1 and 2).
5. Installs django-helpdesk from PyPI in its own virtual environment (var/bench/helpdesk-venv), runs it under gunicorn
   on the same PostgreSQL, and files tickets through its public form with the same clients: the peer.
It prints each figure with its ratio to its reference. Figures on a shared machine drift: compare ratios."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(sys.executable).parent
WORK = ROOT / "var" / "bench"
PG_DSN_DEFAULT = "postgresql://app:app@127.0.0.1:5432/shagym_webbench"


def log(message: str = "") -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL


def ensure_postgres(url: str) -> None:
    """Start the Debian cluster if nothing answers, and create the database (as in .ci/run)."""
    parsed = urllib.parse.urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 5432
    if subprocess.run(["pg_isready", "-q", "-h", host, "-p", str(port)]).returncode != 0:
        version = sorted(os.listdir("/usr/lib/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", version, "main", "start"], check=False)
        for _ in range(100):
            if subprocess.run(["pg_isready", "-q", "-h", host, "-p", str(port)]).returncode == 0:
                break
            time.sleep(0.2)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    # B608: the name is the bench's own database, from the URL it was given.
    exists = subprocess.run(["psql", admin, "-qAtc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],  # nosec B608
                            capture_output=True, text=True).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def production_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHAGYM_")}
    env.update(
        DATABASE_URL=database_url,
        SHAGYM_SECRET_KEY="bench-" + "x" * 50,
        SHAGYM_ALLOWED_HOSTS="127.0.0.1,localhost",
        SHAGYM_SECURE_COOKIES="0",  # plain http on loopback
        SHAGYM_SSL_REDIRECT="0",
        # Production's queue: each action's outbox row commits with its event. No worker runs (the bench measures the
        # web); the rows wait in the table.
        SHAGYM_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        SHAGYM_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        # The bench's clients have no NCALayer: signatures optional (a signature's check costs the filing about
        # 30 ms in-process, measured by bench/web.py's separate line "signature check").
        SHAGYM_APPLICANT_SIGNATURE="optional",
        SHAGYM_ANSWER_SIGNATURE="optional",
        SHAGYM_STATUS_CHECK_ATTEMPTS="1000000",  # the bench asks again and again from one address
        SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS="1000000",
        SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS="1000000",
        SHAGYM_API_RATE_PER_ADDRESS="100000000",
        SHAGYM_API_RATE_PER_KEY="100000000",
        PYTHONPATH=str(ROOT),
    )
    for name in ("SHAGYM_CACHE", "SHAGYM_REDIS_URL", "SHAGYM_SESSION_ENGINE"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def start_redis() -> tuple[subprocess.Popen[bytes], str]:
    """A Redis of the bench's own on a free port, as deploy/ runs one beside the application (cache and sessions)."""
    if not shutil.which("redis-server"):
        sys.exit("redis-server is missing: apt-get install redis-server (or --cache database)")
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("redis-server did not start")


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(VENV / "python"), str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


PREPARE = r"""
import datetime as dt, json, importlib.util, sys
from django.contrib.sessions.backends.db import SessionStore as _DbStore
from django.conf import settings
from importlib import import_module
from allauth.account.models import EmailAddress
from shagym.accounts.models import User
from shagym.complaints import codes, demo, services
from shagym.complaints.models import Complaint
from shagym.complaints.states import State
from shagym.directory.models import Organisation

spec = importlib.util.spec_from_file_location("queues_bench", sys.argv[1])
queues = importlib.util.module_from_spec(spec); spec.loader.exec_module(queues)
if Complaint.objects.count() < int(sys.argv[2]):
    queues.load(int(sys.argv[2]))
applicant, created = User.objects.get_or_create(username="bench-applicant", defaults={"email": "bench@example.kz"})
applicant.set_password("Qazaqstan-2026!"); applicant.save()
EmailAddress.objects.update_or_create(user=applicant, email="bench@example.kz", defaults={"verified": True, "primary": True})
users = {u.username: u for u in User.objects.filter(username__in=["demo-applicant", "demo-clerk", "demo-executor"])}
store = import_module(settings.SESSION_ENGINE).SessionStore
def cookie(user):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    s = store(); s[SESSION_KEY] = str(user.pk); s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create(); return s.session_key
paper = Complaint.objects.filter(channel="office", number__isnull=False).order_by("pk").first()
code = codes.issue_access_code(paper)
case = Complaint.objects.filter(holder__key="akimat_almaty").order_by("-pk").first()
print(json.dumps({
    "applicant": cookie(users["demo-applicant"]), "clerk": cookie(users["demo-clerk"]),
    "executor": cookie(users["demo-executor"]), "number": paper.number, "code": code, "case": case.pk,
    "dept": Organisation.objects.get(key="uo_almaty").pk, "akimat": Organisation.objects.get(key="akimat_almaty").pk,
    "service": __import__("shagym.directory.models", fromlist=["Service"]).Service.objects.get(code="DEMO-14").pk,
    "user": applicant.pk,
    "filers": [cookie(applicant) for _ in range(32)],
}))
"""


# ---------------------------------------------------------------------------------------------------------------
# gunicorn and wrk


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, argv: list[str], env: dict[str, str], port: int, cwd: Path):
        self.port = port
        self.process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        start_new_session=True)
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    sys.exit(f"server stopped: {self.process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
                time.sleep(0.1)
        sys.exit("server did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def gunicorn(env: dict[str, str], workers: int, worker_class: str, threads: int) -> Server:
    port = free_port()
    argv = [str(VENV / "gunicorn"), "shagym.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", worker_class, "--threads", str(threads), "--log-level", "warning"]
    return Server(argv, env, port, ROOT)


@dataclass
class Load:
    rps: float
    p50: float
    p99: float
    errors: int = 0


def wrk(port: int, path: str, *, cookie: str = "", duration: int, connections: int) -> Load:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    done = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", *headers,
                           f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True)
    out = done.stdout

    def ms(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    # Socket "read" errors are the sync worker closing each connection after its answer (no keep-alive), not
    # failures: counted are wrong answers, refused connections and timeouts.
    errors += sum(int(n) for n in re.findall(r"(?:connect|timeout) (\d+)", out))
    return Load(rps, ms("50"), ms("99"), errors)


# ---------------------------------------------------------------------------------------------------------------
# A browser-like client for multi-step flows (the portal's form, the peer's ticket form)


class Browser:
    def __init__(self, port: int, cookie: str = ""):
        self.port = port
        self.cookies: dict[str, str] = {}
        if cookie:
            name, value = cookie.split("=", 1)
            self.cookies[name] = value
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.requests = 0

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": "127.0.0.1"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.requests += 1
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, rest = value.split("=", 1)
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def csrf(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return match.group(1) if match else self.cookies.get("csrftoken", "")

    def get(self, path: str) -> str:
        status, location, text = self.request("GET", path)
        while status in (301, 302) and location:
            status, location, text = self.request("GET", urllib.parse.urlparse(location).path or location)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return text

    def post(self, path: str, page: str, data: dict[str, str]) -> str:
        status, location, text = self.request("POST", path, {"csrfmiddlewaretoken": self.csrf(page), **data})
        if status not in (302, 303):
            raise RuntimeError(f"POST {path}: {status} {text[:400]}")
        target = urllib.parse.urlparse(location)
        return self.get(target.path + (f"?{target.query}" if target.query else ""))


def file_a_complaint(client: Browser, ids: dict[str, int], n: int) -> None:
    """The portal's form as an applicant fills it, eight steps, check and submit."""
    import datetime as dt

    def iin(number: int) -> str:
        from shagym.complaints.identifiers import check_digit

        for serial in range(number, number + 100):
            first = f"900517{3}{serial % 10000:04d}"
            digit = check_digit(first)
            if digit is not None:
                return f"{first}{digit}"
        raise ValueError

    base = "/kk/complaint/new"
    page = client.get(f"{base}/")
    page = client.post(f"{base}/", page, {"action": "new"})
    page = client.post(f"{base}/who/", page, {"applicant_kind": "individual"})
    page = client.post(f"{base}/details/", page, {"surname": "Бенчмарк", "first_name": "Ерлан", "iin": iin(n),
                                                  "postal_address": "Алматы қ., Абай даңғылы, 1",
                                                  "phones": "8 701 555 12 34", "email": "bench@example.kz"})
    page = client.get(f"{base}/body/?q=%D0%B1%D1%96%D0%BB%D1%96%D0%BC")
    page = client.post(f"{base}/body/", page, {"respondent": str(ids["dept"])})
    page = client.post(f"{base}/officials/", page, {
        "appealed_act": "decision", "officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0",
        "officials-0-position": "бөлім басшысы", "officials-0-surname": "Қасымов", "officials-0-initials": "Б.Т."})
    page = client.post(f"{base}/service/", page, {"service": str(ids["service"])})
    page = client.post(f"{base}/facts/", page, {
        "learned_on": (dt.date.today() - dt.timedelta(days=3)).isoformat(), "language": "kk",
        "circumstances": "Өтінішке бас тартылды.", "reasons": "Құжаттар толық.", "demands": "Кезекке қою."})
    page = client.post(f"{base}/attachments/", page, {"action": "continue"})
    page = client.post(f"{base}/addressee/", page, {"addressee": f"akim:{ids['akimat']}"})
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post(f"{base}/check/", page, {"idempotency_key": key})


@dataclass
class Flow:
    per_second: float
    p50: float
    p95: float
    p99: float
    done: int
    errors: int
    requests_each: float = 0.0
    samples: list[float] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] if ordered else float("nan")


def run_flow(make_client: Callable[[int], Browser], one: Callable[[Browser, int], None], *, clients: int,
             duration: int) -> Flow:
    samples: list[float] = []
    errors = [0]
    requests = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + duration
    counter = iter(range(10**9))

    def work(index: int) -> None:
        while time.perf_counter() < stop:
            client = make_client(index)
            with lock:
                n = next(counter)
            start = time.perf_counter()
            try:
                one(client, n)
            except Exception as exc:  # counted, shown once
                with lock:
                    errors[0] += 1
                    if errors[0] == 1:
                        log(f"    first error: {exc}")
                continue
            with lock:
                samples.append((time.perf_counter() - start) * 1000)
                requests[0] += client.requests

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Flow(len(samples) / elapsed, percentile(samples, 0.5), percentile(samples, 0.95), percentile(samples, 0.99),
                len(samples), errors[0], requests[0] / max(1, len(samples)), samples)


# ---------------------------------------------------------------------------------------------------------------
# The submit service in-process, and pgbench


SUBMIT_LOOP = r"""
import time, sys, datetime as dt
from shagym.accounts.models import User
from shagym.complaints import services
from shagym.complaints.identifiers import make_iin
from shagym.complaints.states import AddresseeKind, AppealedAct, ApplicantKind, Channel
from shagym.directory.models import Organisation, Service
user = User.objects.get(username="bench-applicant")
akimat = Organisation.objects.get(key="akimat_almaty"); dept = Organisation.objects.get(key="uo_almaty")
service = Service.objects.get(code="DEMO-14")
def data():
    return services.ComplaintInput(
        applicant_kind=ApplicantKind.INDIVIDUAL, channel=Channel.PORTAL, language="kk", addressee_kind=AddresseeKind.AKIM,
        reviewing_body=akimat, respondent=dept, appealed_act=AppealedAct.DECISION,
        learned_on=dt.date.today() - dt.timedelta(days=3), circumstances="x", reasons="y", demands="z",
        postal_address="Алматы", surname="Бенчмарк", first_name="Ерлан", iin=make_iin(dt.date(1990, 5, 17)),
        service=service, officials=[services.OfficialInput("бөлім басшысы", "Қасымов", "Б.Т.")])
for _ in range(20):
    services.submit_complaint(actor=user, data=data())
stop = time.perf_counter() + float(sys.argv[1]); n = 0
while time.perf_counter() < stop:
    services.submit_complaint(actor=user, data=data()); n += 1
print(n / float(sys.argv[1]))
"""


SIGNATURE_CHECK = r"""
import tempfile, time, statistics
from pathlib import Path
from django.test import override_settings
from shagym.signatures import verify
from shagym.signatures.testing import TestPKI
pki = TestPKI.make()
trust = pki.write_trust(Path(tempfile.mkdtemp()) / "trust")
person = pki.person("900517300011")
content = b'{"complaint": "' + b"x" * 4000 + b'"}'
signature = person.sign(content)
with override_settings(SHAGYM_TRUST_DIR=str(trust), SHAGYM_REVOCATION_TIMEOUT=0.2):
    verify.verify(signature, content)
    samples = []
    for _ in range(20):
        start = time.perf_counter(); result = verify.verify(signature, content); samples.append(time.perf_counter() - start)
assert result.ok, result
print(statistics.median(samples) * 1000)
"""


def signature_check(env: dict[str, str]) -> float:
    """One applicant's signature checked in-process (chain to the roots; revocation unreachable on loopback)."""
    try:
        return float(manage(env, "shell", "-c", SIGNATURE_CHECK).strip().splitlines()[-1])
    except (SystemExit, ValueError):
        return float("nan")


def submit_in_process(env: dict[str, str], processes: int, duration: int) -> float:
    argv = [str(VENV / "python"), str(ROOT / "manage.py"), "shell", "-c", SUBMIT_LOOP.replace("sys.argv[1]", str(duration))]
    running = [subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(processes)]
    return sum(float(p.communicate()[0].strip().splitlines()[-1]) for p in running)


# The rows one portal submission writes, as the models define them (so the columns always match the schema): the
# complaint, its official, its filing event and the notification task the hand-off puts on the database queue.
PGBENCH_SQL = r"""
import datetime as dt, json
from psycopg import sql
from django.db import connection
from django.utils import timezone
from shagym.complaints.models import AppealedOfficial, Complaint, ComplaintEvent
from django_tasks_db.models import DBTaskResult

def row(model, values):
    cols, vals = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.name not in values:
            continue
        if f.name in values or f.attname in values:
            value = values.get(f.name, values.get(f.attname))
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            value = ""
        cols.append(f.column)
        vals.append(value if isinstance(value, sql.Composable) else sql.Literal(f.get_db_prep_save(value, connection)))
    return cols, vals

def insert(model, values, returning=False):
    cols, vals = row(model, values)
    query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(map(sql.Identifier, cols)), sql.SQL(", ").join(vals))
    with connection.cursor() as cursor:
        text = query.as_string(cursor.cursor)
    return text + (" RETURNING id \\gset c_" if returning else ";")  # \gset ends the command itself

ids = json.loads(IDS)
with connection.cursor() as cursor:  # references must be unique: a sequence gives each transaction its own
    cursor.execute("CREATE SEQUENCE IF NOT EXISTS bench_reference")
now = sql.SQL("now()")
complaint = insert(Complaint, {
    "applicant_kind": "individual", "surname": "Бенчмарк", "first_name": "Ерлан", "iin": "900517300011",
    "postal_address": "Алматы қ., Абай даңғылы, 1", "phones": "+7 701 555 12 34", "channel": "portal",
    "language": "kk", "addressee_kind": "akim", "reviewing_body_id": ids["akimat"], "holder_id": ids["akimat"],
    "respondent_id": ids["dept"], "service_id": ids["service"], "appealed_act": "decision",
    "learned_on": dt.date.today() - dt.timedelta(days=3), "circumstances": "Өтінішке бас тартылды.",
    "reasons": "Құжаттар толық.", "demands": "Кезекке қою.", "applicant_user_id": ids["user"],
    "idempotency_key": sql.SQL("'pgb-' || :n || '-' || random()"), "reference": sql.SQL("'P' || lpad(nextval('bench_reference')::text, 11, '0')"),
    "received_at": now, "term_type": "public_service", "term_days": 5, "status": "received",
    "created_at": now, "updated_at": now}, returning=True)
official = insert(AppealedOfficial, {"complaint_id": sql.SQL(":c_id"), "position": "бөлім басшысы", "surname": "Қасымов",
                                     "initials": "Б.Т."})
event = insert(ComplaintEvent, {"complaint_id": sql.SQL(":c_id"), "action": "submit", "actor_id": ids["user"],
    "role": "applicant", "at": now, "before": {}, "after": {"status": "received", "holder_id": ids["akimat"]},
    "data": {"late": False, "parent_id": None}})
task = insert(DBTaskResult, {"id": sql.SQL("gen_random_uuid()"), "status": "READY", "enqueued_at": now,
    "args_kwargs": {"args": [], "kwargs": {"event_id": 1}}, "task_path": "shagym.complaints.tasks.publish",
    "queue_name": "default", "backend_name": "default", "run_after": now, "worker_ids": []})
print(json.dumps("\\set n random(1, 1000000000)\nBEGIN;\n" + "\n".join([complaint, official, event, task]) + "\nCOMMIT;\n"))
"""


def pgbench(env: dict[str, str], database_url: str, ids: dict[str, int], clients: int, duration: int) -> float:
    WORK.mkdir(parents=True, exist_ok=True)
    script = WORK / "submit.sql"
    text = json.loads(manage(env, "shell", "-c", PGBENCH_SQL.replace("IDS", repr(json.dumps(ids)))).strip().splitlines()[-1])
    script.write_text(text, encoding="utf-8")
    parsed = urllib.parse.urlparse(database_url)
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    done = subprocess.run(
        ["pgbench", "-n", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U",
         parsed.username or "app", "-c", str(clients), "-j", "2", "-T", str(duration), "-f", str(script),
         parsed.path.lstrip("/")],
        capture_output=True, text=True, env=env)
    match = re.search(r"tps = ([\d.]+)", done.stdout)
    if not match:
        log(done.stdout + done.stderr)
        return float("nan")
    return float(match.group(1))


# ---------------------------------------------------------------------------------------------------------------
# The peer: django-helpdesk's public ticket form


HELPDESK_SETTINGS = """
from pathlib import Path
import dj_database_url, os
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = "bench-helpdesk-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SITE_ID = 1
INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites",
    "django.contrib.humanize", "rest_framework", "helpdesk"]
HELPDESK_TEAMS_MODE_ENABLED = False  # django-helpdesk 2: teams need pinax-teams, which the public form does not use
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware", "django.contrib.messages.middleware.MessageMiddleware"]
ROOT_URLCONF = "site_urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth", "django.contrib.messages.context_processors.messages"]}}]
DATABASES = {"default": dj_database_url.parse(os.environ["HELPDESK_DATABASE_URL"])}
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
HELPDESK_PUBLIC_TICKET_QUEUE = "general"
HELPDESK_VIEW_A_TICKET_PUBLIC = True
HELPDESK_SUBMIT_A_TICKET_PUBLIC = True
"""

HELPDESK_URLS = """
from django.contrib import admin
from django.urls import include, path
urlpatterns = [path("admin/", admin.site.urls), path("", include("helpdesk.urls", namespace="helpdesk"))]
"""


def helpdesk(database_url: str, clients: int, duration: int, workers: int) -> Flow | None:
    venv = WORK / "helpdesk-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        log("  installing django-helpdesk in var/bench/helpdesk-venv …")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "django-helpdesk", "gunicorn",
                               "psycopg[binary]", "dj-database-url"], capture_output=True, text=True)
        if done.returncode:
            log(f"  could not install django-helpdesk: {done.stderr[-500:]}")
            return None
    site = WORK / "helpdesk-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "site_settings.py").write_text(HELPDESK_SETTINGS)
    (site / "site_urls.py").write_text(HELPDESK_URLS)
    parsed = urllib.parse.urlparse(database_url)
    hd_url = parsed._replace(path="/shagym_helpdesk_bench").geturl()
    ensure_postgres(hd_url)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "site_settings", "HELPDESK_DATABASE_URL": hd_url,
           "PYTHONPATH": str(site)}
    django_admin = [str(python), "-m", "django"]
    migrate = subprocess.run([*django_admin, "migrate", "-v0"], env=env, cwd=site, capture_output=True, text=True)
    if migrate.returncode:
        log(f"  helpdesk migrate failed: {migrate.stderr[-800:]}")
        return None
    subprocess.run([*django_admin, "shell", "-c",
                    "from helpdesk.models import Queue; Queue.objects.update_or_create(slug='general', "
                    "defaults={'title': 'General', 'allow_public_submission': True})"], env=env, cwd=site, check=True)
    port = free_port()
    server = Server([str(venv / "bin" / "gunicorn"), "django.core.wsgi:get_wsgi_application()",
                     "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"], env, port, site)
    try:
        def one(client: Browser, n: int) -> None:
            page = client.get("/tickets/submit/")
            queue = re.search(r'<option value="(\d+)"[^>]*>\s*General', page)
            client.post("/tickets/submit/", page, {
                "queue": queue.group(1) if queue else "1", "title": f"Bench ticket {n}",
                "body": "A complaint about a public service.", "priority": "3",
                "submitter_email": "bench@example.kz", "due_date": ""})

        probe = Browser(port)
        try:
            one(probe, 0)
        except Exception as exc:
            log(f"  the peer's form did not work: {exc}")
            return None
        return run_flow(lambda _index: Browser(port), one, clients=clients, duration=duration)
    finally:
        server.stop()


# ---------------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--clients", type=int, default=8, help="clients filing in parallel")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--complaints", type=int, default=50_000, help="complaints in the table")
    parser.add_argument("--skip-helpdesk", action="store_true")
    parser.add_argument("--cache", choices=["redis", "database"], default="redis",
                        help="where the cache and sessions live: Redis as deploy/ runs it (default), or the database")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    database_url = os.environ.get("DATABASE_URL", PG_DSN_DEFAULT)
    ensure_postgres(database_url)
    env = production_env(database_url)
    redis = None
    if args.cache == "redis" and "SHAGYM_REDIS_URL" not in os.environ:
        redis, env["SHAGYM_REDIS_URL"] = start_redis()
    env["SHAGYM_CACHE"] = args.cache
    try:
        run(args, env, database_url)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)


def run(args: argparse.Namespace, env: dict[str, str], database_url: str) -> None:
    log(f"Cache and sessions: {args.cache}")
    log(f"Preparing {database_url.split('@')[-1]} …")
    manage(env, "migrate", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "load_demo")
    prepared = json.loads(manage(env, "shell", "-c", PREPARE.replace("sys.argv[1]", repr(str(ROOT / "bench" / "queues.py")))
                                 .replace("sys.argv[2]", str(args.complaints))).strip().splitlines()[-1])
    results: list[tuple[str, str, str]] = []

    server = gunicorn(env, args.workers, args.worker_class, args.threads)
    try:
        log(f"gunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads, port {server.port}; "
            f"wrk {args.connections} connections, {args.duration} s each")
        pages = [
            ("home page", "/kk/", ""),
            # What every signed-in page pays before its own content (session, user, navigation): the floor
            # under the cabinet, the case page and the queue.
            ("home page, signed in", "/kk/", f"sessionid={prepared['applicant']}"),
            ("status page (number and code)", f"/kk/status/?number={prepared['number']}&code={prepared['code']}", ""),
            ("applicant's cabinet", "/kk/cabinet/", f"sessionid={prepared['applicant']}"),
            ("staff case page", f"/kk/staff/complaints/{prepared['case']}/", f"sessionid={prepared['clerk']}"),
            ("executor's queue", "/kk/staff/mine/", f"sessionid={prepared['executor']}"),
            ("deadline API", "/api/v1/calendar/deadline?received=2026-11-02&working_days=5", ""),
        ]
        # Every worker past its first requests (imports, template compilation, connections), then the ceiling
        # measured before and after the pages: the machine's drift during the run shows in the two figures.
        for name, path, cookie in pages:
            # wrk counts a redirect as an answer: each page must really be served (a lost session would measure
            # the sign-in redirect instead).
            status, location, _ = Browser(server.port, cookie).request("GET", path)
            if status != 200:
                sys.exit(f"{name}: {path} answered {status} {location}, not the page")
        for path, cookie in [("/healthz", ""), *((path, cookie) for _, path, cookie in pages)]:
            wrk(server.port, path, cookie=cookie, duration=2, connections=args.connections)
        first = wrk(server.port, "/healthz", duration=args.duration, connections=args.connections)
        measured = [(name, wrk(server.port, path, cookie=cookie, duration=args.duration, connections=args.connections))
                    for name, path, cookie in pages]
        last = wrk(server.port, "/healthz", duration=args.duration, connections=args.connections)
        bare = Load((first.rps + last.rps) / 2, (first.p50 + last.p50) / 2, max(first.p99, last.p99),
                    first.errors + last.errors)
        results.append(("bare view /healthz (ceiling)", f"{bare.rps:8.1f} req/s  p50 {bare.p50:6.1f} ms  p99 "
                        f"{bare.p99:6.1f} ms  (before {first.rps:.0f}, after {last.rps:.0f})", "1.00"))
        for name, load in measured:
            note = f"  ({load.errors} errors)" if load.errors else ""
            results.append((name, f"{load.rps:8.1f} req/s  p50 {load.p50:6.1f} ms  p99 {load.p99:6.1f} ms{note}",
                            f"{load.rps / bare.rps:.2f}"))
            log(f"  {name}: {results[-1][1]}")
        # Filing end to end, each client an applicant of its own, signed in once (as a person would be).
        filers = prepared["filers"]
        filing = run_flow(lambda i: Browser(server.port, f"sessionid={filers[i % len(filers)]}"),
                          lambda c, n: file_a_complaint(c, prepared, n), clients=args.clients, duration=args.duration * 3)
        log(f"  portal filing: {filing.per_second:.2f}/s, {filing.requests_each:.0f} requests each, {filing.errors} errors")
    finally:
        server.stop()

    signed = signature_check(env)
    single = submit_in_process(env, 1, args.duration)
    double = submit_in_process(env, 2, args.duration)
    # The database's ceiling at the same concurrency: one pgbench client against one process, two against two.
    ceiling1 = pgbench(env, database_url, prepared, 1, args.duration)
    ceiling2 = pgbench(env, database_url, prepared, 2, args.duration)
    peer = None if args.skip_helpdesk else helpdesk(database_url, args.clients, args.duration * 3, args.workers)

    results.append(("portal filing end to end", f"{filing.per_second:8.2f} complaints/s  p50 {filing.p50:6.0f} ms  "
                    f"p95 {filing.p95:6.0f} ms  p99 {filing.p99:6.0f} ms  ({filing.requests_each:.0f} requests each)",
                    f"{filing.per_second / peer.per_second:.2f} of helpdesk" if peer else "-"))
    if peer:
        results.append(("django-helpdesk public ticket form (peer)", f"{peer.per_second:8.2f} tickets/s     p50 "
                        f"{peer.p50:6.0f} ms  p95 {peer.p95:6.0f} ms  p99 {peer.p99:6.0f} ms", "1.00"))
    results.append(("signature check of a filing, in-process", f"{signed:8.1f} ms", "-"))
    results.append(("submit service in-process, 1 process", f"{single:8.1f} /s", f"{single / ceiling1:.2f} of pgbench"))
    results.append(("pgbench: the same rows, 1 client (ceiling)", f"{ceiling1:8.1f} tx/s", "1.00"))
    results.append(("submit service in-process, 2 processes", f"{double:8.1f} /s", f"{double / ceiling2:.2f} of pgbench"))
    results.append(("pgbench: the same rows, 2 clients (ceiling)", f"{ceiling2:8.1f} tx/s", "1.00"))

    log("\nResults (ratio: to the bare view for pages, to the peer for filing, to pgbench for the service)")
    width = max(len(name) for name, _, _ in results)
    for name, figure, ratio in results:
        log(f"  {name:{width}}  {figure:70}  {ratio}")


if __name__ == "__main__":
    main()

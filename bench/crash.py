"""Durability under a crash (issue 13, item 7): complaints submitted through the API survive SIGKILL of the web
server and the worker in the middle of the load, once each, with their events, messages, letters and e-mails.

    su postgres -c "psql -c 'CREATE DATABASE crash OWNER app'"   # an empty database of its own
    SHAGYM_DEBUG=1 .venv/bin/python bench/crash.py --owner-url postgresql://app:app@127.0.0.1:5432/crash \\
        --app-url postgresql://shagym_app:secret@127.0.0.1:5432/crash

What it does:
1. As the owner role: migrate, grant the application's role (manage.py grant_app_role, when --app-url names another
   role), load the reference data, and issue an API key of one body's office (submit, read, act).
2. Starts gunicorn (the application's role, production settings) and `manage.py worker` (django-tasks-db's database
   worker with the sweep), e-mail written to a folder of its own (the readable file backend, SHAGYM_MAIL_DIR).
3. N clients file complaints: POST /api/v1/complaints, then POST /complaints/<id>/register, each with its own
   Idempotency-Key. When a share of them is acknowledged (--kill-at), the server and the worker get SIGKILL, whole
   process groups, mid-request and mid-task. Every request that got no answer is remembered with its key.
4. Restarts both, retries every request that got no answer with the same Idempotency-Key, and waits until the worker
   has nothing left to send.
5. Checks, printing the counts: every complaint acknowledged with 201 exists exactly once and the retries of one key
   all name the same complaint; each has exactly one filing and one registration event, one talon, one "registered"
   notice with one e-mail delivery, sent; the e-mails in the folder, one per notice (a duplicate would show as two
   files with the same X-Shagym-Notice); which notices went out after the restart. Exit status 1 on any failure."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import re
import secrets
import signal
import subprocess  # nosec B404 # starts gunicorn and the worker, with our own arguments
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def log(message: str) -> None:
    print(message, flush=True)


@dataclass
class Job:
    """One complaint: its submit and its registration, each with its own Idempotency-Key."""

    index: int
    submit_key: str
    register_key: str
    complaint_id: int | None = None
    submitted: int = 0  # the HTTP status that acknowledged it (201), 0 while no answer
    registered: int = 0
    no_answer: list[str] = field(default_factory=list)  # the steps that got no answer at least once
    ids_seen: set[int] = field(default_factory=set)  # every complaint id an answer named (must be one)


class Services:
    """gunicorn and the worker, each in a process group of its own (so SIGKILL reaches every process of it)."""

    def __init__(self, env: dict[str, str], port: int, folder: Path) -> None:
        self.env, self.port, self.folder = env, port, folder
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        out = (self.folder / f"web-{self.starts}.log").open("wb")
        self.web = subprocess.Popen(  # nosec B603 # our own command line
            [str(BIN / "gunicorn"), "shagym.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "3",
             "--timeout", "60", "--graceful-timeout", "5"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out = (self.folder / f"worker-{self.starts}.log").open("wb")
        self.worker = subprocess.Popen(  # nosec B603 # our own command line
            [PYTHON, "manage.py", "worker", "--no-reload", "--sweep-every", "2", "--poll", "0.2"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/openapi.json", timeout=2)  # nosec B310
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 60 s (see its log in " + str(self.folder) + ")")

    def kill(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


class Api:
    def __init__(self, port: int, token: str) -> None:
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.token = token

    def post(self, path: str, body: dict[str, object], key: str) -> tuple[int, dict[str, object]] | None:
        """The answer, or None when there was none (refused connection, reset, timeout)."""
        request = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                     "Idempotency-Key": key})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310 # our own server
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None


def complaint_payload(index: int, body_key: str, iin: str) -> dict[str, object]:
    return {
        "applicant_kind": "individual", "surname": "Ахметов", "first_name": f"Ерлан {index}", "iin": iin,
        "postal_address": "Алматы қ., Абай даңғылы, 10", "email": f"crash-{index}@example.kz",
        "reviewing_body": body_key, "addressee_kind": "akim", "appealed_act": "decision",
        "circumstances": "Анықтама уақытында берілмеді.", "reasons": "Құжаттар толық тапсырылды.",
        "demands": "Анықтаманы беруді сұраймын.", "learned_on": (dt.date.today() - dt.timedelta(days=5)).isoformat(),
        "language": "kk", "channel": "office",
    }


def step(api: Api, job: Job, payload: dict[str, object]) -> bool:
    """Take the job's next step once. True when the job is done; False when a step got no answer."""
    if not job.submitted:
        answer = api.post("/complaints", payload, job.submit_key)
        if answer is None:
            job.no_answer.append("submit")
            return False
        status, body = answer
        if status != 201:
            raise RuntimeError(f"submit {job.index}: {status} {body}")
        job.submitted = status
        job.complaint_id = int(body["id"])  # type: ignore[call-overload]
        job.ids_seen.add(job.complaint_id)
    if not job.registered:
        answer = api.post(f"/complaints/{job.complaint_id}/register", {}, job.register_key)
        if answer is None:
            job.no_answer.append("register")
            return False
        status, body = answer
        if status != 200:
            raise RuntimeError(f"register {job.index}: {status} {body}")
        job.registered = status
        job.ids_seen.add(int(body["complaint"]["id"]))  # type: ignore[index, call-overload]
    return True


def setup(owner_url: str, app_url: str) -> tuple[str, str, str]:
    """Migrate and load as the owner; grant the application's role; issue the key. Returns (token, body key, user)."""
    os.environ["DATABASE_URL"] = owner_url
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shagym.settings")
    os.environ.setdefault("SHAGYM_DEBUG", "1")  # this process only sets up and checks; the servers run in production mode
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    app_role = app_url.split("//", 1)[1].split(":", 1)[0]
    owner_role = owner_url.split("//", 1)[1].split(":", 1)[0]
    if app_role != owner_role:
        call_command("grant_app_role", app_role)
    call_command("load_demo", verbosity=0)
    from shagym.api import keys
    from shagym.directory.models import Organisation

    body = Organisation.objects.get(key="akimat_almaty")
    key, token = keys.issue(organisation=body, name=f"crash bench {secrets.token_hex(2)}",
                            scopes=["read", "submit", "act"])
    return token, body.key, key.user.username


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--owner-url", default=os.environ.get("DATABASE_URL", ""),
                        help="the database as its owner (migrations, checks); default DATABASE_URL")
    parser.add_argument("--app-url", help="the same database as the application's role (default: the owner)")
    parser.add_argument("--complaints", type=int, default=300)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--kill-at", type=float, default=0.4, help="share of complaints acknowledged at the kill")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not args.owner_url.startswith("postgres"):
        raise SystemExit("Give --owner-url (or DATABASE_URL): an empty PostgreSQL database.")
    app_url = args.app_url or args.owner_url
    token, body_key, key_user = setup(args.owner_url, app_url)
    from django.db.models import Count

    from shagym.complaints.identifiers import make_iin
    from shagym.complaints.models import Complaint, ComplaintEvent
    from shagym.documents.models import Letter
    from shagym.notify.models import Delivery, DeliveryStatus, Kind, Medium, Message

    folder = Path(tempfile.mkdtemp(prefix="shagym-crash-"))
    mail_dir = folder / "mail"
    env = {**os.environ, "DATABASE_URL": app_url, "SHAGYM_DEBUG": "0", "SHAGYM_SECRET_KEY": secrets.token_urlsafe(40),
           "SHAGYM_ALLOWED_HOSTS": "127.0.0.1", "SHAGYM_SECURE_COOKIES": "0", "SHAGYM_SSL_REDIRECT": "0", "SHAGYM_CACHE": "database",
           "SHAGYM_EMAIL_BACKEND": "shagym.notify.mailbox.ReadableFileBackend", "SHAGYM_MAIL_DIR": str(mail_dir),
           "SHAGYM_MEDIA_ROOT": str(folder / "media"), "SHAGYM_SMS_DIR": str(folder / "sms"),
           "SHAGYM_NOTIFY_SMS_KINDS": "", "SHAGYM_NOTIFY_STALE_SECONDS": "5", "SHAGYM_NOTIFY_RETRY_SECONDS": "1",
           "SHAGYM_API_RATE_PER_KEY": "0", "SHAGYM_API_RATE_PER_ADDRESS": "0", "SHAGYM_LOG_LEVEL": "WARNING"}
    services = Services(env, args.port, folder)
    api = Api(args.port, token)
    run_tag = secrets.token_hex(3)
    jobs = [Job(i, f"crash-{run_tag}-{i}-submit", f"crash-{run_tag}-{i}-register") for i in range(args.complaints)]
    payloads = [complaint_payload(i, body_key, make_iin(dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)))
                for i in range(args.complaints)]
    log(f"Crash bench: {args.complaints} complaints by {args.clients} clients; gunicorn (3 workers) and the worker "
        f"as {app_url.split('//', 1)[1].split(':', 1)[0]}; SIGKILL when {args.kill_at:.0%} are acknowledged; "
        f"logs and mail in {folder}")

    services.start()
    work: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        work.put(job)
    killed = threading.Event()
    lock = threading.Lock()
    done = Counter[str]()
    errors: list[str] = []

    def client() -> None:
        while not killed.is_set():
            try:
                job = work.get_nowait()
            except queue.Empty:
                return
            try:
                finished = step(api, job, payloads[job.index])
            except Exception as exc:  # a refusal: the bench's own fault, reported
                with lock:
                    errors.append(str(exc))
                continue
            with lock:
                done["finished" if finished else "unanswered"] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    threshold = int(args.complaints * args.kill_at)
    while sum(1 for j in jobs if j.submitted) < threshold and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    in_flight_at_kill = sum(1 for t in threads if t.is_alive())
    services.kill()
    killed_at = dt.datetime.now(dt.UTC)
    killed.set()
    kill_time = time.perf_counter() - started
    acknowledged_at_kill = sum(1 for j in jobs if j.submitted)
    for thread in threads:
        thread.join()
    unanswered = [j for j in jobs if not (j.submitted and j.registered)]
    log(f"SIGKILL at {kill_time:.1f} s: {acknowledged_at_kill} submits acknowledged, {in_flight_at_kill} clients "
        f"mid-request; {len(unanswered)} complaints unfinished, {sum(1 for j in jobs if j.no_answer)} requests got "
        "no answer")

    restarted_at = dt.datetime.now(dt.UTC)
    time.sleep(1)
    services.start()
    retry = [j for j in jobs if not (j.submitted and j.registered)]
    retried = 0
    for attempt in range(5):
        pending: queue.Queue[Job] = queue.Queue()
        for job in retry:
            pending.put(job)

        def retrier(pending: queue.Queue[Job] = pending) -> None:
            nonlocal retried
            while True:
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    step(api, job, payloads[job.index])
                except Exception as exc:
                    with lock:
                        errors.append(str(exc))
                with lock:
                    retried += 1

        workers = [threading.Thread(target=retrier) for _ in range(args.clients)]
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        retry = [j for j in jobs if not (j.submitted and j.registered)]
        if not retry:
            break
        time.sleep(1 + attempt)
    log(f"Restarted; {retried} retries with the same Idempotency-Key; unfinished now: {len(retry)}")

    # Wait for the worker: every owed notice written and sent (the sweep requeues what the dead worker held).
    ids = [j.complaint_id for j in jobs if j.complaint_id]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        messages = Message.objects.filter(complaint_id__in=ids, kind=Kind.REGISTERED).count()
        letters = Letter.objects.filter(complaint_id__in=ids, kind=Letter.Kind.TALON).count()
        unsent = Delivery.objects.filter(message__complaint_id__in=ids).exclude(status=DeliveryStatus.SENT).count()
        if messages == len(ids) and letters == len(ids) and unsent == 0:
            break
        time.sleep(1)
    settle = time.perf_counter() - started
    services.stop()

    # ---- The checks ----------------------------------------------------------------------------------------------
    failures: list[str] = []

    def check(ok: bool, text: str) -> None:
        log(f"  {'ok  ' if ok else 'FAIL'} {text}")
        if not ok:
            failures.append(text)

    ours = Complaint.objects.filter(received_by__username=key_user)
    acknowledged = [j for j in jobs if j.submitted == 201]
    log(f"\nResults after {settle:.0f} s:")
    check(not errors, f"requests refused by the server: {len(errors)}" + (f" (first: {errors[0][:200]})" if errors else ""))
    check(len(acknowledged) == args.complaints, f"complaints acknowledged with 201: {len(acknowledged)} of {args.complaints}")
    check(all(len(j.ids_seen) == 1 for j in jobs),
          f"answers naming one complaint per Idempotency-Key: {sum(1 for j in jobs if len(j.ids_seen) == 1)}")
    check(ours.count() == len(acknowledged),
          f"complaints in the database: {ours.count()} (exactly one per acknowledged key, none extra)")
    check(set(ours.values_list("pk", flat=True)) == {j.complaint_id for j in acknowledged},
          "every acknowledged complaint id exists, and no other")
    registered = ours.filter(status="registered").count()
    check(registered == len(acknowledged), f"registered: {registered}")
    per = ComplaintEvent.objects.filter(complaint__in=ours).values("complaint_id", "action").annotate(n=Count("pk"))
    actions = Counter(row["action"] for row in per)
    doubled = [row for row in per if row["n"] != 1]
    check(actions["submit"] == len(acknowledged) and actions["register"] == len(acknowledged) and not doubled,
          f"events: {actions['submit']} filings, {actions['register']} registrations, {len(doubled)} doubled "
          f"({ComplaintEvent.objects.filter(complaint__in=ours).count()} in all)")
    talons = Letter.objects.filter(complaint__in=ours, kind=Letter.Kind.TALON).values("complaint_id").annotate(
        n=Count("pk"))
    check(len(talons) == len(acknowledged) and all(t["n"] == 1 for t in talons),
          f"talons issued (the documents subscriber): {len(talons)}, one each")
    messages = Message.objects.filter(complaint__in=ours)
    kinds = Counter(messages.values_list("kind", flat=True))
    check(kinds[Kind.REGISTERED] == len(acknowledged) and set(kinds) <= {Kind.REGISTERED},
          f"messages: {kinds[Kind.REGISTERED]} 'registered' notices, one each ({messages.count()} in all)")
    deliveries = Delivery.objects.filter(message__in=messages)
    states = Counter(deliveries.values_list("medium", "status"))
    emailed = states[(Medium.EMAIL, DeliveryStatus.SENT)]
    check(emailed == len(acknowledged) and deliveries.count() == len(acknowledged),
          f"e-mail deliveries sent: {emailed} of {deliveries.count()} ({dict(states)})")
    headers = [re.search(r"^X-Shagym-Notice: (\d+)$", p.read_text(encoding="utf-8"), re.M)
               for p in sorted(mail_dir.glob("*.txt"))]
    ours_ids = set(messages.values_list("pk", flat=True))
    # The folder also holds the demo data's notices, sent by the same worker: only this run's count.
    files = Counter(n for h in headers if h and (n := int(h.group(1))) in ours_ids)
    twice = {m: n for m, n in files.items() if n > 1}
    check(set(files) == ours_ids, f"e-mail files in the mail folder: {sum(files.values())} for {len(files)} of "
          f"{len(ours_ids)} notices (every notice has its e-mail)")
    attempts = Counter(deliveries.values_list("attempts", flat=True))
    log(f"  {'note' if twice else 'ok  '} e-mails written twice: {len(twice)}"
        + (" (a worker killed between sending and recording the delivery: the notice goes again, at least once "
           "beats never; the attempt log shows both)" if twice else ""))
    after_restart = deliveries.filter(sent_at__gte=restarted_at).count()
    owed_at_restart = len(acknowledged) - deliveries.filter(sent_at__lt=restarted_at).count()
    check(after_restart == owed_at_restart,
          f"notices owed at the restart and sent after it: {after_restart} of {owed_at_restart}")
    lost_answers = [j for j in jobs if "submit" in j.no_answer]
    filed_before = ours.filter(pk__in=[j.complaint_id for j in lost_answers], received_at__lt=restarted_at).count()
    log(f"  info submits that got no answer: {len(lost_answers)}; of them {filed_before} had been filed before the "
        f"kill (the retry got the same complaint back), {len(lost_answers) - filed_before} were filed by the retry; "
        f"delivery attempts per delivery {dict(sorted(attempts.items()))}")
    from django_tasks_db.models import DBTaskResult

    left = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=restarted_at).count()
    talons_late = Letter.objects.filter(complaint__in=ours, kind=Letter.Kind.TALON, event__at__lt=killed_at,
                                        created_at__gte=restarted_at).count()
    notices_late = messages.filter(event__at__lt=killed_at, created_at__gte=restarted_at).count()
    log(f"  info made good after the restart for actions taken before the kill: {talons_late} talons, "
        f"{notices_late} notices written; {left} tasks the killed worker held (left running, their work redone)")
    log(f"\n{'PASSED' if not failures else 'FAILED'}: {args.complaints} complaints, {len(acknowledged)} acknowledged, "
        f"{ours.count()} stored, {actions['submit'] + actions['register']} events, {messages.count()} messages, "
        f"{emailed} e-mails sent, {len(talons)} talons; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

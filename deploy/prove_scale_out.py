"""Proof that Shagym scales out on standard parts (issue 14, item 4), run on this machine:

    .venv/bin/python deploy/prove_scale_out.py                  # about 3 minutes; the report is also in var/scale-out/
    .venv/bin/python deploy/prove_scale_out.py --duration 60 --clients 6 --kill-at 20 --down 15

What it starts, on loopback and without systemd (as root: it installs nginx and pgbouncer from Debian if missing):
- a fresh PostgreSQL database (deploy_scale, on DATABASE_URL's server or the local Debian cluster) with the demo and
  --clients verified applicants;
- PgBouncer with deploy/pgbouncer/pgbouncer.ini (transaction pooling) in front of it: everything below goes through it;
- Redis for the cache and the sessions;
- two application servers, A and B: gunicorn with deploy/gunicorn.conf.py and production settings, and one worker
  (`manage.py worker`) beside each;
- nginx with deploy/nginx/shagym.conf (TLS with a throw-away certificate, static files, round robin over A and B);
- an SMTP server in this process that counts every e-mail the workers send.

The load: each applicant signs in once, then for --duration seconds files complaints through the portal's form (with
a PDF attached), reads the cabinet and the complaint, downloads the attachment, and checks a paper complaint's status
by number and code. At --kill-at seconds server A is killed (SIGKILL to its whole process group: master and
workers, as if the machine died) and it is started again --down seconds later.

The report: requests each server answered (their access logs, and nginx's log of which server answered each), the
errors and which fell in the kill window, whether every applicant's session outlived the kill (no sign-in again,
the same session answered by both servers at the end), and that every complaint filed has one event and one
publication task, and every message was sent once: e-mails received by the SMTP server against the delivery rows,
with two workers taking tasks from the same queue."""

from __future__ import annotations

import argparse
import collections
import contextlib
import datetime as dt
import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
VENV = Path(sys.executable).parent
WORK = ROOT / "var" / "scale-out"
DEFAULT_URL = "postgresql://app:app@127.0.0.1:5432/deploy_scale"
PASSWORD = "Qazaqstan-2026!"  # nosec B105 # the throw-away applicants of a throw-away database
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LINES: list[str] = []


def say(text: str = "") -> None:
    LINES.append(text)
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, process: subprocess.Popen[bytes] | None = None, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        if process is not None and process.poll() is not None:
            raise SystemExit(f"process {process.args!r} stopped with {process.returncode}")
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port} after {timeout} s")


# ---------------------------------------------------------------------------------------------------------------
# The parts


def ensure_debian_packages() -> None:
    missing = [package for binary, package in (("nginx", "nginx-light"), ("pgbouncer", "pgbouncer"))
               if not shutil.which(binary) and not Path(f"/usr/sbin/{binary}").exists()]
    for binary in ("redis-server", "openssl", "psql"):
        if not shutil.which(binary):
            missing.append({"redis-server": "redis-server", "openssl": "openssl", "psql": "postgresql-client"}[binary])
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit(f"Install first: apt-get install {' '.join(missing)}")
    say(f"Installing from Debian: {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def binary(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


class Processes:
    """Every process started here, each in its own process group; stopped at the end whatever happens."""

    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str], *, env: dict[str, str] | None = None, log: Path | None = None,
              cwd: Path = ROOT) -> subprocess.Popen[bytes]:
        out = open(log or WORK / f"{name}.log", "ab")  # noqa: SIM115 - owned by the process
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.running[name] = process
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.running.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            process = self.running[name]
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 40
        for name in list(self.running):
            process = self.running.pop(name)
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)


def ini_set(text: str, key: str, value: str) -> str:
    pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.M)
    if pattern.search(text):
        return pattern.sub(f"{key} = {value}", text, count=1)
    return text.replace("[pgbouncer]\n", f"[pgbouncer]\n{key} = {value}\n", 1)


def pgbouncer_config(database: urllib.parse.ParseResult, port: int, users: list[tuple[str, str]]) -> Path:
    """deploy/pgbouncer/pgbouncer.ini as shipped, on a loopback port, with this run's database and files."""
    text = (DEPLOY / "pgbouncer" / "pgbouncer.ini").read_text()
    name = database.path.lstrip("/")
    line = re.compile(r"^shagym = host=\S+ port=\d+ dbname=shagym$", re.M)
    if not line.search(text):
        raise SystemExit("deploy/pgbouncer/pgbouncer.ini changed: no `shagym = host=... dbname=shagym` line")
    text = line.sub(f"{name} = host={database.hostname} port={database.port or 5432} dbname={name}", text)
    folder = WORK / "pgbouncer"
    folder.mkdir(parents=True, exist_ok=True)
    for key, value in (("listen_addr", "127.0.0.1"), ("listen_port", str(port)),
                       ("auth_file", str(folder / "userlist.txt")), ("pidfile", str(folder / "pgbouncer.pid")),
                       ("logfile", str(folder / "pgbouncer.log")), ("unix_socket_dir", ""),
                       ("admin_users", database.username or "app"), ("stats_users", database.username or "app")):
        text = ini_set(text, key, value)
    (folder / "userlist.txt").write_text("".join(f'"{user}" "{password}"\n' for user, password in users))
    path = folder / "pgbouncer.ini"
    path.write_text(text)
    if os.geteuid() == 0:  # PgBouncer will not run as root: it drops to postgres, who must read and write here
        for item in (folder, *folder.iterdir()):
            shutil.chown(item, "postgres", "postgres")
    return path


def nginx_config(*, https: int, http_port: int, upstreams: list[int]) -> Path:
    """deploy/nginx/shagym.conf as shipped, on loopback ports, with a throw-away certificate and this run's folders.
    Every replacement must match, so a change to the shipped file that this proof no longer covers stops it."""
    folder = WORK / "nginx"
    for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "acme"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    site = (DEPLOY / "nginx" / "shagym.conf").read_text()
    replacements = [
        (r"listen \[::\]:(80|443)[^;]*;\n\s*", ""),  # loopback IPv4 only
        (r"listen 80( default_server)?;", rf"listen 127.0.0.1:{http_port}\1;"),
        (r"listen 443 ssl( default_server| http2)?;", rf"listen 127.0.0.1:{https} ssl\1;"),
        (r"server_name shagym\.example\.kz;", "server_name localhost;"),
        (r"return 301 https://\$host\$request_uri;", rf"return 301 https://$host:{https}$request_uri;"),
        (r"ssl_certificate /etc/letsencrypt/live/shagym\.example\.kz/fullchain\.pem;",
         f"ssl_certificate {folder / 'cert.pem'};"),
        (r"ssl_certificate_key /etc/letsencrypt/live/shagym\.example\.kz/privkey\.pem;",
         f"ssl_certificate_key {folder / 'key.pem'};"),
        (r"/var/log/nginx/shagym\.access\.log", str(folder / "access.log")),
        (r"/var/log/nginx/shagym\.error\.log", str(folder / "error.log")),
        (r"alias /var/lib/shagym/static/;", f"alias {WORK / 'static'}/;"),
        (r"root /var/www/letsencrypt;", f"root {folder / 'acme'};"),
        (r"include /etc/nginx/shagym-upstream\.conf;", f"include {folder / 'upstream.conf'};"),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        if not count:
            raise SystemExit(f"deploy/nginx/shagym.conf changed: nothing matches {pattern!r}")
    (folder / "shagym.conf").write_text(site)
    upstream = (DEPLOY / "nginx" / "shagym-upstream.conf").read_text()
    for shipped, port in zip(("10.0.0.11:8000", "10.0.0.12:8000"), upstreams, strict=True):
        if shipped not in upstream:
            raise SystemExit(f"deploy/nginx/shagym-upstream.conf changed: no {shipped}")
        upstream = upstream.replace(shipped, f"127.0.0.1:{port}")
    (folder / "upstream.conf").write_text(upstream)
    user = "www-data"
    try:
        pwd.getpwnam(user)
    except KeyError:
        user = "nobody"
    if os.geteuid() == 0:
        for sub in folder.joinpath("tmp").rglob("*"):
            shutil.chown(sub, user)
    main = folder / "nginx.conf"
    main.write_text(f"""# This run's nginx: the shipped site ({folder / 'shagym.conf'}) in a minimal main configuration.
{'user ' + user + ';' if os.geteuid() == 0 else ''}
worker_processes 2;
daemon off;
pid {folder / 'nginx.pid'};
error_log {folder / 'main-error.log'} notice;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {folder / 'tmp/body'};
    proxy_temp_path {folder / 'tmp/proxy'};
    fastcgi_temp_path {folder / 'tmp/fastcgi'};
    uwsgi_temp_path {folder / 'tmp/uwsgi'};
    scgi_temp_path {folder / 'tmp/scgi'};
    include {folder / 'shagym.conf'};
}}
""")
    return main


# ---------------------------------------------------------------------------------------------------------------
# The database, the demo, the applicants


def console(url: str, sql: str) -> list[dict[str, str]]:
    """PgBouncer's admin console (SHOW ...), as rows with their column names."""
    done = subprocess.run(["psql", url, "-qAX", "-F", "|", "-c", sql], capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if "|" in line]
    if not lines:
        return []
    header = lines[0].split("|")
    return [dict(zip(header, line.split("|"), strict=False)) for line in lines[1:]]


def psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


APP_ROLE, APP_PASSWORD = "deploy_scale_app", "deploy-scale-app"


def application_role(database: urllib.parse.ParseResult) -> tuple[str, str] | None:
    """The application's own role (README: the owner migrates; the servers and workers may not rewrite the history),
    made as PostgreSQL's superuser when this runs as root beside a local cluster; else None (one role does all)."""
    if os.geteuid() != 0 or database.hostname not in {"127.0.0.1", "localhost"}:
        return None
    sql = (f"SELECT 'CREATE ROLE {APP_ROLE} LOGIN' WHERE NOT EXISTS "  # nosec B608 # constants only
           f"(SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}')\\gexec\n"
           f"ALTER ROLE {APP_ROLE} PASSWORD '{APP_PASSWORD}';\nALTER ROLE {APP_ROLE} SET timezone TO 'UTC';\n")
    done = subprocess.run(["su", "postgres", "-c", f"psql -qAtX -v ON_ERROR_STOP=1 -p {database.port or 5432}"],
                          input=sql, capture_output=True, text=True)
    return (APP_ROLE, APP_PASSWORD) if done.returncode == 0 else None


def fresh_database(database: urllib.parse.ParseResult) -> None:
    host, port = database.hostname or "127.0.0.1", database.port or 5432
    if subprocess.run(["pg_isready", "-q", "-h", host, "-p", str(port)]).returncode != 0:
        version = sorted(os.listdir("/usr/lib/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", version, "main", "start"], check=False)
        for _ in range(100):
            if subprocess.run(["pg_isready", "-q", "-h", host, "-p", str(port)]).returncode == 0:
                break
            time.sleep(0.2)
    name = database.path.lstrip("/")
    admin = database._replace(path="/postgres").geturl()
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin, f'CREATE DATABASE "{name}"')
    # UTC by default: Django then sends no SET through the pooler (deploy/pgbouncer/pgbouncer.ini).
    psql(admin, f"ALTER DATABASE \"{name}\" SET timezone TO 'UTC'")


PREPARE = r"""
import json, sys
from django.contrib.auth.hashers import make_password
from allauth.account.models import EmailAddress
from shagym.accounts.models import User
from shagym.complaints import codes
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.directory.models import Organisation, Service
from django.db import connection
count, password = int(sys.argv[1]), sys.argv[2]
hashed = make_password(password)
emails = [f"scale-{i:02d}@example.kz" for i in range(count)]
for email in emails:
    user, _ = User.objects.update_or_create(username=email.split("@")[0], defaults={"email": email, "password": hashed})
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
paper = Complaint.objects.filter(channel="office", number__isnull=False).order_by("pk").first()
code = codes.issue_access_code(paper)
with connection.cursor() as cursor:
    cursor.execute("SELECT now()")
    now = cursor.fetchone()[0].isoformat()
print(json.dumps({
    "emails": emails, "number": paper.number, "code": code,
    "dept": Organisation.objects.get(key="uo_almaty").pk, "akimat": Organisation.objects.get(key="akimat_almaty").pk,
    "service": Service.objects.get(code="DEMO-14").pk,
    "base": {"complaint": Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
             "event": ComplaintEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
             "message": __import__("shagym.notify.models", fromlist=["Message"]).Message.objects.order_by("-pk")
                        .values_list("pk", flat=True).first() or 0,
             "time": now},
}))
"""

PENDING = r"""
import json
from django_tasks_db.models import DBTaskResult
from shagym.notify.models import Delivery
print(json.dumps({"tasks": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count(),
                  "deliveries": Delivery.objects.filter(status__in=["pending", "sending"], medium="email").count()}))
"""

FIGURES = r"""
import collections, json, sys
from django_tasks_db.models import DBTaskResult
from shagym.complaints.models import Complaint, ComplaintEvent
from shagym.notify.models import Delivery, Message
base = json.loads(sys.argv[1])
users = json.loads(sys.argv[2])
complaints = Complaint.objects.filter(pk__gt=base["complaint"])
events = ComplaintEvent.objects.filter(pk__gt=base["event"])
tasks = DBTaskResult.objects.filter(task_path="shagym.complaints.tasks.publish", enqueued_at__gte=base["time"])
per_event = collections.Counter(t.args_kwargs["kwargs"]["event_id"] for t in tasks)
workers = collections.Counter()
for task in DBTaskResult.objects.filter(enqueued_at__gte=base["time"]).only("worker_ids"):
    for worker in task.worker_ids:
        workers[worker] += 1
def spread(values):
    values = sorted(values)
    if not values:
        return None
    return {"p50": values[len(values) // 2], "p95": values[min(len(values) - 1, int(len(values) * 0.95))],
            "max": values[-1], "n": len(values)}
waits = [(t.finished_at - t.enqueued_at).total_seconds() for t in tasks if t.finished_at]
sweeps = DBTaskResult.objects.filter(task_path="shagym.notify.tasks.sweep", enqueued_at__gte=base["time"],
                                     finished_at__isnull=False)
messages = Message.objects.filter(pk__gt=base["message"])
deliveries = Delivery.objects.filter(message__in=messages)
by_status = collections.Counter(f"{d.medium}:{d.status}" for d in deliveries)
print(json.dumps({
    "complaints": complaints.count(),
    "complaints_by_load_users": complaints.filter(applicant_user__username__in=users).count(),
    "attachments": sum(c.attachments.count() for c in complaints),
    "events": events.count(), "events_by_action": dict(collections.Counter(events.values_list("action", flat=True))),
    "publish_tasks": sum(per_event.values()), "events_with_tasks": len(per_event),
    "events_with_more_than_one_task": sum(1 for n in per_event.values() if n > 1),
    "events_without_task": events.exclude(pk__in=list(per_event)).count(),
    "publish_failed": tasks.filter(status="FAILED").count(), "publish_done": tasks.filter(status="SUCCESSFUL").count(),
    "tasks_by_worker": dict(workers),
    "publish_wait": spread(waits),
    "sweep_run": spread([(t.finished_at - t.started_at).total_seconds() for t in sweeps if t.started_at]),
    "email_after": spread([(d.sent_at - d.message.created_at).total_seconds()
                           for d in deliveries.filter(medium="email", status="sent").select_related("message")]),
    "messages": messages.count(), "deliveries": dict(by_status),
    # Every e-mail sent from the start of the run on (the sweep may also retry or remind about older messages).
    "email_sent": {str(d.message_id): d.reference
                   for d in Delivery.objects.filter(medium="email", status="sent", sent_at__gte=base["time"])},
}))
"""


# ---------------------------------------------------------------------------------------------------------------
# The SMTP server that counts the e-mails


class Mailbox:
    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []  # (X-Shagym-Notice, Message-ID)
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.received.append((str(message.get("X-Shagym-Notice", "")), str(message.get("Message-ID", ""))))
        return "250 OK"


# ---------------------------------------------------------------------------------------------------------------
# The applicants


@dataclass
class Hit:
    at: float  # sent, seconds into the load
    end: float  # answered or failed
    method: str
    path: str
    status: int
    error: str = ""


@dataclass
class Recorder:
    started: float = field(default_factory=time.monotonic)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)

    def now(self) -> float:
        return time.monotonic() - self.started


class Failed(Exception):
    pass


class SessionLost(Exception):
    pass


class Applicant:
    """One person in a browser: one TLS connection to nginx, cookies, CSRF tokens, following redirects."""

    def __init__(self, port: int, context: ssl.SSLContext, recorder: Recorder, email: str):
        self.port, self.context, self.recorder, self.email = port, context, recorder, email
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPSConnection | None = None
        self.origin = f"https://localhost:{port}"
        self.filed: list[int] = []
        self.session_key = ""
        self.relogins = 0
        self.resent = 0

    def raw(self, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        if self.connection is None:
            self.connection = http.client.HTTPSConnection("localhost", self.port, context=self.context, timeout=60)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        at = self.recorder.now()
        label = re.sub(r"/\d+/", "/N/", path.split("?")[0])
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.connection = None
            self.recorder.add(Hit(at, self.recorder.now(), method, label, 0, type(exc).__name__))
            raise Failed(f"{method} {path}: {exc!r}") from exc
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, rest = value.split("=", 1)
                self.cookies[cookie] = rest.split(";", 1)[0]
        self.recorder.add(Hit(at, self.recorder.now(), method, label, response.status))
        return response.status, response.getheader("Location") or "", content

    def send(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, str, bytes]:
        """POST, and once more if the server died under it (502): what a person does with the button. The steps of
        the form store their answers again; the submit carries its idempotency key, so it files nothing twice."""
        try:
            status, location, content = self.raw("POST", path, body, headers)
        except Failed:
            status, location, content = 0, "", b""
        if status in (0, 502, 503, 504):
            self.resent += 1
            time.sleep(0.5)
            status, location, content = self.raw("POST", path, body, headers)
        return status, location, content

    def fetch(self, path: str) -> tuple[int, str, bytes]:
        """GET, and once more if the answer broke off or the server died under it: a person reloads the page. (nginx
        passes a GET to the other server itself, unless the first had already begun to answer.)"""
        try:
            status, location, content = self.raw("GET", path)
        except Failed:
            status, location, content = 0, "", b""
        if status in (0, 502, 503, 504):
            self.resent += 1
            time.sleep(0.5)
            status, location, content = self.raw("GET", path)
        return status, location, content

    def get(self, path: str) -> str:
        for _ in range(5):
            status, location, content = self.fetch(path)
            if status in (301, 302, 303) and location:
                if "/accounts/login/" in location and "/accounts/login/" not in path:
                    raise SessionLost(path)
                target = urllib.parse.urlparse(location)
                path = target.path + (f"?{target.query}" if target.query else "")
                continue
            if status != 200:
                raise Failed(f"GET {path}: {status}")
            return content.decode("utf-8", "replace")
        raise Failed(f"GET {path}: too many redirects")

    def post(self, path: str, page: str, data: dict[str, str], files: list[tuple[str, str, bytes]] = ()) -> str:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        fields = {"csrfmiddlewaretoken": token.group(1) if token else self.cookies.get("csrftoken", ""), **data}
        headers = {"Origin": self.origin, "Referer": f"{self.origin}{path}"}
        if files:
            boundary = uuid.uuid4().hex
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                     for k, v in fields.items()]
            for name, filename, content in files:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
                             f"\r\nContent-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, location, content = self.send(path, body, headers)
        if status not in (302, 303):
            raise Failed(f"POST {path}: {status} {content[:200]!r}")
        if "/accounts/login/" in location and "/accounts/login/" not in path:
            raise SessionLost(path)
        target = urllib.parse.urlparse(location)
        return self.get(target.path + (f"?{target.query}" if target.query else ""))

    def sign_in(self) -> None:
        page = self.get("/kk/accounts/login/")
        self.post("/kk/accounts/login/", page, {"login": self.email, "password": PASSWORD})
        if "sessionid" not in self.cookies:
            raise Failed("sign-in refused")
        self.session_key = self.cookies["sessionid"]

    def file_complaint(self, ids: dict[str, Any], n: int) -> int:
        base = "/kk/complaint/new"
        page = self.get(f"{base}/")
        page = self.post(f"{base}/", page, {"action": "new"})
        page = self.post(f"{base}/who/", page, {"applicant_kind": "individual"})
        page = self.post(f"{base}/details/", page, {
            "surname": "Сынақов", "first_name": "Ерлан", "iin": iin(n), "postal_address": "Алматы қ., Абай даңғылы, 1",
            "phones": "8 701 555 12 34", "email": self.email})
        page = self.post(f"{base}/body/", page, {"respondent": str(ids["dept"])})
        page = self.post(f"{base}/officials/", page, {
            "appealed_act": "decision", "officials-TOTAL_FORMS": "1", "officials-INITIAL_FORMS": "0",
            "officials-0-position": "бөлім басшысы", "officials-0-surname": "Қасымов", "officials-0-initials": "Б.Т."})
        page = self.post(f"{base}/service/", page, {"service": str(ids["service"])})
        page = self.post(f"{base}/facts/", page, {
            "learned_on": time.strftime("%Y-%m-%d", time.localtime(time.time() - 3 * 86400)), "language": "kk",
            "circumstances": "Өтінішке бас тартылды.", "reasons": "Құжаттар толық.", "demands": "Кезекке қою.",
            "late_seen": "1"})
        # The attachment is stored by one server; the submit may be served by the other (media storage).
        page = self.post(f"{base}/attachments/", page, {"action": "continue"}, files=[("files", "шешім.pdf", PDF)])
        page = self.post(f"{base}/addressee/", page, {"addressee": f"akim:{ids['akimat']}"})
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
        if not key:
            raise Failed("no idempotency key on the check page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        status, location, _ = self.send(f"{base}/check/", urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1) if token else "", "idempotency_key": key.group(1)}).encode(),
            {"Origin": self.origin, "Referer": f"{self.origin}{base}/check/",
             "Content-Type": "application/x-www-form-urlencoded"})
        sent = re.search(r"/complaint/(\d+)/sent/", location)
        if status != 302 or not sent:
            raise Failed(f"submit: {status} {location}")
        self.get(urllib.parse.urlparse(location).path)
        return int(sent.group(1))

    def read_back(self, pk: int, ids: dict[str, Any]) -> None:
        self.get("/kk/cabinet/")
        page = self.get(f"/kk/cabinet/{pk}/")
        link = re.search(rf'href="(/kk/cabinet/{pk}/files/\d+/)"', page)
        if link:
            status, _, content = self.fetch(link.group(1))
            if status != 200 or content != PDF:
                raise Failed(f"attachment of {pk}: {status}, {len(content)} bytes")
        self.get(f"/kk/status/?number={urllib.parse.quote(ids['number'])}&code={urllib.parse.quote(ids['code'])}")


def iin(number: int) -> str:
    sys.path.insert(0, str(ROOT))
    from shagym.complaints.identifiers import check_digit

    for serial in range(number, number + 100):
        first = f"9005173{serial % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise ValueError(number)


# ---------------------------------------------------------------------------------------------------------------
# The run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    parser.add_argument("--clients", type=int, default=6, help="applicants signed in at once (6)")
    parser.add_argument("--kill-at", type=float, default=20, help="when server A is killed, seconds into the load")
    parser.add_argument("--down", type=float, default=15, help="how long A stays down, seconds")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per application server (2)")
    parser.add_argument("--database-url", default=os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()

    ensure_debian_packages()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    (WORK / "media").mkdir()
    database = urllib.parse.urlparse(args.database_url)
    ports = {name: free_port() for name in ("redis", "pgbouncer", "a", "b", "https", "http", "smtp")}
    processes = Processes()
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=ports["smtp"])
    try:
        say(f"Shagym scale-out proof, {time.strftime('%Y-%m-%d %H:%M')} on {os.uname().nodename}, "
            f"{os.cpu_count()} cores; work folder {WORK.relative_to(ROOT)}/")
        say(f"nginx {subprocess.run([binary('nginx'), '-v'], capture_output=True, text=True).stderr.strip()}, "
            f"{subprocess.run([binary('pgbouncer'), '--version'], capture_output=True, text=True).stdout.split()[1]} "
            f"PgBouncer, Redis {subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.split()[2]}")

        # ---- PostgreSQL, PgBouncer, Redis
        fresh_database(database)
        role = application_role(database)
        users = [(database.username or "", database.password or ""), *([role] if role else [])]
        pgbouncer = processes.start("pgbouncer", [binary("pgbouncer"), *(["-u", "postgres"] if os.geteuid() == 0 else []),
                                                  str(pgbouncer_config(database, ports["pgbouncer"], users))])
        wait_port(ports["pgbouncer"], pgbouncer)
        redis = processes.start("redis", ["redis-server", "--port", str(ports["redis"]), "--bind", "127.0.0.1",
                                          "--save", "", "--appendonly", "no", "--dir", str(WORK)])
        wait_port(ports["redis"], redis)
        owner = database._replace(netloc=f"{database.username}:{database.password}@127.0.0.1:{ports['pgbouncer']}")
        user, password = role or (database.username, database.password)
        pooled = database._replace(netloc=f"{user}:{password}@127.0.0.1:{ports['pgbouncer']}")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHAGYM_") and not k.startswith("DATABASE_")}
        env.update(
            PYTHONPATH=str(ROOT), DATABASE_URL=pooled.geturl(), SHAGYM_DB_PGBOUNCER="1",
            SHAGYM_SECRET_KEY="scale-out-proof-" + "x" * 40, SHAGYM_ALLOWED_HOSTS="localhost",
            SHAGYM_SITE_URL=f"https://localhost:{ports['https']}",
            SHAGYM_CSRF_TRUSTED_ORIGINS=f"https://localhost:{ports['https']}",
            SHAGYM_TRUSTED_PROXIES="127.0.0.1,::1", SHAGYM_CACHE="redis",
            SHAGYM_REDIS_URL=f"redis://127.0.0.1:{ports['redis']}/0",
            SHAGYM_STATIC_ROOT=str(WORK / "static"), SHAGYM_MEDIA_ROOT=str(WORK / "media"),
            SHAGYM_SMS_DIR=str(WORK / "sms"), SHAGYM_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            SHAGYM_EMAIL_HOST="127.0.0.1", SHAGYM_EMAIL_PORT=str(ports["smtp"]), SHAGYM_SWEEP_INTERVAL="15",
            SHAGYM_GUNICORN_WORKERS=str(args.workers), SHAGYM_LOG_LEVEL="WARNING",
            # The documents are sealed with the demo's keys (load_demo makes them); the load's applicants file
            # without an electronic signature (in production the portal asks for one through NCALayer).
            SHAGYM_TRUST_DIR=str(ROOT / "var" / "pki" / "trust"), SHAGYM_SEAL_DIR=str(ROOT / "var" / "pki" / "seals"),
            SHAGYM_SEAL_PASSWORD="demo-seal",  # nosec B106 # the demo's seal keys (load_demo)
            SHAGYM_APPLICANT_SIGNATURE="optional",
        )

        def manage(*argv: str, as_owner: bool = False) -> str:
            run_env = {**env, "DATABASE_URL": owner.geturl()} if as_owner else env
            done = subprocess.run([str(VENV / "python"), "manage.py", *argv], env=run_env, cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"manage.py {argv[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
            return done.stdout

        smtp.start()
        started = time.monotonic()
        # The release step as the owner; everything after it as the application's role.
        manage("migrate", "--no-input", as_owner=True)
        if role:
            manage("grant_app_role", role[0], as_owner=True)
        manage("collectstatic", "--no-input")
        manage("load_demo", as_owner=True)
        # The demo's own notices go out now, so that what the run counts is its own.
        for _ in range(20):
            manage("worker", "--once")
            if json.loads(manage("shell", "-c", PENDING).strip().splitlines()[-1]) == {"tasks": 0, "deliveries": 0}:
                break
        demo_mails = len(mailbox.received)
        ids = json.loads(manage("shell", "-c", PREPARE.replace("sys.argv[1]", str(args.clients))
                                .replace("sys.argv[2]", repr(PASSWORD))).strip().splitlines()[-1])
        say(f"Prepared in {time.monotonic() - started:.0f} s through PgBouncer: migrate, collectstatic, the demo "
            f"(its {demo_mails} e-mails sent before the run), {args.clients} verified applicants.")
        say(f"Database roles: migrations and the demo as {database.username}"
            + (f"; the servers and workers as {role[0]} (manage.py grant_app_role: no UPDATE or DELETE on the "
               "history)" if role else " and so is everything else (not root: no second role)"))

        mailbox.received.clear()

        # ---- The application servers, the workers, nginx

        def start_server(name: str) -> subprocess.Popen[bytes]:
            server_env = {**env, "SHAGYM_INSTANCE": name, "SHAGYM_GUNICORN_BIND": f"127.0.0.1:{ports[name]}",
                          "SHAGYM_GUNICORN_ACCESS_LOG": str(WORK / f"gunicorn-{name}.access.log")}
            process = processes.start(f"gunicorn-{name}", [str(VENV / "gunicorn"), "--config",
                                                           str(DEPLOY / "gunicorn.conf.py"), "shagym.wsgi"],
                                      env=server_env, log=WORK / f"gunicorn-{name}.log")
            wait_port(ports[name], process)
            return process

        for name in ("a", "b"):
            start_server(name)
            processes.start(f"worker-{name}", [str(VENV / "python"), "manage.py", "worker", "--no-reload"],
                            env={**env, "SHAGYM_LOG_LEVEL": "INFO"}, log=WORK / f"worker-{name}.log")
        nginx = processes.start("nginx", [binary("nginx"), "-e", str(WORK / "nginx" / "startup.log"), "-p",
                                          str(WORK / "nginx"), "-c", str(nginx_config(
                                              https=ports["https"], http_port=ports["http"],
                                              upstreams=[ports["a"], ports["b"]]))])
        wait_port(ports["https"], nginx)
        context = ssl.create_default_context(cafile=str(WORK / "nginx" / "cert.pem"))

        # ---- What nginx does before the load: redirect, static files, media, body limit
        checks = []
        plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
        plain.request("GET", "/kk/", headers={"Host": "localhost"})
        answer = plain.getresponse()
        checks.append(("http:// redirects to https://", answer.status == 301
                       and (answer.getheader("Location") or "").startswith("https://localhost:"),
                       f"{answer.status} {answer.getheader('Location')}"))
        probe = Applicant(ports["https"], context, Recorder(), "")
        home = probe.get("/kk/")
        static = re.search(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', home)
        if static:
            status, _, _body = probe.raw("GET", static.group(1))
            conn = http.client.HTTPSConnection("localhost", ports["https"], context=context, timeout=10)
            conn.request("GET", static.group(1), headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
            cache_control = response.getheader("Cache-Control") or ""
            checks.append(("static file served by nginx, a year, immutable, gzip",
                           status == 200 and "immutable" in cache_control
                           and response.getheader("Content-Encoding") == "gzip",
                           f"{static.group(1)}: {status}, Cache-Control: {cache_control}, "
                           f"Content-Encoding: {response.getheader('Content-Encoding')}"))
        status, _, _ = probe.raw("GET", "/media/attachments/2026/01/anything.pdf")
        checks.append(("/media/ never served directly", status == 404, str(status)))
        conn = http.client.HTTPSConnection("localhost", ports["https"], context=context, timeout=10)
        conn.putrequest("POST", "/kk/complaint/new/attachments/")
        conn.putheader("Content-Length", str(60 * 1024 * 1024))
        conn.putheader("Content-Type", "multipart/form-data; boundary=x")
        conn.endheaders()
        response = conn.getresponse()
        checks.append(("a 60 MB body refused by nginx (client_max_body_size 51m)", response.status == 413,
                       str(response.status)))
        conn.close()

        # ---- The load
        timeline: dict[str, float] = {}
        recorder = Recorder()
        applicants = [Applicant(ports["https"], context, recorder, email) for email in ids["emails"]]
        for applicant in applicants:
            applicant.sign_in()
        recorder.started = time.monotonic()
        timeline["wall"] = time.time()
        end = args.duration
        counter = iter(range(1, 10**9))
        counter_lock = threading.Lock()

        def work(applicant: Applicant) -> None:
            while recorder.now() < end:
                with counter_lock:
                    n = next(counter)
                try:
                    pk = applicant.file_complaint(ids, n)
                    applicant.filed.append(pk)
                    applicant.read_back(pk, ids)
                except SessionLost:
                    applicant.relogins += 1
                    with contextlib.suppress(Failed, SessionLost):
                        applicant.sign_in()
                except Failed:
                    time.sleep(0.2)

        # PgBouncer's pools every second: how many clients share how many server connections.
        admin = owner._replace(path="/pgbouncer").geturl()
        name = database.path.lstrip("/")
        pool: dict[str, int] = collections.defaultdict(int)
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.wait(1):
                now: collections.Counter[str] = collections.Counter()
                for row in console(admin, "SHOW POOLS"):  # one pool per database and user
                    if row.get("database") == name:
                        now["servers"] += sum(int(row[k]) for k in ("sv_active", "sv_idle", "sv_used", "sv_tested",
                                                                     "sv_login"))
                        now["clients"] += int(row["cl_active"]) + int(row["cl_waiting"])
                        now["waiting"] += int(row["cl_waiting"])
                        now["busy"] += int(row["sv_active"])
                for key, value in now.items():
                    pool[key] = max(pool[key], value)

        threading.Thread(target=sample, daemon=True).start()
        threads = [threading.Thread(target=work, args=(a,), daemon=True) for a in applicants]
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, args.kill_at - recorder.now()))
        timeline["killed"] = recorder.now()
        processes.kill("gunicorn-a", signal.SIGKILL)
        # A's listening socket lives until the last of its processes is gone; from then on connections are refused.
        while True:
            try:
                socket.create_connection(("127.0.0.1", ports["a"]), timeout=0.2).close()
            except OSError:
                break
            time.sleep(0.005)
        timeline["dead"] = recorder.now()
        say(f"Load: {args.clients} applicants for {args.duration} s; server A killed (SIGKILL) at "
            f"{timeline['killed']:.1f} s")
        time.sleep(max(0.0, timeline["killed"] + args.down - recorder.now()))
        start_server("a")
        timeline["back"] = recorder.now()
        say(f"Server A started again at {timeline['back']:.1f} s (listening)")
        for thread in threads:
            thread.join()
        timeline["end"] = recorder.now()

        # ---- Every session after the kill: the same cookie, answered by both servers
        kept = 0
        marks: dict[str, str] = {}
        for index, applicant in enumerate(applicants):
            ok = applicant.cookies.get("sessionid") == applicant.session_key and applicant.relogins == 0
            for round_ in range(4):
                mark = f"s{index}r{round_}"
                marks[mark] = applicant.email
                try:
                    page = applicant.get(f"/kk/cabinet/?check={mark}")
                    ok = ok and "/accounts/logout/" in page
                except (Failed, SessionLost):
                    ok = False
            kept += ok

        # ---- Let the workers finish, then count
        drained_at = time.monotonic()
        pending: dict[str, int] = {}
        while time.monotonic() - drained_at < 180:
            pending = json.loads(manage("shell", "-c", PENDING).strip().splitlines()[-1])
            if not pending["tasks"] and not pending["deliveries"]:
                break
            time.sleep(3)
        figures = json.loads(manage("shell", "-c", FIGURES.replace("sys.argv[1]", repr(json.dumps(ids["base"])))
                                    .replace("sys.argv[2]", repr(json.dumps([e.split("@")[0] for e in ids["emails"]]))))
                             .strip().splitlines()[-1])
        drain_seconds = time.monotonic() - drained_at
        sampling.set()
        stats = console(admin, "SHOW STATS")
    finally:
        processes.stop_all()
        with contextlib.suppress(Exception):
            smtp.stop()

    report(args, recorder, timeline, applicants, kept, marks, figures, mailbox, pending, drain_seconds, checks,
           dict(pool), stats, database)


def report(args: argparse.Namespace, recorder: Recorder, timeline: dict[str, float], applicants: list[Applicant],
           kept: int, marks: dict[str, str], figures: dict[str, Any], mailbox: Mailbox, pending: dict[str, int],
           drain_seconds: float, checks: list[tuple[str, bool, str]], pool: dict[str, int], stats: list[dict[str, str]],
           database: urllib.parse.ParseResult) -> None:
    say()
    say("== nginx in front")
    for label, ok, detail in checks:
        say(f"  {'ok ' if ok else 'BAD'} {label}: {detail}")

    # Requests per server: the access logs of A and B (A's covers both of its lives), and nginx's view.
    say()
    say("== Requests served by each application server (their access logs)")
    served: dict[str, int] = {}
    checked: dict[str, set[str]] = collections.defaultdict(set)
    for name in ("a", "b"):
        lines = (WORK / f"gunicorn-{name}.access.log").read_text().splitlines()
        served[name] = len(lines)
        for line in lines:
            if mark := re.search(r"check=(s\d+r\d+)", line):
                checked[marks[mark.group(1)]].add(name)
    total = sum(served.values())
    for name, count in served.items():
        times = sorted(int(ms) for ms in re.findall(r" (\d+)ms ", (WORK / f"gunicorn-{name}.access.log").read_text()))
        say(f"  server {name.upper()}: {count} requests ({count / max(1, total):.0%}); time in the application per "
            f"request p50 {times[len(times) // 2]} ms, p95 {times[int(len(times) * 0.95)]} ms, "
            f"mean {sum(times) / len(times):.0f} ms")
    nginx_lines = (WORK / "nginx" / "access.log").read_text().splitlines()
    upstream_of = {f"127.0.0.1:{p}": n for n, p in (("A", _port(WORK / "nginx" / "upstream.conf", 0)),
                                                     ("B", _port(WORK / "nginx" / "upstream.conf", 1)))}
    final: collections.Counter[str] = collections.Counter()
    retried, statuses = [], collections.Counter()
    buckets: dict[int, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in nginx_lines:
        match = re.search(r'\[([^\]]+)\] .*" (\d{3}) .*upstream="([^"]*)" ustatus="([^"]*)"', line)
        if not match:
            continue
        statuses[match.group(2)] += 1
        tried = [u.strip() for u in match.group(3).split(",") if u.strip()]
        if tried:
            server = upstream_of.get(tried[-1], tried[-1])
            final[server] += 1
            second = dt.datetime.strptime(match.group(1), "%d/%b/%Y:%H:%M:%S %z").timestamp() - timeline["wall"]
            if 0 <= second < timeline["end"] + 1:
                buckets[int(second // 5)][server] += 1
        if len(tried) > 1:
            retried.append(line)
    say(f"  nginx: {len(nginx_lines)} requests; answered by A {final['A']}, by B {final['B']}; "
        f"passed on to the other server after a failure: {len(retried)}")
    for line in retried[:6]:
        request = re.search(r'"(\w+ \S+)', line)
        tried = re.search(r'upstream="([^"]*)" ustatus="([^"]*)"', line)
        say(f"    {request.group(1) if request else '?'}: tried {tried.group(1) if tried else '?'} -> "
            f"{tried.group(2) if tried else '?'}")
    say(f"  nginx statuses: {dict(sorted(statuses.items()))}")
    say("  answered by A / B in each 5 s of the load (A killed at "
        f"{timeline['killed']:.0f} s, back at {timeline['back']:.0f} s):")
    row = [f"{f'{5 * b}-{5 * b + 5} s':>9}: {buckets[b]['A']:>3} / {buckets[b]['B']:<3}" for b in sorted(buckets)]
    for start in range(0, len(row), 4):
        say("   " + "  ".join(row[start:start + 4]))

    # Errors, and when: a request is in the kill window if it was still running when A died, or was sent before A
    # was back and had settled.
    hits = recorder.hits
    window = (timeline["killed"], timeline["back"] + 5)
    errors = [h for h in hits if h.status == 0 or h.status >= 400]
    in_window = [h for h in errors if h.end >= window[0] and h.at <= window[1]]
    in_flight = [h for h in in_window if h.at <= timeline["dead"] and h.end >= timeline["killed"]]
    say()
    say(f"== Errors seen by the applicants ({len(hits)} requests in {timeline['end']:.0f} s, "
        f"{len(hits) / max(1.0, timeline['end']):.1f} req/s through nginx)")
    say(f"  errors: {len(errors)} ({len(errors) / max(1, len(hits)):.2%}); in the kill window "
        f"{window[0]:.1f}-{window[1]:.1f} s: {len(in_window)}, of which requests A had taken when it died "
        f"({timeline['killed']:.2f}-{timeline['dead']:.2f} s): "
        f"{len(in_flight)}; other errors: {len(errors) - len(in_flight)}")
    for hit in errors[:10]:
        say(f"    sent {hit.at:5.1f} s, failed {hit.end:5.1f} s  {hit.method} {hit.path} -> {hit.status or hit.error}")
    say("  nginx passes a request on to B when A refuses it or dies before answering (GET always, POST if A never "
        "got it); a request A was answering at the instant it died cannot be: its answer had begun, or it was a POST "
        f"A had taken. The applicant then reloaded or pressed the button again: {sum(a.resent for a in applicants)} "
        "requests sent again.")
    say()
    say("== Sessions")
    both = sum(1 for servers in checked.values() if servers == {"a", "b"})
    say(f"  signed in once: {len(applicants)}; signed in again during the run: "
        f"{sum(a.relogins for a in applicants)}")
    say(f"  session still valid after the kill, same cookie, no new sign-in: {kept} of {len(applicants)}")
    say(f"  the same session answered by both A and B in the final check: {both} of {len(applicants)}")

    say()
    say("== Complaints, events, publication tasks")
    filed = sum(len(a.filed) for a in applicants)
    say(f"  filed (the applicants saw the 'sent' page): {filed}; in the database: {figures['complaints']} "
        f"({figures['complaints_by_load_users']} by these applicants); "
        f"attachments stored: {figures['attachments']}")
    say(f"  events: {figures['events']} {figures['events_by_action']}; publication tasks: {figures['publish_tasks']} "
        f"for {figures['events_with_tasks']} events; events with more than one task: "
        f"{figures['events_with_more_than_one_task']}; without one: {figures['events_without_task']}; "
        f"done: {figures['publish_done']}, failed: {figures['publish_failed']}")
    workers = figures["tasks_by_worker"]
    names = {}
    for side in ("a", "b"):
        text = (WORK / f"worker-{side}.log").read_text()
        for worker_id in workers:
            if worker_id in text:
                names[worker_id] = side.upper()
    say("  tasks run by each worker: " + ", ".join(f"worker {names.get(w, w[:8])}: {n}" for w, n in workers.items()))
    if wait := figures["publish_wait"]:
        say(f"  from an action's commit to its publication done (queue wait and run): p50 {wait['p50']:.2f} s, "
            f"p95 {wait['p95']:.2f} s, max {wait['max']:.2f} s")
    if sweep := figures["sweep_run"]:
        say(f"  sweeps run: {sweep['n']}, each p50 {sweep['p50']:.2f} s, max {sweep['max']:.2f} s")
    if mail := figures["email_after"]:
        say(f"  from a message written to its e-mail accepted by SMTP: p50 {mail['p50']:.2f} s, "
            f"p95 {mail['p95']:.2f} s, max {mail['max']:.2f} s")

    say()
    say("== Messages, sent once")
    received = collections.Counter(notice for notice, _id in mailbox.received)
    sent = figures["email_sent"]
    duplicates = {k: n for k, n in received.items() if n > 1}
    missing = [k for k in sent if k not in received]
    unexpected = [k for k in received if k not in sent]
    references = {ref for ref in sent.values()}
    say(f"  messages written: {figures['messages']}; deliveries: {figures['deliveries']}")
    say(f"  e-mails received by the SMTP server during the run: {len(mailbox.received)}, for {len(received)} "
        f"messages; e-mail deliveries marked sent since the run began: {len(sent)}")
    say(f"  messages e-mailed more than once: {len(duplicates)}; sent but never received: {len(missing)}; "
        f"received without a sent delivery: {len(unexpected)}; Message-IDs matching the delivery rows: "
        f"{sum(1 for _n, mid in mailbox.received if mid in references)} of {len(mailbox.received)}")
    say(f"  queue after the load: {pending} (drained in {drain_seconds:.0f} s, two workers, sweep every 15 s)")

    say()
    say("== PgBouncer (transaction pooling)")
    gunicorns = 2 * args.workers
    say(f"  during the load, at most {pool['clients']} client connections (2 x {args.workers} gunicorn workers and "
        f"2 task workers keep one each: {gunicorns + 2}), served by at most {pool['servers']} server connections to "
        f"PostgreSQL ({pool['busy']} busy at once); clients waiting for one: at most {pool['waiting']}")
    for row in stats:
        if row.get("database") == database.path.lstrip("/"):
            say(f"  transactions {row['total_xact_count']}, queries {row['total_query_count']} through the pooler; "
                f"average transaction {int(row['avg_xact_time']) / 1000:.1f} ms, wait for a server connection "
                f"{int(row['total_wait_time']) / 1000:.0f} ms in all")

    verdict = all([
        all(ok for _label, ok, _detail in checks),
        served["a"] > 0 and served["b"] > 0,
        kept == len(applicants), both == len(applicants),
        len(in_flight) == len(errors),
        figures["complaints"] == filed == figures["complaints_by_load_users"],
        figures["events_with_more_than_one_task"] == 0 and figures["events_without_task"] == 0,
        not duplicates and not missing and not unexpected,
        not pending.get("tasks") and not pending.get("deliveries"),
    ])
    say()
    say(f"== Verdict: {'scales out: every check holds' if verdict else 'SOMETHING FAILED: see above'}")
    (WORK / "report.txt").write_text("\n".join(LINES) + "\n")
    if not verdict:
        raise SystemExit(1)


def _port(path: Path, index: int) -> int:
    return [int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", path.read_text())][index]


if __name__ == "__main__":
    main()

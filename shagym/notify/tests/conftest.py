"""Fixtures for the notification tests: tasks run at once, SMS land in a temporary folder, a real SMTP server on
loopback, and a small Kazakh and Russian catalogue for the messages whose language the tests read back."""

from __future__ import annotations

import array
import datetime as dt
import email
import email.policy
import socket
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from shagym.complaints import services
from shagym.complaints.models import Complaint
from shagym.complaints.tests.factories import complaint_input

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _notify_settings(settings, tmp_path):
    settings.TASKS = IMMEDIATE
    settings.SHAGYM_SMS_GATEWAY = "shagym.notify.gateways.FileSmsGateway"
    settings.SHAGYM_SMS_DIR = tmp_path / "sms"
    settings.SITE_URL = "https://shagym.example.kz"


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment in Almaty time."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


# Monday 2 November 2026, 10:00 Almaty: a plain working week, as in shagym/conftest.py.
MONDAY = at(2026, 11, 2)


def portal_complaint(*, applicant, body, now: dt.datetime, **overrides: Any) -> Complaint:
    values: dict[str, Any] = {"email": "erlan@example.kz", "learned_on": now.date(), **overrides}
    return services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=body, **values), now=now).complaint


def paper_complaint(*, clerk, body, now: dt.datetime, **overrides: Any) -> Complaint:
    values: dict[str, Any] = {"channel": "office", "email": "", "learned_on": now.date(), **overrides}
    return services.submit_complaint(actor=clerk, data=complaint_input(reviewing_body=body, **values), now=now).complaint


# ---- A real SMTP server on loopback (aiosmtpd) -----------------------------------------------------------------


class Mailbox:
    """Keeps what the server received; refuses any recipient whose address starts with "bounce"."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    controller.stop()


# ---- An SMS provider on loopback, answering with the status the test sets -------------------------------------


class SmsProvider:
    def __init__(self) -> None:
        self.status = 200
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []


@pytest.fixture
def sms_provider(settings) -> Iterator[SmsProvider]:
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    provider = SmsProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            provider.received.append(json.loads(body))
            provider.headers.append(dict(self.headers))
            answer = json.dumps({"id": f"sms-{len(provider.received)}"}).encode()
            self.send_response(provider.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SHAGYM_SMS_GATEWAY = "shagym.notify.gateways.HttpSmsGateway"
    settings.SHAGYM_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SHAGYM_SMS_HTTP_TOKEN = "test-token"
    settings.SHAGYM_SMS_TIMEOUT = 5
    yield provider
    server.shutdown()
    server.server_close()


# ---- Kazakh and Russian for the sentences the tests read back ---------------------------------------------------
# The project's catalogues are filled in a later translation pass; these let the tests prove that a message is
# written in the language of its complaint, through gettext, today.

CATALOGUES = {
    "kk": {
        "Complaint %(number)s registered": "№ %(number)s шағым тіркелді",
        "Complaint %(number)s: the review term is extended to %(due)s":
            "№ %(number)s шағым: қарау мерзімі %(due)s дейін ұзартылды",
        "Dear %(name)s,": "Құрметті %(name)s!",
        "Your complaint was registered by %(body)s on %(registered)s under No. %(number)s.":
            "Сіздің шағымыңызды %(body)s %(registered)s № %(number)s нөмірімен тіркеді.",
        "The answer will be given no later than %(due)s.": "Жауап %(due)s кешіктірілмей беріледі.",
    },
    "ru": {
        "Complaint %(number)s registered": "Жалоба № %(number)s зарегистрирована",
        "Complaint %(number)s: the review term is extended to %(due)s":
            "Жалоба № %(number)s: срок рассмотрения продлён до %(due)s",
        "Dear %(name)s,": "Уважаемый(ая) %(name)s!",
        "Your complaint was registered by %(body)s on %(registered)s under No. %(number)s.":
            "Ваша жалоба зарегистрирована: %(body)s, %(registered)s, № %(number)s.",
        "The answer will be given no later than %(due)s.": "Ответ будет дан не позднее %(due)s.",
    },
}


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format of CPython's Tools/i18n/msgfmt.py), so no gettext binary is needed."""
    catalogue = {"": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"}
    catalogue.update(messages)
    keys = sorted(catalogue)
    ids = strs = b""
    offsets = []
    for key in keys:
        raw_id, raw_str = key.encode(), catalogue[key].encode()
        offsets.append((len(ids), len(raw_id), len(strs), len(raw_str)))
        ids += raw_id + b"\0"
        strs += raw_str + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_offsets += [id_length, id_offset + key_start]
        value_offsets += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        header + array.array("i", key_offsets).tobytes() + array.array("i", value_offsets).tobytes() + ids + strs
    )


@pytest.fixture
def kk_ru(settings, tmp_path) -> None:
    for language, messages in CATALOGUES.items():
        write_mo(tmp_path / "locale" / language / "LC_MESSAGES" / "django.mo", messages)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

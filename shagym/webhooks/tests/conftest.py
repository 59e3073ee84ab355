"""A webhook receiver on loopback that verifies each delivery with the `standardwebhooks` package (the reference
library any receiver would use) and records what it accepted."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.SHAGYM_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    settings.SHAGYM_WEBHOOK_REQUIRE_HTTPS = False
    settings.SHAGYM_WEBHOOK_TIMEOUT = 5
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Receiver:
    """Answers 500 to the first `fail_first` attempts of each message, then verifies and accepts (200)."""

    def __init__(self, fail_first: int = 0):
        self.fail_first = fail_first
        self.secret = ""
        self.attempts: Counter[str] = Counter()
        self.accepted: list[dict[str, Any]] = []
        self.accepted_ids: list[str] = []
        self.rejected: list[str] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                message_id = headers.get("webhook-id", "")
                with receiver.lock:
                    receiver.attempts[message_id] += 1
                    failing = receiver.attempts[message_id] <= receiver.fail_first
                if failing:
                    self.send_response(500)
                    self.end_headers()
                    return
                try:
                    payload = Webhook(receiver.secret).verify(body, headers)
                except WebhookVerificationError as exc:
                    with receiver.lock:
                        receiver.rejected.append(str(exc))
                    self.send_response(400)
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.accepted.append(payload)
                    receiver.accepted_ids.append(message_id)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/shagym"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(fail_first: int = 0) -> Receiver:
        made.append(Receiver(fail_first))
        return made[-1]

    yield make
    for r in made:
        r.stop()


def body_of(payload: dict[str, Any]) -> str:
    return json.dumps(payload)

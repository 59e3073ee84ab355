"""For the tests of every layer: a certification authority made in the test, written where the settings look
(the trust directory, the seals), and a small HTTP server on loopback that plays the certification centre's OCSP
responder and CRL publisher, or NCANode."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import pki

SEAL_PASSWORD = "test-seal"  # nosec B105 # the test CA's seals, made and thrown away by the tests

Handler = Callable[[bytes], tuple[int, str, bytes]]  # request body -> (status, content type, body)


@dataclass
class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1: `routes[path]` answers GET and POST."""

    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, bytes]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> LoopbackServer:
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                owner.requests.append((self.path, body))
                route = owner.routes.get(self.path)
                status, kind, content = route(body) if route else (404, "text/plain", b"not found")
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@contextmanager
def loopback(**routes: Handler) -> Iterator[LoopbackServer]:
    server = LoopbackServer(dict(routes)).start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class TestPKI:
    """A root and an intermediate made for one test session; people and seals issued on demand."""

    __test__ = False  # not a test class, whatever its name

    root: pki.Issued
    intermediate: pki.Issued

    @classmethod
    def make(cls) -> TestPKI:
        start = pki.utcnow() - dt.timedelta(days=3650)
        root = pki.make_root("Test Root CA", not_before=start, not_after=start + dt.timedelta(days=365 * 30))
        return cls(root, pki.make_intermediate(root, "Test Signing CA", not_before=start,
                                               not_after=start + dt.timedelta(days=365 * 20)))

    def person(self, iin: str, *, surname: str = "Ахметов", first_name: str = "Ерлан", **kw: Any) -> pki.Issued:
        return pki.make_person(self.intermediate, iin=iin, surname=surname, first_name=first_name, **kw)

    def write_trust(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "root.pem").write_bytes(self.root.pem)
        (directory / "intermediate.crt").write_bytes(self.intermediate.der)
        return directory

    def write_seal(self, directory: Path, key: str, *, organisation: str, bin: str = "") -> pki.Issued:
        directory.mkdir(parents=True, exist_ok=True)
        seal = pki.make_seal(self.intermediate, organisation=organisation, bin=bin)
        (directory / f"{key}.p12").write_bytes(seal.p12(SEAL_PASSWORD))
        return seal

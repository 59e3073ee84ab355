"""A stand-in for NCALayer, for the tests and the demo: a WebSocket server on loopback speaking NCALayer's JSON
protocol and signing with test keys of the demo CA. Never a way to sign anything real.

What it speaks (as NCALayer 1.4 does):
- on connection, the greeting `{"result": {"version": "1.4"}}`; "--heartbeat--" is ignored;
- `{"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {"format": "cms", "data": <base64 or a list>,
  "signingParams": {"decode": true, "encapsulate": false, "digested": false}, "signerParams": {"iin": ..., "bin":
  ...}, "allowedStorages": [...], "locale": "ru"}}` -> `{"status": true, "body": {"result": [<CMS, base64>]}}`;
- `{"module": "kz.gov.pki.knca.commonUtils", "method": "createCAdESFromBase64", "args": [storage, keyType, data,
  attach]}` -> `{"code": "200", "responseObject": <CMS, base64>}`;
- anything else -> `{"status": false, "code": "UNSUPPORTED", "message": ...}` (basics) or `{"code": "500", ...}`.

Which key signs: with a fixed key (`--key file.p12`), always that one (the tests of a wrong signer); otherwise a key
minted on the spot by the demo CA for the IIN and BIN the page asks for in signerParams (as NCALayer would offer
only the user's matching key), or for the default identity."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve

from . import pki

logger = logging.getLogger(__name__)

VERSION = "1.4"
HEARTBEAT = "--heartbeat--"


@dataclass
class Keys:
    """Where the double's keys come from."""

    ca: pki.Issued | None = None  # mints per request
    fixed: pki.Issued | None = None  # always this one
    default_iin: str = "880101300123"
    default_name: tuple[str, str] = ("ТЕСТОВ", "ТЕСТ")
    minted: dict[tuple[str, str], pki.Issued] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)  # every request, for the tests

    def key_for(self, iin: str, bin: str) -> pki.Issued:
        if self.fixed is not None:
            return self.fixed
        assert self.ca is not None, "a CA or a fixed key"
        wanted = (iin or self.default_iin, bin)
        if wanted not in self.minted:
            surname, first = self.default_name
            self.minted[wanted] = pki.make_person(self.ca, iin=wanted[0], surname=surname, first_name=first,
                                                  bin=bin, organisation="Demo" if bin else "")
        return self.minted[wanted]


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def answer(request: dict[str, Any], keys: Keys) -> dict[str, Any]:
    """The reply NCALayer would give to one request."""
    keys.log.append(request)
    module, method, args = request.get("module"), request.get("method"), request.get("args")
    if module == "kz.gov.pki.knca.basics" and method == "sign" and isinstance(args, dict):
        params = args.get("signingParams") or {}
        signer = args.get("signerParams") or {}
        data = args.get("data")
        items: list[Any] = data if isinstance(data, list) else [data]
        try:
            raw = [base64.b64decode(item) if _truthy(params.get("decode", True)) else str(item).encode()
                   for item in items]
        except (ValueError, TypeError):
            return {"status": False, "code": "DATA_ERROR", "message": "data is not base64", "body": {}}
        key = keys.key_for(str(signer.get("iin") or ""), str(signer.get("bin") or ""))
        signatures = [base64.b64encode(key.sign(data, attach=_truthy(params.get("encapsulate")))).decode()
                      for data in raw]
        return {"status": True, "body": {"result": signatures}}
    if module == "kz.gov.pki.knca.commonUtils" and method == "createCAdESFromBase64" and isinstance(args, list):
        try:
            data = base64.b64decode(args[2])
        except (IndexError, ValueError, TypeError):
            return {"code": "500", "message": "data is not base64"}
        key = keys.key_for("", "")
        attach = len(args) > 3 and _truthy(args[3])
        return {"code": "200", "responseObject": base64.b64encode(key.sign(data, attach=attach)).decode()}
    if module == "kz.gov.pki.knca.commonUtils" and method == "getActiveTokens":
        return {"code": "200", "responseObject": []}
    if module == "kz.gov.pki.knca.basics":
        return {"status": False, "code": "UNSUPPORTED", "message": f"{method} is not supported by the double", "body": {}}
    return {"code": "500", "message": f"{module}.{method} is not supported by the double"}


async def _session(connection: ServerConnection, keys: Keys) -> None:
    await connection.send(json.dumps({"result": {"version": VERSION}}))
    async for message in connection:
        if message == HEARTBEAT:
            continue
        try:
            request = json.loads(message)
        except (TypeError, ValueError):
            await connection.send(json.dumps({"code": "500", "message": "not JSON"}))
            continue
        reply = await asyncio.to_thread(answer, request, keys)
        await connection.send(json.dumps(reply))


def _tls(cert: str | None, key: str | None) -> ssl.SSLContext | None:
    if not cert:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


async def run(keys: Keys, *, host: str = "127.0.0.1", port: int = 13579, cert: str | None = None,
              key: str | None = None, ready: Callable[[Server], None] | None = None) -> None:
    """Serve until cancelled."""
    async with serve(lambda c: _session(c, keys), host, port, ssl=_tls(cert, key), max_size=32 * 1024 * 1024) as server:
        if ready is not None:
            ready(server)
        await asyncio.get_running_loop().create_future()


@dataclass
class Running:
    url: str
    keys: Keys
    _loop: asyncio.AbstractEventLoop
    _thread: threading.Thread

    def stop(self) -> None:
        for task in asyncio.all_tasks(self._loop):
            self._loop.call_soon_threadsafe(task.cancel)
        self._thread.join(timeout=5)


def start_in_thread(keys: Keys, *, host: str = "127.0.0.1", port: int = 0, cert: str | None = None,
                    key: str | None = None) -> Running:
    """The double in a background thread (the browser tests); port 0 picks a free port."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    bound: dict[str, int] = {}

    def ready(server: Server) -> None:
        bound["port"] = next(iter(server.sockets)).getsockname()[1]
        started.set()

    def main() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(run(keys, host=host, port=port, cert=cert, key=key, ready=ready))
        except asyncio.CancelledError:
            pass
        finally:
            loop.close()

    thread = threading.Thread(target=main, daemon=True, name="ncalayer-double")
    thread.start()
    if not started.wait(10):
        raise RuntimeError("The NCALayer double did not start")
    scheme = "wss" if cert else "ws"
    return Running(f"{scheme}://{host}:{bound['port']}", keys, loop, thread)

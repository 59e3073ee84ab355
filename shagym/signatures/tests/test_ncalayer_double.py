"""The NCALayer double speaks NCALayer's protocol: the greeting, the basics module's sign, commonUtils'
createCAdESFromBase64; its signatures verify as a real NCALayer's would, with the demo CA trusted."""

from __future__ import annotations

import base64
import json

import pytest
from websockets.sync.client import connect

from shagym.signatures import ncalayer_double, verify

DATA = b'{"format":"shagym-complaint/1"}'


@pytest.fixture
def double(trusted):
    running = ncalayer_double.start_in_thread(ncalayer_double.Keys(ca=trusted.intermediate))
    yield running
    running.stop()


def exchange(url, request):
    with connect(url) as socket:
        greeting = json.loads(socket.recv(timeout=5))
        socket.send("--heartbeat--")
        socket.send(json.dumps(request))
        return greeting, json.loads(socket.recv(timeout=10))


def test_basics_sign_answers_a_detached_cms_by_a_key_with_the_requested_iin(double):
    greeting, reply = exchange(double.url, {
        "module": "kz.gov.pki.knca.basics", "method": "sign",
        "args": {"allowedStorages": ["PKCS12"], "format": "cms", "data": base64.b64encode(DATA).decode(),
                 "signingParams": {"decode": True, "encapsulate": False, "digested": False},
                 "signerParams": {"extKeyUsageOids": [], "iin": "900202400456"}, "locale": "kk"}})
    assert greeting == {"result": {"version": "1.4"}}
    assert reply["status"] is True
    result = verify.verify(reply["body"]["result"][0], DATA)
    assert result.ok and result.signer.iin == "900202400456"


def test_common_utils_create_cades_from_base64(double):
    _, reply = exchange(double.url, {"module": "kz.gov.pki.knca.commonUtils", "method": "createCAdESFromBase64",
                                     "args": ["PKCS12", "SIGNATURE", base64.b64encode(DATA).decode(), False]})
    assert reply["code"] == "200"
    assert verify.verify(reply["responseObject"], DATA).ok


def test_a_fixed_key_signs_whatever_is_asked(trusted):
    someone = trusted.person("770707300999")
    running = ncalayer_double.start_in_thread(ncalayer_double.Keys(fixed=someone))
    try:
        _, reply = exchange(running.url, {"module": "kz.gov.pki.knca.basics", "method": "sign", "args": {
            "data": base64.b64encode(DATA).decode(), "signingParams": {"decode": "true"},
            "signerParams": {"iin": "900202400456"}}})
    finally:
        running.stop()
    assert verify.verify(reply["body"]["result"][0], DATA).signer.iin == "770707300999"


def test_unknown_methods_are_refused_in_each_modules_envelope(double):
    _, basics = exchange(double.url, {"module": "kz.gov.pki.knca.basics", "method": "authenticate", "args": {}})
    _, common = exchange(double.url, {"module": "kz.gov.pki.knca.commonUtils", "method": "signXml", "args": []})
    assert basics["status"] is False and common["code"] == "500"


def test_the_double_serves_wss_with_a_certificate_of_the_demo_ca(trusted, tmp_path):
    from shagym.signatures import demo

    cert, key = demo.ensure_tls(tmp_path, trusted.intermediate)
    running = ncalayer_double.start_in_thread(ncalayer_double.Keys(ca=trusted.intermediate), cert=str(cert),
                                              key=str(key))
    try:
        import ssl

        context = ssl.create_default_context(cadata=trusted.root.pem.decode())
        # Once in a CI run on a loaded machine the server never answered the opening handshake after TLS (the
        # server's log showed no "connection open"); a second connection is allowed, a broken double fails both.
        for attempt in range(2):
            try:
                with connect(running.url, ssl=context, open_timeout=10) as socket:
                    assert json.loads(socket.recv(timeout=5))["result"]["version"] == "1.4"
                break
            except TimeoutError:
                if attempt:
                    raise
    finally:
        running.stop()
    assert running.url.startswith("wss://")

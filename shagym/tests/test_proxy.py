"""Behind nginx: the client's address and HTTPS are taken from the forwarding headers only when the request comes
from a trusted proxy (shagym/proxy.py), so the per-address limits count real clients and cannot be dodged."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from shagym.proxy import ProxyHeadersMiddleware, _networks, client_address

PROXIES = ("10.0.0.10", "10.0.1.0/24")
NGINX = "10.0.0.10"
TOO_MANY = "Too many wrong attempts."


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not a proxy: its own address, whatever it claims
    (NGINX, "198.51.100.1", "198.51.100.1"),
    (NGINX, "1.1.1.1, 198.51.100.1", "198.51.100.1"),  # the client wrote the left entry: never believed
    (NGINX, "198.51.100.1, 10.0.1.5", "198.51.100.1"),  # through two of our proxies
    (NGINX, "10.0.1.5, 10.0.1.6", "10.0.1.5"),  # nothing but our proxies: the farthest one
    (NGINX, "", NGINX),  # the proxy said nothing: the proxy
    (NGINX, "1.1.1.1, not-an-address", NGINX),  # a broken chain is not believed past the break
    (NGINX, "[2001:db8::7]:51234", "2001:db8::7"),
    (NGINX, "198.51.100.1:51234", "198.51.100.1"),
    ("::ffff:10.0.0.10", "198.51.100.1", "198.51.100.1"),  # a dual-stack socket's form of the proxy's address
])
def test_client_address(peer, forwarded, expected):
    assert client_address(peer, forwarded, _networks(PROXIES)) == expected


def _through(settings, **meta: str) -> HttpRequest:
    settings.SHAGYM_TRUSTED_PROXIES = list(PROXIES)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen: list[HttpRequest] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse()

    ProxyHeadersMiddleware(view)(RequestFactory().get("/", **meta))
    return seen[0]


def test_the_proxy_tells_the_address_and_the_scheme(settings):
    request = _through(settings, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.1",
                       HTTP_X_FORWARDED_PROTO="https")
    assert request.META["REMOTE_ADDR"] == "198.51.100.1"
    assert request.is_secure()


def test_anyone_else_cannot_claim_an_address_or_https(settings):
    request = _through(settings, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1",
                       HTTP_X_FORWARDED_PROTO="https")
    assert request.META["REMOTE_ADDR"] == "203.0.113.7"
    assert not request.is_secure()
    assert "HTTP_X_FORWARDED_FOR" not in request.META and "HTTP_X_FORWARDED_PROTO" not in request.META


def test_without_trusted_proxies_the_headers_are_dropped(settings):
    settings.SHAGYM_TRUSTED_PROXIES = []
    seen: list[HttpRequest] = []
    ProxyHeadersMiddleware(lambda r: seen.append(r) or HttpResponse())(
        RequestFactory().get("/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.1"))
    assert seen[0].META["REMOTE_ADDR"] == NGINX and "HTTP_X_FORWARDED_FOR" not in seen[0].META


def _wrong_code(client, *, peer: str, forwarded: str, n: int) -> str:
    # A different number each time, so only the per-address counter can stop the attempts.
    with translation.override("en"):
        path = reverse("status-check")
    response = client.post(path, {"number": f"26-001-{n:05d}", "code": "AAAA-AAAA"},
                           REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    return response.content.decode()


@pytest.mark.django_db
def test_status_check_counts_wrong_codes_per_real_client(client, settings):
    """Issue 14: behind the load balancer every request comes from nginx; the limit must still be per client."""
    settings.SHAGYM_TRUSTED_PROXIES = list(PROXIES)
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 2
    settings.SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS = 2  # different numbers: the per-address counter
    assert TOO_MANY not in _wrong_code(client, peer=NGINX, forwarded="198.51.100.1", n=1)
    assert TOO_MANY not in _wrong_code(client, peer=NGINX, forwarded="198.51.100.1", n=2)
    assert TOO_MANY in _wrong_code(client, peer=NGINX, forwarded="198.51.100.1", n=3)
    # A claimed address in front of the real one changes nothing (nginx appends or overwrites the real one).
    assert TOO_MANY in _wrong_code(client, peer=NGINX, forwarded="192.0.2.99, 198.51.100.1", n=4)
    # Another client behind the same proxy is not locked out by the first one.
    assert TOO_MANY not in _wrong_code(client, peer=NGINX, forwarded="198.51.100.2", n=5)


@pytest.mark.django_db
def test_a_direct_client_cannot_dodge_the_limit_with_a_forged_header(client, settings):
    settings.SHAGYM_TRUSTED_PROXIES = list(PROXIES)
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 2
    settings.SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS = 2  # different numbers: the per-address counter
    for n in range(2):
        _wrong_code(client, peer="203.0.113.7", forwarded=f"192.0.2.{n}", n=n)
    assert TOO_MANY in _wrong_code(client, peer="203.0.113.7", forwarded="192.0.2.200", n=9)


@pytest.mark.django_db
def test_api_rate_limit_per_real_client(client, settings):
    settings.SHAGYM_TRUSTED_PROXIES = list(PROXIES)
    settings.SHAGYM_API_RATE_PER_ADDRESS = 2
    path = "/api/v1/calendar/deadline?received=2026-03-02&working_days=5"

    def status(forwarded: str) -> int:
        return client.get(path, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [status("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert status("198.51.100.2") == 200

"""The client's real address and scheme behind a reverse proxy, believed only from the proxies we run.

nginx (deploy/nginx/shagym.conf) connects to the application and says who the client is in X-Forwarded-For and
whether it came over HTTPS in X-Forwarded-Proto. Anyone can send those headers, so they count only when the request
comes from an address in SHAGYM_TRUSTED_PROXIES: then REMOTE_ADDR becomes the client's address, which is what the
status check's attempt counter (shagym.portal.codes), the API's per-address limit (shagym.api.limits) and allauth's
sign-in limits read, and Django takes the scheme from X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER). From any other
address both headers are removed, so a client cannot pick its own address to escape a limit, nor pass for HTTPS."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # ::ffff:10.0.0.5 on a dual-stack socket
        return address.ipv4_mapped
    return address


def trusted(address: str, networks: tuple[Network, ...]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_address(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the last address in
    X-Forwarded-For that is not one of our proxies. The entries to its left were written by the client or by proxies
    we do not run, so they are never believed. A malformed entry stops the walk: the proxy's own address is kept."""
    if not trusted(peer, networks):
        return peer
    client = peer
    for entry in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        parsed = _address(entry)
        if parsed is None:
            break
        client = str(parsed)
        if not any(parsed in network for network in networks):
            break
    return client


class ProxyHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = _networks(tuple(settings.SHAGYM_TRUSTED_PROXIES))
        meta = request.META
        peer = str(meta.get("REMOTE_ADDR") or "")
        if networks and trusted(peer, networks):
            meta["REMOTE_ADDR"] = client_address(peer, str(meta.get("HTTP_X_FORWARDED_FOR") or ""), networks)
        else:
            for header in FORWARDED:
                meta.pop(header, None)
        return self.get_response(request)

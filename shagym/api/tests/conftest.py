"""Keys and a client for the API tests: the ministry's system (clerk and head), another body's system."""

from __future__ import annotations

import json as jsonlib
from typing import Any

import pytest

from shagym.api import keys
from shagym.api.models import Scope
from shagym.complaints.tests.conftest import (  # noqa: F401  (the lifecycle's complaint fixtures, shared)
    awaiting_content,
    awaiting_signature,
    decided,
    delivered,
    extended,
    forwarding,
    qa_under_review,
    recommendation,
)
from shagym.directory.roles import Role

ALL = (Scope.READ, Scope.SUBMIT, Scope.ACT)


@pytest.fixture(autouse=True)
def _api_settings(settings):
    settings.SHAGYM_WEBHOOK_ALLOW_PRIVATE = True
    settings.SHAGYM_WEBHOOK_REQUIRE_HTTPS = False
    settings.SHAGYM_API_RATE_PER_KEY = 0
    settings.SHAGYM_API_RATE_PER_ADDRESS = 0


@pytest.fixture
def make_key(db):
    def make(organisation, scopes=ALL, roles=(Role.CLERK, Role.HEAD)):
        return keys.issue(organisation=organisation, name=f"System of {organisation.key}", scopes=scopes, roles=roles)

    return make


@pytest.fixture
def ministry_key(ministry, make_key):
    """(key, token) of the ministry's document system: clerk and head."""
    return make_key(ministry)


@pytest.fixture
def other_key(other_body, make_key):
    return make_key(other_body)


class Api:
    """The Django test client speaking JSON with a key."""

    def __init__(self, client, token: str | None = None, language: str = "en"):
        self.client = client
        self.token = token
        self.language = language

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept-Language": self.language}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str):
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers(headers))

    def post(self, path: str, body: Any = None, *, key: str | None = None, **headers: str):
        extra = dict(headers)
        if key is not None:
            extra["Idempotency-Key"] = key
        return self.client.post(f"/api/v1{path}", jsonlib.dumps(body if body is not None else {}),
                                content_type="application/json", headers=self.headers(extra))

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", headers=self.headers())


@pytest.fixture
def api(client, ministry_key):
    return Api(client, ministry_key[1])


@pytest.fixture
def other_api(client, other_key):
    return Api(client, other_key[1])


def complaint_body(**overrides: Any) -> dict[str, Any]:
    import datetime as dt

    from shagym.complaints.identifiers import make_iin

    body: dict[str, Any] = {
        "applicant_kind": "individual",
        "surname": "Ахметов",
        "first_name": "Ерлан",
        "patronymic": "Серікұлы",
        "iin": make_iin(dt.date(1990, 5, 17)),
        "postal_address": "Астана қ., Абай даңғылы, 10, 5-пәтер",
        "phones": "+7 701 123 45 67",
        "officials": [{"position": "бөлім басшысы", "surname": "Қасымов", "initials": "Б.Т."}],
        "reviewing_body": "minjust",
        "addressee_kind": "central",
        "appealed_act": "decision",
        "circumstances": "Анықтама берілмеді.",
        "reasons": "Құжаттар толық тапсырылды.",
        "demands": "Анықтаманы беруді сұраймын.",
        "learned_on": dt.date.today().isoformat(),
        "language": "kk",
        "channel": "office",
    }
    body.update(overrides)
    return body

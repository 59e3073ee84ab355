"""Wrong API keys count in the one sign-in lockout (shagym.security.lockout): per address, 429 once locked; a key
that works is still taken."""

from __future__ import annotations

import pytest
from django.test import Client

from shagym.api import keys


@pytest.fixture(autouse=True)
def _three_tries(settings):
    settings.SHAGYM_LOGIN_ATTEMPTS = settings.AXES_FAILURE_LIMIT = 3
    settings.SHAGYM_API_RATE_PER_KEY = settings.SHAGYM_API_RATE_PER_ADDRESS = 0


@pytest.fixture
def key(ministry):
    return keys.issue(organisation=ministry, name="eOtinish", scopes=["read"])[1]


def api_get(client: Client, token: str, address: str = "10.0.0.1"):
    return client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
                      REMOTE_ADDR=address)


def test_wrong_api_keys_lock_the_address_out(client, key):
    wrong = "shg_00000000_" + "x" * 43
    assert [api_get(client, wrong).status_code for _ in range(4)] == [401, 401, 429, 429]
    locked = api_get(client, wrong)
    assert locked["Content-Type"].startswith("application/problem+json")
    assert "Too many failed sign-in attempts" in locked.json()["detail"]
    # A key that works still works (it cannot be guessed), and another address is not locked.
    assert api_get(client, key).status_code == 200
    assert api_get(client, wrong, "10.0.0.2").status_code == 401


def test_a_revoked_key_counts_as_a_failure(client, ministry):
    api_key, token = keys.issue(organisation=ministry, name="old", scopes=["read"])
    keys.revoke(api_key)
    assert [api_get(client, token).status_code for _ in range(4)] == [401, 401, 429, 429]

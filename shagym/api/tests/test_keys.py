"""API keys: stored hashed, shown once, scoped, revocable; one organisation's key reaches nothing of another's."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from shagym.api import keys
from shagym.api.models import ApiKey, Scope
from shagym.api.tests.conftest import Api, complaint_body
from shagym.complaints import services
from shagym.complaints.models import Recommendation
from shagym.directory.models import Membership
from shagym.directory.roles import Role

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_as_its_hash_and_acts_as_a_named_system_user(ministry, make_key):
    key, token = make_key(ministry, scopes=[Scope.SUBMIT])
    stored = ApiKey.objects.get(pk=key.pk)
    assert token not in {stored.hash, stored.prefix}
    assert stored.hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(stored.prefix)
    assert stored.user.username == f"api-{stored.prefix[4:]}" and not stored.user.has_usable_password()
    # Submitting needs the clerk's role: the system user is a clerk of the organisation, and of nothing else.
    assert set(Membership.objects.filter(user=stored.user).values_list("organisation__key", "role")) == {
        ("minjust", Role.CLERK), ("minjust", Role.HEAD)}
    assert keys.find(token) == stored
    assert keys.find(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_a_filing_by_key_records_the_system_user_as_the_actor(api, ministry_key):
    response = api.post("/complaints", complaint_body())
    assert response.status_code == 201
    event = services.filing_event(ministry_key[0].organisation.held_complaints.get())
    assert event.actor == ministry_key[0].user and event.role == Role.CLERK


def test_no_key_is_a_401_problem(client):
    response = client.get("/api/v1/complaints", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("unauthorized")
    assert "WWW-Authenticate" in response


def test_a_wrong_key_is_a_401(client):
    assert Api(client, "shg_00000000_" + "x" * 43).get("/complaints").status_code == 401


def test_a_revoked_or_expired_key_stops_at_once(client, ministry, make_key):
    key, token = make_key(ministry)
    api = Api(client, token)
    assert api.get("/complaints").status_code == 200
    keys.revoke(key)
    response = api.get("/complaints")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]

    other, other_token = make_key(ministry)
    ApiKey.objects.filter(pk=other.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Api(client, other_token).get("/complaints").status_code == 401


def test_the_x_api_key_header_works_too(client, ministry_key):
    response = client.get("/api/v1/me", headers={"X-API-Key": ministry_key[1]})
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"]["key"] == "minjust" and body["username"] == ministry_key[0].user.username


def test_a_key_without_the_scope_gets_403(client, ministry, make_key):
    _key, token = make_key(ministry, scopes=[Scope.READ])
    api = Api(client, token)
    response = api.post("/complaints", complaint_body())
    assert response.status_code == 403 and "submit" in response.json()["detail"]
    assert api.get("/complaints").status_code == 200


def test_a_key_of_one_organisation_reads_and_acts_on_nothing_of_another(
    api, other_api, registered, recommendation, committed, client, make_key, quality_authority
):
    """The ministry's complaint and the recommendation addressed to the ministry: the other body's key gets the same
    404 as for a complaint that does not exist, on every read and every action; its lists and its feed are empty."""
    with committed():
        own = api.post("/complaints", complaint_body()).json()["id"]
    assert own
    pk = registered.pk
    for path in (f"/complaints/{pk}", f"/complaints/{pk}/documents", f"/complaints/{pk}/documents/receipt"):
        assert other_api.get(path).status_code == 404, path
    assert other_api.get(f"/complaints/{pk + 10_000}").status_code == 404
    for action, body in (("register", {}), ("assign", {"executor": "executor"}), ("close", {}),
                         ("redirect", {"target": "minedu", "reason": "Біздің құзырымыз емес."}),
                         ("withdraw", {}), ("sign", {})):
        response = other_api.post(f"/complaints/{pk}/{action}", body)
        assert response.status_code == 404, action
    assert other_api.post(f"/recommendations/{recommendation.pk}/report", {"report": "Орындалды."}).status_code == 404
    assert other_api.get("/complaints").json()["items"] == []
    assert other_api.get("/events").json()["items"] == []
    # The owner reads its own.
    assert api.get(f"/complaints/{pk}").status_code == 200
    assert {item["id"] for item in api.get("/complaints").json()["items"]} >= {pk, own}
    assert Recommendation.objects.get(pk=recommendation.pk).status == "issued"


@pytest.mark.django_db
def test_the_rate_counters_write_no_wal_on_postgresql():
    """They live a minute and matter to nobody after a crash (api migration 0002): UNLOGGED, no flush per request."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite counts in the cache")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'api_ratecounter'")
        assert cursor.fetchone() == ("u",)


def test_the_schema_names_each_status_once(client, db):
    """Swagger UI (the docs page) refuses a schema whose JSON repeats a key."""
    import json

    def no_duplicates(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)

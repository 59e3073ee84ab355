"""GET /api/v1/events: read in pages, also while others write, it misses and repeats nothing."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from shagym.api.tests.conftest import Api, complaint_body
from shagym.complaints import services as lifecycle
from shagym.complaints.models import ComplaintEvent
from shagym.complaints.states import Action
from shagym.complaints.tests.factories import complaint_input
from shagym.webhooks.models import FeedEntry


@pytest.mark.django_db
def test_the_feed_pages_with_after_and_is_scoped(api, other_api, client, applicant, committed, ministry):
    with committed():
        pk = api.post("/complaints", complaint_body()).json()["id"]
    with committed():
        api.post(f"/complaints/{pk}/register")
    with committed():
        lifecycle.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry))
    first = api.get("/events", {"limit": 2}).json()
    assert [e["action"] for e in first["items"]] == [Action.SUBMIT, Action.REGISTER]
    rest = api.get("/events", {"after": first["next_after"]}).json()
    assert [e["action"] for e in rest["items"]] == [Action.SUBMIT]
    assert api.get("/events", {"after": rest["next_after"]}).json() == {"items": [], "next_after": rest["next_after"]}
    assert other_api.get("/events").json()["items"] == []
    # The applicant's session: the own complaint's events only.
    client.force_login(applicant)
    mine = Api(client).get("/events").json()["items"]
    assert [e["action"] for e in mine] == [Action.SUBMIT] and mine[0]["actor"] is None


@pytest.mark.django_db(transaction=True)
def test_the_feed_read_in_pages_during_concurrent_writes_misses_and_repeats_nothing(applicant, clerk, ministry,
                                                                                    ministry_key):
    writers, per_writer = 3, 6
    done = threading.Event()
    read: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(per_writer):
                complaint = lifecycle.submit_complaint(actor=applicant,
                                                       data=complaint_input(reviewing_body=ministry)).complaint
                lifecycle.register_complaint(actor=clerk, complaint=complaint)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def follow() -> None:
        api = Api(Client(), ministry_key[1])
        after = 0
        try:
            while True:
                finished = done.is_set()
                page = api.get("/events", {"after": after, "limit": 4}).json()
                read.extend((item["position"], item["id"]) for item in page["items"])
                after = page["next_after"]
                if finished and not page["items"]:
                    return
                time.sleep(0.005)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    reader = threading.Thread(target=follow)
    reader.start()
    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    done.set()
    reader.join(timeout=120)

    assert errors == []
    positions = [position for position, _ in read]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)  # in order, none twice
    event_ids = [event_id for _, event_id in read]
    assert len(event_ids) == len(set(event_ids)) == writers * per_writer * 2
    assert set(event_ids) == set(ComplaintEvent.objects.values_list("pk", flat=True))  # none missed
    assert FeedEntry.objects.count() == len(event_ids)

"""The cached memberships (shagym.directory.memberships) never outlive a change: access follows the admin's edit on
the very next request, whichever process cached them."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from shagym.directory import memberships
from shagym.directory.models import Membership

from .conftest import login


def _case(client, complaint) -> int:
    return client.get(reverse("bo-case", args=[complaint.pk])).status_code


def test_a_removed_membership_closes_the_case_on_the_next_request(clerk, registered):
    client = login(clerk)
    assert _case(client, registered) == 200  # the memberships are cached now
    assert cache.get(f"shagym:memberships:{clerk.pk}") is not None
    Membership.objects.filter(user=clerk).delete()
    assert _case(client, registered) == 403  # no longer staff at all


def test_a_deactivated_body_closes_its_cases_on_the_next_request(clerk, ministry, registered):
    client = login(clerk)
    assert _case(client, registered) == 200
    ministry.is_active = False
    ministry.save()
    assert _case(client, registered) == 403  # the clerk served only that body


def test_a_new_membership_opens_the_desk_on_the_next_request(outsider, ministry, registered):
    client = login(outsider)
    assert _case(client, registered) == 404
    Membership.objects.create(user=outsider, organisation=ministry, role="clerk")
    assert _case(client, registered) == 200


def test_rows_read_before_a_change_committed_are_not_used_after_it(clerk, django_capture_on_commit_callbacks):
    assert memberships.of_user(clerk.pk)
    version = cache.get(memberships.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=clerk).delete()
        # A request that read the rows before the commit, and stores them under the version it saw then.
        stale = cache.get(memberships.VERSION_KEY)
        cache.set(f"shagym:memberships:{clerk.pk}", (stale, ["a row read before the commit"]), 60)
    assert cache.get(memberships.VERSION_KEY) not in {version, stale}  # replaced again at the commit
    assert memberships.of_user(clerk.pk) == []


def test_an_evicted_version_retires_every_entry(clerk):
    assert memberships.of_user(clerk.pk)
    cache.set(f"shagym:memberships:{clerk.pk}", (None, ["stale"]), 60)
    cache.delete(memberships.VERSION_KEY)
    assert [m.role for m in memberships.of_user(clerk.pk)] == ["clerk"]

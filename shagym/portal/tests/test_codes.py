"""The status page by number and access code: the right code shows the status without personal data; wrong attempts
are rate-limited and reveal nothing (the codes themselves: shagym/complaints/tests/test_codes.py)."""

from __future__ import annotations

import contextlib

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from shagym.complaints.codes import issue_access_code
from shagym.portal import codes

from .wizard_steps import url

WRONG = "The number or the access code is wrong. Check both on the talon and try again."


@pytest.fixture(autouse=True, params=["database", "redis"])
def counted_in(request, settings):
    """Every test twice: attempts counted in the database (SHAGYM_CACHE=database or memory), and in Redis
    (SHAGYM_CACHE=redis, as deploy/ runs it; skipped without redis-server)."""
    if request.param == "redis":
        from django.core.cache import caches

        settings.CACHES = {"default": {"BACKEND": "shagym.redis_cache.SharedClientRedisCache",
                                       "LOCATION": request.getfixturevalue("redis_url")}}
        caches["default"].clear()
    return request.param


TOO_MANY = ("Too many wrong attempts. Wait %(minutes)d minute and try again, or call the contact centre 1414.",
            "Too many wrong attempts. Wait %(minutes)d minutes and try again, or call the contact centre 1414.")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_status_page_shows_the_complaint_for_the_right_code(client, paper, language):
    code = issue_access_code(paper)
    response = client.post(url("status-check", language=language), {"number": paper.number, "code": code})
    content = response.content.decode()
    assert response.status_code == 200
    assert paper.number in content
    assert paper.surname not in content  # no personal data on the public page
    with translation.override(language):
        assert escape(gettext("Registered")) in content


def test_the_qr_link_fills_in_number_and_code(client, paper):
    code = issue_access_code(paper)
    response = client.get(url("status-check"), {"number": paper.number, "code": code})
    assert paper.number in response.content.decode()
    assert "timeline" in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_wrong_number_and_wrong_code_get_the_same_answer(client, paper, language):
    issue_access_code(paper)
    wrong_code = client.post(url("status-check", language=language), {"number": paper.number, "code": "AAAA-AAAA"})
    no_such = client.post(url("status-check", language=language), {"number": "99-999-99999", "code": "AAAA-AAAA"})
    with translation.override(language):
        message = escape(gettext(WRONG))
    assert message in wrong_code.content.decode() and message in no_such.content.decode()
    assert paper.number not in no_such.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_status_form_errors(client, db, language):
    response = client.post(url("status-check", language=language), {"number": "", "code": ""})
    content = response.content.decode()
    with translation.override(language):
        assert escape(gettext("Enter the registration number from the talon, for example 26-012-00042.")) in content
        assert escape(gettext("Enter the access code from the talon, for example K7QM-3RTA.")) in content


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_too_many_wrong_codes_for_a_number_from_one_address_answer_429(client, paper, settings, language):
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 3
    code = issue_access_code(paper)
    for i in range(3):
        response = client.post(url("status-check"), {"number": paper.number, "code": "AAAA-AAA" + "BCD"[i]})
        assert response.status_code == 200
    # Even the right code is refused now from this address: the attempt is not evaluated.
    response = client.post(url("status-check", language=language), {"number": paper.number, "code": code})
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.SHAGYM_STATUS_CHECK_WINDOW_SECONDS)
    with translation.override(language):
        assert escape(ngettext(*TOO_MANY, 15) % {"minutes": 15}) in response.content.decode()
    assert "timeline" not in response.content.decode()


def test_someone_who_knows_only_the_number_cannot_lock_the_holder_out(client, paper, settings):
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 3
    code = issue_access_code(paper)
    for _i in range(20):  # the attacker tries from his address until refused, and goes on
        client.post(url("status-check"), {"number": paper.number, "code": "AAAA-AAAA"}, REMOTE_ADDR="10.6.6.6")
    response = client.post(url("status-check"), {"number": paper.number, "code": code}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    assert "timeline" in response.content.decode()


def test_the_number_has_a_ceiling_over_all_addresses(paper, settings):
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 3
    settings.SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS = 10
    code = issue_access_code(paper)
    for i in range(10):  # two wrong codes from each of five addresses
        assert codes.look_up(number=paper.number, code="AAAA-AAAA", client=f"10.0.0.{i // 2}") is None
    with pytest.raises(codes.TooManyAttempts):
        codes.look_up(number=paper.number, code=code, client="10.9.9.9")


def test_a_refused_pair_does_not_raise_the_numbers_ceiling(paper, settings):
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 2
    settings.SHAGYM_STATUS_CHECK_NUMBER_ATTEMPTS = 5
    code = issue_access_code(paper)
    for _ in range(50):
        with contextlib.suppress(codes.TooManyAttempts):
            codes.look_up(number=paper.number, code="AAAA-AAAA", client="10.6.6.6")
    assert codes.look_up(number=paper.number, code=code, client="10.0.0.1") == paper


def test_wrong_attempts_are_limited_per_address(client, paper, settings):
    settings.SHAGYM_STATUS_CHECK_ADDRESS_ATTEMPTS = 3
    code = issue_access_code(paper)
    for i in range(3):
        client.post(url("status-check"), {"number": f"26-001-0000{i}", "code": "AAAA-AAAA"})
    with pytest.raises(codes.TooManyAttempts):
        codes.look_up(number=paper.number, code=code, client="127.0.0.1")
    assert codes.look_up(number=paper.number, code=code, client="10.1.1.1") == paper


def test_look_up_counts_only_failures(paper, settings):
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 2
    code = issue_access_code(paper)
    for _ in range(5):
        assert codes.look_up(number=paper.number, code=code, client="1.2.3.4") == paper


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_are_evaluated_at_most_the_limit(settings, monkeypatch):
    """Thirty wrong codes at the same moment from one address: each is counted before it is evaluated (one atomic
    upsert), so exactly the limit of them reach the code check, never more."""
    import threading

    from django.db import connection

    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 5
    evaluated = []
    lock = threading.Lock()

    def counting_check(number, code):
        with lock:
            evaluated.append(code)
        return None

    monkeypatch.setattr(codes, "check_access_code", counting_check)
    barrier = threading.Barrier(30)
    refused = []

    def attempt(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            codes.look_up(number="26-001-00001", code=f"AAAA-AA{i:02d}", client="10.0.0.1")
        except codes.TooManyAttempts:
            with lock:
                refused.append(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(evaluated) == 5
    assert len(refused) == 25

"""The status page by number and access code: the right code shows the status without personal data; wrong attempts
are rate-limited and reveal nothing (the codes themselves: shagym/complaints/tests/test_codes.py)."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from shagym.complaints.codes import issue_access_code
from shagym.portal import codes

from .wizard_steps import url

WRONG = "The number or the access code is wrong. Check both on the talon and try again."
TOO_MANY = "Too many wrong attempts. Wait 15 minutes and try again, or call the contact centre 1414."


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
def test_wrong_attempts_are_limited_per_number(client, paper, settings, language):
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 3
    code = issue_access_code(paper)
    for i in range(3):
        client.post(url("status-check"), {"number": paper.number, "code": "AAAA-AAA" + "BCD"[i]},
                    REMOTE_ADDR=f"10.0.0.{i}")
    # Even the right code is refused now, from a fresh address: the number is locked for the window.
    response = client.post(url("status-check", language=language), {"number": paper.number, "code": code},
                           REMOTE_ADDR="10.0.0.99")
    with translation.override(language):
        assert escape(gettext(TOO_MANY)) in response.content.decode()
    assert "timeline" not in response.content.decode()


def test_wrong_attempts_are_limited_per_address(client, paper, settings):
    settings.SHAGYM_STATUS_CHECK_ATTEMPTS = 3
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

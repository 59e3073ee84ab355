"""One lockout for every sign-in: the portal's and back office's (allauth), the Django admin's, the second factor's
and API keys. Failures through any door count together for an account and address; the lockout answers 429 with a
translated page; someone elsewhere who knows only the user name does not lock its holder out; an administrator
unlocks."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from shagym.security import lockout

PASSWORD = "pass-12345"


@pytest.fixture(autouse=True)
def _three_tries(settings):
    settings.SHAGYM_LOGIN_ATTEMPTS = settings.AXES_FAILURE_LIMIT = 3


def portal_login(client: Client, login: str, password: str, language: str = "en", **extra):
    with translation.override(language):
        return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def admin_login(client: Client, username: str, password: str, **extra):
    with translation.override("en"):
        return client.post(reverse("admin:login"), {"username": username, "password": password}, **extra)


def locked_message(language: str) -> str:
    with translation.override(language):
        return ngettext(
            "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minute; try again later, or ask "
            "your administrator to unlock it.",
            "Too many failed sign-in attempts. Sign-in is locked for %(minutes)d minutes; try again later, or ask "
            "your administrator to unlock it.", 15) % {"minutes": 15}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_portal_sign_in_locks_after_the_limit_with_a_translated_429(client, clerk, language):
    for _ in range(2):
        assert portal_login(client, "clerk", "wrong", language).status_code == 200
    response = portal_login(client, "clerk", "wrong", language)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert locked_message(language) in response.content.decode()
    # Now even the right password is refused from here.
    assert portal_login(client, "clerk", PASSWORD, language).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_is_behind_the_same_lockout(client, administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    for _ in range(3):
        admin_login(client, "administrator", "wrong")
    response = admin_login(client, "administrator", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_tries_through_different_doors_count_together(client, administrator):
    """The admin's sign-in and the portal's, with the user name and with the e-mail: one count."""
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    admin_login(client, "administrator", "wrong")
    portal_login(client, "Administrator", "wrong")
    portal_login(client, administrator.email, "wrong")
    assert portal_login(client, "administrator", PASSWORD).status_code == 429
    assert admin_login(client, "administrator", PASSWORD).status_code == 429


def test_someone_elsewhere_cannot_lock_the_holder_out(client, clerk):
    for _ in range(10):
        portal_login(Client(), "clerk", "wrong", REMOTE_ADDR="10.6.6.6")
    response = portal_login(client, "clerk", PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302


def test_a_successful_sign_in_does_not_reset_the_count_before_the_second_factor(client, head, settings):
    """With a second factor owed, the password alone is not a success: failures stay counted until the code."""
    settings.SHAGYM_2FA_REQUIRED_ROLES = ["head"]
    portal_login(client, "head", "wrong")
    portal_login(client, "head", PASSWORD)
    assert AccessAttempt.objects.filter(username="head").get().failures_since_start == 1


def test_an_administrator_unlocks_with_the_command(client, clerk, capsys):
    for _ in range(3):
        portal_login(client, "clerk", "wrong")
    assert portal_login(client, "clerk", PASSWORD).status_code == 429
    call_command("unlock", "clerk")
    assert "clerk: 1 lockout record(s) removed" in capsys.readouterr().out
    assert portal_login(client, "clerk", PASSWORD).status_code == 302


def test_an_administrator_unlocks_from_the_users_list(client, clerk, administrator):
    for _ in range(3):
        portal_login(Client(), "clerk", "wrong")
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    with translation.override("en"):
        response = client.post(reverse("admin:accounts_user_changelist"),
                               {"action": "unlock_sign_in", "_selected_action": [clerk.pk]}, follow=True)
    assert "Sign-in unlocked for 1 user." in response.content.decode()
    assert not AccessAttempt.objects.filter(username="clerk").exists()


def test_unlock_with_an_empty_name_unlocks_nobody(client, clerk):
    for _ in range(3):
        portal_login(client, "clerk", "wrong")
    assert lockout.unlock("  ") == 0
    assert AccessAttempt.objects.filter(username="clerk").exists()

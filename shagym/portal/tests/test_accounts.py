"""Accounts through allauth: sign up with a verified e-mail, staff sign in with a username, where each lands."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

from shagym.accounts.models import User

from .wizard_steps import url


def _login_url(language: str = "kk") -> str:
    with translation.override(language):
        return reverse("account_login")


def test_sign_up_needs_the_email_confirmed(client, db, mailoutbox):
    with translation.override("kk"):
        signup = reverse("account_signup")
    response = client.post(signup, {"email": "aigul@example.kz", "password1": "Qazaqstan-2026!",
                                    "password2": "Qazaqstan-2026!"})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    user = User.objects.get(email="aigul@example.kz")
    assert not EmailAddress.objects.get(user=user).verified
    # Not verified yet: signing in sends the link again instead of letting in.
    client.logout()
    response = client.post(_login_url(), {"login": "aigul@example.kz", "password": "Qazaqstan-2026!"})
    assert "confirm-email" in response["Location"]
    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified
    assert response.status_code == 302
    assert response["Location"] == url("cabinet")


def test_applicant_lands_in_the_cabinet(client, verified):
    response = client.post(_login_url(), {"login": verified.email, "password": "pass-12345"})
    assert response["Location"] == url("cabinet")


def test_staff_sign_in_with_a_username_and_land_in_the_back_office(client, clerk):
    response = client.post(_login_url(), {"login": "clerk", "password": "pass-12345"})
    assert response.status_code == 302
    assert response["Location"] == url("staff-home")


def test_a_wrong_password_is_explained(client, verified):
    response = client.post(_login_url(), {"login": verified.email, "password": "wrong"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_use_the_portal_layout(client, db, name):
    with translation.override("ru"):
        response = client.get(reverse(name))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in content and "portal/portal.css" in content


def test_password_reset_sends_a_link(client, verified, mailoutbox):
    with translation.override("kk"):
        response = client.post(reverse("account_reset_password"), {"email": verified.email})
    assert response.status_code == 302
    assert "password/reset/key/" in mailoutbox[-1].body


def test_navigation_shows_my_work_only_to_staff(client, verified, clerk):
    client.force_login(verified)
    assert url("staff-home") not in client.get(url("home")).content.decode()
    client.force_login(clerk)
    assert url("staff-home") in client.get(url("home")).content.decode()

"""Accounts through django-allauth: where people land after signing in, and staff sign-in without the
applicant's e-mail verification (staff accounts are made by an administrator)."""

from __future__ import annotations

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from django.http import HttpRequest
from django.urls import reverse

from shagym.complaints import access


def is_staff_account(user) -> bool:  # type: ignore[no-untyped-def]
    return bool(user is not None and (user.is_superuser or access.is_staff_user(user)))


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Staff go to the back office, applicants to their cabinet (unless a `next` page was asked for)."""
        if is_staff_account(request.user):
            return reverse("staff-home")
        return reverse("cabinet")


class LoginForm(AllauthLoginForm):
    def login(self, request, redirect_url=None):  # type: ignore[no-untyped-def]
        login = getattr(self, "_login", None)
        if login is not None and is_staff_account(getattr(self, "user", None)):
            # Mandatory e-mail verification is for applicants who signed themselves up.
            login.email_verification = account_settings.EmailVerificationMethod.NONE
        return super().login(request, redirect_url)

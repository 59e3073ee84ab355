"""Two-factor sign-in for staff: required for heads, inspectors and administrators, optional for clerks and
executors; set up with a QR code drawn by us; recovery codes; an administrator resets it; the demo's waiver only in
DEBUG; a staff session ends after inactivity."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shagym.complaints.tests.factories import UserFactory
from shagym.security import twofactor

PASSWORD = "pass-12345"


@pytest.fixture(autouse=True)
def _required_as_in_production(settings):
    settings.SHAGYM_2FA_REQUIRED_ROLES = ["head", "inspector", "administrator"]


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def sign_in(client: Client, username: str):
    return client.post(en("account_login"), {"login": username, "password": PASSWORD})


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(en("two-factor-enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    done = client.post(en("two-factor-enrol"), {"token": code_for(device)})
    assert done.status_code == 302
    codes = client.get(done["Location"]).context["codes"]
    device.refresh_from_db()
    return device, codes


def test_a_head_must_set_it_up_before_any_page(client, head):
    response = sign_in(client, "head")
    staff_home = client.get(en("staff-home"))
    assert staff_home.status_code == 302 and staff_home["Location"].startswith(en("two-factor-enrol"))
    # Nothing else either: a complaint list, the admin, the API.
    assert client.get(en("bo-search"))["Location"].startswith(en("two-factor-enrol"))
    assert client.get("/api/v1/complaints").status_code == 401
    assert response.status_code == 302


def test_set_up_shows_a_qr_code_we_draw_and_the_key(client, head):
    sign_in(client, "head")
    page = client.get(en("two-factor-enrol")).content.decode()
    assert '<svg width="' in page and 'class="segno"' in page  # inline SVG, no image service
    device = TOTPDevice.objects.get(user=head, confirmed=False)
    assert twofactor.secret_for_typing(device).replace(" ", "") in page.replace(" ", "")
    # The same device on reload: the code scanned stays valid.
    client.get(en("two-factor-enrol"))
    assert TOTPDevice.objects.filter(user=head).count() == 1


def test_after_set_up_the_head_gets_recovery_codes_once_and_reaches_the_back_office(client, head):
    sign_in(client, "head")
    device, codes = enrol(client)
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert client.get(en("staff-home")).status_code == 200
    # Shown once.
    assert client.get(en("two-factor-enrolled")).status_code == 302


def test_a_wrong_first_code_does_not_turn_it_on(client, head):
    sign_in(client, "head")
    client.get(en("two-factor-enrol"))
    response = client.post(en("two-factor-enrol"), {"token": "000000"})
    assert response.status_code == 200 and "This code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_the_next_sign_in_asks_for_the_code(client, head):
    sign_in(client, "head")
    device, _codes = enrol(client)
    client.logout()
    sign_in(client, "head")
    assert client.get(en("staff-home"))["Location"].startswith(en("two-factor-verify"))
    wrong = client.post(en("two-factor-verify"), {"token": "123456"})
    assert wrong.status_code == 200 and "This code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp slows wrong codes down; the test does not wait
    device.save()
    # The next time step: a code is taken once, and the set-up used this step's.
    right = client.post(en("two-factor-verify") + "?next=" + en("bo-inbox"), {"token": code_for(device, 1)})
    assert right.status_code == 302 and right["Location"] == en("bo-inbox")
    assert client.get(en("bo-inbox")).status_code == 200


def test_a_recovery_code_works_once(client, head):
    sign_in(client, "head")
    _device, codes = enrol(client)
    for attempt in range(2):
        client.logout()
        sign_in(client, "head")
        response = client.post(en("two-factor-verify"), {"token": codes[0]})
        if attempt == 0:
            assert response.status_code == 302
        else:
            assert response.status_code == 200  # used up
    assert StaticToken.objects.count() == 9


def test_a_session_owing_the_code_cannot_set_up_another_device(client, head):
    """A stolen password must not be enough to replace the phone."""
    sign_in(client, "head")
    enrol(client)
    client.logout()
    sign_in(client, "head")
    response = client.get(en("two-factor-enrol"))
    assert response["Location"].startswith(en("two-factor-verify"))
    assert TOTPDevice.objects.filter(user=head).count() == 1


def test_wrong_codes_count_in_the_one_lockout(client, head, settings):
    settings.AXES_FAILURE_LIMIT = 3
    sign_in(client, "head")
    enrol(client)
    client.logout()
    sign_in(client, "head")
    statuses = [client.post(en("two-factor-verify"), {"token": "000000"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "_auth_user_id" not in client.session  # the half sign-in ended with the lockout


@pytest.mark.parametrize("persona", ["clerk", "executor"])
def test_clerks_and_executors_may_go_without(client, persona, request):
    request.getfixturevalue(persona)
    sign_in(client, persona)
    assert client.get(en("staff-home")).status_code == 200


def test_a_clerk_who_turned_it_on_is_asked_for_it(client, clerk):
    sign_in(client, "clerk")
    assert "Two-factor sign-in is off" in client.get(en("two-factor")).content.decode()
    enrol(client)
    client.logout()
    sign_in(client, "clerk")
    assert client.get(en("staff-home"))["Location"].startswith(en("two-factor-verify"))


def test_a_clerk_may_turn_it_off_but_a_head_may_not(client, clerk, head):
    sign_in(client, "clerk")
    enrol(client)
    client.post(en("two-factor-off"))
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    other = Client()
    sign_in(other, "head")
    enrol(other)
    other.post(en("two-factor-off"))
    assert TOTPDevice.objects.filter(user=head, confirmed=True).exists()


def test_a_superuser_counts_as_an_administrator(client, db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert twofactor.required(user)
    client.post(en("admin:login"), {"username": "root", "password": PASSWORD})
    assert client.get(en("admin:index"))["Location"].startswith(en("two-factor-enrol"))


def test_applicants_are_never_asked(client, applicant):
    client.force_login(applicant)
    assert twofactor.STAFF not in client.session and twofactor.PENDING not in client.session
    assert client.get(en("cabinet")).status_code == 200


def test_an_administrator_resets_it(client, head, administrator, capsys):
    sign_in(client, "head")
    enrol(client)
    call_command("reset_two_factor", "head")
    assert "head: two-factor sign-in reset" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=head).exists() and not StaticToken.objects.exists()
    again = Client()
    sign_in(again, "head")
    assert again.get(en("staff-home"))["Location"].startswith(en("two-factor-enrol"))


def test_an_administrator_resets_it_from_the_users_list(client, head, administrator):
    TOTPDevice.objects.create(user=head, name="authenticator", confirmed=True)
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    session = client.session
    session.pop(twofactor.PENDING, None)  # the administrator's own second factor is given
    session.save()
    response = client.post(en("admin:accounts_user_changelist"),
                           {"action": "reset_two_factor", "_selected_action": [head.pk]}, follow=True)
    assert "Two-factor sign-in reset for 1 user" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=head).exists()


def test_the_demo_waiver_works_only_for_demo_users_in_debug(settings, db):
    from shagym.complaints.tests.factories import OrganisationFactory, member
    from shagym.directory.roles import Role

    body = OrganisationFactory(key="demo-body")
    demo = member(UserFactory(username="demo-head"), body, Role.HEAD)
    real = member(UserFactory(username="aigul"), body, Role.HEAD)
    settings.SHAGYM_DEMO_WAIVE_2FA = True
    settings.DEBUG = True
    assert not twofactor.required(demo) and twofactor.required(real)
    settings.DEBUG = False
    assert twofactor.required(demo)


def test_the_demo_waiver_is_refused_outside_debug(monkeypatch):
    import importlib

    import shagym.settings

    monkeypatch.setenv("SHAGYM_DEMO_WAIVE_2FA", "1")
    monkeypatch.setenv("SHAGYM_DEBUG", "0")
    monkeypatch.setenv("SHAGYM_SECRET_KEY", "x" * 60)
    with pytest.raises(ImproperlyConfigured, match="SHAGYM_DEMO_WAIVE_2FA"):
        importlib.reload(shagym.settings)
    monkeypatch.undo()
    importlib.reload(shagym.settings)


# ---- Inactivity ----


def test_a_staff_session_ends_after_inactivity(client, clerk, settings, monkeypatch):
    settings.SHAGYM_STAFF_IDLE_MINUTES = 30
    sign_in(client, "clerk")
    assert client.get(en("staff-home")).status_code == 200
    assert client.session.get_expiry_age() == 30 * 60
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(en("bo-desk"))
    assert response.status_code == 302 and response["Location"].startswith(en("account_login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page


def test_activity_keeps_a_staff_session_alive(client, clerk, settings, monkeypatch):
    settings.SHAGYM_STAFF_IDLE_MINUTES = 30
    sign_in(client, "clerk")
    start = time.time()
    for minutes in (20, 40, 60):  # a request every 20 minutes
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        assert client.get(en("staff-home")).status_code == 200


def test_an_applicant_session_is_not_cut_short(client, applicant, monkeypatch):
    client.force_login(applicant)
    later = time.time() + 5 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(en("cabinet")).status_code == 200

"""Two-factor sign-in for staff (django-otp): a time-based code (TOTP, any authenticator app) and single-use
recovery codes.

Who: required for the roles in SHAGYM_2FA_REQUIRED_ROLES (heads, inspectors, administrators; a superuser counts as
an administrator), optional for the other staff (clerks, executors), who may turn it on; applicants do not use it.
Once a member of staff has it, every sign-in asks for it.

How: the password signs the user in as usual (allauth or the admin); at that moment (the user_logged_in signal) a
staff session is marked, and, when a second factor is owed, marked pending: "verify" (a device is enrolled) or
"enrol" (required and none yet). While pending, StaffSessionMiddleware lets the session reach only the second-factor
pages and signing out; the API does not take it. The state lives in the session, so checking it costs no query."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shagym.complaints import access
from shagym.directory.roles import Role

from . import lockout

if TYPE_CHECKING:
    from shagym.accounts.models import User

PENDING = "shagym_2fa_pending"  # "verify" or "enrol": the password is given, the second factor is not yet
STAFF = "shagym_staff"  # a staff session: it ends after inactivity
SEEN = "shagym_seen"  # the time of the staff session's last request, in whole seconds
VERIFY, ENROL = "verify", "enrol"
RECOVERY_CODES = 10
RECOVERY_DEVICE = "recovery codes"
AUTHENTICATOR = "authenticator"


def is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or access.is_staff_user(user)))


def waived(user: User) -> bool:
    """The one-command demo only (SHAGYM_DEMO_WAIVE_2FA, refused without DEBUG): the demo users need no second
    factor, though they may turn it on to try it."""
    return bool(settings.SHAGYM_DEMO_WAIVE_2FA and settings.DEBUG and user.get_username().startswith("demo-"))


def required(user: User) -> bool:
    """Must this member of staff use a second factor? By the roles held; an administrator includes a superuser."""
    if waived(user):
        return False
    wanted = set(settings.SHAGYM_2FA_REQUIRED_ROLES)
    roles = {m.role for m in access.memberships(user)}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return bool(roles & wanted)


def authenticator(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).filter(name=AUTHENTICATOR).first()


def enrolled(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# ---------------------------------------------------------------------------------------------------------------
# Enrolment


def start_enrolment(user: User) -> TOTPDevice:
    """The device being set up (not yet confirmed): the same one until it is confirmed, so the QR code does not
    change on every reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def qr_svg(device: TOTPDevice, *, title: str) -> str:
    """The otpauth:// address as an SVG QR code, drawn here (segno): no image service ever sees the secret."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff", title=title))


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for an app that cannot scan."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def confirm_enrolment(user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Check the first code from the app; when right, the device replaces any earlier one and a new set of recovery
    codes is made. Return the recovery codes (shown once), or None for a wrong code."""
    if not device.verify_token(_digits(token)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """A new set of single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def turn_off(user: User) -> None:
    """Remove every device of the user: the member's own choice (when not required) or an administrator's reset."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def reset(user: User) -> None:
    """The administrator's reset (a lost phone): the devices go; the next sign-in asks to set up a new one if the
    user's roles require it."""
    turn_off(user)


# ---------------------------------------------------------------------------------------------------------------
# Sign-in


def _digits(token: str) -> str:
    return "".join(ch for ch in (token or "") if not ch.isspace() and ch != "-")


def verify(user: User, token: str) -> bool:
    """A code from the app, or one of the recovery codes (which is then used up). django-otp slows repeated wrong
    codes on a device (exponential delay); the lockout counts them with the passwords."""
    token = _digits(token)
    if not token:
        return False
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        if (token.isascii() and token.isdigit()) and device.verify_token(token):
            return True
    return any(device.verify_token(token.lower())
               for device in StaticDevice.objects.devices_for_user(user, confirmed=True))


def pending(request: HttpRequest) -> str | None:
    """"verify" or "enrol" while the second factor is owed; None otherwise. Reads only the session."""
    session = getattr(request, "session", None)
    return session.get(PENDING) if session is not None else None


def complete(request: HttpRequest, user: User) -> None:
    """The second factor is given: the sign-in is complete. A new session key (the half-signed-in one is dropped)."""
    request.session.pop(PENDING, None)
    request.session.cycle_key()
    lockout.forget_failures(request, user.get_username())


def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Every sign-in (allauth, the admin, a test's force_login): mark a staff session, and what it still owes."""
    if request is None or getattr(request, "session", None) is None:
        return
    if not is_staff(user):
        lockout.forget_failures(request, user.get_username())
        return
    session = request.session
    session[STAFF] = True
    session[SEEN] = int(time.time())
    session.set_expiry(settings.SHAGYM_STAFF_IDLE_MINUTES * 60)
    if enrolled(user):
        session[PENDING] = VERIFY
    elif required(user):
        session[PENDING] = ENROL
    else:
        session.pop(PENDING, None)
        lockout.forget_failures(request, user.get_username())


def connect_signals() -> None:
    user_logged_in.connect(on_login, dispatch_uid="shagym.security.twofactor.on_login")

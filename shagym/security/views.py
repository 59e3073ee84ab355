"""The second-factor pages of staff: sign-in with a code, set-up with a QR code, recovery codes, turning it off.
Thin: each calls shagym.security.twofactor and renders."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import lockout, twofactor
from .forms import CodeForm

RECOVERY_SESSION = "shagym_recovery_codes"  # shown once, on the next page, then gone


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("staff-home")


def _staff(request: HttpRequest) -> None:
    if not twofactor.is_staff(request.user):
        raise PermissionDenied


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Sign-in, step two: the code from the app, or a recovery code."""
    pending = twofactor.pending(request)
    if pending is None:
        return redirect(_next(request))
    if pending == twofactor.ENROL:
        return redirect(f"{reverse('two-factor-enrol')}?{urlencode({'next': _next(request)})}")
    user = request.user
    form = CodeForm(request.POST or None, help_text=gettext(
        "The 6 digits your authenticator app shows for Shagym now, or one of your recovery codes."))
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(user, form.cleaned_data["token"]):  # type: ignore[arg-type]
            twofactor.complete(request, user)  # type: ignore[arg-type]
            return redirect(_next(request))
        # Counted with the passwords: the same lockout stops guessing codes.
        lockout.record_failure(request, user.get_username())
        form.add_error("token", gettext("This code is not right. Check the time on your phone and enter the code "
                                        "the app shows now."))
    return render(request, "security/verify.html", {"form": form, "next": _next(request)})


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code, enter the first code; then the recovery codes, once. Open
    to a session that has given its second factor (or owes none), and to one that must set it up now; never to a
    session that owes the code of a device already set up (a stolen password cannot replace the device)."""
    _staff(request)
    if twofactor.pending(request) == twofactor.VERIFY:
        return redirect(f"{reverse('two-factor-verify')}?{urlencode({'next': _next(request)})}")
    user = request.user
    device = twofactor.start_enrolment(user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None,
                    help_text=gettext("The 6 digits the app shows after you have added Shagym to it."))
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(user, device, form.cleaned_data["token"])  # type: ignore[arg-type]
        if codes is not None:
            if twofactor.pending(request):
                twofactor.complete(request, user)  # type: ignore[arg-type]
            request.session[RECOVERY_SESSION] = codes
            return redirect(f"{reverse('two-factor-enrolled')}?{urlencode({'next': _next(request)})}")
        form.add_error("token", gettext("This code is not right. Check that the time on your phone is set "
                                        "automatically and enter the code the app shows now."))
    return render(request, "security/enrol.html", {
        "form": form, "qr": twofactor.qr_svg(device, title=gettext("QR code to add Shagym to your authenticator app")),
        "secret": twofactor.secret_for_typing(device), "required": twofactor.required(user),  # type: ignore[arg-type]
        "pending": twofactor.pending(request), "next": _next(request),
    })


@login_required
def enrolled(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once."""
    codes = request.session.pop(RECOVERY_SESSION, None)
    if not codes:
        return redirect("two-factor")
    return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)})


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """The staff member's own page: is it on, is it required, how many recovery codes are left."""
    _staff(request)
    user = request.user
    return render(request, "security/manage.html", {
        "enrolled": twofactor.enrolled(user),  # type: ignore[arg-type]
        "required": twofactor.required(user),  # type: ignore[arg-type]
        "codes_left": twofactor.recovery_codes_left(user),  # type: ignore[arg-type]
    })


@login_required
@require_POST
def new_codes(request: HttpRequest) -> HttpResponse:
    _staff(request)
    if not twofactor.enrolled(request.user):  # type: ignore[arg-type]
        return redirect("two-factor")
    request.session[RECOVERY_SESSION] = twofactor.new_recovery_codes(request.user)  # type: ignore[arg-type]
    return redirect("two-factor-enrolled")


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    _staff(request)
    if twofactor.required(request.user):  # type: ignore[arg-type]
        messages.error(request, gettext("Your role requires two-factor sign-in: it cannot be turned off."))
        return redirect("two-factor")
    twofactor.turn_off(request.user)  # type: ignore[arg-type]
    messages.success(request, gettext("Two-factor sign-in is off."))
    return redirect("two-factor")

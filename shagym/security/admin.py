"""The administrator's two buttons on the users' list: unlock sign-in (the lockout, from every address) and reset
two-factor sign-in (a lost phone). The same as `manage.py unlock` and `manage.py reset_two_factor`."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from shagym.accounts.admin import ShagymUserAdmin
from shagym.accounts.models import User

from . import lockout, twofactor


@admin.action(description=_("Unlock sign-in of the selected users"), permissions=["change"])
def unlock_sign_in(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> None:
    users = list(queryset)
    for user in users:
        lockout.unlock(user.get_username())
    modeladmin.message_user(request, ngettext("Sign-in unlocked for %(count)d user.",
                                              "Sign-in unlocked for %(count)d users.", len(users))
                            % {"count": len(users)}, messages.SUCCESS)


@admin.action(description=_("Reset two-factor sign-in of the selected users"), permissions=["change"])
def reset_two_factor(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> None:
    users = list(queryset)
    for user in users:
        twofactor.reset(user)
    modeladmin.message_user(request, ngettext(
        "Two-factor sign-in reset for %(count)d user: at the next sign-in they set it up again.",
        "Two-factor sign-in reset for %(count)d users: at the next sign-in they set it up again.", len(users))
        % {"count": len(users)}, messages.SUCCESS)


class SecureUserAdmin(ShagymUserAdmin):
    actions = [unlock_sign_in, reset_two_factor]


admin.site.unregister(User)
admin.site.register(User, SecureUserAdmin)

# django-otp's own device pages would show any user's secret key (and its QR code) to an administrator, who could
# then sign in as that user: a second factor only its holder has must not be readable here. Administrators reset it
# (the action above); they never see it.
for device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device):
        admin.site.unregister(device)

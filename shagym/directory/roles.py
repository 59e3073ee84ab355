"""The one list of roles. Staff hold theirs through a Membership of a body; the applicant and the system are roles
an actor has towards one complaint (shagym.complaints.access)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    CLERK = "clerk", _("clerk (office)")
    HEAD = "head", pgettext_lazy("role", "head")
    EXECUTOR = "executor", _("executor")
    INSPECTOR = "inspector", _("inspector")
    ADMINISTRATOR = "administrator", _("administrator")
    SYSTEM = "system", _("system")


# The roles a Membership can give: a person is an applicant by filing, and nobody is the system.
STAFF_ROLES = (Role.CLERK, Role.HEAD, Role.EXECUTOR, Role.INSPECTOR, Role.ADMINISTRATOR)
STAFF_ROLE_CHOICES = [(role.value, role.label) for role in STAFF_ROLES]

"""The portal's own records: the access code printed on a talon, for the status check without an account."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shagym.complaints.models import Complaint


class AccessCode(models.Model):
    """One per complaint. Only a keyed hash is stored; the plain code is shown once, on the talon."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="access_code"
    )
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("issued"))

    class Meta:
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")

    def __str__(self) -> str:
        return f"{self.complaint}"

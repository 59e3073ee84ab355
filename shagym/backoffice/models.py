"""Back-office data beside the complaint: the executor's answer draft (letters live in shagym.documents).

Nothing here changes a complaint: every change of a complaint goes through shagym.complaints.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shagym.complaints.models import Complaint
from shagym.complaints.states import Outcome


class AnswerDraft(models.Model):
    """The reasoned answer the executor is writing (RULES §20, §23), saved as often as he likes before it is
    sent for signature (services.propose_decision copies it onto the complaint)."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="answer_draft"
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    facts = models.TextField(_("established facts"), blank=True)
    reasons = models.TextField(_("reasons for the decision"), blank=True)
    legal_references = models.TextField(_("legal references"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("last saved by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("answer draft")
        verbose_name_plural = _("answer drafts")

    def __str__(self) -> str:
        return str(self.complaint)

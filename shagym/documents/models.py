"""The letters a body issues, kept exactly as printed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shagym.choices import ChoiceLabels
from shagym.complaints.models import Complaint, ComplaintEvent, Signature
from shagym.complaints.states import Language
from shagym.directory.models import Organisation


class Letter(ChoiceLabels, models.Model):
    """A document issued with an action, kept exactly as it was printed: the notice to the applicant or the covering
    letter stays with the body that sent it even after the complaint has left that body (RULES §8, §9).

    One letter of a kind per event: issuing is idempotent, whoever gets there first (the subscriber after commit,
    the sweep's catch-up, or a page that needs it now)."""

    class Kind(models.TextChoices):
        TALON = "talon", _("talon and registration stamp")  # RULES §5
        FORWARDING = "forwarding", _("covering letter forwarding the complaint to the reviewing body")  # RULES §8
        REDIRECT = "redirect", _("notice to the applicant: redirected to the competent body")  # RULES §9
        CONTENT = "content", _("notice to the applicant: missing content")  # RULES §4
        EXTENSION = "extension", _("notice to the applicant: term extended")  # RULES §14
        ANSWER = "answer", _("reasoned answer")  # RULES §23

    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        ComplaintEvent, verbose_name=_("action"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    addressee = models.CharField(_("addressee"), max_length=400)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(pgettext_lazy("date", "issued"), auto_now_add=True)
    pdf = models.BinaryField(_("PDF"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="documents_letter_by_body")]
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="one_letter_per_event_and_kind")]

    def __str__(self) -> str:
        return f"{self.complaint} {self.kind}"

    @property
    def filename(self) -> str:
        return f"{self.complaint.number or self.complaint.pk}-{self.kind}-{self.pk}.pdf"


class Document(ChoiceLabels, models.Model):
    """Every PDF we issue, by the number printed on it (and in its QR code): who issued it, when, the seal it
    carries, the head's signature of an answer, and the SHA-256 of the file as issued, so anyone can check a copy on
    the verification page (/<lang>/verify/). The number is random: it tells nothing about other documents."""

    class Kind(models.TextChoices):
        TALON = "talon", _("talon and registration stamp")
        RECEIPT = "receipt", _("receipt of the complaint")
        FORWARDING = "forwarding", _("covering letter forwarding the complaint")
        REDIRECT = "redirect", _("notice: redirected to the competent body")
        CONTENT = "content", _("notice: missing content")
        EXTENSION = "extension", _("notice: term extended")
        ANSWER = "answer", _("reasoned answer")
        NOTICE = "notice", _("notice to the applicant")

    number = models.CharField(_("document number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    complaint = models.ForeignKey(Complaint, verbose_name=_("complaint"), null=True, on_delete=models.PROTECT,
                                  related_name="documents")
    organisation = models.ForeignKey(Organisation, verbose_name=_("issued by"), null=True, on_delete=models.PROTECT,
                                     related_name="+")
    letter = models.OneToOneField(Letter, verbose_name=_("letter"), null=True, on_delete=models.PROTECT,
                                  related_name="document")
    signature = models.ForeignKey(Signature, verbose_name=_("signed by"), null=True, on_delete=models.PROTECT,
                                  related_name="+")
    language = models.CharField(_("language"), max_length=2)
    issued_at = models.DateTimeField(pgettext_lazy("date", "issued"), auto_now_add=True)
    sha256 = models.CharField(_("SHA-256 of the file as issued"), max_length=64, db_index=True)
    sealed_by = models.CharField(_("sealed by"), max_length=400, blank=True)
    seal_fingerprint = models.CharField(_("seal certificate SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.number

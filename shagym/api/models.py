"""API keys, the stored results of POSTs by Idempotency-Key, and the rate-limit counters."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shagym.directory.models import Organisation


class Scope(models.TextChoices):
    READ = "read", _("read complaints, documents and events")
    SUBMIT = "submit", _("submit complaints")
    ACT = "act", _("take lifecycle actions")


class ApiKey(models.Model):
    """A key of an organisation's system. It acts as its own named system user (`user`), a member of the
    organisation in the key's roles, so every event records who acted; only its hash is stored (sha256 of the whole
    key), and the key itself is shown once, when it is made (keys.issue)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(_("system name"), max_length=100, help_text=_("e.g. “e-Otinish register”."))
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    roles = models.JSONField(_("roles"), default=list)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("system user"), on_delete=models.PROTECT, related_name="api_key",
        editable=False,
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["organisation", "name"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    def is_usable(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)


class IdempotencyRecord(models.Model):
    """The first successful answer to a POST with an Idempotency-Key, per caller: a retry with the same key and body
    gets it again; the same key with another body is refused (422)."""

    owner = models.CharField(max_length=40)  # "k<api key id>" or "u<user id>"
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # sha256 of the method, the path and the body
    status_code = models.PositiveSmallIntegerField()
    body = models.TextField()
    location = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="api_one_result_per_key")]
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_age")]

    def __str__(self) -> str:
        return f"{self.owner}:{self.key}"


class RateCounter(models.Model):
    """A fixed-window request counter (per key, per client address): one upsert per request on PostgreSQL."""

    key = models.CharField(max_length=200, primary_key=True)
    slot = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} in {self.slot}"


class Upload(models.Model):
    """A file uploaded on its own (POST /api/v1/uploads), checked by its content, waiting to be bound to a complaint:
    at its filing (`attachments` of the complaint) or with supplied content. Bound once."""

    owner = models.CharField(max_length=40)  # as IdempotencyRecord.owner
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to="api-uploads/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    bound_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.token

from django.db import models


class AttemptCounter(models.Model):
    """Attempts counted in fixed windows (the status check's wrong codes): one row per counter, raised by one atomic
    upsert (shagym.security.counters), so parallel requests can never read the same count."""

    key = models.CharField(max_length=200, unique=True)
    started = models.BigIntegerField(help_text="The window's start, in seconds since the epoch.")
    count = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["started"], name="security_counter_started")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"

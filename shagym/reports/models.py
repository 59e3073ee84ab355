"""Summary tables for oversight, kept up to date from the events seam (facts.py) and rebuilt from the complaints by
`manage.py rebuild_reports`.

- `Fact`: one narrow row per complaint, what the reports need to know of it (when it came, which body reviews it,
  how it stands, whether it was answered on time, in how many working days). No personal data.
- `Tally`: the counts of `measures.MEASURES` per month of receipt, reviewing body, public service, channel and
  addressee kind: what the dashboards, the ranking and the open data add up.

Bodies, services and territories are plain numbers here (no foreign keys): the tables are written on every event and
read in bulk, and a body's name is looked up once per page."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .measures import DAY_NAMES, NAMES


class Fact(models.Model):
    complaint = models.OneToOneField(
        "complaints.Complaint", primary_key=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    received_on = models.DateField()  # Almaty date of receipt
    month = models.DateField()  # first day of the month of receipt
    body = models.PositiveIntegerField()  # the reviewing body (Complaint.reviewing_body)
    appealed_body = models.PositiveIntegerField(default=0)  # second tier: the body whose answer is appealed
    service = models.PositiveIntegerField(default=0)  # 0: no public service named
    channel = models.CharField(max_length=10)
    addressee_kind = models.CharField(max_length=20)
    status = models.CharField(max_length=30)
    outcome = models.CharField(max_length=30, blank=True)  # only once decided on the merits
    extension_ground = models.CharField(max_length=30, blank=True)
    wc_ground = models.CharField(max_length=30, blank=True)  # left without consideration, on this ground
    answered = models.BooleanField(default=False)
    on_time = models.BooleanField(default=False)
    late = models.BooleanField(default=False)
    merits = models.BooleanField(default=False)
    satisfied = models.BooleanField(default=False)
    extended = models.BooleanField(default=False)
    second_tier = models.BooleanField(default=False)
    second_tier_answered = models.BooleanField(default=False)
    upheld = models.BooleanField(default=False)
    review_days = models.PositiveSmallIntegerField(null=True, blank=True)  # registration to answer, working days
    open_due = models.DateField(null=True, blank=True)  # the due date while the complaint is open

    class Meta:
        indexes = [
            models.Index(fields=["month", "body"], name="fact_month_body"),
            # Overdue now: open complaints whose due date has passed.
            models.Index(fields=["open_due", "month", "body"], condition=Q(open_due__isnull=False),
                         name="fact_open_due"),
            # Working days to answer, read as a histogram per period and bodies.
            models.Index(fields=["month", "body", "review_days"], condition=Q(review_days__isnull=False),
                         name="fact_review_days"),
        ]

    def __str__(self) -> str:
        return f"fact {self.pk}"


class Tally(models.Model):
    month = models.DateField()
    body = models.PositiveIntegerField()
    service = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=10)
    addressee_kind = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "body", "service", "channel", "addressee_kind"],
                                    name="tally_cell"),
        ]
        indexes = [models.Index(fields=["body", "month"], name="tally_body_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} body {self.body} service {self.service}"


class Rebuild(models.Model):
    """Each run of `rebuild_reports` (or of the bench's loader): when, and what it made."""

    at = models.DateTimeField()
    facts = models.PositiveIntegerField()
    cells = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}: {self.facts} facts, {self.cells} cells"


class BodyMonth(models.Model):
    """The same counts per month and reviewing body only, with the histogram of working days to answer: what a
    dashboard without a service, channel or addressee filter reads (a year of the country is a few thousand rows)."""

    month = models.DateField()
    body = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "body"], name="bodymonth_cell")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} body {self.body}"


class ServiceMonth(models.Model):
    """The same counts per month and public service (0: none named), for the open data's table by service."""

    month = models.DateField()
    service = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "service"], name="servicemonth_cell")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} service {self.service}"


# One integer column per measure (received, answered, on_time, status_closed, ...): see measures.py; the tables by
# body and by service also hold the histogram of working days to answer (days_00 ... days_31).
for _name in NAMES:
    for _model in (Tally, BodyMonth, ServiceMonth):
        _model.add_to_class(_name, models.IntegerField(default=0))
for _name in DAY_NAMES:
    for _model in (BodyMonth, ServiceMonth):
        _model.add_to_class(_name, models.IntegerField(default=0))

KEY = ("month", "body", "service", "channel", "addressee_kind")

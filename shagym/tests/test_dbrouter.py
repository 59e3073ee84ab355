"""The read replica takes the reports' reads, and nothing else (shagym/dbrouter.py)."""

from __future__ import annotations

import pytest
from django.db import transaction

from shagym.complaints.models import Complaint
from shagym.dbrouter import ReportsReplicaRouter
from shagym.reports.models import Fact, Tally

router = ReportsReplicaRouter()


@pytest.mark.django_db(transaction=True)
def test_report_reads_go_to_the_replica():
    assert router.db_for_read(Fact) == "replica"
    assert router.db_for_read(Tally) == "replica"


@pytest.mark.django_db(transaction=True)
def test_everything_else_stays_on_the_primary():
    assert router.db_for_read(Complaint) == "default"
    assert router.db_for_write(Fact) == "default"
    assert router.allow_migrate("default", "reports") and not router.allow_migrate("replica", "reports")


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_stays_on_the_primary():
    """The fact updater re-reads a row under its lock and writes it: that read must see the primary."""
    with transaction.atomic():
        assert router.db_for_read(Fact) == "default"

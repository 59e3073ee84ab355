"""Back-office fixtures on top of the personas in shagym/conftest.py: the provider's office, a paper complaint,
complaints in the states each desk works on, and a clock frozen on the personas' Monday."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from shagym.complaints import services


@pytest.fixture(autouse=True)
def _frozen_clock(now):
    """Views read the clock (today, overdue, tomorrow); tests see Monday 2 November 2026, 12:00 Almaty."""
    with time_machine.travel(now + dt.timedelta(hours=2), tick=False):
        yield


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English source strings: pages are asked for under /en/."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _locmem_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def awaiting_signature(under_review, executor, now):
    return services.propose_decision(actor=executor, complaint=under_review, outcome="perform",
                                     reasons="Заңның 25-бабы бойынша.", facts="Анықтама берілмеген.", now=now).complaint


@pytest.fixture
def decided(awaiting_signature, head, now, committed):
    """Signed; the answer letter is issued after commit."""
    with committed():
        services.sign_decision(actor=head, complaint=awaiting_signature, now=now)
    return awaiting_signature


@pytest.fixture
def qa_case(decided, applicant, quality_authority, inspector, qa_head, qa_clerk, now):
    """The applicant disagrees and complains to the quality authority; the inspector reviews it (RULES §24)."""
    child = services.file_second_tier(actor=applicant, parent=decided, quality_authority=quality_authority,
                                      reasons="Бас тарту негізсіз.", demands="Қайта қарауды сұраймын.", now=now).complaint
    services.register_complaint(actor=qa_clerk, complaint=child, now=now)
    services.assign_executor(actor=qa_head, complaint=child, executor=inspector, now=now)
    return child

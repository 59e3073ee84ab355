"""Back-office fixtures on top of the personas in shagym/conftest.py: the provider's office, a paper complaint,
complaints in the states each desk works on, and a clock frozen on the personas' Monday."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from shagym.complaints import services
from shagym.complaints.states import Channel
from shagym.complaints.tests.factories import complaint_input, member
from shagym.directory.models import Role

from .. import services as desk


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
def provider_clerk(provider):
    return member(_user("provider_clerk"), provider, Role.CLERK)


@pytest.fixture
def provider_head(provider):
    return member(_user("provider_head"), provider, Role.HEAD)


def _user(username: str):
    from shagym.complaints.tests.factories import UserFactory

    return UserFactory(username=username)


@pytest.fixture
def paper(clerk, ministry, now):
    """A complaint brought to the ministry's office on paper, registered at once (with its talon)."""
    return desk.register_paper_complaint(
        actor=clerk,
        data=complaint_input(reviewing_body=ministry, channel=Channel.OFFICE, language="ru", officials=[]),
        holder=ministry,
        received_at=now,
        now=now,
    )


@pytest.fixture
def against_provider(provider_clerk, provider, ministry, now):
    """A paper complaint filed with the provider whose act is appealed, addressed to the ministry (RULES §8)."""
    return desk.register_paper_complaint(
        actor=provider_clerk,
        data=complaint_input(reviewing_body=ministry, respondent=provider, channel=Channel.POST,
                             postmark_date=dt.date(2026, 10, 30)),
        holder=provider,
        received_at=now,
        now=now,
    )


@pytest.fixture
def awaiting_signature(under_review, executor, now):
    return services.propose_decision(actor=executor, complaint=under_review, outcome="perform",
                                     reasons="Заңның 25-бабы бойынша.", facts="Анықтама берілмеген.", now=now)


@pytest.fixture
def decided(awaiting_signature, head, now):
    desk.sign_answer(actor=head, complaint=awaiting_signature, now=now)
    return awaiting_signature


@pytest.fixture
def qa_case(decided, applicant, quality_authority, inspector, qa_head, qa_clerk, now):
    """The applicant disagrees and complains to the quality authority; the inspector reviews it (RULES §24)."""
    child = services.file_second_tier(actor=applicant, parent=decided, quality_authority=quality_authority,
                                      reasons="Бас тарту негізсіз.", demands="Қайта қарауды сұраймын.", now=now)
    services.register_complaint(actor=qa_clerk, complaint=child, now=now)
    services.assign_executor(actor=qa_head, complaint=child, executor=inspector, now=now)
    return child

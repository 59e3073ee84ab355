"""Complaints at each step of the lifecycle, shared by the service and access tests (the root conftest has the
personas and received, registered, under_review)."""

import datetime as dt

import pytest

from shagym.complaints import services
from shagym.complaints.models import Recommendation
from shagym.complaints.states import AddresseeKind, DeliveryMethod, ExtensionGround, Outcome
from shagym.complaints.tests.factories import complaint_input

REASONS = "Заңның 25-бабына сәйкес құжаттар толық тапсырылған."


@pytest.fixture
def awaiting_content(registered, clerk, now):
    return services.request_content(actor=clerk, complaint=registered, missing="ЖСН көрсетілмеген.", now=now).complaint


@pytest.fixture
def awaiting_signature(under_review, executor, now):
    return services.propose_decision(
        actor=executor, complaint=under_review, outcome=Outcome.PERFORM_ACTION, reasons=REASONS, now=now
    ).complaint


@pytest.fixture
def decided(awaiting_signature, head, now):
    return services.sign_decision(actor=head, complaint=awaiting_signature, now=now).complaint


@pytest.fixture
def delivered(decided, clerk, now):
    return services.deliver_answer(actor=clerk, complaint=decided, method=DeliveryMethod.ELECTRONIC, now=now).complaint


@pytest.fixture
def extended(under_review, executor, now):
    return services.extend_term(
        actor=executor,
        complaint=under_review,
        days=3,
        ground=ExtensionGround.FURTHER_STUDY,
        reasons="Жергілікті жерде тексеру қажет.",
        now=now,
    ).complaint


@pytest.fixture
def forwarding(applicant, ministry, provider, provider_clerk, now):
    """Addressed to the ministry, but filed with the provider whose act is appealed (RULES §8)."""
    complaint = services.submit_complaint(
        actor=applicant, data=complaint_input(reviewing_body=ministry, respondent=provider), holder=provider, now=now
    ).complaint
    return services.register_complaint(actor=provider_clerk, complaint=complaint, now=now).complaint


@pytest.fixture
def qa_under_review(applicant, quality_authority, ministry, qa_clerk, qa_head, inspector, now):
    """A complaint to the quality authority about the ministry, given to the inspector."""
    complaint = services.submit_complaint(
        actor=applicant,
        data=complaint_input(
            reviewing_body=quality_authority, respondent=ministry, addressee_kind=AddresseeKind.QUALITY_AUTHORITY
        ),
        now=now,
    ).complaint
    services.register_complaint(actor=qa_clerk, complaint=complaint, now=now)
    return services.assign_executor(actor=qa_head, complaint=complaint, executor=inspector, now=now).complaint


@pytest.fixture
def recommendation(qa_under_review, inspector, ministry, now):
    event = services.recommend(
        actor=inspector,
        complaint=qa_under_review,
        body=ministry,
        text="Анықтаманы беру.",
        due_date=dt.date(2026, 11, 20),
        now=now,
    )
    return Recommendation.objects.get(pk=event.payload.recommendation)

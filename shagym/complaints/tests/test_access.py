"""access.py: who may act on and read which complaint. Every action is tried by the outsider (staff of another body)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.http import Http404
from django.utils import timezone

from shagym.complaints import access, services
from shagym.complaints.models import Complaint, ComplaintEvent, Recommendation
from shagym.complaints.states import (
    Channel,
    DeliveryMethod,
    ExtensionGround,
    NotAllowed,
    Outcome,
    WithoutConsiderationGround,
)
from shagym.complaints.tests.factories import UserFactory, complaint_input, member
from shagym.directory.roles import Role

LATER = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0))  # after every due date of these complaints
REASONS = "Заңның 25-бабына сәйкес."


def snapshot(complaint: Complaint) -> tuple[dict, list[str]]:
    fresh = Complaint.objects.get(pk=complaint.pk)
    return fresh.snapshot(), list(fresh.events.order_by("pk").values_list("action", flat=True))


@contextmanager
def not_allowed(complaint: Complaint):
    """The block raises NotAllowed and leaves the complaint and its history as they were."""
    before = snapshot(complaint)
    with pytest.raises(NotAllowed):
        yield
    assert snapshot(complaint) == before


# ---------------------------------------------------------------------------------------------------------------
# Complaints at each step (conftest has received, registered, under_review)


# ---------------------------------------------------------------------------------------------------------------
# The outsider, for each action: (the complaint's state, the call with the outsider as actor)

Attempt = Callable[..., object]

OUTSIDER_ATTEMPTS: dict[str, tuple[str, Attempt]] = {
    "register": ("received", lambda c, u, x: services.register_complaint(actor=u, complaint=c, now=x.now)),
    "forward": ("forwarding", lambda c, u, x: services.forward_complaint(actor=u, complaint=c, now=x.now)),
    "redirect": (
        "registered",
        lambda c, u, x: services.redirect_complaint(actor=u, complaint=c, target=x.other_body, reason="Құзыретінде емес.",
                                                            now=x.now),
    ),
    "request_content": (
        "registered",
        lambda c, u, x: services.request_content(actor=u, complaint=c, missing="ЖСН.", now=x.now),
    ),
    "supply_content": (
        "awaiting_content",
        lambda c, u, x: services.supply_content(actor=u, complaint=c, text="ЖСН.", now=x.now),
    ),
    "return": ("awaiting_content", lambda c, u, x: services.return_complaint(actor=u, complaint=c, now=LATER)),
    "assign": (
        "registered",
        lambda c, u, x: services.assign_executor(actor=u, complaint=c, executor=x.executor, now=x.now),
    ),
    "extend": (
        "under_review",
        lambda c, u, x: services.extend_term(
            actor=u, complaint=c, days=3, ground=ExtensionGround.FURTHER_STUDY, reasons="Т.", now=x.now
        ),
    ),
    "extension_notice": (
        "extended",
        lambda c, u, x: services.record_extension_notice(actor=u, complaint=c, channel="post", now=x.now),
    ),
    "hearing": (
        "under_review",
        lambda c, u, x: services.record_hearing(
            actor=u, complaint=c, held_on=dt.date(2026, 11, 2), notes="Т.", now=x.now
        ),
    ),
    "propose_decision": (
        "under_review",
        lambda c, u, x: services.propose_decision(
            actor=u, complaint=c, outcome=Outcome.REFUSE, reasons=REASONS, now=x.now
        ),
    ),
    "return_draft": (
        "awaiting_signature",
        lambda c, u, x: services.return_draft(actor=u, complaint=c, comment="Т.", now=x.now),
    ),
    "sign_decision": ("awaiting_signature", lambda c, u, x: services.sign_decision(actor=u, complaint=c, now=x.now)),
    "leave": (
        "under_review",
        lambda c, u, x: services.leave_without_consideration(
            actor=u, complaint=c, ground=WithoutConsiderationGround.COURT_ACT, now=x.now
        ),
    ),
    "withdraw": ("registered", lambda c, u, x: services.withdraw_complaint(actor=u, complaint=c, now=x.now)),
    "deliver_answer": (
        "decided",
        lambda c, u, x: services.deliver_answer(actor=u, complaint=c, method=DeliveryMethod.POST, now=x.now),
    ),
    "close": ("delivered", lambda c, u, x: services.close_complaint(actor=u, complaint=c, now=x.now)),
    "revise_due_date": (
        "registered",
        lambda c, u, x: services.revise_due_date(actor=u, complaint=c, apply=True, reason="№ 7.", now=x.now),
    ),
}


@pytest.mark.parametrize("action", sorted(OUTSIDER_ATTEMPTS))
def test_outsider_cannot_act_on_another_bodys_complaint(request, outsider, other_body, executor, now, action):
    state, attempt = OUTSIDER_ATTEMPTS[action]
    complaint = request.getfixturevalue(state)
    context = SimpleNamespace(now=now, other_body=other_body, executor=executor)

    with not_allowed(complaint):
        attempt(complaint, outsider, context)


def test_outsider_cannot_satisfy_the_appealed_bodys_complaint(forwarding, provider, outsider, now):
    # The provider holds the complaint and is its respondent, so only the outsider's role is in question.
    with not_allowed(forwarding):
        services.satisfy_in_full(actor=outsider, complaint=forwarding, text="Т.", now=now)


def test_outsider_cannot_record_a_paper_complaint_for_another_body(outsider, ministry, now):
    with pytest.raises(NotAllowed):
        services.submit_complaint(
            actor=outsider, data=complaint_input(reviewing_body=ministry, channel=Channel.OFFICE), now=now
        )

    assert not Complaint.objects.exists()


def test_outsider_cannot_file_a_second_tier_complaint(decided, outsider, quality_authority, now):
    with not_allowed(decided):
        services.file_second_tier(
            actor=outsider, parent=decided, quality_authority=quality_authority, reasons="Т.", demands="Т.", now=now
        )

    assert not Complaint.objects.filter(parent=decided).exists()


def test_outsider_cannot_recommend(qa_under_review, outsider, ministry, now):
    with not_allowed(qa_under_review):
        services.recommend(
            actor=outsider,
            complaint=qa_under_review,
            body=ministry,
            text="Т.",
            due_date=dt.date(2026, 11, 20),
            now=now,
        )

    assert not Recommendation.objects.exists()


def test_outsider_cannot_report_execution(recommendation, outsider, qa_under_review, now):
    with not_allowed(qa_under_review):
        services.report_execution(actor=outsider, recommendation=recommendation, report="Т.", now=now)

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ISSUED


def test_outsider_cannot_confirm_execution(recommendation, head, outsider, qa_under_review, now):
    services.report_execution(actor=head, recommendation=recommendation, report="Берілді.", now=now)

    with not_allowed(qa_under_review):
        services.confirm_execution(actor=outsider, recommendation=recommendation, accepted=True, now=now)

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.REPORTED


def test_failed_registration_by_the_outsider_uses_no_number(received, outsider, clerk, ministry, now):
    with not_allowed(received):
        services.register_complaint(actor=outsider, complaint=received, now=now)

    complaint = services.register_complaint(actor=clerk, complaint=received, now=now).complaint

    assert complaint.number.endswith("-00001")


# ---------------------------------------------------------------------------------------------------------------
# Applicants and executors act only on their own complaints


def test_another_applicant_cannot_withdraw_the_complaint(registered, now):
    stranger = UserFactory(username="stranger")

    with not_allowed(registered):
        services.withdraw_complaint(actor=stranger, complaint=registered, now=now)


def test_another_applicant_cannot_supply_content(awaiting_content, now):
    stranger = UserFactory(username="stranger")

    with not_allowed(awaiting_content):
        services.supply_content(actor=stranger, complaint=awaiting_content, text="ЖСН.", now=now)


def test_another_applicant_cannot_file_a_second_tier_complaint(decided, quality_authority, now):
    stranger = UserFactory(username="stranger")

    with not_allowed(decided):
        services.file_second_tier(
            actor=stranger, parent=decided, quality_authority=quality_authority, reasons="Т.", demands="Т.", now=now
        )


@pytest.fixture
def other_executor(ministry):
    return member(UserFactory(username="other_executor"), ministry, Role.EXECUTOR)


def test_executor_not_assigned_cannot_extend(under_review, other_executor, now):
    with not_allowed(under_review):
        services.extend_term(
            actor=other_executor,
            complaint=under_review,
            days=3,
            ground=ExtensionGround.FURTHER_STUDY,
            reasons="Т.",
            now=now,
        )


def test_executor_not_assigned_cannot_propose_a_decision(under_review, other_executor, now):
    with not_allowed(under_review):
        services.propose_decision(
            actor=other_executor, complaint=under_review, outcome=Outcome.REFUSE, reasons=REASONS, now=now
        )


def test_previous_executor_loses_the_complaint_when_it_is_reassigned(under_review, head, executor, other_executor, now):
    services.assign_executor(actor=head, complaint=under_review, executor=other_executor, now=now)

    with not_allowed(under_review):
        services.propose_decision(
            actor=executor, complaint=under_review, outcome=Outcome.REFUSE, reasons=REASONS, now=now
        )
    assert access.roles_for(other_executor, under_review) == {Role.EXECUTOR}


def test_inspector_cannot_decide_a_ministry_complaint(under_review, inspector, now):
    # Inspectors read every complaint but act only on those of their own authority given to them.
    with not_allowed(under_review):
        services.propose_decision(
            actor=inspector, complaint=under_review, outcome=Outcome.REFUSE, reasons=REASONS, now=now
        )


def test_administrator_cannot_decide(under_review, administrator, now):
    with not_allowed(under_review):
        services.propose_decision(
            actor=administrator, complaint=under_review, outcome=Outcome.REFUSE, reasons=REASONS, now=now
        )


def test_staff_of_an_inactive_body_lose_their_roles(registered, ministry, now):
    ministry.is_active = False
    ministry.save()
    clerk = UserFactory(username="late_clerk")
    member(clerk, ministry, Role.CLERK)

    assert access.roles_for(clerk, registered) == set()
    assert not access.complaints_for_staff(clerk).exists()


# ---------------------------------------------------------------------------------------------------------------
# roles_for


def test_roles_for_each_persona(under_review, applicant, clerk, head, executor, inspector, outsider, administrator):
    assert access.roles_for(applicant, under_review) == {Role.APPLICANT}
    assert access.roles_for(clerk, under_review) == {Role.CLERK}
    assert access.roles_for(head, under_review) == {Role.HEAD}
    assert access.roles_for(executor, under_review) == {Role.EXECUTOR}
    assert access.roles_for(inspector, under_review) == set()
    assert access.roles_for(outsider, under_review) == set()
    assert access.roles_for(administrator, under_review) == {Role.ADMINISTRATOR}
    assert access.roles_for(None, under_review) == {Role.SYSTEM}


def test_executor_has_no_role_before_he_is_assigned(registered, executor):
    assert access.roles_for(executor, registered) == set()


# ---------------------------------------------------------------------------------------------------------------
# Reading: complaints_for_staff, complaints_for_applicant, get_complaint_for_user


@pytest.fixture
def other_bodys_complaint(applicant, other_body, now):
    return services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=other_body), now=now).complaint


def test_staff_see_the_complaints_their_body_holds(registered, other_bodys_complaint, clerk, head, executor):
    for user in (clerk, head, executor):
        assert list(access.complaints_for_staff(user)) == [registered]


def test_outsider_sees_none_of_the_ministrys_complaints(registered, other_bodys_complaint, outsider):
    assert list(access.complaints_for_staff(outsider)) == [other_bodys_complaint]


def test_inspector_sees_every_complaint(registered, other_bodys_complaint, inspector):
    assert set(access.complaints_for_staff(inspector)) == {registered, other_bodys_complaint}


def test_applicant_sees_nothing_through_the_staff_door(registered, applicant):
    assert not access.complaints_for_staff(applicant).exists()
    assert not access.complaints_for_staff(None).exists()


def test_applicant_sees_only_his_own_complaints(registered, ministry, now):
    stranger = UserFactory(username="stranger")
    services.submit_complaint(actor=stranger, data=complaint_input(reviewing_body=ministry), now=now)

    assert list(access.complaints_for_applicant(registered.applicant_user)) == [registered]


@pytest.mark.parametrize("persona", ["applicant", "clerk", "head", "executor", "inspector"])
def test_complaint_is_read_by_its_applicant_holder_staff_and_inspectors(request, registered, persona):
    user = request.getfixturevalue(persona)

    assert access.get_complaint_for_user(user, registered.pk) == registered


@pytest.mark.parametrize("persona", ["outsider", "another applicant", "anonymous"])
def test_complaint_is_not_found_for_anyone_else(registered, outsider, persona):
    user = {
        "outsider": outsider,
        "another applicant": UserFactory(username="stranger"),
        "anonymous": None,
    }[persona]

    with pytest.raises(Http404):
        access.get_complaint_for_user(user, registered.pk)


def test_missing_complaint_is_not_found_the_same_way(clerk):
    with pytest.raises(Http404):
        access.get_complaint_for_user(clerk, 999_999)


def test_forwarded_complaint_moves_to_the_reviewing_body(forwarding, provider_clerk, clerk, now):
    assert access.get_complaint_for_user(provider_clerk, forwarding.pk) == forwarding
    with pytest.raises(Http404):
        access.get_complaint_for_user(clerk, forwarding.pk)

    services.forward_complaint(actor=provider_clerk, complaint=forwarding, now=now)

    assert access.get_complaint_for_user(clerk, forwarding.pk) == forwarding
    assert list(access.complaints_for_staff(clerk)) == [forwarding]
    with pytest.raises(Http404):
        access.get_complaint_for_user(provider_clerk, forwarding.pk)
    assert not access.complaints_for_staff(provider_clerk).exists()
    assert access.roles_for(provider_clerk, forwarding) == set()


def test_redirected_complaint_leaves_the_old_body(registered, clerk, outsider, other_body, now):
    services.redirect_complaint(actor=clerk, complaint=registered, target=other_body, reason="Құзыретінде емес.", now=now)

    assert not access.complaints_for_staff(clerk).exists()
    assert list(access.complaints_for_staff(outsider)) == [registered]
    assert ComplaintEvent.objects.filter(complaint=registered).count() == 3

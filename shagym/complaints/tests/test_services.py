"""services.py: one test (at least) per action of states.TRANSITIONS, through its service function.

A transition test checks the new status, the fields that changed, and the one event appended. A refused action
checks the exception and that nothing changed: the complaint in the database and its history."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shagym.complaints import services, states
from shagym.complaints.identifiers import make_bin
from shagym.complaints.models import AppealedOfficial, Complaint, ComplaintEvent, Recommendation
from shagym.complaints.states import (
    Action,
    AddresseeKind,
    AppealedAct,
    ApplicantKind,
    Channel,
    ConfirmData,
    DeliverData,
    DeliveryMethod,
    ExtensionGround,
    MoveData,
    Outcome,
    RecommendData,
    ReportData,
    State,
    SubmitData,
    SupplyData,
    TermType,
    WithoutConsiderationGround,
)
from shagym.complaints.tests.factories import OrganisationFactory, UserFactory, complaint_input, member
from shagym.directory.calendar import current_calendar
from shagym.directory.models import CalendarOverride, OrganisationKind
from shagym.directory.roles import Role

REASONS = "Заңның 25-бабына сәйкес құжаттар толық тапсырылған."


def day(n: int) -> dt.date:
    """A day of November 2026: Monday 2, 9, 16, 23 and 30; no holidays in the month."""
    return dt.date(2026, 11, n)


def moment(n: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, n, hour))


# ---------------------------------------------------------------------------------------------------------------
# Checking helpers


def reloaded(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def history(complaint: Complaint) -> list[str]:
    return list(ComplaintEvent.objects.filter(complaint=complaint).order_by("pk").values_list("action", flat=True))


def appended(complaint: Complaint, action: Action, *, actor, role: Role, before: State, after: State) -> ComplaintEvent:
    """The complaint's last event, checked: the action, who took it in which role, the status before and after,
    and an `after` that is the complaint as saved."""
    event = ComplaintEvent.objects.filter(complaint=complaint).order_by("pk").last()
    assert event is not None
    assert (event.action, event.actor, event.role) == (action, actor, role)
    assert (event.old.status, event.new.status) == (before, after)
    assert event.new == reloaded(complaint).snapshot()
    return event


@contextmanager
def unchanged(*complaints: Complaint):
    """The block leaves each complaint as saved (status, due date and every lifecycle field) and adds no event."""
    before = [(reloaded(c).snapshot(), history(c)) for c in complaints]
    yield
    assert [(reloaded(c).snapshot(), history(c)) for c in complaints] == before


@contextmanager
def refused(complaint: Complaint, code: str, field: str | None = None):
    with unchanged(complaint), pytest.raises(states.Refused) as info:
        yield info
    assert info.value.code == code
    if field is not None:
        assert info.value.field == field


@contextmanager
def not_allowed(*complaints: Complaint):
    with unchanged(*complaints), pytest.raises(states.NotAllowed):
        yield


# ---------------------------------------------------------------------------------------------------------------
# More personas and complaints at each step of the lifecycle (conftest has received, registered, under_review)


@pytest.fixture
def second_executor(ministry):
    return member(UserFactory(username="second_executor"), ministry, Role.EXECUTOR)


def under_review_at(body, *, applicant, addressee_kind, now) -> tuple[Complaint, object]:
    """A complaint addressed to `body`, registered there and given to an executor of its own staff."""
    clerk, head, executor = (
        member(UserFactory(username=f"{body.key}-{role}"), body, role)
        for role in (Role.CLERK, Role.HEAD, Role.EXECUTOR)
    )
    complaint = services.submit_complaint(
        actor=applicant, data=complaint_input(reviewing_body=body, addressee_kind=addressee_kind), now=now
    ).complaint
    services.register_complaint(actor=clerk, complaint=complaint, now=now)
    services.assign_executor(actor=head, complaint=complaint, executor=executor, now=now)
    return complaint, executor


# ---------------------------------------------------------------------------------------------------------------
# submit (RULES §1, §3, §7)


def test_applicant_files_on_the_portal(applicant, ministry, now):
    complaint = services.submit_complaint(actor=applicant, data=complaint_input(reviewing_body=ministry), now=now).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.RECEIVED
    assert complaint.applicant_user == applicant
    assert complaint.received_by is None
    assert (complaint.holder, complaint.reviewing_body, complaint.respondent) == (ministry, ministry, ministry)
    assert complaint.received_at == now
    assert (complaint.term_type, complaint.term_days) == (TermType.PUBLIC_SERVICE, 5)
    assert complaint.number is None and complaint.due_date is None
    assert [(o.surname, o.initials) for o in complaint.officials.all()] == [("Қасымов", "Б.Т.")]
    assert history(complaint) == [Action.SUBMIT]
    event = complaint.events.get()
    assert (event.action, event.actor, event.role) == (Action.SUBMIT, applicant, Role.APPLICANT)
    assert event.before == {}
    assert event.new.status == State.RECEIVED
    assert event.payload == SubmitData(late=False, parent_id=None)


@pytest.mark.parametrize(
    ("channel", "postmark_date"),
    [(Channel.OFFICE, None), (Channel.POST, dt.date(2026, 10, 29))],
)
def test_clerk_records_a_paper_complaint(clerk, ministry, now, channel, postmark_date):
    data = complaint_input(reviewing_body=ministry, channel=channel, postmark_date=postmark_date)

    complaint = reloaded(services.submit_complaint(actor=clerk, data=data, now=now).complaint)

    assert complaint.status == State.RECEIVED
    assert complaint.channel == channel
    assert complaint.postmark_date == postmark_date
    assert complaint.applicant_user is None
    assert complaint.received_by == clerk
    assert complaint.holder == ministry
    event = complaint.events.get()
    assert (event.action, event.actor, event.role) == (Action.SUBMIT, clerk, Role.CLERK)


def test_paper_complaint_without_officials_is_accepted(clerk, ministry, now):
    # RULES §4 (АППК 64(1)): acceptance may not be refused; the office asks for missing content later.
    data = complaint_input(reviewing_body=ministry, channel=Channel.OFFICE, officials=[])

    complaint = services.submit_complaint(actor=clerk, data=data, now=now).complaint

    assert complaint.status == State.RECEIVED
    assert not complaint.officials.exists()


def test_clerk_records_a_complaint_received_at_his_body_for_another(provider_clerk, provider, ministry, now):
    data = complaint_input(reviewing_body=ministry, respondent=provider, channel=Channel.OFFICE)

    complaint = services.submit_complaint(actor=provider_clerk, data=data, holder=provider, now=now).complaint

    assert (complaint.holder, complaint.reviewing_body) == (provider, ministry)
    assert complaint.received_by == provider_clerk


def test_legal_entity_files_with_bin_and_letter(applicant, ministry, now):
    data = complaint_input(
        reviewing_body=ministry,
        applicant_kind=ApplicantKind.LEGAL_ENTITY,
        legal_name="«Дала» ЖШС",
        bin=make_bin(2015, 3),
        outgoing_number="17/04",
        outgoing_date=day(1),
    )

    complaint = reloaded(services.submit_complaint(actor=applicant, data=data, now=now).complaint)

    assert complaint.applicant_kind == ApplicantKind.LEGAL_ENTITY
    assert complaint.bin == make_bin(2015, 3)
    assert complaint.iin == ""  # the IIN of the individual fields is not kept for a legal entity
    assert complaint.applicant_name == "«Дала» ЖШС"


def test_retried_submission_returns_the_same_complaint(applicant, ministry, now):
    data = complaint_input(reviewing_body=ministry)

    first = services.submit_complaint(actor=applicant, data=data, idempotency_key="k-1", now=now).complaint
    second = services.submit_complaint(actor=applicant, data=data, idempotency_key="k-1", now=moment(2, 11)).complaint

    assert second.pk == first.pk
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.count() == 1


def test_idempotency_key_of_another_applicant_returns_nothing_of_theirs(applicant, ministry, now):
    first = services.submit_complaint(
        actor=applicant, data=complaint_input(reviewing_body=ministry), idempotency_key="k-1", now=now
    ).complaint
    stranger = UserFactory(username="stranger")

    try:
        other = services.submit_complaint(
            actor=stranger, data=complaint_input(reviewing_body=ministry), idempotency_key="k-1", now=now
        ).complaint
    except (states.Refused, states.NotAllowed):
        return
    assert other.pk != first.pk
    assert other.applicant_user == stranger


def _legal(**overrides):
    values = dict(
        applicant_kind=ApplicantKind.LEGAL_ENTITY,
        legal_name="«Дала» ЖШС",
        bin=make_bin(2015, 3),
        outgoing_number="17/04",
        outgoing_date=day(1),
    )
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"iin": "123456789012"}, "iin"),
        ({"iin": "9005173"}, "iin"),
        ({"iin": ""}, "iin"),
        ({"surname": "  "}, "surname"),
        ({"first_name": ""}, "surname"),
        ({"applicant_kind": "robot"}, "applicant_kind"),
        (_legal(bin="123456789012"), "bin"),
        (_legal(bin=""), "bin"),
        (_legal(legal_name=" "), "legal_name"),
        (_legal(outgoing_number=""), "outgoing_number"),
        (_legal(outgoing_date=None), "outgoing_number"),
        ({"channel": "fax"}, "channel"),
        ({"language": "en"}, "language"),
        ({"addressee_kind": "president"}, "addressee_kind"),
        ({"appealed_act": "mood"}, "appealed_act"),
        ({"postal_address": ""}, "postal_address"),
        ({"circumstances": " "}, "circumstances"),
        ({"reasons": ""}, "reasons"),
        ({"demands": ""}, "demands"),
        ({"learned_on": day(3)}, "learned_on"),
        ({"officials": []}, "officials"),
        ({"officials": [services.OfficialInput(position="", surname="Қасымов", initials="Б.Т.")]}, "officials"),
    ],
)
def test_incomplete_complaint_is_refused_and_nothing_is_created(applicant, ministry, now, overrides, field):
    data = complaint_input(reviewing_body=ministry, **overrides)

    with pytest.raises(states.Refused) as info:
        services.submit_complaint(actor=applicant, data=data, idempotency_key="k-1", now=now)

    assert (info.value.code, info.value.field) == ("invalid", field)
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()
    assert not AppealedOfficial.objects.exists()


def test_portal_complaint_needs_an_account(ministry, now):
    with pytest.raises(states.NotAllowed):
        services.submit_complaint(actor=None, data=complaint_input(reviewing_body=ministry), now=now)

    assert not Complaint.objects.exists()


@pytest.mark.parametrize("persona", ["applicant", "executor", "head"])
def test_only_a_clerk_of_the_receiving_body_records_paper(request, ministry, now, persona):
    actor = request.getfixturevalue(persona)
    data = complaint_input(reviewing_body=ministry, channel=Channel.OFFICE)

    with pytest.raises(states.NotAllowed):
        services.submit_complaint(actor=actor, data=data, now=now)

    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()


def test_late_complaint_is_accepted_and_flagged(applicant, ministry, now):
    # RULES §7 (АППК 92): 3 months from the day the applicant learned of it; late is accepted, only flagged.
    data = complaint_input(reviewing_body=ministry, learned_on=dt.date(2026, 8, 1))

    complaint = services.submit_complaint(actor=applicant, data=data, now=moment(3)).complaint

    assert complaint.status == State.RECEIVED
    assert complaint.events.get().data["late"] is True


def test_complaint_on_the_last_day_of_the_filing_term_is_in_time(applicant, ministry):
    data = complaint_input(reviewing_body=ministry, learned_on=dt.date(2026, 8, 3))

    complaint = services.submit_complaint(actor=applicant, data=data, now=moment(3, 23)).complaint

    assert complaint.events.get().data["late"] is False


def test_complaint_posted_on_the_last_day_of_the_filing_term_is_in_time(clerk, ministry):
    data = complaint_input(
        reviewing_body=ministry, channel=Channel.POST, learned_on=dt.date(2026, 8, 3), postmark_date=day(3)
    )

    complaint = services.submit_complaint(actor=clerk, data=data, now=moment(6)).complaint

    assert complaint.events.get().data["late"] is False


def test_filing_term_ending_on_a_sunday_runs_to_monday(applicant, ministry, now):
    # 1 August + 3 months = Sunday 1 November 2026; filed on Monday 2 November.
    data = complaint_input(reviewing_body=ministry, learned_on=dt.date(2026, 8, 1))

    complaint = services.submit_complaint(actor=applicant, data=data, now=now).complaint

    assert complaint.events.get().data["late"] is False


# ---------------------------------------------------------------------------------------------------------------
# register (RULES §5, §6, §8, §11-§13, §16)


def test_clerk_registers_with_a_number_and_a_term_of_5_working_days(received, clerk, ministry, now):
    complaint = services.register_complaint(actor=clerk, complaint=received, now=now).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.REGISTERED
    assert complaint.number == f"26-{ministry.pk:03d}-00001"  # year, body, sequence
    assert complaint.registered_at == now
    assert complaint.registered_on == day(2)
    assert complaint.due_date == day(9)  # day 1 is Tuesday 3 November (Civil Code 173)
    assert complaint.calendar_version == current_calendar().version
    assert complaint.forward_due is None
    assert history(complaint) == [Action.SUBMIT, Action.REGISTER]
    event = appended(
        complaint, Action.REGISTER, actor=clerk, role=Role.CLERK, before=State.RECEIVED, after=State.REGISTERED
    )
    assert event.before["number"] is None
    assert event.after["due_date"] == "2026-11-09"


def test_numbers_run_in_sequence_per_body_and_year(applicant, clerk, ministry, now):
    numbers = [
        services.register_complaint(
            actor=clerk,
            complaint=services.submit_complaint(
                actor=applicant, data=complaint_input(reviewing_body=ministry), now=now
            ).complaint,
            now=now,
        ).complaint.number
        for _ in range(2)
    ]

    assert numbers == [f"26-{ministry.pk:03d}-00001", f"26-{ministry.pk:03d}-00002"]


def test_complaint_received_on_saturday_is_registered_on_monday(applicant, clerk, ministry):
    complaint = services.submit_complaint(
        actor=applicant, data=complaint_input(reviewing_body=ministry), now=moment(7, 12)
    ).complaint

    complaint = services.register_complaint(actor=clerk, complaint=complaint, now=moment(9, 9)).complaint

    assert complaint.registered_on == day(9)
    assert complaint.due_date == day(16)


def test_quality_authority_has_15_working_days(applicant, quality_authority, ministry, qa_clerk, now):
    data = complaint_input(
        reviewing_body=quality_authority, respondent=ministry, addressee_kind=AddresseeKind.QUALITY_AUTHORITY
    )
    complaint = services.submit_complaint(actor=applicant, data=data, now=now).complaint

    complaint = services.register_complaint(actor=qa_clerk, complaint=complaint, now=now).complaint

    assert (complaint.term_type, complaint.term_days) == (TermType.QUALITY_AUTHORITY, 15)
    assert complaint.due_date == day(23)


def test_administrative_complaint_has_20_working_days(applicant, clerk, ministry, now):
    data = complaint_input(reviewing_body=ministry, public_service=False)
    complaint = services.submit_complaint(actor=applicant, data=data, now=now).complaint

    complaint = services.register_complaint(actor=clerk, complaint=complaint, now=now).complaint

    assert (complaint.term_type, complaint.term_days) == (TermType.ADMINISTRATIVE, 20)
    assert complaint.due_date == day(30)


def test_calendar_override_moves_the_due_date_at_registration(received, clerk, now):
    CalendarOverride.objects.create(day=day(5), working=False, reason="Тәуелсіздік", reference="ҚР Үкіметі")

    complaint = services.register_complaint(actor=clerk, complaint=received, now=now).complaint

    assert complaint.due_date == day(10)
    assert complaint.calendar_version == current_calendar().version
    assert not complaint.calendar_version.endswith("+base")


def test_complaint_filed_with_the_appealed_body_waits_to_be_forwarded(
    applicant, ministry, provider, provider_clerk, now
):
    complaint = services.submit_complaint(
        actor=applicant, data=complaint_input(reviewing_body=ministry, respondent=provider), holder=provider, now=now
    ).complaint

    complaint = services.register_complaint(actor=provider_clerk, complaint=complaint, now=now).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.FORWARDING
    assert complaint.number == f"26-{provider.pk:03d}-00001"
    assert complaint.forward_due == day(5)  # RULES §8: 3 working days
    assert complaint.due_date is None
    appended(
        complaint,
        Action.REGISTER,
        actor=provider_clerk,
        role=Role.CLERK,
        before=State.RECEIVED,
        after=State.FORWARDING,
    )


def test_complaint_is_registered_only_once(registered, clerk, now):
    with refused(registered, "state"):
        services.register_complaint(actor=clerk, complaint=registered, now=now)


def test_executor_cannot_register(received, executor, now):
    with not_allowed(received):
        services.register_complaint(actor=executor, complaint=received, now=now)


# ---------------------------------------------------------------------------------------------------------------
# forward, satisfy_in_full (RULES §8)


def test_appealed_body_forwards_to_the_reviewing_body(forwarding, provider_clerk, provider, ministry):
    complaint = services.forward_complaint(actor=provider_clerk, complaint=forwarding, now=moment(3)).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.RECEIVED
    assert (complaint.holder, complaint.forwarded_from) == (ministry, provider)
    assert complaint.forward_due is None
    event = appended(
        complaint,
        Action.FORWARD,
        actor=provider_clerk,
        role=Role.CLERK,
        before=State.FORWARDING,
        after=State.RECEIVED,
    )
    assert event.payload == MoveData(from_body=provider.pk, to_body=ministry.pk)
    assert event.old.forward_due == day(5)


def test_reviewing_body_registers_a_forwarded_complaint_from_its_own_receipt(forwarding, provider_clerk, clerk):
    services.forward_complaint(actor=provider_clerk, complaint=forwarding, now=moment(3))

    complaint = services.register_complaint(actor=clerk, complaint=forwarding, now=moment(3, 15)).complaint

    assert complaint.status == State.REGISTERED
    assert complaint.registered_on == day(3)
    assert complaint.due_date == day(10)
    assert history(complaint) == [Action.SUBMIT, Action.REGISTER, Action.FORWARD, Action.REGISTER]


def test_only_a_complaint_waiting_to_be_forwarded_is_forwarded(registered, clerk, now):
    with refused(registered, "state"):
        services.forward_complaint(actor=clerk, complaint=registered, now=now)


def test_appealed_body_satisfies_the_demands_in_full(forwarding, provider_head, now):
    complaint = services.satisfy_in_full(actor=provider_head, complaint=forwarding, text="Анықтама берілді.", now=now).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.SATISFIED_BY_RESPONDENT
    assert complaint.decided_at == now
    assert complaint.decision_reasons == "Анықтама берілді."
    assert complaint.forward_due is None
    event = appended(
        complaint,
        Action.SATISFY,
        actor=provider_head,
        role=Role.HEAD,
        before=State.FORWARDING,
        after=State.SATISFIED_BY_RESPONDENT,
    )
    assert event.data == {"text": "Анықтама берілді."}


def test_only_the_appealed_body_can_satisfy_in_full(applicant, ministry, provider, provider_clerk, provider_head, now):
    another_provider = OrganisationFactory(kind=OrganisationKind.PROVIDER, reviewer=ministry)
    complaint = services.submit_complaint(
        actor=applicant,
        data=complaint_input(reviewing_body=ministry, respondent=another_provider),
        holder=provider,
        now=now,
    ).complaint
    services.register_complaint(actor=provider_clerk, complaint=complaint, now=now)

    with refused(complaint, "state"):
        services.satisfy_in_full(actor=provider_head, complaint=complaint, text="Анықтама берілді.", now=now)


def test_satisfying_needs_a_description(forwarding, provider_head, now):
    with refused(forwarding, "invalid", "text"):
        services.satisfy_in_full(actor=provider_head, complaint=forwarding, text=" ", now=now)


def test_satisfying_in_full_is_only_while_forwarding(registered, head, now):
    with refused(registered, "state"):
        services.satisfy_in_full(actor=head, complaint=registered, text="Анықтама берілді.", now=now)


def test_clerk_cannot_satisfy_in_full(forwarding, provider_clerk, now):
    with not_allowed(forwarding):
        services.satisfy_in_full(actor=provider_clerk, complaint=forwarding, text="Анықтама берілді.", now=now)


# ---------------------------------------------------------------------------------------------------------------
# redirect (RULES §9)


@pytest.mark.parametrize("start", ["received", "registered"])
def test_complaint_outside_competence_is_redirected(request, clerk, ministry, other_body, now, start):
    complaint = request.getfixturevalue(start)
    before = State(complaint.status)

    services.redirect_complaint(
        actor=clerk, complaint=complaint, target=other_body, reason="Құзыретінде емес.", now=now
    )

    complaint = reloaded(complaint)
    assert complaint.status == State.RECEIVED
    assert (complaint.holder, complaint.reviewing_body, complaint.forwarded_from) == (other_body, other_body, ministry)
    assert complaint.due_date is None
    event = appended(complaint, Action.REDIRECT, actor=clerk, role=Role.CLERK, before=before, after=State.RECEIVED)
    assert event.payload == MoveData(from_body=ministry.pk, to_body=other_body.pk, reason="Құзыретінде емес.")


@pytest.mark.parametrize("target", ["none", "ministry"])
def test_redirect_needs_another_body(registered, clerk, ministry, now, target):
    with refused(registered, "invalid", "target"):
        services.redirect_complaint(
            actor=clerk, complaint=registered, target=ministry if target == "ministry" else None, reason="Р.", now=now
        )


def test_redirect_tells_the_applicant_why(registered, clerk, other_body, now):
    # RULES §9 (АППК 65): the applicant is told, so the reason is required.
    with refused(registered, "invalid", "reason"):
        services.redirect_complaint(actor=clerk, complaint=registered, target=other_body, reason="  ", now=now)


def test_complaint_under_review_is_not_redirected(under_review, clerk, other_body, now):
    with refused(under_review, "state"):
        services.redirect_complaint(actor=clerk, complaint=under_review, target=other_body, reason="Р.", now=now)


# ---------------------------------------------------------------------------------------------------------------
# request_content, supply_content, return (RULES §4)


def test_missing_content_is_requested_with_a_term(registered, clerk, now):
    complaint = services.request_content(actor=clerk, complaint=registered, missing="ЖСН көрсетілмеген.", now=now).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.AWAITING_CONTENT
    assert complaint.content_due == day(9)  # SHAGYM_CONTENT_FIX_DAYS = 5 working days
    assert complaint.due_date == day(9)
    event = appended(
        complaint,
        Action.REQUEST_CONTENT,
        actor=clerk,
        role=Role.CLERK,
        before=State.REGISTERED,
        after=State.AWAITING_CONTENT,
    )
    assert event.data == {"missing": "ЖСН көрсетілмеген.", "days": 5}


def test_executor_requests_content_during_review_with_his_own_term(under_review, executor, now):
    complaint = services.request_content(actor=executor, complaint=under_review, missing="Мекенжай.", days=2, now=now).complaint

    assert complaint.status == State.AWAITING_CONTENT
    assert complaint.content_due == day(4)
    appended(
        complaint,
        Action.REQUEST_CONTENT,
        actor=executor,
        role=Role.EXECUTOR,
        before=State.UNDER_REVIEW,
        after=State.AWAITING_CONTENT,
    )


def test_request_must_name_what_is_missing(registered, clerk, now):
    with refused(registered, "invalid", "missing"):
        services.request_content(actor=clerk, complaint=registered, missing="  ", now=now)


@pytest.mark.parametrize("days", [-1, 31])
def test_term_to_supply_content_is_1_to_30_working_days(registered, clerk, now, days):
    with refused(registered, "invalid", "days"):
        services.request_content(actor=clerk, complaint=registered, missing="ЖСН.", days=days, now=now)


def test_content_is_not_requested_once_the_draft_is_written(awaiting_signature, executor, now):
    with refused(awaiting_signature, "state"):
        services.request_content(actor=executor, complaint=awaiting_signature, missing="ЖСН.", now=now)


def test_supplied_content_resumes_registration(awaiting_content, applicant, now):
    complaint = services.supply_content(actor=applicant, complaint=awaiting_content, text="ЖСН: 900517300011", now=now).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.REGISTERED
    assert complaint.content_due is None
    event = appended(
        complaint,
        Action.SUPPLY_CONTENT,
        actor=applicant,
        role=Role.APPLICANT,
        before=State.AWAITING_CONTENT,
        after=State.REGISTERED,
    )
    assert event.payload == SupplyData(text="ЖСН: 900517300011")


def test_supplied_content_resumes_the_review(under_review, executor, clerk, now):
    services.request_content(actor=executor, complaint=under_review, missing="Мекенжай.", now=now)

    complaint = services.supply_content(actor=clerk, complaint=under_review, text="Мекенжай: Астана.", now=moment(3)).complaint

    assert complaint.status == State.UNDER_REVIEW
    assert complaint.executor is not None
    appended(
        complaint,
        Action.SUPPLY_CONTENT,
        actor=clerk,
        role=Role.CLERK,
        before=State.AWAITING_CONTENT,
        after=State.UNDER_REVIEW,
    )


def test_content_asked_during_an_extended_review_resumes_the_extended_review(extended, executor, applicant, now):
    """Extend, then ask for missing content, then the applicant supplies it: the review goes on under the extended
    term, which does not move (RULES §4, §14)."""
    due = extended.due_date
    services.request_content(actor=executor, complaint=extended, missing="Анықтаманың көшірмесі.", days=3, now=now)
    assert reloaded(extended).status == State.AWAITING_CONTENT

    event = services.supply_content(actor=applicant, complaint=extended, text="Көшірме қоса беріледі.",
                                    attachments=[SimpleUploadedFile("copy.pdf", b"%PDF-1.4 copy", "text/plain")],
                                    now=moment(3))

    complaint = reloaded(extended)
    assert (complaint.status, complaint.extension_days, complaint.due_date) == (State.EXTENDED, 3, due)
    assert complaint.content_due is None and complaint.extension_notice_due == extended.extension_notice_due
    assert event.payload == SupplyData(text="Көшірме қоса беріледі.", attachments=["copy.pdf"])
    [attachment] = complaint.attachments.all()
    assert attachment.content_type == "application/pdf"  # read from the file, not from what the browser said
    appended(complaint, Action.SUPPLY_CONTENT, actor=applicant, role=Role.APPLICANT, before=State.AWAITING_CONTENT,
             after=State.EXTENDED)


def test_missing_content_may_be_supplied_as_a_file_alone(awaiting_content, applicant, now):
    services.supply_content(actor=applicant, complaint=awaiting_content, text="",
                            attachments=[SimpleUploadedFile("id.png", b"\x89PNG\r\n\x1a\n....", "image/png")], now=now)
    assert reloaded(awaiting_content).status == State.REGISTERED


def test_a_file_that_is_not_a_document_is_refused_and_nothing_changes(awaiting_content, applicant, now):
    html = SimpleUploadedFile("letter.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    with refused(awaiting_content, "invalid", "attachments"):
        services.supply_content(actor=applicant, complaint=awaiting_content, text="Хат.", attachments=[html], now=now)
    assert not awaiting_content.attachments.exists()


def test_supplied_content_must_not_be_empty(awaiting_content, applicant, now):
    with refused(awaiting_content, "invalid", "text"):
        services.supply_content(actor=applicant, complaint=awaiting_content, text="", now=now)


def test_content_is_supplied_only_when_asked(registered, applicant, now):
    with refused(registered, "state"):
        services.supply_content(actor=applicant, complaint=registered, text="Қосымша.", now=now)


def test_executor_cannot_supply_content(under_review, executor, now):
    services.request_content(actor=executor, complaint=under_review, missing="Мекенжай.", now=now)

    with not_allowed(under_review):
        services.supply_content(actor=executor, complaint=under_review, text="Мекенжай.", now=now)


@pytest.mark.parametrize("when", [moment(2, 18), moment(9, 23)])
def test_complaint_is_not_returned_before_the_content_term_ends(awaiting_content, clerk, when):
    with refused(awaiting_content, "state"):
        services.return_complaint(actor=clerk, complaint=awaiting_content, now=when)


def test_complaint_is_returned_once_the_content_term_has_passed(awaiting_content, clerk):
    complaint = services.return_complaint(actor=clerk, complaint=awaiting_content, now=moment(10)).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.RETURNED
    appended(
        complaint, Action.RETURN, actor=clerk, role=Role.CLERK, before=State.AWAITING_CONTENT, after=State.RETURNED
    )


def test_complaint_not_awaiting_content_is_not_returned(registered, clerk):
    with refused(registered, "state"):
        services.return_complaint(actor=clerk, complaint=registered, now=moment(20))


# ---------------------------------------------------------------------------------------------------------------
# assign (RULES §10)


def test_head_appoints_the_executor(registered, head, executor, now):
    complaint = services.assign_executor(actor=head, complaint=registered, executor=executor, now=now).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.UNDER_REVIEW
    assert complaint.executor == executor
    assert complaint.due_date == day(9)
    event = appended(
        complaint, Action.ASSIGN, actor=head, role=Role.HEAD, before=State.REGISTERED, after=State.UNDER_REVIEW
    )
    assert event.data == {"executor": executor.pk, "previous": None}


@pytest.mark.parametrize("start", ["under_review", "extended"])
def test_reassigning_keeps_the_state(request, head, executor, second_executor, now, start):
    complaint = request.getfixturevalue(start)
    before = State(complaint.status)

    services.assign_executor(actor=head, complaint=complaint, executor=second_executor, now=now)

    complaint = reloaded(complaint)
    assert complaint.status == before
    assert complaint.executor == second_executor
    event = appended(complaint, Action.ASSIGN, actor=head, role=Role.HEAD, before=before, after=before)
    assert event.data == {"executor": second_executor.pk, "previous": executor.pk}


@pytest.mark.parametrize("persona", ["outsider", "clerk", "applicant", "inspector"])
def test_executor_must_serve_the_holder_as_executor(request, registered, head, now, persona):
    with refused(registered, "invalid", "executor"):
        services.assign_executor(actor=head, complaint=registered, executor=request.getfixturevalue(persona), now=now)


def test_executor_is_required(registered, head, now):
    with refused(registered, "invalid", "executor"):
        services.assign_executor(actor=head, complaint=registered, executor=None, now=now)


def test_appealed_official_cannot_review_the_complaint(registered, head, ministry, now):
    # RULES §10 (АППК 97(2)): the complaint appeals "бөлім басшысы Қасымов Б.Т.".
    appealed = member(
        UserFactory(username="kasymov", last_name="Қасымов", first_name="Бауыржан"), ministry, Role.EXECUTOR
    )

    with refused(registered, "invalid", "executor"):
        services.assign_executor(actor=head, complaint=registered, executor=appealed, now=now)


def test_clerk_cannot_appoint_the_executor(registered, clerk, executor, now):
    with not_allowed(registered):
        services.assign_executor(actor=clerk, complaint=registered, executor=executor, now=now)


def test_executor_is_appointed_only_after_registration(received, head, executor, now):
    with refused(received, "state"):
        services.assign_executor(actor=head, complaint=received, executor=executor, now=now)


# ---------------------------------------------------------------------------------------------------------------
# extend, record_extension_notice (RULES §14)


@pytest.mark.parametrize("persona", ["executor", "head"])
def test_term_is_extended_by_working_days(request, under_review, now, persona):
    actor = request.getfixturevalue(persona)

    complaint = services.extend_term(
        actor=actor,
        complaint=under_review,
        days=3,
        ground=ExtensionGround.MORE_INFORMATION,
        reasons=" Ведомстводан ақпарат күтілуде. ",
        now=now,
    ).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.EXTENDED
    assert complaint.due_date == day(12)  # 9 November + 3 working days
    assert complaint.extension_days == 3
    assert complaint.extension_ground == ExtensionGround.MORE_INFORMATION
    assert complaint.extension_reasons == "Ведомстводан ақпарат күтілуде."
    assert complaint.extended_on == day(2)
    assert complaint.extension_notice_due == day(5)  # the applicant is told within 3 working days
    event = appended(
        complaint, Action.EXTEND, actor=actor, role=Role(persona), before=State.UNDER_REVIEW, after=State.EXTENDED
    )
    assert event.data == {
        "days": 3,
        "ground": ExtensionGround.MORE_INFORMATION,
        "reasons": "Ведомстводан ақпарат күтілуде.",
    }
    assert (event.before["due_date"], event.after["due_date"]) == ("2026-11-09", "2026-11-12")


def test_term_is_extended_by_at_most_10_working_days(under_review, executor, now):
    complaint = services.extend_term(
        actor=executor,
        complaint=under_review,
        days=10,
        ground=ExtensionGround.FURTHER_STUDY,
        reasons="Тексеру.",
        now=now,
    ).complaint

    assert complaint.due_date == day(23)


def test_quality_authority_extends_its_term(qa_under_review, inspector, now):
    complaint = services.extend_term(
        actor=inspector,
        complaint=qa_under_review,
        days=10,
        ground=ExtensionGround.FURTHER_STUDY,
        reasons="Тексеру.",
        now=now,
    ).complaint

    assert complaint.status == State.EXTENDED
    assert complaint.due_date == dt.date(2026, 12, 7)  # 23 November + 10 working days
    appended(
        complaint,
        Action.EXTEND,
        actor=inspector,
        role=Role.INSPECTOR,
        before=State.UNDER_REVIEW,
        after=State.EXTENDED,
    )


@pytest.mark.parametrize(
    ("kind", "addressee_kind"),
    [
        (OrganisationKind.PROVIDER, AddresseeKind.PROVIDER_HEAD),
        (OrganisationKind.STATE_CORPORATION, AddresseeKind.STATE_CORPORATION),
        (OrganisationKind.CON, AddresseeKind.CON_HEAD),
    ],
)
def test_providers_and_the_state_corporation_cannot_extend(applicant, now, kind, addressee_kind):
    # RULES §14 (Law Art. 25(4)): the power is given to the quality authority, central and local bodies, akims.
    body = OrganisationFactory(key=f"body-{kind}", kind=kind)
    complaint, body_executor = under_review_at(body, applicant=applicant, addressee_kind=addressee_kind, now=now)

    with refused(complaint, "state"):
        services.extend_term(
            actor=body_executor,
            complaint=complaint,
            days=3,
            ground=ExtensionGround.FURTHER_STUDY,
            reasons="Тексеру.",
            now=now,
        )


def test_extension_body_kinds_are_configuration(settings, applicant, now):
    settings.SHAGYM_EXTENSION_BODY_KINDS = [*settings.SHAGYM_EXTENSION_BODY_KINDS, OrganisationKind.PROVIDER]
    body = OrganisationFactory(key="body-provider", kind=OrganisationKind.PROVIDER)
    complaint, body_executor = under_review_at(
        body, applicant=applicant, addressee_kind=AddresseeKind.PROVIDER_HEAD, now=now
    )

    services.extend_term(
        actor=body_executor,
        complaint=complaint,
        days=3,
        ground=ExtensionGround.FURTHER_STUDY,
        reasons="Тексеру.",
        now=now,
    )

    assert complaint.status == State.EXTENDED


def test_term_is_extended_only_once(extended, executor, now):
    with refused(extended, "state"):
        services.extend_term(
            actor=executor, complaint=extended, days=2, ground=ExtensionGround.FURTHER_STUDY, reasons="Тағы.", now=now
        )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": 11}, "days"),
        ({"reasons": " "}, "reasons"),
        ({"ground": "convenience"}, "ground"),
    ],
)
def test_extension_needs_1_to_10_days_a_ground_and_reasons(under_review, executor, now, changes, field):
    values = {"days": 3, "ground": ExtensionGround.FURTHER_STUDY, "reasons": "Тексеру.", **changes}

    with refused(under_review, "invalid", field):
        services.extend_term(actor=executor, complaint=under_review, now=now, **values)


def test_lower_maximum_extension_is_configuration(settings, under_review, executor, now):
    settings.SHAGYM_MAX_EXTENSION_DAYS = 5

    with refused(under_review, "invalid", "days"):
        services.extend_term(
            actor=executor, complaint=under_review, days=6, ground=ExtensionGround.FURTHER_STUDY, reasons="Т.", now=now
        )


def test_clerk_cannot_extend(under_review, clerk, now):
    with not_allowed(under_review):
        services.extend_term(
            actor=clerk, complaint=under_review, days=3, ground=ExtensionGround.FURTHER_STUDY, reasons="Т.", now=now
        )


def test_term_is_extended_only_during_review(registered, head, now):
    with refused(registered, "state"):
        services.extend_term(
            actor=head, complaint=registered, days=3, ground=ExtensionGround.FURTHER_STUDY, reasons="Т.", now=now
        )


def test_extension_adds_its_days_to_the_due_date_in_force(under_review, executor, now):
    CalendarOverride.objects.create(day=day(5), working=False, reason="Ауыстыру", reference="Бұйрық № 1")

    complaint = services.extend_term(
        actor=executor, complaint=under_review, days=3, ground=ExtensionGround.FURTHER_STUDY, reasons="Т.", now=now
    ).complaint

    assert complaint.due_date == day(12)  # 9 November (in force) + 3 working days


@pytest.mark.parametrize("persona", ["clerk", "executor"])
def test_extension_notice_is_recorded(request, extended, now, persona):
    actor = request.getfixturevalue(persona)

    complaint = services.record_extension_notice(actor=actor, complaint=extended, channel="post", now=moment(4)).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.EXTENDED
    assert complaint.extension_notice_sent_at == moment(4)
    event = appended(
        complaint,
        Action.RECORD_EXTENSION_NOTICE,
        actor=actor,
        role=Role(persona),
        before=State.EXTENDED,
        after=State.EXTENDED,
    )
    assert event.data == {"channel": "post", "on_time": True}


def test_late_extension_notice_is_recorded_as_late(extended):
    services.record_extension_notice(actor=None, complaint=extended, channel="cabinet", now=moment(6))

    event = appended(
        extended,
        Action.RECORD_EXTENSION_NOTICE,
        actor=None,
        role=Role.SYSTEM,
        before=State.EXTENDED,
        after=State.EXTENDED,
    )
    assert event.data == {"channel": "cabinet", "on_time": False}


def test_extension_notice_is_recorded_once(extended, clerk, now):
    services.record_extension_notice(actor=clerk, complaint=extended, channel="post", now=now)

    with refused(extended, "state"):
        services.record_extension_notice(actor=clerk, complaint=extended, channel="post", now=moment(3))


def test_a_stale_copy_of_the_complaint_cannot_record_the_notice_again(extended, clerk, now):
    # The service re-reads the row under its lock: a caller's copy read before the first recording does not count.
    # (At the same moment, in two threads: test_concurrency.py.)
    worker_copy = reloaded(extended)
    services.record_extension_notice(actor=clerk, complaint=extended, channel="post", now=now)

    with refused(extended, "state"):
        services.record_extension_notice(actor=None, complaint=worker_copy, channel="cabinet", now=now)


def test_no_extension_notice_without_an_extension(under_review, clerk, now):
    with refused(under_review, "state"):
        services.record_extension_notice(actor=clerk, complaint=under_review, channel="post", now=now)


# ---------------------------------------------------------------------------------------------------------------
# record_hearing (АППК 73)


@pytest.mark.parametrize("start", ["under_review", "extended"])
def test_hearing_is_recorded(request, executor, now, start):
    complaint = request.getfixturevalue(start)
    before = State(complaint.status)

    services.record_hearing(
        actor=executor, complaint=complaint, held_on=day(2), notes=" Өтініш беруші тыңдалды. ", now=now
    )

    event = appended(complaint, Action.RECORD_HEARING, actor=executor, role=Role.EXECUTOR, before=before, after=before)
    assert event.data == {"held_on": "2026-11-02", "notes": "Өтініш беруші тыңдалды."}
    assert reloaded(complaint).status == before


def test_hearing_needs_notes(under_review, executor, now):
    with refused(under_review, "invalid", "notes"):
        services.record_hearing(actor=executor, complaint=under_review, held_on=day(2), notes="", now=now)


def test_hearing_is_held_during_review(registered, head, now):
    with refused(registered, "state"):
        services.record_hearing(actor=head, complaint=registered, held_on=day(2), notes="Тыңдалды.", now=now)


# ---------------------------------------------------------------------------------------------------------------
# propose_decision, return_draft, sign_decision (RULES §20, §23)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_executor_drafts_the_reasoned_answer(under_review, executor, now, outcome):
    complaint = services.propose_decision(
        actor=executor,
        complaint=under_review,
        outcome=outcome,
        reasons=f" {REASONS} ",
        facts="Құжаттар толық.",
        legal_references="Заң 25-бап",
        now=now,
    ).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.AWAITING_SIGNATURE
    assert complaint.outcome == outcome
    assert complaint.decision_reasons == REASONS
    assert complaint.decision_facts == "Құжаттар толық."
    assert complaint.legal_references == "Заң 25-бап"
    event = appended(
        complaint,
        Action.PROPOSE_DECISION,
        actor=executor,
        role=Role.EXECUTOR,
        before=State.UNDER_REVIEW,
        after=State.AWAITING_SIGNATURE,
    )
    assert event.data == {"outcome": outcome}


def test_draft_is_written_during_an_extended_review(extended, executor, now):
    complaint = services.propose_decision(
        actor=executor, complaint=extended, outcome=Outcome.CANCEL, reasons=REASONS, now=now
    ).complaint

    assert complaint.status == State.AWAITING_SIGNATURE
    assert complaint.extension_days == 3


@pytest.mark.parametrize("outcome", [Outcome.REFUSE, Outcome.CANCEL])
def test_answer_without_reasons_is_refused(under_review, executor, now, outcome):
    # RULES §20 (АППК 100(4)): a refusal must be reasoned; §23 (АППК 101): every answer gives the reasons.
    with refused(under_review, "invalid", "reasons"):
        services.propose_decision(actor=executor, complaint=under_review, outcome=outcome, reasons=" ", now=now)


def test_draft_needs_a_known_outcome(under_review, executor, now):
    with refused(under_review, "invalid", "outcome"):
        services.propose_decision(actor=executor, complaint=under_review, outcome="partly", reasons=REASONS, now=now)


def test_draft_is_written_only_during_review(registered, head, now):
    with refused(registered, "state"):
        services.propose_decision(actor=head, complaint=registered, outcome=Outcome.REFUSE, reasons=REASONS, now=now)


def test_head_returns_the_draft_to_the_review(awaiting_signature, head, now):
    complaint = services.return_draft(
        actor=head, complaint=awaiting_signature, comment=" Негіздерін толықтыру. ", now=now
    ).complaint

    assert reloaded(complaint).status == State.UNDER_REVIEW
    event = appended(
        complaint,
        Action.RETURN_DRAFT,
        actor=head,
        role=Role.HEAD,
        before=State.AWAITING_SIGNATURE,
        after=State.UNDER_REVIEW,
    )
    assert event.data == {"comment": "Негіздерін толықтыру."}


def test_returned_draft_of_an_extended_review_goes_back_to_extended(extended, executor, head, now):
    services.propose_decision(actor=executor, complaint=extended, outcome=Outcome.REFUSE, reasons=REASONS, now=now)

    complaint = services.return_draft(actor=head, complaint=extended, comment="Толықтыру.", now=now).complaint

    assert reloaded(complaint).status == State.EXTENDED
    appended(
        complaint,
        Action.RETURN_DRAFT,
        actor=head,
        role=Role.HEAD,
        before=State.AWAITING_SIGNATURE,
        after=State.EXTENDED,
    )


def test_returning_a_draft_needs_a_comment(awaiting_signature, head, now):
    with refused(awaiting_signature, "invalid", "comment"):
        services.return_draft(actor=head, complaint=awaiting_signature, comment="", now=now)


def test_executor_cannot_return_his_own_draft(awaiting_signature, executor, now):
    with not_allowed(awaiting_signature):
        services.return_draft(actor=executor, complaint=awaiting_signature, comment="Қайта.", now=now)


def test_head_signs_the_decision(awaiting_signature, head):
    complaint = services.sign_decision(actor=head, complaint=awaiting_signature, now=moment(4)).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.DECIDED
    assert complaint.decided_at == moment(4)
    assert complaint.signed_by == head
    event = appended(
        complaint,
        Action.SIGN_DECISION,
        actor=head,
        role=Role.HEAD,
        before=State.AWAITING_SIGNATURE,
        after=State.DECIDED,
    )
    assert event.data == {"outcome": Outcome.PERFORM_ACTION}


def test_executor_cannot_sign(awaiting_signature, executor, now):
    with not_allowed(awaiting_signature):
        services.sign_decision(actor=executor, complaint=awaiting_signature, now=now)


def test_nothing_to_sign_without_a_draft(under_review, head, now):
    with refused(under_review, "state"):
        services.sign_decision(actor=head, complaint=under_review, now=now)


# ---------------------------------------------------------------------------------------------------------------
# leave_without_consideration (RULES §21)


@pytest.mark.parametrize("ground", list(WithoutConsiderationGround))
def test_head_leaves_the_complaint_without_consideration(under_review, head, now, ground):
    complaint = services.leave_without_consideration(
        actor=head, complaint=under_review, ground=ground, comment=" № 12 шешім. ", now=now
    ).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.LEFT_WITHOUT_CONSIDERATION
    assert complaint.without_consideration_ground == ground
    assert (complaint.decided_at, complaint.signed_by) == (now, head)
    event = appended(
        complaint,
        Action.LEAVE_WITHOUT_CONSIDERATION,
        actor=head,
        role=Role.HEAD,
        before=State.UNDER_REVIEW,
        after=State.LEFT_WITHOUT_CONSIDERATION,
    )
    assert event.data == {"ground": ground, "comment": "№ 12 шешім.", "notice_due": "2026-11-05"}


def test_leaving_without_consideration_needs_a_ground_of_the_law(under_review, head, now):
    with refused(under_review, "invalid", "ground"):
        services.leave_without_consideration(actor=head, complaint=under_review, ground="too_long", now=now)


def test_complaint_not_yet_registered_is_not_left_without_consideration(received, head, now):
    with refused(received, "state"):
        services.leave_without_consideration(
            actor=head, complaint=received, ground=WithoutConsiderationGround.COURT_ACT, now=now
        )


# ---------------------------------------------------------------------------------------------------------------
# withdraw (RULES §22)

OPEN = ["received", "forwarding", "registered", "awaiting_content", "under_review", "extended", "awaiting_signature"]


@pytest.mark.parametrize("start", OPEN)
def test_applicant_withdraws_before_the_decision(request, applicant, now, start):
    complaint = request.getfixturevalue(start)
    before = State(complaint.status)

    services.withdraw_complaint(actor=applicant, complaint=complaint, reason=" Мәселе шешілді. ", now=now)

    assert reloaded(complaint).status == State.WITHDRAWN
    event = appended(
        complaint, Action.WITHDRAW, actor=applicant, role=Role.APPLICANT, before=before, after=State.WITHDRAWN
    )
    assert event.data == {"reason": "Мәселе шешілді."}


def test_clerk_records_a_written_withdrawal(clerk, ministry, now):
    complaint = services.submit_complaint(
        actor=clerk, data=complaint_input(reviewing_body=ministry, channel=Channel.POST), now=now
    ).complaint
    services.register_complaint(actor=clerk, complaint=complaint, now=now)

    services.withdraw_complaint(actor=clerk, complaint=complaint, reason="Жазбаша өтініш.", now=now)

    assert reloaded(complaint).status == State.WITHDRAWN
    appended(complaint, Action.WITHDRAW, actor=clerk, role=Role.CLERK, before=State.REGISTERED, after=State.WITHDRAWN)


@pytest.mark.parametrize("start", ["decided", "delivered"])
def test_complaint_is_not_withdrawn_after_the_decision(request, applicant, now, start):
    complaint = request.getfixturevalue(start)

    with refused(complaint, "state"):
        services.withdraw_complaint(actor=applicant, complaint=complaint, now=now)


# ---------------------------------------------------------------------------------------------------------------
# deliver_answer, close (RULES §23)


@pytest.mark.parametrize("method", list(DeliveryMethod))
def test_answer_is_delivered(decided, clerk, method):
    complaint = services.deliver_answer(actor=clerk, complaint=decided, method=method, now=moment(4)).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.ANSWER_DELIVERED
    assert (complaint.delivery_method, complaint.delivered_on) == (method, day(4))
    event = appended(
        complaint,
        Action.DELIVER_ANSWER,
        actor=clerk,
        role=Role.CLERK,
        before=State.DECIDED,
        after=State.ANSWER_DELIVERED,
    )
    assert event.payload == DeliverData(method=method, delivered_on=day(4))


def test_delivery_is_recorded_with_an_earlier_date(decided, clerk):
    complaint = services.deliver_answer(
        actor=clerk, complaint=decided, method=DeliveryMethod.POST, delivered_on=day(3), now=moment(5)
    ).complaint

    assert complaint.delivered_on == day(3)


def test_system_delivers_to_the_personal_cabinet(decided, now):
    complaint = services.deliver_answer(actor=None, complaint=decided, method=DeliveryMethod.ELECTRONIC, now=now).complaint

    appended(
        complaint,
        Action.DELIVER_ANSWER,
        actor=None,
        role=Role.SYSTEM,
        before=State.DECIDED,
        after=State.ANSWER_DELIVERED,
    )


def test_delivery_date_cannot_be_in_the_future(decided, clerk, now):
    with refused(decided, "invalid", "delivered_on"):
        services.deliver_answer(
            actor=clerk, complaint=decided, method=DeliveryMethod.POST, delivered_on=day(3), now=now
        )


def test_delivery_needs_a_known_method(decided, clerk, now):
    with refused(decided, "invalid", "method"):
        services.deliver_answer(actor=clerk, complaint=decided, method="pigeon", now=now)


def test_unsigned_answer_is_not_delivered(awaiting_signature, clerk, now):
    with refused(awaiting_signature, "state"):
        services.deliver_answer(actor=clerk, complaint=awaiting_signature, method=DeliveryMethod.POST, now=now)


@pytest.mark.parametrize("persona", ["clerk", None])
def test_delivered_complaint_is_closed(request, delivered, persona):
    actor = request.getfixturevalue(persona) if persona else None

    complaint = services.close_complaint(actor=actor, complaint=delivered, now=moment(5)).complaint

    complaint = reloaded(complaint)
    assert complaint.status == State.CLOSED
    assert complaint.closed_at == moment(5)
    appended(
        complaint,
        Action.CLOSE,
        actor=actor,
        role=Role.CLERK if actor else Role.SYSTEM,
        before=State.ANSWER_DELIVERED,
        after=State.CLOSED,
    )


def test_undelivered_answer_is_not_closed(decided, clerk, now):
    with refused(decided, "state"):
        services.close_complaint(actor=clerk, complaint=decided, now=now)


def test_executor_cannot_close(delivered, executor, now):
    with not_allowed(delivered):
        services.close_complaint(actor=executor, complaint=delivered, now=now)


# ---------------------------------------------------------------------------------------------------------------
# mark_overdue (RULES §15)


def test_term_is_not_overdue_on_its_last_day(under_review):
    # Civil Code Art. 176: the term runs to 24:00 of 9 November.
    with unchanged(under_review):
        assert services.mark_overdue(complaint=under_review, now=moment(9, 23)) is None


@pytest.mark.parametrize("start", ["registered", "under_review", "awaiting_signature"])
def test_silence_past_the_term_is_marked_once(request, start):
    complaint = request.getfixturevalue(start)
    before = State(complaint.status)

    assert services.mark_overdue(complaint=complaint, now=moment(10)) is not None

    complaint = reloaded(complaint)
    assert complaint.status == before
    assert complaint.overdue_since == day(10)
    event = appended(complaint, Action.MARK_OVERDUE, actor=None, role=Role.SYSTEM, before=before, after=before)
    assert event.data == {"due_date": "2026-11-09"}
    with unchanged(complaint):
        assert services.mark_overdue(complaint=complaint, now=moment(11)) is None


def test_decided_complaint_is_not_overdue(decided):
    with unchanged(decided):
        assert services.mark_overdue(complaint=decided, now=moment(20)) is None


def test_complaint_without_a_term_is_not_overdue(forwarding):
    with unchanged(forwarding):
        assert services.mark_overdue(complaint=forwarding, now=moment(20)) is None


# ---------------------------------------------------------------------------------------------------------------
# file_second_tier (RULES §15, §24)


@pytest.mark.parametrize("start", ["decided", "delivered"])
def test_applicant_complains_about_the_answer_to_the_quality_authority(
    request, applicant, ministry, quality_authority, start
):
    parent = request.getfixturevalue(start)
    before = State(parent.status)

    child = services.file_second_tier(
        actor=applicant,
        parent=parent,
        quality_authority=quality_authority,
        reasons="Келіспеймін.",
        demands="Шешімді қайта қарау.",
        now=moment(5),
    ).complaint

    child = reloaded(child)
    assert child.status == State.RECEIVED
    assert child.parent == parent
    assert child.applicant_user == applicant
    assert (child.holder, child.reviewing_body, child.respondent) == (quality_authority, quality_authority, ministry)
    assert child.addressee_kind == AddresseeKind.QUALITY_AUTHORITY
    assert child.appealed_act == AppealedAct.DECISION
    assert (child.term_type, child.term_days) == (TermType.QUALITY_AUTHORITY, 15)
    assert (child.iin, child.surname) == (parent.iin, parent.surname)
    assert child.events.get().payload == SubmitData(late=False, parent_id=parent.pk)
    event = appended(
        parent, Action.SECOND_TIER_FILED, actor=applicant, role=Role.APPLICANT, before=before, after=before
    )
    assert event.data == {"child": child.pk}
    assert reloaded(parent).status == before


def test_silence_past_the_term_opens_the_second_tier(registered, applicant, quality_authority):
    child = services.file_second_tier(
        actor=applicant,
        parent=registered,
        quality_authority=quality_authority,
        reasons="Жауап жоқ.",
        demands="Қарау.",
        now=moment(10),
    ).complaint

    assert child.appealed_act == AppealedAct.INACTION
    assert child.parent == registered
    assert history(registered)[-1] == Action.SECOND_TIER_FILED


def test_quality_authority_registers_the_second_tier_with_15_working_days(
    decided, applicant, quality_authority, qa_clerk
):
    child = services.file_second_tier(
        actor=applicant,
        parent=decided,
        quality_authority=quality_authority,
        reasons="Келіспеймін.",
        demands="Қарау.",
        now=moment(3),
    ).complaint

    child = services.register_complaint(actor=qa_clerk, complaint=child, now=moment(3)).complaint

    assert child.status == State.REGISTERED
    assert child.due_date == day(24)


@pytest.mark.parametrize("when", [moment(2), moment(9, 23)])
def test_second_tier_is_refused_before_the_answer_or_the_end_of_the_term(
    registered, applicant, quality_authority, when
):
    with refused(registered, "state"):
        services.file_second_tier(
            actor=applicant,
            parent=registered,
            quality_authority=quality_authority,
            reasons="Жауап жоқ.",
            demands="Қарау.",
            now=when,
        )

    assert not Complaint.objects.filter(parent=registered).exists()


def test_second_open_second_tier_complaint_is_refused(decided, applicant, quality_authority, now):
    services.file_second_tier(
        actor=applicant,
        parent=decided,
        quality_authority=quality_authority,
        reasons="Келіспеймін.",
        demands="Қ.",
        now=now,
    )

    with refused(decided, "state"):
        services.file_second_tier(
            actor=applicant, parent=decided, quality_authority=quality_authority, reasons="Тағы.", demands="Қ.", now=now
        )

    assert Complaint.objects.filter(parent=decided).count() == 1


def test_retried_second_tier_filing_returns_the_same_complaint(decided, applicant, quality_authority, now):
    first = services.file_second_tier(
        actor=applicant,
        parent=decided,
        quality_authority=quality_authority,
        reasons="К.",
        demands="Қ.",
        idempotency_key="tier-2",
        now=now,
    ).complaint

    retry = services.file_second_tier(
        actor=applicant,
        parent=decided,
        quality_authority=quality_authority,
        reasons="К.",
        demands="Қ.",
        idempotency_key="tier-2",
        now=now,
    ).complaint

    assert retry.pk == first.pk
    assert history(decided).count(Action.SECOND_TIER_FILED) == 1


def test_only_the_applicant_files_the_second_tier_on_the_portal(decided, clerk, quality_authority, now):
    # A paper second-tier complaint is taken at the quality authority's office like any other paper complaint.
    with not_allowed(decided):
        services.file_second_tier(
            actor=clerk, parent=decided, quality_authority=quality_authority, reasons="К.", demands="Қ.", now=now
        )


def test_second_tier_is_not_filed_about_a_closed_withdrawal(registered, applicant, quality_authority, now):
    services.withdraw_complaint(actor=applicant, complaint=registered, now=now)

    with refused(registered, "state"):
        services.file_second_tier(
            actor=applicant,
            parent=registered,
            quality_authority=quality_authority,
            reasons="К.",
            demands="Қ.",
            now=moment(20),
        )


# ---------------------------------------------------------------------------------------------------------------
# recommend, report_execution, confirm_execution (RULES §24)


def test_inspector_recommends_the_body_to_restore_the_rights(qa_under_review, inspector, ministry, now):
    issued = services.recommend(
        actor=inspector, complaint=qa_under_review, body=ministry, text=" Анықтаманы беру. ", due_date=day(20), now=now
    )

    recommendation = Recommendation.objects.get(pk=issued.payload.recommendation)
    assert recommendation.status == Recommendation.Status.ISSUED
    assert (recommendation.complaint, recommendation.body) == (qa_under_review, ministry)
    assert (recommendation.text, recommendation.due_date) == ("Анықтаманы беру.", day(20))
    event = appended(
        qa_under_review,
        Action.RECOMMEND,
        actor=inspector,
        role=Role.INSPECTOR,
        before=State.UNDER_REVIEW,
        after=State.UNDER_REVIEW,
    )
    assert event == issued
    assert event.payload == RecommendData(recommendation=recommendation.pk, body=ministry.pk, due=day(20))


@pytest.mark.parametrize(("changes", "field"), [({"text": " "}, "text"), ({"due_date": day(2)}, "due_date")])
def test_recommendation_needs_a_text_and_a_future_date(qa_under_review, inspector, ministry, now, changes, field):
    values = {"text": "Анықтаманы беру.", "due_date": day(20), **changes}

    with refused(qa_under_review, "invalid", field):
        services.recommend(actor=inspector, complaint=qa_under_review, body=ministry, now=now, **values)

    assert not Recommendation.objects.exists()


def test_only_the_quality_authority_recommends(under_review, executor, provider, now):
    with not_allowed(under_review):
        services.recommend(actor=executor, complaint=under_review, body=provider, text="Т.", due_date=day(20), now=now)

    assert not Recommendation.objects.exists()


def test_body_head_reports_execution(recommendation, head, qa_under_review):
    services.report_execution(actor=head, recommendation=recommendation, report=" Анықтама берілді. ", now=moment(10))

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.REPORTED
    assert (recommendation.report, recommendation.reported_at) == ("Анықтама берілді.", moment(10))
    event = appended(
        qa_under_review,
        Action.REPORT_EXECUTION,
        actor=head,
        role=Role.HEAD,
        before=State.UNDER_REVIEW,
        after=State.UNDER_REVIEW,
    )
    assert event.payload == ReportData(recommendation=recommendation.pk, report="Анықтама берілді.")


def test_report_on_execution_must_not_be_empty(recommendation, head, qa_under_review, now):
    with refused(qa_under_review, "invalid", "report"):
        services.report_execution(actor=head, recommendation=recommendation, report="", now=now)

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ISSUED


def test_execution_is_reported_once(recommendation, head, qa_under_review, now):
    services.report_execution(actor=head, recommendation=recommendation, report="Берілді.", now=now)

    with refused(qa_under_review, "state"):
        services.report_execution(actor=head, recommendation=recommendation, report="Тағы.", now=now)


def test_clerk_of_the_body_cannot_report_execution(recommendation, clerk, qa_under_review, now):
    with not_allowed(qa_under_review):
        services.report_execution(actor=clerk, recommendation=recommendation, report="Берілді.", now=now)

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ISSUED


def test_inspector_confirms_execution(recommendation, head, inspector, qa_under_review):
    services.report_execution(actor=head, recommendation=recommendation, report="Берілді.", now=moment(10))

    services.confirm_execution(actor=inspector, recommendation=recommendation, accepted=True, now=moment(11))

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.EXECUTED
    assert recommendation.confirmed_at == moment(11)
    event = appended(
        qa_under_review,
        Action.CONFIRM_EXECUTION,
        actor=inspector,
        role=Role.INSPECTOR,
        before=State.UNDER_REVIEW,
        after=State.UNDER_REVIEW,
    )
    assert event.payload == ConfirmData(recommendation=recommendation.pk, accepted=True, comment="")


def test_inspector_sends_the_report_back(recommendation, head, inspector, qa_under_review):
    services.report_execution(actor=head, recommendation=recommendation, report="Берілді.", now=moment(10))

    services.confirm_execution(
        actor=inspector, recommendation=recommendation, accepted=False, comment=" Толық емес. ", now=moment(11)
    )

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.ISSUED
    assert recommendation.confirmed_at is None
    event = appended(
        qa_under_review,
        Action.CONFIRM_EXECUTION,
        actor=inspector,
        role=Role.INSPECTOR,
        before=State.UNDER_REVIEW,
        after=State.UNDER_REVIEW,
    )
    assert event.payload == ConfirmData(recommendation=recommendation.pk, accepted=False, comment="Толық емес.")
    services.report_execution(actor=head, recommendation=recommendation, report="Енді толық.", now=moment(12))
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.REPORTED


def test_nothing_to_confirm_without_a_report(recommendation, inspector, qa_under_review, now):
    with refused(qa_under_review, "state"):
        services.confirm_execution(actor=inspector, recommendation=recommendation, accepted=True, now=now)


def test_head_of_the_quality_authority_does_not_confirm(recommendation, head, qa_head, qa_under_review, now):
    services.report_execution(actor=head, recommendation=recommendation, report="Берілді.", now=now)

    with not_allowed(qa_under_review):
        services.confirm_execution(actor=qa_head, recommendation=recommendation, accepted=True, now=now)

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.REPORTED


# ---------------------------------------------------------------------------------------------------------------
# revise_due_date (RULES §18): a calendar change moves a due date only by the administrator's decision


@pytest.fixture
def fifth_made_a_day_off(registered):
    """A transfer order published after registration makes Thursday 5 November a day off."""
    CalendarOverride.objects.create(
        day=day(5), working=False, reason="Демалыс күні ауыстырылды", reference="№ 7 бұйрық"
    )
    return registered


def test_administrator_applies_the_due_date_of_the_new_calendar(fifth_made_a_day_off, administrator, now):
    complaint = fifth_made_a_day_off
    old_version = complaint.calendar_version

    services.revise_due_date(actor=administrator, complaint=complaint, apply=True, reason=" № 7 бұйрық. ", now=now)

    complaint = reloaded(complaint)
    assert complaint.status == State.REGISTERED
    assert complaint.due_date == day(10)
    assert complaint.calendar_version == current_calendar().version != old_version
    event = appended(
        complaint,
        Action.REVISE_DUE_DATE,
        actor=administrator,
        role=Role.ADMINISTRATOR,
        before=State.REGISTERED,
        after=State.REGISTERED,
    )
    assert event.data == {"applied": True, "reason": "№ 7 бұйрық.", "proposed": "2026-11-10"}
    assert (event.before["due_date"], event.after["due_date"]) == ("2026-11-09", "2026-11-10")


def test_administrator_keeps_the_old_due_date(fifth_made_a_day_off, administrator, now):
    complaint = fifth_made_a_day_off

    services.revise_due_date(actor=administrator, complaint=complaint, apply=False, reason="Ескі мерзім.", now=now)

    complaint = reloaded(complaint)
    assert complaint.due_date == day(9)
    event = appended(
        complaint,
        Action.REVISE_DUE_DATE,
        actor=administrator,
        role=Role.ADMINISTRATOR,
        before=State.REGISTERED,
        after=State.REGISTERED,
    )
    assert event.data == {"applied": False, "reason": "Ескі мерзім.", "proposed": "2026-11-10"}


def test_kept_due_date_is_marked_reviewed_against_the_new_calendar(fifth_made_a_day_off, administrator, now):
    # calendar_version names the calendar the due date was last confirmed against: keeping the old date after a
    # review confirms it against the new calendar, so the complaint leaves the review list; the event keeps both.
    complaint = fifth_made_a_day_off
    old_version = complaint.calendar_version

    services.revise_due_date(actor=administrator, complaint=complaint, apply=False, reason="Ескі мерзім.", now=now)

    event = complaint.events.get(action=Action.REVISE_DUE_DATE)
    assert event.before["calendar_version"] == old_version
    assert reloaded(complaint).calendar_version == current_calendar().version != old_version


def test_revision_needs_a_reason(fifth_made_a_day_off, administrator, now):
    with refused(fifth_made_a_day_off, "invalid", "reason"):
        services.revise_due_date(actor=administrator, complaint=fifth_made_a_day_off, apply=True, reason=" ", now=now)


def test_only_an_administrator_revises_a_due_date(fifth_made_a_day_off, head, now):
    with not_allowed(fifth_made_a_day_off):
        services.revise_due_date(actor=head, complaint=fifth_made_a_day_off, apply=True, reason="№ 7.", now=now)


def test_due_date_of_a_decided_complaint_is_not_revised(decided, administrator, now):
    CalendarOverride.objects.create(day=day(5), working=False, reason="Ауыстыру", reference="№ 7 бұйрық")

    with refused(decided, "state"):
        services.revise_due_date(actor=administrator, complaint=decided, apply=True, reason="№ 7.", now=now)


# ---------------------------------------------------------------------------------------------------------------
# The whole journey (was test_smoke.py)


def test_journey_from_portal_to_closed_answer(under_review, executor, head, clerk, now):
    complaint = services.propose_decision(
        actor=executor, complaint=under_review, outcome=Outcome.PERFORM_ACTION, reasons=REASONS, now=now
    ).complaint
    complaint = services.sign_decision(actor=head, complaint=complaint, now=now).complaint
    complaint = services.deliver_answer(actor=clerk, complaint=complaint, method=DeliveryMethod.POST, now=now).complaint
    complaint = services.close_complaint(actor=clerk, complaint=complaint, now=now).complaint

    assert reloaded(complaint).status == State.CLOSED
    assert complaint.due_date == day(9)
    assert history(complaint) == [
        Action.SUBMIT,
        Action.REGISTER,
        Action.ASSIGN,
        Action.PROPOSE_DECISION,
        Action.SIGN_DECISION,
        Action.DELIVER_ANSWER,
        Action.CLOSE,
    ]

"""states.py: the table alone, without the database. Hypothesis walks (state, action, roles); the expectations come
from the rules (RULES §), never from a second copy of check()."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shagym.complaints import states
from shagym.complaints.states import (
    FINAL_STATES,
    OPEN_STATES,
    PAYLOADS,
    RECOMMENDATION_TRANSITIONS,
    TERM_DAYS,
    TRANSITIONS,
    Action,
    AddresseeKind,
    Channel,
    ExtensionGround,
    NotAllowed,
    Outcome,
    RecommendationState,
    Refused,
    Situation,
    Snapshot,
    State,
    TermType,
    WithoutConsiderationGround,
)
from shagym.directory.roles import Role

TODAY = dt.date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _english():
    """The assertions read the English source messages."""
    with translation.override("en"):
        yield

# Input that satisfies each action's guard, named exactly as the guard names it.
GOOD_INPUT: dict[Action, dict[str, Any]] = {
    Action.EXTEND: dict(days=3, ground=ExtensionGround.FURTHER_STUDY, reasons="Тексеру."),
    Action.RECORD_EXTENSION_NOTICE: dict(channel="paper"),
    Action.PROPOSE_DECISION: dict(outcome=Outcome.REFUSE, reasons="Заң бойынша."),
    Action.LEAVE_WITHOUT_CONSIDERATION: dict(ground=WithoutConsiderationGround.COURT_ACT),
    Action.REQUEST_CONTENT: dict(missing="ЖСН.", days=5),
    Action.SUPPLY_CONTENT: dict(text="ЖСН.", files=0),
    Action.REDIRECT: dict(target_id=2, holder_id=1, reason="Құзыретінде емес."),
    Action.ASSIGN: dict(executor_ok=True, executor_is_appealed=False),
    Action.DELIVER_ANSWER: dict(method="post", delivered_on=TODAY, decided_on=TODAY - dt.timedelta(days=1)),
    Action.SATISFY: dict(text="Анықтама берілді."),
    Action.RECORD_HEARING: dict(held_on=TODAY, notes="Тыңдалды."),
    Action.RECOMMEND: dict(text="Құқықты қалпына келтіру.", due_date=TODAY + dt.timedelta(days=10)),
    Action.RETURN_DRAFT: dict(comment="Толықтыру."),
    Action.REVISE_DUE_DATE: dict(reason="Бұйрық №1."),
}


@dataclasses.dataclass
class Subject:
    """A stand-in complaint with the fields the table reads."""

    status: str
    extension_days: int = 0
    channel: str = Channel.OFFICE
    addressee_kind: str = AddresseeKind.CENTRAL
    number: str | None = "26-001-00001"
    content_due: dt.date | None = None
    extension_notice_sent_at: dt.datetime | None = None
    overdue_since: dt.date | None = None
    executor_id: int | None = None
    due_date: dt.date | None = TODAY - dt.timedelta(days=1)

    def is_overdue(self, today: dt.date) -> bool:
        return self.status in OPEN_STATES and self.due_date is not None and today > self.due_date


def situation(**changes: Any) -> Situation:
    """A situation in which every precondition holds: a central body holding the complaint it reviews, the
    complaint also being against it, and nothing open at the quality authority."""
    values: dict[str, Any] = dict(
        today=TODAY, holder_kind="quality_authority", holder_is_reviewer=True, holder_is_respondent=True,
        extension_body_kinds=frozenset({"quality_authority", "central"}), max_extension_days=10, open_second_tier=False,
    )
    values.update(changes)
    return Situation(**values)


roles_strategy = st.frozensets(st.sampled_from(list(Role)), max_size=len(Role))


@given(status=st.sampled_from(list(State)), action=st.sampled_from(list(TRANSITIONS)), roles=roles_strategy,
       extension_days=st.sampled_from([0, 3]))
def test_check_refuses_a_role_before_a_state_and_a_state_before_the_input(status, action, roles, extension_days):
    rule = TRANSITIONS[action]
    subject = Subject(status, extension_days=extension_days)

    if not rule.roles & roles:
        with pytest.raises(NotAllowed):
            states.check(subject, action, roles=roles, situation=situation(), **GOOD_INPUT.get(action, {}))
    elif status not in rule.sources:
        with pytest.raises(Refused) as info:
            states.check(subject, action, roles=roles, situation=situation(), **GOOD_INPUT.get(action, {}))
        assert info.value.code == "state"
    else:
        try:
            target = states.check(subject, action, roles=roles, situation=situation(), **GOOD_INPUT.get(action, {}))
        except Refused as exc:
            assert exc.code == "state"  # a precondition (a second extension, a term not passed): never the input
        else:
            assert isinstance(target, State)
            if isinstance(rule.target, State):
                assert target == rule.target
            if rule.target is None:
                assert target == status  # the status stays


@given(status=st.sampled_from(list(State)), roles=roles_strategy)
def test_the_next_steps_offered_are_the_ones_check_lets_through(status, roles):
    offered = states.allowed_actions(status, roles)

    for action, rule in TRANSITIONS.items():
        try:
            states.require_allowed(Subject(status), action, roles=roles)
            open_to_them = True
        except (NotAllowed, Refused):
            open_to_them = False
        assert (action in offered) == (open_to_them and rule.offered)
    assert len(offered) == len(set(offered))


def test_allowed_actions_accept_role_names_as_strings():
    assert states.allowed_actions("awaiting_signature", ["head"]) == states.allowed_actions(
        State.AWAITING_SIGNATURE, [Role.HEAD]
    )


def test_system_actions_are_not_offered_as_next_steps():
    hidden = {action for action, rule in TRANSITIONS.items() if not rule.offered}

    assert hidden == {Action.MARK_OVERDUE, Action.REVISE_DUE_DATE, Action.SECOND_TIER_FILED, Action.REISSUE_TALON}


@pytest.mark.parametrize("status", sorted(FINAL_STATES))
def test_final_states_are_left_only_by_a_second_tier_or_a_new_talon(status):
    admitted = {action for action, rule in TRANSITIONS.items() if status in rule.sources}

    # RULES §21, §24: a refusal to consider and a delivered answer may go to the quality authority; §5: a lost
    # talon is replaced whatever the state.
    expected = {Action.REISSUE_TALON}
    if status in {State.LEFT_WITHOUT_CONSIDERATION, State.CLOSED}:
        expected.add(Action.SECOND_TIER_FILED)
    assert admitted == expected
    assert all(TRANSITIONS[action].target is None for action in admitted)


def test_every_action_has_one_table_and_one_payload():
    lifecycle, recommendation = set(TRANSITIONS), set(RECOMMENDATION_TRANSITIONS)

    assert not lifecycle & recommendation
    assert set(Action) - lifecycle - recommendation == {Action.SUBMIT}  # filing creates the complaint
    assert set(PAYLOADS) == set(Action)


def test_every_state_is_reachable_from_received():
    everyone = set(Role)
    seen = {State.RECEIVED}
    queue = deque([State.RECEIVED])
    variants = [
        dict(extension_days=e, executor_id=x) for e in (0, 3) for x in (None, 7)
    ]
    while queue:
        status = queue.popleft()
        for action, rule in TRANSITIONS.items():
            if status not in rule.sources:
                continue
            for variant in variants:
                for where in (situation(), situation(holder_is_reviewer=False)):
                    try:
                        target = states.check(Subject(status, **variant), action, roles=everyone, situation=where,
                                              **GOOD_INPUT.get(action, {}))
                    except Refused:
                        continue
                    if target not in seen:
                        seen.add(target)
                        queue.append(target)

    assert seen == set(State)


def test_final_states_are_not_open():
    assert not FINAL_STATES & OPEN_STATES
    assert set(State) == FINAL_STATES | OPEN_STATES | {State.DECIDED, State.ANSWER_DELIVERED}


@given(addressee_kind=st.sampled_from(list(AddresseeKind)), public_service=st.booleans())
def test_term_type_follows_the_addressee(addressee_kind, public_service):
    term_type = states.term_type_for(addressee_kind, public_service=public_service)

    if addressee_kind == AddresseeKind.QUALITY_AUTHORITY:
        assert term_type == TermType.QUALITY_AUTHORITY  # RULES §12
    elif public_service:
        assert term_type == TermType.PUBLIC_SERVICE  # RULES §11
    else:
        assert term_type == TermType.ADMINISTRATIVE  # RULES §13


def test_term_days_per_rules_11_to_13():
    assert TERM_DAYS == {TermType.PUBLIC_SERVICE: 5, TermType.QUALITY_AUTHORITY: 15, TermType.ADMINISTRATIVE: 20}


# ---- Where an action leads when it depends on the complaint ----


def test_registration_at_another_body_opens_the_forwarding_window():
    # RULES §8: filed with the appealed body, the complaint is registered there only to be forwarded.
    clerk = {Role.CLERK}
    assert states.check(Subject(State.RECEIVED), Action.REGISTER, roles=clerk, situation=situation()) == State.REGISTERED
    assert states.check(Subject(State.RECEIVED), Action.REGISTER, roles=clerk,
                        situation=situation(holder_is_reviewer=False)) == State.FORWARDING


@pytest.mark.parametrize(("extension_days", "executor_id", "expected"), [
    (0, None, State.REGISTERED), (3, None, State.REGISTERED), (0, 7, State.UNDER_REVIEW), (3, 7, State.EXTENDED),
])
def test_supplied_content_resumes_where_the_complaint_was(extension_days, executor_id, expected):
    subject = Subject(State.AWAITING_CONTENT, extension_days=extension_days, executor_id=executor_id)

    assert states.check(subject, Action.SUPPLY_CONTENT, roles={Role.APPLICANT}, situation=situation(),
                        **GOOD_INPUT[Action.SUPPLY_CONTENT]) == expected


@pytest.mark.parametrize(("status", "expected"), [
    (State.REGISTERED, State.UNDER_REVIEW), (State.UNDER_REVIEW, State.UNDER_REVIEW), (State.EXTENDED, State.EXTENDED),
])
def test_appointing_an_executor_starts_the_review_once(status, expected):
    assert states.check(Subject(status), Action.ASSIGN, roles={Role.HEAD}, situation=situation(),
                        **GOOD_INPUT[Action.ASSIGN]) == expected


@pytest.mark.parametrize(("extension_days", "expected"), [(0, State.UNDER_REVIEW), (3, State.EXTENDED)])
def test_a_returned_draft_goes_back_to_the_review(extension_days, expected):
    assert states.check(Subject(State.AWAITING_SIGNATURE, extension_days=extension_days), Action.RETURN_DRAFT,
                        roles={Role.HEAD}, situation=situation(), comment="Толықтыру.") == expected


# ---- Preconditions: the situation rules the action out, whatever the input ----


@pytest.mark.parametrize(
    ("action", "subject", "where", "message"),
    [
        # RULES §14: providers and the State Corporation may not extend; and only once.
        (Action.EXTEND, Subject(State.UNDER_REVIEW), situation(holder_kind="provider"), "does not allow this body"),
        (Action.EXTEND, Subject(State.UNDER_REVIEW, extension_days=3), situation(), "already been extended"),
        # RULES §4: not returned before the term given to supply the content has passed.
        (Action.RETURN, Subject(State.AWAITING_CONTENT, content_due=TODAY), situation(), "has until"),
        # RULES §8: only the appealed body satisfies the demands in the forwarding window.
        (Action.SATISFY, Subject(State.FORWARDING), situation(holder_is_respondent=False), "whose act is appealed"),
        (Action.RECORD_EXTENSION_NOTICE, Subject(State.EXTENDED, extension_notice_sent_at=dt.datetime(2026, 11, 9)),
         situation(), "already been recorded"),
        # RULES §24: recommendations are the quality authority's.
        (Action.RECOMMEND, Subject(State.UNDER_REVIEW), situation(holder_kind="central"), "quality authority"),
        # RULES §15: marked once, only past the term.
        (Action.MARK_OVERDUE, Subject(State.UNDER_REVIEW, due_date=TODAY), situation(), "not passed"),
        (Action.MARK_OVERDUE, Subject(State.UNDER_REVIEW, overdue_since=TODAY), situation(), "not passed"),
        # RULES §24: after an answer or silence; one at a time; not about the authority's own answer.
        (Action.SECOND_TIER_FILED, Subject(State.UNDER_REVIEW, due_date=TODAY), situation(), "once you have"),
        (Action.SECOND_TIER_FILED, Subject(State.CLOSED), situation(open_second_tier=True), "already with"),
        (Action.SECOND_TIER_FILED, Subject(State.CLOSED, addressee_kind=AddresseeKind.QUALITY_AUTHORITY), situation(),
         "court"),
        # RULES §5: a new talon needs the number, and a portal complaint has no access code.
        (Action.REISSUE_TALON, Subject(State.REGISTERED, number=None), situation(), "Register the complaint first"),
        (Action.REISSUE_TALON, Subject(State.REGISTERED, channel=Channel.PORTAL), situation(), "cabinet"),
    ],
)
def test_precondition_refuses_and_says_why(action, subject, where, message):
    everyone = set(Role)

    with pytest.raises(Refused) as info:
        states.check(subject, action, roles=everyone, situation=where, **GOOD_INPUT.get(action, {}))

    assert info.value.code == "state"
    assert message in info.value.message
    refusal = states.why_not(subject, action, roles=everyone, situation=where)
    assert isinstance(refusal, Refused) and refusal.message == info.value.message


def test_why_not_is_none_when_the_action_is_open():
    assert states.why_not(Subject(State.UNDER_REVIEW), Action.EXTEND, roles={Role.EXECUTOR}, situation=situation()) is None
    assert isinstance(
        states.why_not(Subject(State.UNDER_REVIEW), Action.EXTEND, roles={Role.CLERK}, situation=situation()),
        NotAllowed,
    )


def test_second_tier_needs_the_open_second_tier_looked_up():
    with pytest.raises(TypeError):
        states.check(Subject(State.CLOSED), Action.SECOND_TIER_FILED, roles={Role.APPLICANT},
                     situation=situation(open_second_tier=None))


# ---- Guards: one bad input each, the field to fix; a misspelt or missing name is a TypeError ----


@pytest.mark.parametrize(
    ("action", "status", "changes", "field"),
    [
        (Action.EXTEND, State.UNDER_REVIEW, {"days": 0}, "days"),
        (Action.EXTEND, State.UNDER_REVIEW, {"days": 11}, "days"),
        (Action.EXTEND, State.UNDER_REVIEW, {"ground": "whim"}, "ground"),
        (Action.EXTEND, State.UNDER_REVIEW, {"reasons": "  "}, "reasons"),
        (Action.PROPOSE_DECISION, State.UNDER_REVIEW, {"outcome": "partly"}, "outcome"),
        (Action.PROPOSE_DECISION, State.UNDER_REVIEW, {"reasons": ""}, "reasons"),
        (Action.PROPOSE_DECISION, State.EXTENDED, {"outcome": Outcome.CANCEL, "reasons": " "}, "reasons"),
        (Action.LEAVE_WITHOUT_CONSIDERATION, State.REGISTERED, {"ground": "late"}, "ground"),
        (Action.REQUEST_CONTENT, State.REGISTERED, {"missing": ""}, "missing"),
        (Action.REQUEST_CONTENT, State.REGISTERED, {"days": 31}, "days"),
        (Action.SUPPLY_CONTENT, State.AWAITING_CONTENT, {"text": " "}, "text"),
        (Action.REDIRECT, State.REGISTERED, {"target_id": None}, "target"),
        (Action.REDIRECT, State.REGISTERED, {"target_id": 1}, "target"),
        (Action.REDIRECT, State.REGISTERED, {"reason": " "}, "reason"),
        (Action.ASSIGN, State.REGISTERED, {"executor_ok": False}, "executor"),
        (Action.ASSIGN, State.REGISTERED, {"executor_is_appealed": True}, "executor"),
        (Action.DELIVER_ANSWER, State.DECIDED, {"method": "fax"}, "method"),
        (Action.DELIVER_ANSWER, State.DECIDED, {"delivered_on": TODAY + dt.timedelta(days=1)}, "delivered_on"),
        (Action.DELIVER_ANSWER, State.DECIDED, {"delivered_on": dt.date(1, 1, 1)}, "delivered_on"),
        (Action.SATISFY, State.FORWARDING, {"text": " "}, "text"),
        (Action.RECORD_HEARING, State.UNDER_REVIEW, {"notes": ""}, "notes"),
        (Action.RECORD_HEARING, State.UNDER_REVIEW, {"held_on": TODAY + dt.timedelta(days=1)}, "held_on"),
        (Action.RECOMMEND, State.DECIDED, {"text": ""}, "text"),
        (Action.RECOMMEND, State.DECIDED, {"due_date": TODAY}, "due_date"),
        (Action.RETURN_DRAFT, State.AWAITING_SIGNATURE, {"comment": ""}, "comment"),
        (Action.REVISE_DUE_DATE, State.UNDER_REVIEW, {"reason": ""}, "reason"),
    ],
)
def test_guard_refuses_bad_input(action, status, changes, field):
    with pytest.raises(Refused) as info:
        states.check(Subject(status), action, roles=set(Role), situation=situation(),
                     **{**GOOD_INPUT[action], **changes})

    assert (info.value.code, info.value.field) == ("invalid", field)
    assert info.value.message


def test_extension_longer_than_the_setting_allows_is_refused():
    with pytest.raises(Refused) as info:
        states.check(Subject(State.UNDER_REVIEW), Action.EXTEND, roles={Role.EXECUTOR},
                     situation=situation(max_extension_days=5), **{**GOOD_INPUT[Action.EXTEND], "days": 6})
    assert info.value.field == "days"


@pytest.mark.parametrize("action", sorted(GOOD_INPUT))
def test_a_misspelt_input_name_fails_loudly_instead_of_switching_a_check_off(action):
    rule = TRANSITIONS[action]
    given = dict(GOOD_INPUT[action])
    name = next(iter(given))
    given[name + "_typo"] = given.pop(name)

    with pytest.raises(TypeError):
        states.check(Subject(next(iter(rule.sources))), action, roles=set(Role), situation=situation(), **given)


def test_an_action_without_input_takes_none():
    with pytest.raises(TypeError):
        states.check(Subject(State.RECEIVED), Action.REGISTER, roles={Role.CLERK}, situation=situation(), force=True)


# ---- The recommendation's own lifecycle (RULES §24) ----


def test_recommendation_is_reported_then_confirmed_or_sent_back():
    reported = states.check_recommendation(RecommendationState.ISSUED, Action.REPORT_EXECUTION, roles={Role.HEAD},
                                           report="Орындалды.")
    assert reported == RecommendationState.REPORTED
    assert states.check_recommendation(reported, Action.CONFIRM_EXECUTION, roles={Role.INSPECTOR}, accepted=True,
                                       comment="") == RecommendationState.EXECUTED
    assert states.check_recommendation(reported, Action.CONFIRM_EXECUTION, roles={Role.INSPECTOR}, accepted=False,
                                       comment="Толық емес.") == RecommendationState.ISSUED


@pytest.mark.parametrize(
    ("status", "action", "roles", "given", "error"),
    [
        (RecommendationState.ISSUED, Action.REPORT_EXECUTION, {Role.INSPECTOR}, {"report": "x"}, NotAllowed),
        (RecommendationState.REPORTED, Action.REPORT_EXECUTION, {Role.HEAD}, {"report": "x"}, Refused),
        (RecommendationState.ISSUED, Action.REPORT_EXECUTION, {Role.HEAD}, {"report": " "}, Refused),
        (RecommendationState.ISSUED, Action.CONFIRM_EXECUTION, {Role.INSPECTOR}, {"accepted": True, "comment": ""},
         Refused),
        (RecommendationState.REPORTED, Action.CONFIRM_EXECUTION, {Role.HEAD}, {"accepted": True, "comment": ""},
         NotAllowed),
        # Sent back without saying what is missing: the body would not know what to do.
        (RecommendationState.REPORTED, Action.CONFIRM_EXECUTION, {Role.INSPECTOR}, {"accepted": False, "comment": ""},
         Refused),
    ],
)
def test_recommendation_table_refuses(status, action, roles, given, error):
    with pytest.raises(error):
        states.check_recommendation(status, action, roles=roles, **given)


# ---- Payloads and snapshots are typed, and read back as they were written ----


def test_payloads_round_trip_through_json():
    for payload_type in set(PAYLOADS.values()):
        payload = payload_type()
        assert payload_type.from_json(payload.as_json()) == payload

    extend = states.ExtendData(days=3, ground=ExtensionGround.FURTHER_STUDY, reasons="Тексеру.")
    assert states.ExtendData.from_json(extend.as_json()) == extend
    leave = states.LeaveData(ground="court_act", notice_due=TODAY)
    assert leave.as_json()["notice_due"] == "2026-11-10"
    assert states.LeaveData.from_json(leave.as_json()).notice_due == TODAY


def test_a_payload_built_in_code_takes_only_its_own_fields():
    with pytest.raises(TypeError):
        states.ExtendData(days=3, grund="further_study")  # type: ignore[call-arg]


def test_a_stored_payload_ignores_keys_it_does_not_know():
    assert states.MoveData.from_json({"from": 1, "to_body": 2}) == states.MoveData(to_body=2)


def test_snapshot_reads_dates_back_as_dates():
    snapshot = Snapshot.from_json({"status": "registered", "due_date": "2026-11-10", "holder_id": 3})

    assert snapshot.due_date == TODAY and snapshot.holder_id == 3 and snapshot.registered_on is None

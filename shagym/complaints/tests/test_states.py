"""states.py: the table alone, without the database. Hypothesis walks (state, action, roles)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shagym.complaints import states
from shagym.complaints.states import (
    FINAL_STATES,
    TERM_DAYS,
    TRANSITIONS,
    Action,
    AddresseeKind,
    ExtensionGround,
    NotAllowed,
    Outcome,
    Refused,
    Role,
    State,
    TermType,
    WithoutConsiderationGround,
)

# Context that satisfies each action's guard, as the services pass it.
GOOD_CONTEXT: dict[Action, dict[str, Any]] = {
    Action.EXTEND: dict(
        body_kind="central", allowed_kinds=["central"], days=3, max_days=10, ground=ExtensionGround.FURTHER_STUDY,
        reasons="Тексеру.",
    ),
    Action.PROPOSE_DECISION: dict(outcome=Outcome.REFUSE, reasons="Заң бойынша."),
    Action.LEAVE_WITHOUT_CONSIDERATION: dict(ground=WithoutConsiderationGround.COURT_ACT),
    Action.REQUEST_CONTENT: dict(missing="ЖСН."),
    Action.SUPPLY_CONTENT: dict(text="ЖСН."),
    Action.RETURN: dict(today=dt.date(2026, 11, 10), content_due=dt.date(2026, 11, 9)),
    Action.REDIRECT: dict(target_id=2, holder_id=1),
    Action.ASSIGN: dict(executor_ok=True, executor_is_appealed=False),
    Action.DELIVER_ANSWER: dict(method="post"),
    Action.SATISFY: dict(text="Анықтама берілді."),
    Action.RECORD_HEARING: dict(notes="Тыңдалды."),
    Action.RECOMMEND: dict(text="Құқықты қалпына келтіру."),
    Action.RETURN_DRAFT: dict(comment="Толықтыру."),
}

# Actions the UI does not offer as a next step: the system and the administrator take them from their own screens.
NOT_OFFERED = {
    Action.MARK_OVERDUE,
    Action.REVISE_DUE_DATE,
    Action.SECOND_TIER_FILED,
    Action.REPORT_EXECUTION,
    Action.CONFIRM_EXECUTION,
}

# States left only by the quality authority's control of its recommendation (RULES §24) or by a second-tier
# complaint about the answer (RULES §15, §24).
FINAL_STATE_ACTIONS = {
    State.SATISFIED_BY_RESPONDENT: {Action.REPORT_EXECUTION, Action.CONFIRM_EXECUTION},
    State.RETURNED: {Action.REPORT_EXECUTION, Action.CONFIRM_EXECUTION},
    # RULES §21, §24: a refusal to consider may itself be taken to the quality authority.
    State.LEFT_WITHOUT_CONSIDERATION: {Action.REPORT_EXECUTION, Action.CONFIRM_EXECUTION, Action.SECOND_TIER_FILED},
    State.WITHDRAWN: {Action.REPORT_EXECUTION, Action.CONFIRM_EXECUTION},
    State.CLOSED: {Action.REPORT_EXECUTION, Action.CONFIRM_EXECUTION, Action.SECOND_TIER_FILED},
}


def complaint(status: State, extension_days: int = 0) -> SimpleNamespace:
    return SimpleNamespace(status=status, extension_days=extension_days)


def expected_target(action: Action, status: State, *, extension_days: int, has_executor: bool) -> State:
    """Where the action leads, read from the table and the documented special cases."""
    rule = TRANSITIONS[action]
    if rule.target is not None:
        return rule.target
    if action == Action.SUPPLY_CONTENT:
        if not has_executor:
            return State.REGISTERED
        return State.EXTENDED if extension_days else State.UNDER_REVIEW
    if action == Action.ASSIGN and status == State.REGISTERED:
        return State.UNDER_REVIEW
    if action == Action.RETURN_DRAFT:
        return State.EXTENDED if extension_days else State.UNDER_REVIEW
    return status


roles_strategy = st.frozensets(st.sampled_from(list(Role)), max_size=len(Role))


@given(
    status=st.sampled_from(list(State)),
    action=st.sampled_from(list(TRANSITIONS)),
    roles=roles_strategy,
    extension_days=st.sampled_from([0, 3]),
    has_executor=st.booleans(),
)
def test_check_follows_the_table(status, action, roles, extension_days, has_executor):
    rule = TRANSITIONS[action]
    subject = complaint(status, extension_days)
    context = {**GOOD_CONTEXT.get(action, {}), "has_executor": has_executor}

    if not rule.roles & roles:
        with pytest.raises(NotAllowed):
            states.check(subject, action, roles=roles, **context)
    elif status not in rule.sources or (action == Action.EXTEND and extension_days):
        with pytest.raises(Refused) as info:
            states.check(subject, action, roles=roles, **context)
        assert info.value.code == "state"
    else:
        target = states.check(subject, action, roles=roles, **context)
        assert target == expected_target(action, status, extension_days=extension_days, has_executor=has_executor)


@given(status=st.sampled_from(list(State)), roles=roles_strategy)
def test_allowed_actions_are_the_ones_check_lets_through(status, roles):
    offered = states.allowed_actions(status, roles)

    for action in TRANSITIONS:
        rule = TRANSITIONS[action]
        possible = status in rule.sources and bool(rule.roles & roles)
        assert (action in offered) == (possible and action not in NOT_OFFERED)
    assert len(offered) == len(set(offered))


def test_allowed_actions_accept_role_names_as_strings():
    assert states.allowed_actions("awaiting_signature", ["head"]) == states.allowed_actions(
        State.AWAITING_SIGNATURE, [Role.HEAD]
    )


@pytest.mark.parametrize("status", sorted(FINAL_STATES))
def test_final_states_admit_only_the_listed_actions(status):
    admitted = {action for action, rule in TRANSITIONS.items() if status in rule.sources}

    assert admitted == FINAL_STATE_ACTIONS[status]
    assert all(TRANSITIONS[action].target is None for action in admitted)


def test_every_action_but_submit_is_in_the_table():
    # Filing creates the complaint; every other action moves one.
    assert set(Action) - set(TRANSITIONS) == {Action.SUBMIT}


def test_every_state_is_reachable_from_received():
    # register_complaint leads to FORWARDING instead of REGISTERED when the complaint was filed with a body other
    # than the reviewing body (RULES §8); the table's target names only the usual case.
    also = {Action.REGISTER: {State.FORWARDING}}
    everyone = set(Role)
    seen = {State.RECEIVED}
    queue = deque([State.RECEIVED])
    while queue:
        status = queue.popleft()
        for action, rule in TRANSITIONS.items():
            if status not in rule.sources:
                continue
            targets = set(also.get(action, set()))
            for extension_days in (0, 3):
                for has_executor in (False, True):
                    context = {**GOOD_CONTEXT.get(action, {}), "has_executor": has_executor}
                    try:
                        targets.add(states.check(complaint(status, extension_days), action, roles=everyone, **context))
                    except Refused:
                        continue  # EXTEND of an already extended complaint
            for target in targets - seen:
                seen.add(target)
                queue.append(target)

    assert seen == set(State)


def test_final_states_are_not_open():
    assert not FINAL_STATES & states.OPEN_STATES
    assert set(State) == FINAL_STATES | states.OPEN_STATES | {State.DECIDED, State.ANSWER_DELIVERED}


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


# ---- Guards, one bad input each: the field to fix and the code ----


@pytest.mark.parametrize(
    ("action", "status", "changes", "code", "field"),
    [
        (Action.EXTEND, State.UNDER_REVIEW, {"body_kind": "provider"}, "state", None),
        (Action.EXTEND, State.UNDER_REVIEW, {"days": 0}, "invalid", "days"),
        (Action.EXTEND, State.UNDER_REVIEW, {"days": 11}, "invalid", "days"),
        (Action.EXTEND, State.UNDER_REVIEW, {"days": 6, "max_days": 5}, "invalid", "days"),
        (Action.EXTEND, State.UNDER_REVIEW, {"ground": "whim"}, "invalid", "ground"),
        (Action.EXTEND, State.UNDER_REVIEW, {"reasons": "  "}, "invalid", "reasons"),
        (Action.PROPOSE_DECISION, State.UNDER_REVIEW, {"outcome": "partly"}, "invalid", "outcome"),
        (Action.PROPOSE_DECISION, State.UNDER_REVIEW, {"reasons": ""}, "invalid", "reasons"),
        (Action.PROPOSE_DECISION, State.EXTENDED, {"outcome": Outcome.CANCEL, "reasons": " "}, "invalid", "reasons"),
        (Action.LEAVE_WITHOUT_CONSIDERATION, State.REGISTERED, {"ground": "late"}, "invalid", "ground"),
        (Action.REQUEST_CONTENT, State.REGISTERED, {"missing": ""}, "invalid", "missing"),
        (Action.SUPPLY_CONTENT, State.AWAITING_CONTENT, {"text": None}, "invalid", "text"),
        (Action.RETURN, State.AWAITING_CONTENT, {"today": dt.date(2026, 11, 9)}, "state", None),
        (Action.REDIRECT, State.REGISTERED, {"target_id": None}, "invalid", "target"),
        (Action.REDIRECT, State.REGISTERED, {"target_id": 1}, "invalid", "target"),
        (Action.ASSIGN, State.REGISTERED, {"executor_ok": False}, "invalid", "executor"),
        (Action.ASSIGN, State.REGISTERED, {"executor_is_appealed": True}, "invalid", "executor"),
        (Action.DELIVER_ANSWER, State.DECIDED, {"method": "fax"}, "invalid", "method"),
        (Action.SATISFY, State.FORWARDING, {"text": " "}, "invalid", "text"),
        (Action.RECORD_HEARING, State.UNDER_REVIEW, {"notes": ""}, "invalid", "notes"),
        (Action.RECOMMEND, State.DECIDED, {"text": ""}, "invalid", "text"),
        (Action.RETURN_DRAFT, State.AWAITING_SIGNATURE, {"comment": ""}, "invalid", "comment"),
    ],
)
def test_guard_refuses_bad_input(action, status, changes, code, field):
    everyone = set(Role)
    context = {**GOOD_CONTEXT[action], **changes}

    with pytest.raises(Refused) as info:
        states.check(complaint(status), action, roles=everyone, **context)

    assert (info.value.code, info.value.field) == (code, field)
    assert str(info.value)


def test_complaint_is_returned_when_no_content_term_was_set():
    context = {"today": dt.date(2026, 11, 2), "content_due": None}

    assert states.check(complaint(State.AWAITING_CONTENT), Action.RETURN, roles={Role.CLERK}, **context) == (
        State.RETURNED
    )


def test_content_supplied_during_an_extended_review_resumes_it():
    # No service reaches this today: REQUEST_CONTENT is not allowed from EXTENDED (see the report).
    assert states.resume_state(complaint(State.AWAITING_CONTENT, 3), has_executor=True) == State.EXTENDED
    assert states.resume_state(complaint(State.AWAITING_CONTENT, 0), has_executor=True) == State.UNDER_REVIEW
    assert states.resume_state(complaint(State.AWAITING_CONTENT, 3)) == State.REGISTERED

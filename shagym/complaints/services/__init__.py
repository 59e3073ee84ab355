"""One function per action of the lifecycle, grouped by area; the only code that writes a complaint's status.

Each function: lock the row, find the actor's roles, ask the state table (role, state, situation, input), change
the complaint, append one event with before and after, all in one transaction; it returns that event, which is
published to the subscribers (notifications, documents) after commit. Keyword-only arguments, actor first; `now`
may be given (tests, sweeps)."""

from .common import local_date, scoped_key
from .intake import (
    ComplaintInput,
    OfficialInput,
    filed_late,
    filing_event,
    register_paper_complaint,
    submit_complaint,
    validate_input,
)
from .oversight import confirm_execution, file_second_tier, recommend, report_execution, second_tier_content
from .review import (
    assign_executor,
    close_complaint,
    deliver_answer,
    extend_term,
    is_appealed_official,
    leave_without_consideration,
    mark_overdue,
    propose_decision,
    record_extension_notice,
    record_hearing,
    return_draft,
    sign_decision,
    withdraw_complaint,
)
from .revision import DueDateChange, recompute_due, revise_due_date
from .routing import (
    forward_complaint,
    redirect_complaint,
    register_complaint,
    reissue_talon,
    request_content,
    return_complaint,
    satisfy_in_full,
    supply_content,
)

__all__ = [
    "ComplaintInput",
    "DueDateChange",
    "OfficialInput",
    "assign_executor",
    "close_complaint",
    "confirm_execution",
    "deliver_answer",
    "extend_term",
    "file_second_tier",
    "filed_late",
    "filing_event",
    "forward_complaint",
    "is_appealed_official",
    "leave_without_consideration",
    "local_date",
    "mark_overdue",
    "propose_decision",
    "recommend",
    "recompute_due",
    "record_extension_notice",
    "record_hearing",
    "redirect_complaint",
    "register_complaint",
    "register_paper_complaint",
    "reissue_talon",
    "report_execution",
    "request_content",
    "return_complaint",
    "return_draft",
    "revise_due_date",
    "satisfy_in_full",
    "scoped_key",
    "second_tier_content",
    "sign_decision",
    "submit_complaint",
    "supply_content",
    "validate_input",
    "withdraw_complaint",
]

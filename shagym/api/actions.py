"""The lifecycle's actions for staff systems (and the applicant's own two, by session): each route parses, calls ONE
service of shagym.complaints.services (the same the back office calls) and answers with the event it wrote and the
complaint after it. The state table's refusal is a 409 with its reason; bad input a 422 with the field; a role
that may not act a 403; a complaint out of the caller's scope a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Router, Status

from shagym.complaints import access
from shagym.complaints import services as lifecycle
from shagym.complaints.models import Complaint, ComplaintEvent, Recommendation
from shagym.complaints.states import Refused

from . import idempotency, present, problems
from .auth import AUTH, Caller, caller
from .complaints import IDEMPOTENCY_HEADER, POST_ERRORS, _detail_queryset, _organisation, bind_uploads, find_complaint
from .models import Scope
from .schemas import (
    MAX_ID,
    ActionOut,
    AssignIn,
    CommentIn,
    ConfirmIn,
    DeliverIn,
    ExtendIn,
    HearingIn,
    LeaveIn,
    NoticeIn,
    ProposeIn,
    RecommendIn,
    RedirectIn,
    ReportIn,
    RequestContentIn,
    SatisfyIn,
    SupplyIn,
    Text40,
    WithdrawIn,
)

if TYPE_CHECKING:
    from shagym.accounts.models import User

router = Router(tags=["lifecycle actions"], auth=AUTH)
RESPONSES = {200: ActionOut, **POST_ERRORS}

Run = Callable[["User", Complaint], ComplaintEvent]


def _answer(request: HttpRequest, c: Caller, event: ComplaintEvent) -> dict[str, object]:
    try:
        after = find_complaint(c, event.complaint_id, queryset=_detail_queryset())
    except Http404:
        after = None  # forwarded or redirected away: the caller's body no longer holds it
    return {
        "event": present.event(event, for_applicant=c.as_applicant),
        "complaint": present.complaint(request, c, after) if after is not None else None,
    }


def act(request: HttpRequest, complaint_id: int, run: Run) -> Status:
    c = caller(request)
    c.require(Scope.ACT)

    def work() -> idempotency.Result:
        complaint = find_complaint(c, complaint_id, queryset=_detail_queryset())
        event = run(c.user, complaint)
        return idempotency.Result(200, _answer(request, c, event))

    result = idempotency.run(request, c, work)
    return Status(result.status, result.body)


def _user(username: str) -> User:
    from shagym.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Refused(gettext("Choose an executor of your body."), field="executor")
    return user


def _route(path: str, summary: str) -> Callable[[Callable[..., Status]], Callable[..., Status]]:
    return router.post(f"/complaints/{{complaint_id}}/{path}", response=RESPONSES, summary=summary)


@_route("register", "Register (RULES §5-§6)")
def register(request: HttpRequest, complaint_id: int, idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.register_complaint(actor=u, complaint=c))


@_route("forward", "Forward to the reviewing body (RULES §8)")
def forward(request: HttpRequest, complaint_id: int, idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.forward_complaint(actor=u, complaint=c))


@_route("satisfy", "Satisfy in full at the appealed body (RULES §8)")
def satisfy(request: HttpRequest, complaint_id: int, payload: SatisfyIn,
            idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.satisfy_in_full(actor=u, complaint=c, text=payload.text))


@_route("redirect", "Redirect to the competent body (RULES §9)")
def redirect(request: HttpRequest, complaint_id: int, payload: RedirectIn,
             idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.redirect_complaint(
        actor=u, complaint=c, target=_organisation(payload.target, "target"), reason=payload.reason))


@_route("request-content", "Ask for missing content (RULES §4)")
def request_content(request: HttpRequest, complaint_id: int, payload: RequestContentIn,
                    idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.request_content(
        actor=u, complaint=c, missing=payload.missing, days=payload.days))


class SupplyWithFiles(SupplyIn):
    attachments: list[Text40] = []


@_route("supply-content", "Supply the missing content (RULES §4)")
def supply_content(request: HttpRequest, complaint_id: int, payload: SupplyWithFiles,
                   idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    c = caller(request)
    return act(request, complaint_id, lambda u, complaint: lifecycle.supply_content(
        actor=u, complaint=complaint, text=payload.text, attachments=bind_uploads(c, payload.attachments)))


@_route("return", "Return: the content was not supplied in time (RULES §4)")
def return_(request: HttpRequest, complaint_id: int, idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.return_complaint(actor=u, complaint=c))


@_route("assign", "Appoint the executor (RULES §10)")
def assign(request: HttpRequest, complaint_id: int, payload: AssignIn,
           idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.assign_executor(
        actor=u, complaint=c, executor=_user(payload.executor)))


@_route("extend", "Extend the term (RULES §14)")
def extend(request: HttpRequest, complaint_id: int, payload: ExtendIn,
           idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.extend_term(
        actor=u, complaint=c, days=payload.days, ground=payload.ground, reasons=payload.reasons))


@_route("extension-notice", "Record that the extension notice was sent (RULES §14)")
def extension_notice(request: HttpRequest, complaint_id: int, payload: NoticeIn,
                     idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.record_extension_notice(
        actor=u, complaint=c, channel=payload.channel))


@_route("hearing", "Record the hearing (АППК Art. 73)")
def hearing(request: HttpRequest, complaint_id: int, payload: HearingIn,
            idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.record_hearing(
        actor=u, complaint=c, held_on=payload.held_on, notes=payload.notes))


@_route("propose", "Propose the reasoned answer (RULES §20, §23)")
def propose(request: HttpRequest, complaint_id: int, payload: ProposeIn,
            idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.propose_decision(
        actor=u, complaint=c, outcome=payload.outcome, reasons=payload.reasons, facts=payload.facts,
        legal_references=payload.legal_references))


@_route("return-draft", "Return the draft answer to the executor")
def return_draft(request: HttpRequest, complaint_id: int, payload: CommentIn,
                 idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.return_draft(actor=u, complaint=c, comment=payload.comment))


@_route("sign", "Sign the answer (RULES §23)")
def sign(request: HttpRequest, complaint_id: int, idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.sign_decision(actor=u, complaint=c))


@_route("leave", "Leave without consideration (RULES §21)")
def leave(request: HttpRequest, complaint_id: int, payload: LeaveIn,
          idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.leave_without_consideration(
        actor=u, complaint=c, ground=payload.ground, comment=payload.comment))


@_route("withdraw", "Withdraw, or record the applicant's withdrawal (RULES §22)")
def withdraw(request: HttpRequest, complaint_id: int, payload: WithdrawIn,
             idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.withdraw_complaint(actor=u, complaint=c,
                                                                                reason=payload.reason))


@_route("deliver", "Record the delivery of the answer (RULES §23)")
def deliver(request: HttpRequest, complaint_id: int, payload: DeliverIn,
            idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.deliver_answer(
        actor=u, complaint=c, method=payload.method, delivered_on=payload.delivered_on))


@_route("close", "Close the case")
def close(request: HttpRequest, complaint_id: int, idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act(request, complaint_id, lambda u, c: lifecycle.close_complaint(actor=u, complaint=c))


@_route("recommend", "The quality authority's recommendation (RULES §24)")
def recommend(request: HttpRequest, complaint_id: int, payload: RecommendIn,
              idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    def run(u: User, c: Complaint) -> ComplaintEvent:
        body = _organisation(payload.body, "body")
        assert body is not None
        return lifecycle.recommend(actor=u, complaint=c, body=body, text=payload.text, due_date=payload.due_date)

    return act(request, complaint_id, run)


# ---- The recommendation's control (RULES §24) ----


def act_on_recommendation(request: HttpRequest, recommendation_id: int,
                          run: Callable[[User, Recommendation], ComplaintEvent]) -> Status:
    c = caller(request)
    c.require(Scope.ACT)

    def work() -> idempotency.Result:
        if not 1 <= recommendation_id <= MAX_ID:
            raise problems.not_found()
        recommendation = access.recommendations_for(c.user).filter(pk=recommendation_id).first()
        if recommendation is None or c.as_applicant:
            raise problems.not_found()
        event = run(c.user, recommendation)
        return idempotency.Result(200, _answer(request, c, event))

    result = idempotency.run(request, c, work)
    return Status(result.status, result.body)


@router.post("/recommendations/{recommendation_id}/report", response=RESPONSES,
             summary="Report the execution of a recommendation (the body's head)")
def report(request: HttpRequest, recommendation_id: int, payload: ReportIn,
           idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act_on_recommendation(request, recommendation_id, lambda u, r: lifecycle.report_execution(
        actor=u, recommendation=r, report=payload.report))


@router.post("/recommendations/{recommendation_id}/confirm", response=RESPONSES,
             summary="Confirm the execution, or send the report back (the inspector)")
def confirm(request: HttpRequest, recommendation_id: int, payload: ConfirmIn,
            idempotency_key: str | None = IDEMPOTENCY_HEADER) -> Status:
    return act_on_recommendation(request, recommendation_id, lambda u, r: lifecycle.confirm_execution(
        actor=u, recommendation=r, accepted=payload.accepted, comment=payload.comment))

"""Every action on a complaint, as a form: parse it, call one service, redirect. A `Refused` becomes a form error;
a role that may not act gets 403; a complaint outside the user's bodies, 404 (selectors.staff_complaint).

The table ACTIONS says, per action, which form parses it and which single service function does it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from shagym import workdays
from shagym.complaints import access, public, selectors, signing, states
from shagym.complaints import services as lifecycle
from shagym.complaints.models import Complaint
from shagym.complaints.situation import situation_of
from shagym.complaints.states import Action, NotAllowed, Refused, State
from shagym.directory import dates
from shagym.directory.calendar import current_calendar
from shagym.directory.roles import Role
from shagym.documents import services as documents
from shagym.signatures import verify as signature_verify

from .. import forms
from .. import services as desk
from ..models import AnswerDraft
from .common import AuthenticatedRequest, require_role, safe_next, staff_required


@dataclass(frozen=True)
class ActionSpec:
    action: Action
    form: type[forms.ComplaintForm]
    # Calls ONE lifecycle service: (actor, complaint, cleaned data) -> the event it wrote.
    run: Callable[[Any, Complaint, dict[str, Any]], Any]
    title: Any
    button: Any
    done: Any
    explanation: Any = ""
    danger: bool = False


def _d(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: data.get(name) for name in names}


ACTIONS: dict[str, ActionSpec] = {
    "register": ActionSpec(
        Action.REGISTER, forms.ConfirmForm,
        lambda u, c, d: lifecycle.register_complaint(actor=u, complaint=c),
        _("Register the complaint"), _("Register"), _("Complaint %(number)s registered."),
        _("The registration number is given now and the term starts from the day of receipt (АППК Art. 64(2)-(3))."),
    ),
    "forward": ActionSpec(
        Action.FORWARD, forms.ConfirmForm,
        lambda u, c, d: lifecycle.forward_complaint(actor=u, complaint=c),
        _("Forward to the reviewing body"), _("Forward with the case file"),
        _("Complaint %(number)s forwarded. Print the covering letter."),
        _("The complaint and the case file go to the reviewing body, which registers and reviews it "
          "(АППК Art. 91(4)). A covering letter is produced."),
    ),
    "satisfy": ActionSpec(
        Action.SATISFY, forms.SatisfyForm,
        lambda u, c, d: lifecycle.satisfy_in_full(actor=u, complaint=c, text=d["text"]),
        _("Satisfy the demands in full"), _("Record the decision"), _("Complaint %(number)s satisfied in full."),
    ),
    "redirect": ActionSpec(
        Action.REDIRECT, forms.RedirectForm,
        lambda u, c, d: lifecycle.redirect_complaint(actor=u, complaint=c, target=d["target"], reason=d["reason"]),
        _("Redirect to the competent body"), _("Redirect and produce the notice"),
        _("Complaint %(number)s redirected. Print the notice to the applicant."),
        _("Within 3 working days of receipt; the applicant is told at the same time (АППК Art. 65)."),
    ),
    "request-content": ActionSpec(
        Action.REQUEST_CONTENT, forms.RequestContentForm,
        lambda u, c, d: lifecycle.request_content(actor=u, complaint=c, missing=d["missing"], days=d["days"]),
        _("Ask for missing content"), _("Ask and produce the notice"),
        _("Missing content requested for %(number)s. Print the notice to the applicant."),
        _("Acceptance may not be refused: name what is missing and give a term to supply it (АППК Art. 64)."),
    ),
    "supply-content": ActionSpec(
        Action.SUPPLY_CONTENT, forms.SupplyContentForm,
        lambda u, c, d: lifecycle.supply_content(actor=u, complaint=c, text=d["text"],
                                                 attachments=d.get("attachments") or []),
        _("Record the missing content"), _("Record"), _("Missing content recorded for %(number)s."),
    ),
    "return": ActionSpec(
        Action.RETURN, forms.ConfirmForm,
        lambda u, c, d: lifecycle.return_complaint(actor=u, complaint=c),
        _("Return the complaint"), _("Return"), _("Complaint %(number)s returned."),
        _("The missing content was not supplied in time. A returned complaint may be filed again "
          "(АППК Art. 64(7)-(8))."),
        danger=True,
    ),
    "assign": ActionSpec(
        Action.ASSIGN, forms.AssignForm,
        lambda u, c, d: lifecycle.assign_executor(actor=u, complaint=c, executor=d["executor"]),
        _("Appoint the executor"), _("Appoint"), _("Executor appointed for %(number)s."),
    ),
    "extend": ActionSpec(
        Action.EXTEND, forms.ExtendForm,
        lambda u, c, d: lifecycle.extend_term(actor=u, complaint=c, **_d(d, "days", "ground", "reasons")),
        _("Extend the review term"), _("Extend and produce the notice"),
        _("Term of %(number)s extended. Send the notice to the applicant within 3 working days."),
        _("Only to study or inspect further or to obtain more information; at most 10 working days, once "
          "(Law on public services, Art. 25(4))."),
    ),
    "extension-notice": ActionSpec(
        Action.RECORD_EXTENSION_NOTICE, forms.ExtensionNoticeForm,
        lambda u, c, d: lifecycle.record_extension_notice(actor=u, complaint=c, channel=d["channel"]),
        _("Record that the extension notice was sent"), _("Record"), _("Extension notice recorded for %(number)s."),
    ),
    "hearing": ActionSpec(
        Action.RECORD_HEARING, forms.HearingForm,
        lambda u, c, d: lifecycle.record_hearing(actor=u, complaint=c, held_on=d["held_on"], notes=d["notes"]),
        _("Record the hearing"), _("Record"), _("Hearing recorded for %(number)s."),
        _("The applicant's right to be heard before an unfavourable decision (АППК Art. 73)."),
    ),
    "return-draft": ActionSpec(
        Action.RETURN_DRAFT, forms.ReturnDraftForm,
        lambda u, c, d: lifecycle.return_draft(actor=u, complaint=c, comment=d["comment"]),
        _("Return the answer to the executor"), _("Return to the executor"), _("Answer to %(number)s returned."),
    ),
    "sign": ActionSpec(
        Action.SIGN_DECISION, forms.SignForm,
        lambda u, c, d: _sign(u, c, d),
        _("Approve and sign the answer"), _("Sign"), _("Answer to %(number)s signed. Have it delivered."),
        _("The answer letter is fixed as signed, in the language of the complaint."),
    ),
    "leave": ActionSpec(
        Action.LEAVE_WITHOUT_CONSIDERATION, forms.LeaveForm,
        lambda u, c, d: lifecycle.leave_without_consideration(actor=u, complaint=c, ground=d["ground"],
                                                              comment=d.get("comment") or ""),
        _("Leave without consideration"), _("Leave without consideration"),
        _("Complaint %(number)s left without consideration. Tell the applicant within 3 working days."),
        _("Only on the grounds of АППК Art. 95."), danger=True,
    ),
    "withdraw": ActionSpec(
        Action.WITHDRAW, forms.WithdrawForm,
        lambda u, c, d: lifecycle.withdraw_complaint(actor=u, complaint=c, reason=d["reason"]),
        _("Record the withdrawal"), _("Record the withdrawal"), _("Complaint %(number)s withdrawn."),
        _("By the applicant's written request, before the decision (АППК Art. 64(9))."), danger=True,
    ),
    "deliver": ActionSpec(
        Action.DELIVER_ANSWER, forms.DeliverForm,
        lambda u, c, d: lifecycle.deliver_answer(actor=u, complaint=c, method=d["method"],
                                                 delivered_on=d["delivered_on"]),
        _("Record the delivery of the answer"), _("Record the delivery"), _("Delivery of the answer to %(number)s recorded."),
    ),
    "close": ActionSpec(
        Action.CLOSE, forms.ConfirmForm,
        lambda u, c, d: lifecycle.close_complaint(actor=u, complaint=c),
        _("Close the case"), _("Close"), _("Complaint %(number)s closed."),
    ),
    "recommend": ActionSpec(
        Action.RECOMMEND, forms.RecommendForm,
        lambda u, c, d: lifecycle.recommend(actor=u, complaint=c, body=d["body"], text=d["text"],
                                            due_date=d["due_date"]),
        _("Recommend restoring the rights"), _("Issue the recommendation"), _("Recommendation on %(number)s issued."),
        _("When a breach of the law on public services is found, the body is told to restore the violated rights; "
          "the quality authority controls the execution (Law Art. 25(3))."),
    ),
}
SLUG_OF = {spec.action: slug for slug, spec in ACTIONS.items()}

def _sign(user: Any, complaint: Complaint, data: dict[str, Any]) -> Any:
    """RULES §23: the answer as it will be issued (rendered here, before any lock; the same bytes the head's browser
    signed), the head's signature of it verified (the certification centre may be asked), then the service."""
    cms = data.get("_cms")
    if cms is None:
        return lifecycle.sign_decision(actor=user, complaint=complaint)
    document = documents.answer_to_sign(complaint, signer=user)
    return lifecycle.sign_decision(actor=user, complaint=complaint, document=document,
                                   signature=signature_verify.verify(cms, document))


# The order in which the next step is suggested: the first one available is the primary button.
PRIORITY = [
    Action.REGISTER, Action.FORWARD, Action.SUPPLY_CONTENT, Action.ASSIGN, Action.RECORD_EXTENSION_NOTICE,
    Action.PROPOSE_DECISION, Action.SIGN_DECISION, Action.DELIVER_ANSWER, Action.RECOMMEND, Action.CLOSE,
]
# Not the first thing to do in their state; shown, never as the primary button.
NEVER_PRIMARY = {Action.ASSIGN: {State.UNDER_REVIEW, State.EXTENDED}, Action.CLOSE: set(State)}


# Done straight from the case page; every other action opens its page first (the answer to read before signing,
# the letter a forward produces, the reason a refusal needs).
ONE_CLICK = {Action.REGISTER}


@dataclass(frozen=True)
class Step:
    action: Action
    label: str
    url: str
    primary: bool = False
    danger: bool = False
    post: bool = False  # a one-click form (no input, nothing to read first)


def next_steps(complaint: Complaint, roles: set[Role], today: dt.date) -> tuple[list[Step], list[str]]:
    """The actions this user may take now, the most useful first, and why the others the role allows are closed
    (the state table says it: states.why_not)."""
    allowed = states.allowed_actions(complaint.status, roles)
    situation = situation_of(complaint, today=today)
    steps: list[Step] = []
    notes: list[str] = []
    for action in sorted(allowed, key=lambda a: PRIORITY.index(a) if a in PRIORITY else len(PRIORITY)):
        refusal = states.why_not(complaint, action, roles=roles, situation=situation)
        if isinstance(refusal, Refused):
            notes.append(refusal.message)
            continue
        if action == Action.PROPOSE_DECISION:
            steps.append(Step(action, gettext("Draft the reasoned answer"), reverse("bo-answer", args=[complaint.pk])))
            continue
        slug = SLUG_OF.get(action)
        if slug is None:
            continue
        spec = ACTIONS[slug]
        steps.append(Step(action, str(spec.title), reverse("bo-action", args=[complaint.pk, slug]),
                          danger=spec.danger, post=action in ONE_CLICK))
    for index, step in enumerate(steps):
        if not step.danger and complaint.status not in NEVER_PRIMARY.get(step.action, set()):
            # The primary step first, then the others, the irreversible ones last.
            steps.insert(0, Step(step.action, step.label, step.url, True, step.danger, step.post))
            del steps[index + 1]
            break
    steps.sort(key=lambda step: (not step.primary, step.danger))
    return steps, notes


def _done_message(spec: ActionSpec, event: Any) -> str:
    complaint = event.complaint
    message = spec.done % {"number": complaint.number or complaint.pk}
    if spec.action == Action.REGISTER and complaint.due_date and complaint.registered_on < timezone.localdate():
        # RULES §6 (АППК 64(3)): dated to the day of receipt, so the term has been running since then.
        message += " " + gettext("Registered as of %(day)s, the day of receipt: the answer is due on %(due)s.") % {
            "day": dates.numeric(complaint.registered_on), "due": dates.numeric(complaint.due_date)}
    return message


def _registration_preview(complaint: Complaint) -> dict[str, Any] | None:
    """For the register page: the day the registration will be dated to, and the due date it gives."""
    if complaint.status != State.RECEIVED:
        return None
    deadline = public.deadline(complaint)
    today = timezone.localdate()
    expected = deadline.expected_registration
    late = expected is not None and expected < today
    elapsed = workdays.working_days_between(current_calendar(), expected, today) if expected and late else 0
    return {"deadline": deadline, "late": late, "elapsed": elapsed,
            "forwarding": complaint.holder_id != complaint.reviewing_body_id}


def _summary_context(complaint: Complaint) -> dict[str, Any]:
    today = timezone.localdate()
    return {"complaint": complaint, "today": today, "tomorrow": today + dt.timedelta(days=1)}


@staff_required
def complaint_action(request: AuthenticatedRequest, pk: int, slug: str) -> HttpResponse:
    spec = ACTIONS.get(slug)
    if spec is None:
        raise Http404
    user = request.user
    complaint = selectors.staff_complaint(user, pk)
    if not access.may(user, complaint, spec.action):
        raise PermissionDenied
    case_url = reverse("bo-case", args=[complaint.pk])
    posted = request.method == "POST"
    form = spec.form(request.POST if posted else None, request.FILES if posted else None, complaint=complaint, user=user)
    if request.method == "POST" and form.is_valid():
        if isinstance(form, forms.SignForm):
            form.cleaned_data["_cms"] = form.cms()
        try:
            event = spec.run(user, complaint, form.cleaned_data)
        except Refused as exc:
            form.add_refusal(exc)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, _done_message(spec, event))
            # The action has committed; its letters (issued by the documents layer right after the commit) are
            # fetched, or issued now if that failed, so the clerk can print them.
            letters = documents.issue_for_event(event)
            if letters and not access.complaints_for_staff(user).filter(pk=complaint.pk).exists():
                # Forwarded or redirected: the complaint has left this body; its letter stays here.
                return redirect("bo-letter", pk=letters[0].pk)
            return redirect(safe_next(request, case_url))
    refusal = states.why_not(complaint, spec.action, roles=access.roles_for(user, complaint),
                             situation=situation_of(complaint, today=timezone.localdate()))
    context = _summary_context(complaint)
    context.update(spec=spec, slug=slug, form=form, possible=refusal is None,
                   refusal=refusal.message if isinstance(refusal, Refused) else "", case_url=case_url,
                   next=safe_next(request, ""))
    if slug in {"sign", "return-draft"}:
        context["show_answer"] = True
    if slug == "sign":
        context["signing"] = {
            "required": signing.required("answer"), "url": reverse("bo-answer-to-sign", args=[complaint.pk]),
            "bin": complaint.holder.bin, "ncalayer": settings.SHAGYM_NCALAYER_URL,
            "number": documents.answer_number(complaint), "download": reverse("bo-answer-to-sign", args=[complaint.pk]),
            "button": gettext("Sign the answer with NCALayer and approve it"),
            "intro": gettext("NCALayer opens: choose your signing key (issued to you as an official of this body) and "
                             "enter its password. The answer is signed exactly as the PDF reads, then sealed by the "
                             "body and issued."),
            "legal": gettext("АППК Art. 101: the answer is a written act of the body signed by its head; an "
                             "electronic document signed with an EDS equals a signed paper one (Law \"On electronic "
                             "document and electronic digital signature\", Art. 7)."),
        }
    if slug == "register":
        context["registration"] = _registration_preview(complaint)
    return render(request, "backoffice/action.html", context, status=200 if form.is_bound is False or not form.errors else 400)


@staff_required
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """RULES §20, §23: the executor drafts the reasoned answer; "Save" keeps the draft, "Send for signature"
    proposes it to the head. One service per request."""
    user = request.user
    complaint = selectors.staff_complaint(user, pk)
    if not access.may(user, complaint, Action.PROPOSE_DECISION):
        raise PermissionDenied
    rule = states.TRANSITIONS[Action.PROPOSE_DECISION]
    draft = AnswerDraft.objects.filter(complaint=complaint).first()
    initial = (
        {"outcome": draft.outcome, "facts": draft.facts, "reasons": draft.reasons,
         "legal_references": draft.legal_references}
        if draft
        else {"outcome": complaint.outcome, "facts": complaint.decision_facts, "reasons": complaint.decision_reasons,
              "legal_references": complaint.legal_references}
    )
    form = forms.AnswerForm(request.POST if request.method == "POST" else None, initial=initial, complaint=complaint, user=user)
    if request.method == "POST" and form.is_valid():
        send = "send" in request.POST
        try:
            if send:
                desk.submit_answer(actor=user, complaint=complaint, **form.service_arguments())
            else:
                desk.save_answer_draft(actor=user, complaint=complaint, **form.service_arguments())
        except Refused as exc:
            form.add_refusal(exc)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        else:
            if send:
                messages.success(request, gettext("The answer to %(number)s is sent to the head for signature.")
                                 % {"number": complaint.number})
                return redirect("bo-case", pk=complaint.pk)
            messages.success(request, gettext("Draft saved."))
            return redirect("bo-answer", pk=complaint.pk)
    context = _summary_context(complaint)
    context.update(form=form, draft=draft, possible=complaint.status in rule.sources,
                   case_url=reverse("bo-case", args=[complaint.pk]))
    return render(request, "backoffice/answer.html", context, status=400 if form.errors else 200)


@staff_required
def intake(request: AuthenticatedRequest) -> HttpResponse:
    """RULES §1, §5, §6: the clerk registers a complaint that came on paper, by post or in person."""
    require_role(request, Role.CLERK)
    user = request.user
    form = forms.IntakeForm(request.POST if request.method == "POST" else None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            event = lifecycle.register_paper_complaint(
                actor=user,
                data=form.to_input(),
                holder=form.cleaned_data["holder"],
                received_at=form.cleaned_data["received_at"],
                attachments=form.cleaned_data.get("attachments") or [],
                idempotency_key=form.cleaned_data.get("idempotency_key") or None,
            )
        except Refused as exc:
            form.add_refusal(exc)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        else:
            complaint = event.complaint
            documents.issue_for_event(event)  # the talon, if the subscriber has not issued it already
            messages.success(request, gettext("Complaint %(number)s registered. Print the talon and stamp the second copy.")
                             % {"number": complaint.number})
            return redirect(reverse("bo-case", args=[complaint.pk]) + "#documents")
    return render(request, "backoffice/intake.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def recommendation_action(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """RULES §24: the body reports how it executed the recommendation; the inspector confirms it or sends it back."""
    user = request.user
    recommendation = selectors.recommendation_for_staff(user, pk)
    if step == "report":
        action = Action.REPORT_EXECUTION
        form: forms.StaffForm = forms.ReportExecutionForm(request.POST if request.method == "POST" else None)
        title = _("Report the execution of the recommendation")
    elif step == "confirm":
        action = Action.CONFIRM_EXECUTION
        form = forms.ConfirmExecutionForm(request.POST if request.method == "POST" else None)
        title = _("Check the execution of the recommendation")
    else:
        raise Http404
    if not access.may_on_recommendation(user, recommendation, action):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if step == "report":
                lifecycle.report_execution(actor=user, recommendation=recommendation, report=data["report"])
            else:
                lifecycle.confirm_execution(actor=user, recommendation=recommendation,
                                            accepted=data["accepted"], comment=data.get("comment") or "")
        except Refused as exc:
            form.add_refusal(exc)
        except NotAllowed as exc:
            raise PermissionDenied from exc
        else:
            messages.success(request, gettext("Recorded."))
            return redirect("bo-recommendations")
    return render(request, "backoffice/recommendation_action.html",
                  {"recommendation": recommendation, "form": form, "title": title,
                   "today": timezone.localdate()}, status=400 if form.errors else 200)

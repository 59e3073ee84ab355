"""The citizen portal: home and help, the complaint form in steps, the personal cabinet, the status check.
Thin views: parse a form, call one service, redirect; a Refused from a service becomes a form error."""

from __future__ import annotations

import base64
import secrets
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import ChoiceField, TypedChoiceField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_http_methods

from shagym.accounts.models import User
from shagym.complaints import access, attachments, public, selectors, services, signing
from shagym.complaints.models import Complaint
from shagym.complaints.states import AppealedAct, ApplicantKind, NotAllowed, Refused
from shagym.documents import selectors as documents
from shagym.documents import services as document_services
from shagym.documents.models import Letter
from shagym.notify import selectors as notify_selectors
from shagym.notify import services as notify_services
from shagym.signatures import verify as signature_verify

from . import codes, forms, lookups, timeline, uploads
from .shared import shared_for_anonymous
from .wizard import FIELD_STEP, STEPS, Wizard


class AuthenticatedRequest(HttpRequest):
    """The request a view behind login_required receives: its user is signed in, never AnonymousUser. Only an
    annotation (Django passes its own request object); it tells the type checker so."""

    user: User

# ---------------------------------------------------------------------------------------------------------------
# Home and help


@shared_for_anonymous
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@shared_for_anonymous
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/help.html")


# ---------------------------------------------------------------------------------------------------------------
# The complaint form


def _step_url(step: str) -> str:
    return reverse("complaint-step", args=[step])


def _load(request: AuthenticatedRequest, step: str) -> Wizard | HttpResponse:
    """The wizard in this session, or a redirect: to the start page, or to the first step not yet done."""
    wizard = Wizard.load(request.session, request.user.pk)
    if wizard is None or wizard.submitted:
        return redirect("complaint-start")
    if step != "check" and not wizard.may_open(step):
        return redirect(_step_url(wizard.first_missing() or "who"))
    if step == "check" and wizard.first_missing():
        return redirect(_step_url(wizard.first_missing() or "who"))
    return wizard


def _next(request: HttpRequest, wizard: Wizard, step: str) -> HttpResponse:
    wizard.save(request.session)
    names = [name for name, _title in STEPS]
    if request.GET.get("from") == "check" and wizard.first_missing() is None:
        return redirect("complaint-check")
    following = names.index(step) + 1
    return redirect(_step_url(names[following]) if following < len(names) else reverse("complaint-check"))


def _page(request: HttpRequest, wizard: Wizard, step: str, template: str, context: dict[str, Any]) -> HttpResponse:
    names = [name for name, _title in STEPS]
    index = names.index(step)
    back = reverse("complaint-check") if request.GET.get("from") == "check" else (
        _step_url(names[index - 1]) if index else reverse("complaint-start"))
    return render(request, template, {
        "wizard": wizard, "step": step, "step_number": index + 1, "step_count": len(names),
        "step_title": STEPS[index][1], "back_url": back, "from_check": request.GET.get("from") == "check",
        **context,
    })


@login_required
def complaint_start(request: AuthenticatedRequest) -> HttpResponse:
    """The start page: what you need, how long it takes. Starting makes a new form with its idempotency key."""
    wizard = Wizard.load(request.session, request.user.pk)
    in_progress = wizard is not None and not wizard.submitted and bool(wizard.steps)
    if request.method == "POST":
        if request.POST.get("action") == "continue" and wizard is not None and in_progress:
            missing = wizard.first_missing()
            return redirect(_step_url(missing) if missing else reverse("complaint-check"))
        Wizard.start(request.session, request.user.pk)
        return redirect(_step_url("who"))
    return render(request, "portal/wizard/start.html", {"in_progress": in_progress})


@login_required
def complaint_step(request: AuthenticatedRequest, step: str) -> HttpResponse:
    view = STEP_VIEWS.get(step)
    if view is None:
        return redirect("complaint-start")
    wizard = _load(request, step)
    if isinstance(wizard, HttpResponse):
        return wizard
    return view(request, wizard)


def _step_who(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    form = forms.WhoForm(request.POST if request.method == "POST" else None, initial=wizard.get("who"))
    if request.method == "POST" and form.is_valid():
        wizard.put("who", form.cleaned_data)
        return _next(request, wizard, "who")
    return _page(request, wizard, "who", "portal/wizard/who.html", {"form": form})


def _step_details(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    legal = wizard.applicant_kind == ApplicantKind.LEGAL_ENTITY
    form_class = forms.LegalEntityForm if legal else forms.IndividualForm
    user = request.user
    initial = wizard.get("details") or {
        "surname": user.last_name, "first_name": user.first_name,
        "patronymic": getattr(user, "patronymic", ""), "email": user.email,
    }
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        wizard.put("details", {**form.cleaned_data, "_kind": wizard.applicant_kind})
        return _next(request, wizard, "details")
    return _page(request, wizard, "details", "portal/wizard/details.html", {"form": form, "legal": legal})


def _step_body(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    search = forms.BodySearchForm(request.GET or None, territories=lookups.territories())
    query, territory = "", None
    if search.is_bound and search.is_valid():
        query, territory = search.cleaned_data["q"], search.cleaned_data["territory"]
    # Results only after a search: a list of every body of the country helps nobody.
    bodies, total = lookups.find_bodies(query, territory) if search.is_bound else ([], 0)
    chosen = wizard.respondent()
    if chosen is not None and chosen not in bodies:
        bodies = [chosen, *bodies]
    if request.method == "POST":
        form = forms.BodyForm(request.POST, bodies=lookups.find_bodies(limit=None)[0])
        if form.is_valid():
            wizard.put("body", form.cleaned_data)
            return _next(request, wizard, "body")
        cast(TypedChoiceField, form.fields["respondent"]).choices = [(b.pk, b.name) for b in bodies]
    else:
        form = forms.BodyForm(initial=wizard.get("body"), bodies=bodies)
    return _page(request, wizard, "body", "portal/wizard/body.html",
                 {"form": form, "search": search, "bodies": bodies, "total": total, "query": query,
                  "searched": search.is_bound})


def _step_officials(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    if request.method != "POST":
        saved = wizard.get("officials")
        act_form = forms.AppealedActForm(initial=saved)
        formset = forms.OfficialFormSet(prefix="officials", initial=saved.get("officials") or [{}])
        return _officials_page(request, wizard, act_form, formset)
    appealed_act = request.POST.get("appealed_act", "")
    if request.POST.get("action") == "add":
        # "Add another official" without JavaScript: the same page with one more empty row; nothing checked yet.
        data = request.POST.copy()
        count = data.get("officials-TOTAL_FORMS", "1")
        rows = min((int(count) if (count.isascii() and count.isdigit()) else 1) + 1, 10)
        data["officials-TOTAL_FORMS"] = str(rows)
        unbound = forms.OfficialFormSet(prefix="officials", initial=[
            {name: data.get(f"officials-{i}-{name}", "") for name in ("position", "surname", "initials")}
            for i in range(rows)
        ])
        return _officials_page(request, wizard, forms.AppealedActForm(initial={"appealed_act": appealed_act}),
                               unbound, focus=rows - 1)
    act_form = forms.AppealedActForm(request.POST)
    formset = forms.OfficialFormSet(request.POST, prefix="officials", appealed_act=appealed_act)
    acts_ok, rows_ok = act_form.is_valid(), formset.is_valid()
    if acts_ok and rows_ok:
        wizard.put("officials", {"appealed_act": act_form.cleaned_data["appealed_act"],
                                 "officials": formset.officials()})
        return _next(request, wizard, "officials")
    return _officials_page(request, wizard, act_form, formset)


def _officials_page(request: AuthenticatedRequest, wizard: Wizard, act_form: Any, formset: Any, focus: int | None = None
                    ) -> HttpResponse:
    return _page(request, wizard, "officials", "portal/wizard/officials.html",
                 {"act_form": act_form, "formset": formset, "focus": focus,
                  "can_add": formset.total_form_count() < 10})


def _step_service(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    if request.method == "POST":
        # Any service of the register may be chosen; the list shown is only built again if the answer is refused.
        form = forms.ServiceForm(request.POST, services=lookups.find_services(limit=None)[0])
        if form.is_valid():
            wizard.put("service", form.cleaned_data)
            return _next(request, wizard, "service")
    search = forms.ServiceSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_bound and search.is_valid() else ""
    found, total = lookups.find_services(query, wizard.respondent())
    chosen = wizard.service()
    if chosen is not None and chosen not in found:
        found = [chosen, *found]
    if request.method == "POST":
        shown = cast(ChoiceField, forms.ServiceForm(services=found).fields["service"])
        cast(ChoiceField, form.fields["service"]).choices = shown.choices
    else:
        form = forms.ServiceForm(initial=wizard.get("service"), services=found)
    return _page(request, wizard, "service", "portal/wizard/service.html",
                 {"form": form, "search": search, "total": total, "query": query, "searched": search.is_bound})


def _step_facts(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    language = get_language()[:2] if get_language()[:2] in ("kk", "ru") else "kk"
    form = forms.FactsForm(request.POST if request.method == "POST" else None, initial=wizard.get("facts") or {"language": language})
    today = timezone.localdate()
    late = False
    if request.method == "POST" and form.is_valid():
        late = services.filed_late(form.cleaned_data["learned_on"], today)
        # RULES §7: a late complaint is still accepted. Warn once and offer the restoration request; never block.
        if not late or request.POST.get("late_seen"):
            wizard.put("facts", form.cleaned_data)
            return _next(request, wizard, "facts")
    elif learned_on := wizard.learned_on():
        late = services.filed_late(learned_on, today)
    return _page(request, wizard, "facts", "portal/wizard/facts.html",
                 {"form": form, "late": late, "months": settings.SHAGYM_FILING_TERM_MONTHS})


def _step_attachments(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    limits = attachments.limits()
    form = forms.AttachmentsForm(*((request.POST, request.FILES) if request.method == "POST" else (None, None)),
                                 help_text=attachments.help_text())
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            if any(a["stored"] == remove for a in wizard.attachments):
                wizard.attachments = [a for a in wizard.attachments if a["stored"] != remove]
                wizard.draft.remove(remove)
                wizard.save(request.session)
            return redirect(request.get_full_path())
        if form.is_valid():
            for upload in form.cleaned_data["files"]:
                try:
                    content_type, extension = attachments.check(upload, already=len(wizard.attachments))
                except Refused as exc:
                    form.add_error("files", exc.message)
                    continue
                wizard.attachments.append(wizard.draft.save(upload, content_type=content_type, extension=extension))
            wizard.save(request.session)
            if not form.errors:
                if request.POST.get("action") == "continue":
                    wizard.put("attachments", {"count": len(wizard.attachments)})
                    return _next(request, wizard, "attachments")
                return redirect(request.get_full_path())
    return _page(request, wizard, "attachments", "portal/wizard/attachments.html",
                 {"form": form, "max_files": limits.max_files, "room": len(wizard.attachments) < limits.max_files})


def _step_addressee(request: AuthenticatedRequest, wizard: Wizard) -> HttpResponse:
    options = wizard.addressee_options()
    form = forms.AddresseeForm(request.POST if request.method == "POST" else None, initial=wizard.get("addressee"), options=options)
    if request.method == "POST" and form.is_valid():
        wizard.put("addressee", form.cleaned_data)
        return _next(request, wizard, "addressee")
    return _page(request, wizard, "addressee", "portal/wizard/addressee.html",
                 {"form": form, "options": options, "respondent": wizard.respondent()})


STEP_VIEWS = {
    "who": _step_who,
    "details": _step_details,
    "body": _step_body,
    "officials": _step_officials,
    "service": _step_service,
    "facts": _step_facts,
    "attachments": _step_attachments,
    "addressee": _step_addressee,
}


@login_required
def complaint_check(request: AuthenticatedRequest) -> HttpResponse:
    """Check your answers, then submit. The idempotency key makes a double click or a retry return the same
    complaint."""
    if request.method == "POST":
        form = forms.SubmitForm(request.POST, request.FILES)
        key = form.data.get("idempotency_key", "")
        filed = selectors.applicant_complaint_by_key(request.user, key) if key else None
        if filed is not None:
            return redirect("complaint-sent", pk=filed.pk)
    wizard = _load(request, "check")
    if isinstance(wizard, HttpResponse):
        return wizard
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if not form.is_valid() or form.cleaned_data["idempotency_key"] != wizard.key:
            errors.append(("", gettext("This form was opened in another window or has expired. Check your answers "
                                       "and submit again.")))
        else:
            files = wizard.draft.open_all(wizard.attachments)
            try:
                data = wizard.complaint_input()
                cms = form.cms()
                # Verified here, before the service's transaction: the certification centre may be asked.
                signature = signature_verify.verify(cms, _content(wizard, data)) if cms else None
                complaint = services.submit_complaint(actor=request.user, data=data, idempotency_key=wizard.key,
                                                      attachments=files, signature=signature).complaint
            except Refused as exc:
                href = "#sign" if exc.field == "signature" else _step_url(FIELD_STEP.get(exc.field or "", "who")) + "?from=check"
                errors.append((href, exc.message))
            except (LookupError, NotAllowed):
                errors.append((_step_url("addressee") + "?from=check",
                               gettext("Choose to whom you address the complaint again.")))
            else:
                wizard.submitted = complaint.pk
                wizard.save(request.session)
                return redirect("complaint-sent", pk=complaint.pk)
            finally:
                uploads.close_all(files)
    try:
        summary = wizard.complaint_input()
    except LookupError:
        return redirect(_step_url("addressee"))
    content = _content(wizard, summary)
    individual = summary.applicant_kind == ApplicantKind.INDIVIDUAL
    sign = _signing(content, iin=summary.iin if individual else "", bin="" if individual else summary.bin,
                    required=signing.required("complaint"), download=reverse("complaint-content"))
    return render(request, "portal/wizard/check.html", {
        "wizard": wizard, "data": summary, "addressee": wizard.addressee(), "errors": errors, "sign": sign,
        "appealed_act_label": AppealedAct(summary.appealed_act).label,
        "late": services.filed_late(summary.learned_on, timezone.localdate()),
        "form": forms.SubmitForm(initial={"idempotency_key": wizard.key}),
    })


def _signing(content: bytes, *, iin: str, bin: str, required: bool, download: str) -> dict[str, Any]:
    """What web/_signing.html needs to have the applicant sign a complaint's content with NCALayer."""
    return {
        "ncalayer": settings.SHAGYM_NCALAYER_URL, "content": base64.b64encode(content).decode(),
        "iin": iin, "bin": bin, "required": required, "download": download,
        "button": gettext("Sign with NCALayer and submit"),
        "intro": gettext("NCALayer opens: choose your signing key (RSA… or GOSTKNCA…) and enter its password. You "
                         "sign exactly what is shown above and the files you attached."),
        "legal": gettext("The complaint carries your signature (Administrative Procedural Code, Art. 93): on the "
                         "portal, your electronic digital signature."),
    }


def _content(wizard: Wizard, data: Any) -> bytes:
    """What the applicant signs: the complaint's canonical content with its files' SHA-256 (complaints.signing)."""
    return signing.complaint_content(data, [(str(a["name"]), str(a["sha256"])) for a in wizard.attachments])


@login_required
def complaint_content(request: AuthenticatedRequest) -> HttpResponse:
    """The canonical content to sign, as a file: for an applicant who signs with another program than NCALayer."""
    wizard = _load(request, "check")
    if isinstance(wizard, HttpResponse):
        return wizard
    try:
        data = wizard.complaint_input()
    except LookupError:
        return redirect(_step_url("addressee"))
    response = HttpResponse(_content(wizard, data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="complaint-to-sign.json"'
    return response


@login_required
def complaint_sent(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    complaint = selectors.applicant_complaint(request.user, pk)
    return render(request, "portal/wizard/sent.html",
                  {"complaint": complaint, "deadline": public.deadline(complaint)})


# ---------------------------------------------------------------------------------------------------------------
# The personal cabinet

MESSAGES_PER_PAGE = 20


@login_required
def cabinet(request: AuthenticatedRequest) -> HttpResponse:
    complaints = list(selectors.applicant_complaints(request.user))
    today = timezone.localdate()
    # One grouped count for the whole list: which complaints have messages the applicant has not read.
    unread: dict[int, int] = dict(
        notify_selectors.messages_for_applicant(request.user)
        .filter(read_at__isnull=True)
        .order_by()
        .values_list("complaint_id")
        .annotate(count=Count("pk"))
    )
    rows = [{"complaint": c, "status": public.status_label(c), "tone": public.status_tone(c),
             "overdue": c.is_overdue(today), "unread": unread.get(c.pk, 0)} for c in complaints]
    return render(request, "portal/cabinet/list.html", {"rows": rows})


def _detail_context(complaint: Any) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "status": public.status_label(complaint),
        "tone": public.status_tone(complaint),
        "entries": timeline.timeline(complaint),
        "deadline": public.deadline(complaint),
        "court_until": public.court_until(complaint),
    }


@login_required
def cabinet_complaint(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    complaint = selectors.applicant_complaint(request.user, pk)
    # Only the notices addressed to this account: the same set as the Messages page and the unread count.
    notices = list(
        notify_selectors.messages_for_applicant(request.user)
        .filter(complaint=complaint)
        .order_by("-created_at", "-pk")
    )
    # Shown in full here, so they are read. The objects keep read_at as it was before this visit: the page marks
    # the notices that are new to the applicant, once.
    notices = list(notices)
    notify_services.mark_read(
        user=request.user, messages=[notice for notice in notices if notice.read_at is None]
    )
    return render(request, "portal/cabinet/detail.html", {
        **_detail_context(complaint),
        "notices": notices,
        "actions": timeline.actions(complaint),
        "attachments": complaint.attachments.order_by("uploaded_at"),
        "officials": complaint.officials.all(),
        "outcome_words": timeline.OUTCOME_WORDS.get(complaint.outcome, ""),
    })


def _letter(complaint: Complaint, kind: str, filename: str) -> HttpResponse:
    """The same letter the body issued and keeps (signed answer, extension notice), not a second rendering."""
    letter = documents.applicant_copy(complaint, kind)
    if letter is None:
        return redirect("cabinet-complaint", pk=complaint.pk)
    return _pdf(bytes(letter.pdf), filename)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def cabinet_talon(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    complaint = selectors.applicant_complaint(request.user, pk)
    return _pdf(document_services.issue_receipt(complaint), f"talon-{complaint.number or complaint.pk}.pdf")


@login_required
def cabinet_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    complaint = selectors.applicant_complaint(request.user, pk)
    if not timeline.actions(complaint).answer:
        return redirect("cabinet-complaint", pk=pk)
    return _letter(complaint, Letter.Kind.ANSWER, f"answer-{complaint.number}.pdf")


@login_required
def cabinet_extension(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    complaint = selectors.applicant_complaint(request.user, pk)
    if not complaint.extension_days:
        return redirect("cabinet-complaint", pk=pk)
    return _letter(complaint, Letter.Kind.EXTENSION, f"extension-{complaint.number}.pdf")


@login_required
def cabinet_notice_letter(request: AuthenticatedRequest, pk: int, notice_pk: int) -> FileResponse:
    """The PDF letter of a notice (a decision sent by e-mail, a letter posted for a paper complaint)."""
    complaint = selectors.applicant_complaint(request.user, pk)
    notices = notify_selectors.messages_for_applicant(request.user)
    notice = notices.filter(complaint=complaint, pk=notice_pk).first()
    if notice is None or not notice.document:
        raise Http404
    return FileResponse(notice.document.open("rb"), as_attachment=True,
                        filename=notice.document.name.rsplit("/", 1)[-1], content_type="application/pdf")


@login_required
def cabinet_messages(request: AuthenticatedRequest) -> HttpResponse:
    """Every notice sent to this account, newest first, each leading to its complaint; read there."""
    notices = notify_selectors.messages_for_applicant(request.user).order_by("-created_at", "-pk")
    page = Paginator(notices, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/cabinet/messages.html", {"page": page})


@login_required
def cabinet_attachment(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> FileResponse:
    complaint = selectors.applicant_complaint(request.user, pk)
    attachment = access.get_attachment(request.user, attachment_pk, as_applicant=True, complaint=complaint)
    return attachments.serve(attachment)


def _action_page(request: AuthenticatedRequest, pk: int, form_class: type, template: str, act: Any) -> HttpResponse:
    """A cabinet action: the form, one service call, back to the complaint with a message."""
    complaint = selectors.applicant_complaint(request.user, pk)
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            result = act(request.user, complaint, form.cleaned_data)
        except Refused as exc:
            field = "files" if exc.field == "attachments" else exc.field
            form.add_error(field if field in form.fields else None, exc.message)
        except NotAllowed:
            form.add_error(None, gettext("This is not possible for this complaint any more."))
        else:
            message, target = result
            messages.success(request, message)
            return HttpResponseRedirect(target)
    return render(request, template, {"form": form, **_detail_context(complaint)})


def _withdraw(user: Any, complaint: Any, data: dict[str, Any]) -> tuple[str, str]:
    services.withdraw_complaint(actor=user, complaint=complaint, reason=data["reason"])
    return gettext("Your complaint is withdrawn."), reverse("cabinet-complaint", args=[complaint.pk])


def _supply(user: Any, complaint: Any, data: dict[str, Any]) -> tuple[str, str]:
    services.supply_content(actor=user, complaint=complaint, text=data["text"], attachments=data["files"])
    return gettext("The information is sent to the body."), reverse("cabinet-complaint", args=[complaint.pk])


@login_required
@require_http_methods(["GET", "POST"])
def cabinet_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _action_page(request, pk, forms.WithdrawForm, "portal/cabinet/withdraw.html", _withdraw)


@login_required
@require_http_methods(["GET", "POST"])
def cabinet_supply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _action_page(request, pk, forms.SupplyForm, "portal/cabinet/supply.html", _supply)


@login_required
@require_http_methods(["GET", "POST"])
def cabinet_second_tier(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """RULES §24: after an unsatisfying answer or silence past the term, the complaint to the quality authority,
    prefilled from the first one and linked to it. Signed like any complaint (RULES §3, АППК Art. 93): when the
    signature is required, what was written and the files wait in the session and the draft storage while the
    applicant checks and signs them (_second_tier_sign)."""
    parent = selectors.applicant_complaint(request.user, pk)
    authorities = lookups.quality_authorities(parent.reviewing_body)
    if not timeline.actions(parent).second_tier or not authorities:
        child = timeline.actions(parent).second_tier_child
        return redirect("cabinet-complaint", pk=child.pk if child else pk)
    stash_key = f"second-tier:{parent.pk}"
    stash = request.session.get(stash_key)
    if stash and ("draft" in request.POST or request.GET.get("sign")):
        return _second_tier_sign(request, parent, stash_key, stash)
    initial = {"demands": parent.demands, "idempotency_key": f"portal-{request.user.pk}-{secrets.token_hex(16)}"}
    if stash and request.method == "GET":
        initial = {"authority": stash["authority"], "reasons": stash["reasons"], "demands": stash["demands"],
                   "idempotency_key": stash["key"]}
    posted = request.method == "POST"
    form = forms.SecondTierForm(request.POST if posted else None, request.FILES if posted else None, initial=initial,
                                authorities=authorities)
    if posted and form.is_valid():
        data = form.cleaned_data
        if signing.required("complaint"):
            draft = uploads.Draft(secrets.token_hex(16))
            items: list[dict[str, object]] = []
            for upload in data["files"]:
                try:
                    content_type, extension = attachments.check(upload, already=len(items))
                except Refused as exc:
                    form.add_error("files", exc.message)
                    continue
                items.append(draft.save(upload, content_type=content_type, extension=extension))
            if not form.errors:
                request.session[stash_key] = {
                    "draft": draft.key, "files": items, "authority": data["authority"].pk,
                    "reasons": data["reasons"], "demands": data["demands"], "key": data["idempotency_key"],
                }
                return redirect(reverse("cabinet-second-tier", args=[parent.pk]) + "?sign=1")
        else:
            child = _file_second_tier(request, form, parent, data["authority"], data, data["files"], None)
            if child is not None:
                return redirect("complaint-sent", pk=child.pk)
    return render(request, "portal/cabinet/second_tier.html",
                  {"form": form, "authorities": authorities, **_detail_context(parent)})


def _file_second_tier(request: AuthenticatedRequest, form: Any, parent: Complaint, authority: Any,
                      data: dict[str, Any], files: list[Any], signature: Any) -> Complaint | None:
    """The one service call; its refusals become the form's errors."""
    try:
        # The service scopes the key by the actor, so a key from another account cannot reach its complaint.
        child = services.file_second_tier(actor=request.user, parent=parent, quality_authority=authority,
                                          reasons=data["reasons"], demands=data["demands"], attachments=files,
                                          idempotency_key=data["idempotency_key"], signature=signature).complaint
    except Refused as exc:
        field = "files" if exc.field == "attachments" else exc.field
        form.add_error(field if field in form.fields else None, exc.message)
        return None
    except NotAllowed:
        form.add_error(None, gettext("This is not possible for this complaint any more."))
        return None
    messages.success(request, gettext("Your complaint to the quality authority is delivered."))
    return child


def _second_tier_sign(request: AuthenticatedRequest, parent: Complaint, stash_key: str,
                      stash: dict[str, Any]) -> HttpResponse:
    """The second-tier complaint as it will be filed, signed with NCALayer (or a .cms file) and then filed."""
    authority = next((a for a in lookups.quality_authorities(parent.reviewing_body) if a.pk == stash["authority"]),
                     None)
    if authority is None:
        request.session.pop(stash_key, None)
        return redirect("cabinet-second-tier", pk=parent.pk)
    names = [(str(item["name"]), str(item["sha256"])) for item in stash["files"]]
    content = services.second_tier_content(parent=parent, quality_authority=authority, reasons=stash["reasons"],
                                           demands=stash["demands"], attachments=names)
    if request.method == "GET" and request.GET.get("content"):
        # For an applicant who signs with another program than NCALayer: the exact bytes to sign, as a file.
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="second-tier-{parent.number}.json"'
        return response
    form = forms.SecondTierSignForm(request.POST or None, request.FILES or None, initial={"draft": stash["draft"]})
    if request.method == "POST":
        if not form.is_valid() or form.cleaned_data["draft"] != stash["draft"]:
            form.add_error(None, gettext("This form was opened in another window or has expired. Check your answers "
                                         "and submit again."))
        else:
            draft = uploads.Draft(stash["draft"])
            files = draft.open_all(stash["files"])
            try:
                cms = form.cms()
                # Verified here, before the service's transaction: the certification centre may be asked.
                signature = signature_verify.verify(cms, content) if cms else None
                data = {"reasons": stash["reasons"], "demands": stash["demands"], "idempotency_key": stash["key"]}
                child = _file_second_tier(request, form, parent, authority, data, files, signature)
            finally:
                uploads.close_all(files)
            if child is not None:
                request.session.pop(stash_key, None)
                return redirect("complaint-sent", pk=child.pk)
    individual = parent.applicant_kind == ApplicantKind.INDIVIDUAL
    sign = _signing(content, iin=parent.iin if individual else "", bin="" if individual else parent.bin,
                    required=True, download=reverse("cabinet-second-tier", args=[parent.pk]) + "?sign=1&content=1")
    return render(request, "portal/cabinet/second_tier_sign.html", {
        "form": form, "sign": sign, "authority": authority, "stash": stash, **_detail_context(parent),
    })


# ---------------------------------------------------------------------------------------------------------------
# Status check without an account (paper and post complaints)


def status_check(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else (request.GET if "number" in request.GET else None)
    form = forms.StatusForm(data)
    complaint = None
    status = 200
    if form.is_bound and form.is_valid():
        try:
            complaint = codes.look_up(number=form.cleaned_data["number"], code=form.cleaned_data["code"],
                                      client=request.META.get("REMOTE_ADDR", ""))
        except codes.TooManyAttempts:
            minutes = max(1, settings.SHAGYM_STATUS_CHECK_WINDOW_SECONDS // 60)
            form.add_error(None, ngettext(
                "Too many wrong attempts. Wait %(minutes)d minute and try again, or call the contact centre 1414.",
                "Too many wrong attempts. Wait %(minutes)d minutes and try again, or call the contact centre 1414.",
                minutes) % {"minutes": minutes})
            status = 429
        else:
            if complaint is None:
                form.add_error("code", gettext("The number or the access code is wrong. Check both on the talon "
                                               "and try again."))
    if complaint is not None:
        return render(request, "portal/status_result.html", {**_detail_context(complaint)})
    response = render(request, "portal/status.html", {"form": form}, status=status)
    if status == 429:
        response["Retry-After"] = str(settings.SHAGYM_STATUS_CHECK_WINDOW_SECONDS)
    return response

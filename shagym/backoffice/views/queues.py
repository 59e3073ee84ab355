"""The queues where staff spend the day: the overview, the registration desk, the head's inbox, the executor's
workspace, the quality authority's desk and its view of every body, the recommendations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from shagym import workdays
from shagym.complaints import access, selectors
from shagym.complaints.models import Recommendation
from shagym.complaints.states import State
from shagym.directory.calendar import current_calendar
from shagym.directory.models import Organisation
from shagym.directory.roles import Role
from shagym.documents.selectors import letters_for_staff

from .common import AuthenticatedRequest, paginate, require_role, staff_required, today_and_tomorrow


@login_required
def staff_home(request: AuthenticatedRequest) -> HttpResponse:
    """Where staff land after signing in: one card per role, with what is waiting."""
    user = request.user
    if not access.is_staff_user(user):
        return render(request, "backoffice/not_staff.html", status=200)
    desks = access.desks(user)
    today, tomorrow = today_and_tomorrow()
    context: dict = {"desks": desks, "today": today}
    if desks.registration:
        context["desk"] = {
            "received": selectors.desk_queue(user, State.RECEIVED).count(),
            "forwarding": selectors.desk_queue(user, State.FORWARDING).count(),
            "deliver": selectors.desk_queue(user, State.DECIDED).count(),
        }
    if desks.inbox:
        context["inbox"] = {
            "unassigned": selectors.head_inbox(user).count(),
            "signature": selectors.awaiting_signature(user).count(),
        }
    if desks.mine:
        context["mine"] = selectors.deadline_counts(
            selectors.executor_queue(user), today=today, tomorrow=tomorrow
        )
    if desks.quality:
        context["quality"] = selectors.quality_authority_queue(user).count()
    if desks.administrator:
        context["is_administrator"] = True
        context["pending_changes"] = len(selectors.due_date_changes(user, limit=1000))
    return render(request, "backoffice/staff_home.html", context)


DESK_SECTIONS = [
    ("received", State.RECEIVED, _("To register"),
     _("Register on the day of receipt; a complaint received on a day off is registered on the next working day.")),
    ("forwarding", State.FORWARDING, _("Against this body: forward within 3 working days"),
     _("Forward it with the case file to the reviewing body, unless within these 3 working days the head records a "
       "decision that satisfies the demands in full (АППК Art. 91(4)).")),
    ("content", State.AWAITING_CONTENT, _("Missing content requested"),
     _("When the applicant supplies it, record it; once the term has passed, the complaint may be returned.")),
    ("deliver", State.DECIDED, _("Signed answers to deliver"),
     _("By post, in person at the office, or electronically, in the language of the complaint.")),
]


@staff_required
def desk(request: AuthenticatedRequest) -> HttpResponse:
    require_role(request, Role.CLERK)
    user = request.user
    sections = [
        {
            "key": key,
            "title": title,
            "hint": hint,
            "status": status,
            # Four queues on one page: ten rows each keeps it short and quick; each pages on its own.
            "page": paginate(request, selectors.desk_queue(user, status), param=f"{key}_page", per_page=10),
        }
        for key, status, title, hint in DESK_SECTIONS
    ]
    # RULES §6: registered on the day of receipt. A complaint still here after that day is marked: its registration
    # will be dated to that day and its term already runs.
    cal = current_calendar()
    for complaint in sections[0]["page"]:
        complaint.registration_due = workdays.registration_day(cal, complaint.received_at)
    offices = access.organisation_ids(user, Role.CLERK, Role.HEAD)
    letters = letters_for_staff(user).defer("pdf").filter(organisation_id__in=offices)[:10]
    today, tomorrow = today_and_tomorrow()
    return render(request, "backoffice/desk.html",
                  {"sections": sections, "letters": letters, "today": today, "tomorrow": tomorrow})


@staff_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    require_role(request, Role.HEAD)
    user = request.user
    heads = access.organisation_ids(user, Role.HEAD)
    today, tomorrow = today_and_tomorrow()
    return render(
        request,
        "backoffice/inbox.html",
        {
            "unassigned": paginate(request, selectors.head_inbox(user)),
            "signature": paginate(request, selectors.awaiting_signature(user), param="signature_page",
                                  per_page=10),
            "recommendations": selectors.recommendations_for_staff(user).filter(
                body_id__in=heads, status=Recommendation.Status.ISSUED
            )[:20],
            "today": today,
            "tomorrow": tomorrow,
        },
    )


@staff_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    require_role(request, *access.reviewer_roles())
    user = request.user
    queue = selectors.executor_queue(user)
    today, tomorrow = today_and_tomorrow()
    return render(
        request,
        "backoffice/mine.html",
        {
            "page": paginate(request, queue),
            "counts": selectors.deadline_counts(queue, today=today, tomorrow=tomorrow),
            "notices": list(queue.filter(status=State.EXTENDED, extension_notice_sent_at__isnull=True)
                            .select_related(None).only("pk", "number", "extension_notice_due")[:20]),
            "today": today,
            "tomorrow": tomorrow,
        },
    )


@staff_required
def quality(request: AuthenticatedRequest) -> HttpResponse:
    """RULES §24: the complaints addressed to the quality authority, each beside its first-tier case."""
    if not access.is_inspector(request.user):
        raise PermissionDenied
    today, tomorrow = today_and_tomorrow()
    return render(
        request,
        "backoffice/quality.html",
        {
            "page": paginate(request, selectors.quality_authority_queue(request.user)),
            "today": today,
            "tomorrow": tomorrow,
        },
    )


@staff_required
def bodies(request: AuthenticatedRequest) -> HttpResponse:
    """Every body's open and overdue complaints, the worst first (inspectors read across bodies)."""
    if not access.is_inspector(request.user):
        raise PermissionDenied
    today, _tomorrow = today_and_tomorrow()
    rows = selectors.open_by_body(request.user, today=today)
    names = Organisation.objects.in_bulk([row["holder_id"] for row in rows])
    for row in rows:
        row["body"] = names.get(row["holder_id"])
    totals = {
        "open": sum(row["open"] for row in rows),
        "overdue": sum(row["overdue"] for row in rows),
        "due_soon": sum(row["due_soon"] for row in rows),
    }
    return render(request, "backoffice/bodies.html", {"rows": rows, "totals": totals, "today": today})


@staff_required
def recommendations(request: AuthenticatedRequest) -> HttpResponse:
    """RULES §24: the recommendations issued (inspectors) or received (heads), and their execution."""
    user = request.user
    if not (access.is_inspector(user) or access.organisation_ids(user, Role.HEAD)):
        raise PermissionDenied
    status = request.GET.get("status", "")
    qs = selectors.recommendations_for_staff(user)
    if status in Recommendation.Status.values:
        qs = qs.filter(status=status)
    today, _tomorrow = today_and_tomorrow()
    return render(
        request,
        "backoffice/recommendations.html",
        {
            "page": paginate(request, qs),
            "status": status,
            "statuses": Recommendation.Status.choices,
            "today": today,
            "heads": access.organisation_ids(user, Role.HEAD),
            "inspector_of": access.organisation_ids(user, Role.INSPECTOR),
            "my_orgs": access.organisation_ids(user),
            "is_inspector": access.is_inspector(user),
        },
    )

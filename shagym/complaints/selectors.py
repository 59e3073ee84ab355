"""Reads. Every staff read starts from access.complaints_for_staff, so it is scoped to the user's bodies."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from shagym.directory.calendar import current_calendar
from shagym.directory.models import Organisation, OrganisationKind, Territory
from shagym.directory.roles import Role

from . import access, services
from .models import Attachment, Complaint, ComplaintEvent, Recommendation
from .states import ANSWERED_STATES, OPEN_STATES, SATISFYING_OUTCOMES, Outcome, RecommendationState, State

if TYPE_CHECKING:
    from shagym.accounts.models import User


def staff_complaints(user: User) -> QuerySet[Complaint]:
    return access.complaints_for_staff(user).select_related("holder", "reviewing_body", "service", "executor")


def open_complaints_by_due_date(user: User) -> QuerySet[Complaint]:
    return staff_complaints(user).filter(status__in=OPEN_STATES).order_by("due_date", "received_at")


def complaints_for_due_date_review(user: User, ids: list[int]) -> QuerySet[Complaint]:
    """The complaints an administrator ticked on the calendar-change page; none for anyone else."""
    if not access.is_administrator(user):
        return Complaint.objects.none()
    return Complaint.objects.filter(pk__in=ids, status__in=OPEN_STATES)


def due_date_changes(user: User, *, limit: int = 500) -> list[services.DueDateChange]:
    """RULES §18: open complaints whose due date was computed with another calendar version, with the date the
    current calendar gives. Only for administrators; the others get an empty list."""
    if not access.is_administrator(user):
        return []
    version = current_calendar().version
    candidates = (
        Complaint.objects.filter(status__in=OPEN_STATES, due_date__isnull=False)
        .exclude(calendar_version=version)
        .select_related("holder")
        .order_by("due_date")[:limit]
    )
    changes = []
    for complaint in candidates:
        proposed, _ = services.recompute_due(complaint)
        assert complaint.due_date is not None and proposed is not None
        changes.append(services.DueDateChange(complaint=complaint, current=complaint.due_date, proposed=proposed))
    return changes


# ---- Applicant reads (the citizen portal, shagym.portal) ----


def applicant_complaints(user: User) -> QuerySet[Complaint]:
    """The applicant's own complaints, newest first, with only what the cabinet list shows (its status, term and the
    body's name): a list of every complaint of an applicant must not load every column of each."""
    return (
        access.complaints_for_applicant(user)
        .select_related("reviewing_body")
        .only("number", "received_at", "status", "overdue_since", "due_date",
              "reviewing_body__name_kk", "reviewing_body__name_ru", "reviewing_body__name_en")
        .order_by("-received_at")
    )


def applicant_complaint(user: User, pk: int) -> Complaint:
    """One of the applicant's own complaints; 404 for any other (the same as a missing one)."""
    return access.get_complaint(
        user, pk, as_applicant=True,
        queryset=Complaint.objects.select_related("reviewing_body", "holder", "respondent", "service", "received_by",
                                                  "parent"),
    )


def applicant_complaint_by_key(user: User, key: str) -> Complaint | None:
    """The applicant's complaint filed with this idempotency key (a double click or a retried submit).
    services.submit_complaint stores the key scoped by the actor ("<user pk>:<key>")."""
    if not key:
        return None
    return access.complaints_for_applicant(user).filter(idempotency_key=services.scoped_key(user, key)).first()


def public_timeline(complaint: Complaint) -> QuerySet:
    """The complaint's events in order, for the applicant's timeline (shagym.portal.timeline filters them)."""
    return complaint.events.order_by("at", "pk")


# ---------------------------------------------------------------------------------------------------------------
# Back office (issue 5): queues, the case, search. Every read starts from access.complaints_for_staff (through
# staff_complaints) or from access.organisation_ids, so a user of another body never reaches the rows.


def staff_complaint(user: User, pk: int) -> Complaint:
    """One complaint for the back office: held by one of the user's bodies (or any, for an inspector).
    Otherwise 404, the same as a complaint that does not exist."""
    complaint = access.get_complaint(
        user, pk, queryset=Complaint.objects.select_related("holder", "reviewing_body", "respondent", "service")
    )
    # The people it names, in one small query instead of three more joins: a join of ten tables took PostgreSQL
    # longer to plan than to run (issue 14).
    from shagym.accounts.models import User as UserModel

    ids = {complaint.executor_id, complaint.received_by_id, complaint.signed_by_id} - {None}
    people = UserModel.objects.in_bulk(ids) if ids else {}
    for field in ("executor", "received_by", "signed_by"):
        person_id = getattr(complaint, f"{field}_id")
        if person_id is not None:
            setattr(complaint, field, people[person_id])
    return complaint


def staff_attachment(user: User, pk: int) -> Attachment:
    return access.get_attachment(user, pk)


# Long texts a list never shows: left in the table, so a page of 25 rows reads a few kilobytes.
LIST_DEFERRED = ("circumstances", "reasons", "demands", "restoration_reason", "decision_facts", "decision_reasons",
                 "legal_references", "extension_reasons", "postal_address")


def _listing(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """A queue or a result list: the holder and the executor joined, the long texts left out."""
    return queryset.select_related(None).select_related("holder", "executor").defer(*LIST_DEFERRED)


def _held_by_role(user: User, *roles: str) -> QuerySet[Complaint]:
    """The complaints held by the bodies where the user has one of these roles."""
    return _listing(staff_complaints(user).filter(holder_id__in=access.organisation_ids(user, *roles)))


def desk_queue(user: User, status: str) -> QuerySet[Complaint]:
    """The registration desk (clerk): complaints of one status at the user's offices, the most urgent first."""
    order = {
        State.RECEIVED: ("received_at",),
        State.FORWARDING: ("forward_due", "received_at"),
        State.AWAITING_CONTENT: ("content_due", "received_at"),
        State.DECIDED: ("decided_at",),
    }.get(State(status), ("due_date", "received_at"))
    return _held_by_role(user, Role.CLERK, Role.HEAD).filter(status=status).order_by(*order)


def head_inbox(user: User) -> QuerySet[Complaint]:
    """RULES §10: registered complaints waiting for the head to appoint an executor, by due date.
    Served by the index complaint_queue (holder, status, due_date)."""
    return _held_by_role(user, Role.HEAD).filter(status=State.REGISTERED).order_by("due_date", "received_at")


def awaiting_signature(user: User) -> QuerySet[Complaint]:
    return _held_by_role(user, Role.HEAD).filter(status=State.AWAITING_SIGNATURE).order_by("due_date", "received_at")


def executor_queue(user: User) -> QuerySet[Complaint]:
    """The executor's open complaints by deadline. Served by the index complaint_executor_queue
    (executor, status, due_date)."""
    return _listing(staff_complaints(user)).filter(executor=user, status__in=OPEN_STATES).order_by("due_date", "received_at")


def deadline_counts(queryset: QuerySet[Complaint], *, today: dt.date, tomorrow: dt.date) -> dict[str, int]:
    """How many of these complaints are overdue, due today and due tomorrow (one query). The counts read only
    columns of the queue indexes (status, due date), never the id, so an index-only scan can answer them."""
    return queryset.order_by().aggregate(
        total=Count("*"),
        overdue=Count("due_date", filter=Q(due_date__lt=today)),
        today=Count("due_date", filter=Q(due_date=today)),
        tomorrow=Count("due_date", filter=Q(due_date=tomorrow)),
    )


def executor_load(user: User) -> list[dict[str, Any]]:
    """For the head: each executor of the head's bodies with open and overdue complaints, the most overdue first.
    Grouped by executor id alone (names fetched apart), so a covering queue index answers it without the table."""
    from shagym.accounts.models import User as UserModel

    today = timezone.localdate()
    rows = list(
        _held_by_role(user, Role.HEAD)
        .filter(status__in=OPEN_STATES, executor__isnull=False)
        .order_by()
        .values("executor_id")
        .annotate(open=Count("*"), overdue=Count("due_date", filter=Q(due_date__lt=today)))
    )
    people = UserModel.objects.in_bulk([row["executor_id"] for row in rows])
    for row in rows:
        person = people[row["executor_id"]]
        row.update(executor__last_name=person.last_name, executor__first_name=person.first_name,
                   executor__username=person.get_username())
    return sorted(rows, key=lambda row: (-row["overdue"], -row["open"], row["executor__last_name"]))


def quality_authority_queue(user: User) -> QuerySet[Complaint]:
    """RULES §24: complaints held by the user's quality authority, each with its first-tier case."""
    held = staff_complaints(user).filter(
        holder_id__in=access.organisation_ids(user), holder__kind=OrganisationKind.QUALITY_AUTHORITY
    )
    return (_listing(held).filter(status__in=OPEN_STATES).select_related("parent", "parent__holder")
            .order_by("due_date", "received_at"))


def open_by_body(user: User, *, today: dt.date) -> list[dict[str, Any]]:
    """Every body's open and overdue complaints (inspectors read across bodies; others see their own)."""
    return list(
        staff_complaints(user)
        .filter(status__in=OPEN_STATES)
        .order_by()
        .values("holder_id")
        .annotate(
            open=Count("*"),
            overdue=Count("due_date", filter=Q(due_date__lt=today)),
            due_soon=Count("due_date", filter=Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=1))),
            oldest_due=Min("due_date"),
        )
        .order_by("-overdue", "-open")
    )


@dataclass(frozen=True)
class ComplaintFilter:
    """The back-office search (issue 5): number, applicant name or IIN/BIN, body, service, status, channel,
    dates of receipt, overdue; and the filters behind each figure of the reports (issue 12): the reviewing bodies
    (with their subordinates), the region, the addressee, how and when the complaint was answered, the extension,
    the ground for leaving it without consideration, the second tier and the recommendations.

    `body_id` is the body holding the complaint; `reviewers` and `region` choose the body that reviews it, or, with
    `tier="2"`, the body whose answer the second-tier complaint appeals, or, with `recommendation`, the body the
    recommendation is addressed to (as the reports count them)."""

    q: str = ""
    body_id: int | None = None
    service_id: int | None = None
    status: str = ""
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool = False
    mine: bool = False
    order: str = "received"
    reviewers: tuple[int, ...] = ()
    subordinates: bool = False
    region_id: int | None = None
    addressee_kind: str = ""
    outcome: str = ""
    answer: str = ""  # one of ANSWER_FILTERS
    satisfied: bool = False
    extended: bool = False
    extension_ground: str = ""
    wc_ground: str = ""
    tier: str = ""  # "1": first-tier complaints only; "2": complaints to the quality authority about an answer
    upheld: bool = False
    recommendation: str = ""  # one of RECOMMENDATION_FILTERS


# How the complaint was answered (the reports' definitions: shagym/reports/facts.py).
ANSWERS = ANSWERED_STATES | {State.LEFT_WITHOUT_CONSIDERATION, State.SATISFIED_BY_RESPONDENT}
ANSWER_FILTERS = ("answered", "on_time", "late", "merits", "decided")
RECOMMENDATION_FILTERS = ("issued", "executed_on_time", "overdue")


@dataclass(frozen=True)
class BodyTree:
    """Every organisation's parent and region (the territory at the top of its territory's chain): two small
    queries, read once per request by the reports and the search."""

    parent: dict[int, int | None]
    region: dict[int, int | None]

    def with_subordinates(self, roots: set[int] | tuple[int, ...]) -> set[int]:
        children: dict[int | None, list[int]] = {}
        for body, parent in self.parent.items():
            children.setdefault(parent, []).append(body)
        found, todo = set(), list(roots)
        while todo:
            body = todo.pop()
            if body in found:
                continue
            found.add(body)
            todo.extend(children.get(body, ()))
        return found

    def in_region(self, region_id: int) -> set[int]:
        return {body for body, region in self.region.items() if region == region_id}


def body_tree() -> BodyTree:
    territories = dict(Territory.objects.values_list("pk", "parent_id"))

    def top(territory: int | None) -> int | None:
        seen = 0
        while territory is not None and territories.get(territory) is not None and seen < 20:
            territory, seen = territories[territory], seen + 1
        return territory

    parent: dict[int, int | None] = {}
    region: dict[int, int | None] = {}
    for pk, parent_id, territory_id in Organisation.objects.values_list("pk", "parent_id", "territory_id"):
        parent[pk] = parent_id
        region[pk] = top(territory_id)
    return BodyTree(parent, region)


def _report_bodies(filters: ComplaintFilter) -> set[int] | None:
    """The bodies the reviewer and region filters choose; None when they choose none."""
    if not filters.reviewers and not filters.region_id:
        return None
    tree = body_tree()
    bodies: set[int] | None = None
    if filters.reviewers:
        bodies = tree.with_subordinates(filters.reviewers) if filters.subordinates else set(filters.reviewers)
    if filters.region_id:
        in_region = tree.in_region(filters.region_id)
        bodies = in_region if bodies is None else bodies & in_region
    return bodies


def _answered() -> Q:
    return Q(decided_at__isnull=False, status__in=sorted(ANSWERS))


def _report_filters(qs: QuerySet[Complaint], filters: ComplaintFilter, *, today: dt.date) -> QuerySet[Complaint]:
    bodies = _report_bodies(filters)
    if filters.recommendation:
        recommendations = Recommendation.objects.filter(complaint=OuterRef("pk"))
        if bodies is not None:
            recommendations = recommendations.filter(body_id__in=sorted(bodies))
        if filters.recommendation == "executed_on_time":
            recommendations = recommendations.filter(status=RecommendationState.EXECUTED,
                                                     reported_at__date__lte=F("due_date"))
        elif filters.recommendation == "overdue":
            recommendations = recommendations.exclude(status=RecommendationState.EXECUTED).filter(due_date__lt=today)
        qs = qs.filter(Exists(recommendations))
    elif bodies is not None:
        qs = qs.filter(**{"respondent_id__in" if filters.tier == "2" else "reviewing_body_id__in": sorted(bodies)})
    if filters.tier == "1":
        qs = qs.filter(parent__isnull=True)
    elif filters.tier == "2":
        qs = qs.filter(parent__isnull=False)
    if filters.addressee_kind:
        qs = qs.filter(addressee_kind=filters.addressee_kind)
    if filters.outcome:
        qs = qs.filter(status__in=sorted(ANSWERED_STATES), outcome=filters.outcome)
    if filters.answer == "answered":
        qs = qs.filter(_answered())
    elif filters.answer == "on_time":
        # RULES §15: the term runs to the end of its last day; satisfied by the appealed body before any term began.
        qs = qs.filter(_answered()).filter(Q(due_date__isnull=True) | Q(decided_at__date__lte=F("due_date")))
    elif filters.answer == "late":
        qs = qs.filter(_answered(), due_date__isnull=False, decided_at__date__gt=F("due_date"))
    elif filters.answer == "merits":
        qs = qs.filter(status__in=sorted(ANSWERED_STATES | {State.SATISFIED_BY_RESPONDENT}))
    elif filters.answer == "decided":
        qs = qs.filter(status__in=sorted(ANSWERED_STATES))
    if filters.satisfied:
        qs = qs.filter(Q(status__in=sorted(ANSWERED_STATES), outcome__in=sorted(SATISFYING_OUTCOMES))
                       | Q(status=State.SATISFIED_BY_RESPONDENT))
    if filters.extended or filters.extension_ground:
        qs = qs.filter(extension_days__gt=0)
    if filters.extension_ground:
        qs = qs.filter(extension_ground=filters.extension_ground)
    if filters.wc_ground:
        qs = qs.filter(status=State.LEFT_WITHOUT_CONSIDERATION, without_consideration_ground=filters.wc_ground)
    if filters.upheld:
        qs = qs.filter(parent__isnull=False, status__in=sorted(ANSWERED_STATES)).exclude(outcome=Outcome.REFUSE)
    return qs


# Registration numbers look like "26-009-00042" (services._next_number); a prefix ("26-009") finds a body's year.
NUMBER_RE = re.compile(r"^\d{2}-\d{1,6}(-\d{0,5})?-?$")
FULL_NUMBER_RE = re.compile(r"^\d{2}-\d{3,6}-\d{5}$")
# The delivery reference of a complaint not yet registered ("D-K7QM-3RTA", services.intake.new_reference).
REFERENCE_RE = re.compile(r"^D-?[2-9A-Z]{4}-?[2-9A-Z]{4}$", re.IGNORECASE)


def search_complaints(user: User, filters: ComplaintFilter, *, today: dt.date) -> QuerySet[Complaint]:
    qs = _listing(staff_complaints(user))
    q = " ".join(filters.q.split())
    if q:
        if len(q) == 12 and q.isdigit():
            # IIN or BIN: both columns are indexed.
            qs = qs.filter(Q(iin=q) | Q(bin=q))
        elif REFERENCE_RE.match(q):
            code = q.upper().replace("-", "")[1:]
            qs = qs.filter(reference=f"D-{code[:4]}-{code[4:]}")
        elif NUMBER_RE.match(q):
            qs = qs.filter(number=q) if FULL_NUMBER_RE.match(q) else qs.filter(number__startswith=q)
        else:
            for word in q.split(" ")[:5]:
                qs = qs.filter(
                    Q(surname__icontains=word)
                    | Q(first_name__icontains=word)
                    | Q(patronymic__icontains=word)
                    | Q(legal_name__icontains=word)
                )
    if filters.body_id:
        qs = qs.filter(holder_id=filters.body_id)
    if filters.service_id:
        qs = qs.filter(service_id=filters.service_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.received_from:
        qs = qs.filter(received_at__gte=_start_of(filters.received_from))
    if filters.received_to and filters.received_to < dt.date.max:
        qs = qs.filter(received_at__lt=_start_of(filters.received_to + dt.timedelta(days=1)))
    if filters.overdue:
        qs = qs.filter(status__in=OPEN_STATES, due_date__lt=today)
    if filters.mine:
        qs = qs.filter(executor=user)
    qs = _report_filters(qs, filters, today=today)
    if filters.order == "due":
        return qs.order_by(F("due_date").asc(nulls_last=True), "-pk")
    # Newest first by filing order: the primary key walks backwards through a million rows without a sort
    # (received_at has no index, and a paper complaint's receipt may be entered a few days late).
    return qs.order_by("-pk")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def case_events(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The history of a complaint already fetched through the access door."""
    # With the signature given at the event (the applicant's, the head's), without its large binary parts.
    return (complaint.events.select_related("actor", "signature")
            .defer("signature__content", "signature__cms", "signature__certificate").order_by("at", "pk"))


def linked_complaints(user: User, complaint: Complaint) -> list[Complaint]:
    """The first-tier case, the second-tier complaints, and the same applicant's other complaints, within reach."""
    same = Q(parent_id=complaint.pk)
    if complaint.parent_id:
        same |= Q(pk=complaint.parent_id)
    if complaint.iin:
        same |= Q(iin=complaint.iin)
    if complaint.bin:
        same |= Q(bin=complaint.bin)
    # The twenty newest ids first (an index walk per branch of the OR, no row wider than its id sorted), then those
    # rows with what the page shows: an applicant with hundreds of complaints costs no more than one with two.
    ids = list(
        access.complaints_for_staff(user).filter(same).exclude(pk=complaint.pk).order_by("-pk")
        .values_list("pk", flat=True)[:20]
    )
    rows = list(Complaint.objects.filter(pk__in=ids).only("number", "status", "parent_id", "holder_id").order_by("-pk"))
    # The holders' names in a query of their own: joining them costs PostgreSQL more to plan than both queries take.
    holders = Organisation.objects.order_by().in_bulk({row.holder_id for row in rows if row.holder_id})
    for row in rows:
        if row.holder_id in holders:
            row.holder = holders[row.holder_id]
    return rows


def recommendations_for_staff(user: User) -> QuerySet[Recommendation]:
    """RULES §24: recommendations issued by the user's quality authority or addressed to the user's bodies;
    inspectors read all."""
    return access.recommendations_for(user).select_related(
        "complaint", "complaint__holder", "complaint__parent", "body"
    ).order_by("status", "due_date")


def recommendation_for_staff(user: User, pk: int) -> Recommendation:
    recommendation = recommendations_for_staff(user).filter(pk=pk).first()
    if recommendation is None:
        raise Http404
    return recommendation


def recommendations_of_case(user: User, complaint: Complaint) -> QuerySet[Recommendation]:
    """The recommendations on this complaint and on its second-tier complaints, with what the case page shows."""
    complaints: dict[int, int | None] = {complaint.pk: complaint.holder_id}
    complaints.update(Complaint.objects.filter(parent_id=complaint.pk).order_by().values_list("pk", "holder_id"))
    return access.recommendations_on(user, complaints).select_related("body").order_by("status", "due_date")

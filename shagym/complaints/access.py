"""The one door: who may read and do what. Every read of a complaint, or of anything attached to it (attachments,
letters, messages, recommendations), by a person starts here, for staff and applicants alike; every role check of
an action asks `roles_for` and the state table.

Staff read the complaints held by the organisations they serve; inspectors of the quality authority read across
all bodies; applicants read their own. A body keeps the documents it issued even after the complaint has left it.
"Not found" and "not yours" look the same (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shagym.db import only_row
from shagym.directory import memberships as directory_memberships
from shagym.directory.models import Membership, Organisation, OrganisationKind
from shagym.directory.roles import Role

from . import states
from .models import Attachment, Complaint, Recommendation
from .states import Action, NotAllowed

if TYPE_CHECKING:
    from shagym.accounts.models import User


# ---------------------------------------------------------------------------------------------------------------
# Who the user is


def memberships(user: User | None) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_shagym_memberships", None)
    if cached is None:
        cached = directory_memberships.of_user(user.pk)
        user._shagym_memberships = cached  # type: ignore[union-attr,attr-defined]
    return cached


def organisation_ids(user: User | None, *roles: str) -> set[int]:
    """The organisations the user serves (in any of these roles, or in any role)."""
    return {m.organisation_id for m in memberships(user) if not roles or m.role in roles}


def is_staff_user(user: User | None) -> bool:
    return bool(memberships(user))


def is_inspector(user: User | None) -> bool:
    return any(
        m.role == Role.INSPECTOR and m.organisation.kind == OrganisationKind.QUALITY_AUTHORITY for m in memberships(user)
    )


def is_administrator(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == Role.ADMINISTRATOR for m in memberships(user))


def roles_in(user: User | None, organisation_id: int | None) -> set[Role]:
    return {Role(m.role) for m in memberships(user) if m.organisation_id == organisation_id}


@dataclass(frozen=True)
class Desks:
    """The back-office pages a staff member works at, from the roles held (the navigation and the overview)."""

    registration: bool  # clerks: register, forward, deliver
    print_queue: bool  # the office posts the letters: clerks and heads
    inbox: bool  # heads: appoint, sign
    mine: bool  # executors and inspectors: the complaints given to them
    quality: bool  # inspectors of the quality authority
    recommendations: bool  # inspectors issue them, heads execute them
    administrator: bool


def desks(user: User | None) -> Desks:
    roles = {m.role for m in memberships(user)}
    inspector = is_inspector(user)
    return Desks(
        registration=Role.CLERK in roles,
        print_queue=bool(roles & {Role.CLERK, Role.HEAD}),
        inbox=Role.HEAD in roles,
        mine=bool(roles & reviewer_roles()),
        quality=inspector,
        recommendations=inspector or Role.HEAD in roles,
        administrator=is_administrator(user),
    )


def is_office_of(user: User | None, organisation_id: int | None) -> bool:
    """The user works in the office of this body (clerk or head): posts its letters (RULES §9, §14, §21)."""
    return bool(roles_in(user, organisation_id) & {Role.CLERK, Role.HEAD})


# ---------------------------------------------------------------------------------------------------------------
# What the user may do


def roles_for(user: User | None, complaint: Complaint) -> set[Role]:
    """The roles the user holds for this complaint. None is the system (sweeps, the worker)."""
    if user is None:
        return {Role.SYSTEM}
    roles: set[Role] = set()
    if complaint.applicant_user_id is not None and complaint.applicant_user_id == user.pk:
        roles.add(Role.APPLICANT)
    at_holder = roles_in(user, complaint.holder_id)
    roles |= at_holder & {Role.CLERK, Role.HEAD}
    # An executor acts only on the complaints the head gave him; an inspector, on those of his own authority.
    if complaint.executor_id is not None and complaint.executor_id == user.pk:
        roles |= at_holder & {Role.EXECUTOR, Role.INSPECTOR}
    if is_administrator(user):
        roles.add(Role.ADMINISTRATOR)
    return roles


def may(user: User | None, complaint: Complaint, action: Action) -> bool:
    """Whether the user holds a role the state table lets take this action (the state and the input aside)."""
    return bool(states.TRANSITIONS[action].roles & roles_for(user, complaint))


def roles_for_recommendation(user: User | None, recommendation: Recommendation) -> set[Role]:
    """RULES §24: the head of the body addressed reports the execution; the inspectors of the authority that issued
    it (the body holding the complaint) confirm it."""
    roles = roles_in(user, recommendation.body_id) & {Role.HEAD}
    roles |= roles_in(user, recommendation.complaint.holder_id) & {Role.INSPECTOR}
    return roles


def may_on_recommendation(user: User | None, recommendation: Recommendation, action: Action) -> bool:
    return bool(states.RECOMMENDATION_TRANSITIONS[action].roles & roles_for_recommendation(user, recommendation))


def may_receive_for(user: User | None, organisation_id: int) -> bool:
    """RULES §1, §5: a paper, post or CON complaint is received by a clerk of the receiving body."""
    return Role.CLERK in roles_in(user, organisation_id)


def reviewer_roles() -> set[Role]:
    """The roles that may be appointed to review a complaint (RULES §10): executors, inspectors at the quality
    authority, and heads reviewing personally where SHAGYM_HEAD_MAY_REVIEW allows it."""
    return {Role.EXECUTOR, Role.INSPECTOR} | ({Role.HEAD} if settings.SHAGYM_HEAD_MAY_REVIEW else set())


def may_execute_at(user: User | None, organisation_id: int) -> bool:
    """Whether the head may appoint this person executor of a complaint held by the body (RULES §10)."""
    return bool(roles_in(user, organisation_id) & reviewer_roles())


def require(user: User | None, complaint: Complaint, action: Action) -> set[Role]:
    roles = roles_for(user, complaint)
    if not states.TRANSITIONS[action].roles & roles:
        raise NotAllowed(action)
    return roles


# ---------------------------------------------------------------------------------------------------------------
# What the user may read


def staff_scope(user: User | None, path: str = "") -> Q:
    """The complaints the user reads as staff, as a filter on `path` (a lookup to a Complaint, "" for one)."""
    prefix = f"{path}__" if path else ""
    if user is None or not user.is_authenticated or not is_staff_user(user):
        return Q(pk__in=[]) if not path else Q(**{f"{prefix}pk__in": []})
    if is_inspector(user):
        return Q()
    return Q(**{f"{prefix}holder_id__in": organisation_ids(user)})


def applicant_scope(user: User | None, path: str = "") -> Q:
    """The complaints the user filed on the portal, as a filter on `path`."""
    prefix = f"{path}__" if path else ""
    if user is None or not user.is_authenticated:
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}applicant_user_id": user.pk})


def issued_scope(user: User | None, *, complaint: str = "complaint", organisation: str = "organisation") -> Q:
    """Documents a body issued: readable by its staff even after the complaint left it (RULES §8, §9), and by the
    staff who read the complaint."""
    scope = staff_scope(user, complaint)
    if scope == Q():
        # An inspector reads every complaint, so every letter. (Q(...) | Q() is Q(...): OR-ing the empty filter
        # would drop the "every" and leave only the inspector's own body's letters.)
        return scope
    return Q(**{f"{organisation}_id__in": organisation_ids(user)}) | scope


def complaints_for_staff(user: User | None) -> QuerySet[Complaint]:
    """Every staff list starts here: the complaints held by the user's organisations, or all for inspectors."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(staff_scope(user))


def complaints_for_applicant(user: User | None) -> QuerySet[Complaint]:
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(applicant_scope(user))


def can_read(user: User | None, complaint: Complaint) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        complaint.applicant_user_id == user.pk
        or complaint.holder_id in organisation_ids(user)
        or is_inspector(user)
    )


def get_complaint(
    user: User | None, pk: int, *, as_applicant: bool = False, queryset: QuerySet[Complaint] | None = None
) -> Complaint:
    """The complaint, if the user may read it (as its applicant, or as staff); otherwise 404, the same as a complaint
    that does not exist. `queryset` chooses what to load with it; the scope is always added here."""
    base = queryset if queryset is not None else Complaint.objects.select_related(
        "holder", "reviewing_body", "respondent", "service"
    )
    scope = applicant_scope(user) if as_applicant else staff_scope(user)
    complaint = only_row(base.filter(scope).filter(pk=pk))
    if complaint is None:
        raise Http404
    return complaint


def get_complaint_for_user(user: User | None, pk: int) -> Complaint:
    """Any complaint the user may read, as applicant or staff (the API's door)."""
    complaint = only_row(Complaint.objects.select_related("holder", "reviewing_body", "respondent", "service")
                         .filter(pk=pk))
    if complaint is None or not can_read(user, complaint):
        raise Http404
    return complaint


def may_export_dossier(user: User | None, complaint: Complaint) -> bool:
    """Issue 13: the complaint's whole file (every event, letter, attachment, message and delivery; shagym.dossier) is
    exported by the staff of the body that holds it, the body answerable for the file. Inspectors read every body's
    case but export only what their own authority holds; a body the complaint has left keeps its letters, not the
    file; the applicant reads his letters and notices in the cabinet (the file also carries the body's internal steps)."""
    return complaint.holder_id in organisation_ids(user)


def get_dossier_complaint(user: User | None, pk: int) -> Complaint:
    """The complaint, if the user may export its file: 404 if the user cannot read it at all, 403 if he reads it
    (an inspector of another authority) but does not hold it."""
    complaint = get_complaint(user, pk)
    if not may_export_dossier(user, complaint):
        raise PermissionDenied
    return complaint


def attachments_for(user: User | None, *, as_applicant: bool = False) -> QuerySet[Attachment]:
    scope = applicant_scope(user, "complaint") if as_applicant else staff_scope(user, "complaint")
    return Attachment.objects.filter(scope)


def get_attachment(user: User | None, pk: int, *, as_applicant: bool = False, complaint: Complaint | None = None
                   ) -> Attachment:
    attachments = attachments_for(user, as_applicant=as_applicant)
    if complaint is not None:
        attachments = attachments.filter(complaint=complaint)
    attachment = attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    return attachment


def recommendations_for(user: User | None) -> QuerySet[Recommendation]:
    """RULES §24: recommendations issued by the user's quality authority or addressed to the user's bodies;
    inspectors read all."""
    if user is None or not user.is_authenticated:
        return Recommendation.objects.none()
    if is_inspector(user):
        return Recommendation.objects.all()
    orgs = organisation_ids(user)
    return Recommendation.objects.filter(Q(body_id__in=orgs) | Q(complaint__holder_id__in=orgs))


def recommendations_on(user: User | None, complaints: dict[int, int | None]) -> QuerySet[Recommendation]:
    """The recommendations on these complaints (id: holder's id) the user may read: the rule of recommendations_for,
    with the holders the caller already has, so that the query does not join the complaints (planning that join
    costs PostgreSQL about 2 ms, a hundred times the query)."""
    if user is None or not user.is_authenticated or not complaints:
        return Recommendation.objects.none()
    on = Recommendation.objects.filter(complaint_id__in=sorted(complaints))
    if is_inspector(user):
        return on
    orgs = organisation_ids(user)
    held = sorted(pk for pk, holder in complaints.items() if holder in orgs)
    return on.filter(Q(body_id__in=orgs) | Q(complaint_id__in=held))


def executors_of(organisation: Organisation) -> QuerySet[Membership]:
    """Who may be appointed to review a complaint held by the body (active people only)."""
    return Membership.objects.filter(
        organisation=organisation, role__in=sorted(reviewer_roles()), user__is_active=True
    ).select_related("user")


def events_scope(
    user: User | None,
    *,
    as_applicant: bool = False,
    holders: tuple[str, ...] = ("holder_before_id", "holder_after_id", "addressed_id"),
    applicant: str = "applicant_user_id",
    internal: str = "internal",
) -> Q:
    """The events of complaints the user may read, as a filter on a table that records for each event the bodies
    that held the complaint before and after it (and the body a recommendation was addressed to), the complaint's
    applicant and whether the step is internal to the body (the events feed).

    Staff read the events that happened while one of their bodies held the complaint, the one that moved it away
    included (a body keeps what it did, not what the next body does); inspectors read all; the applicant reads the
    events of his own complaints, less the internal steps (drafts, returned drafts, reports)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if as_applicant:
        return Q(**{applicant: user.pk, internal: False})
    if not is_staff_user(user):
        return Q(pk__in=[])
    if is_inspector(user):
        return Q()
    orgs = sorted(organisation_ids(user))
    scope = Q(pk__in=[])
    for field in holders:
        scope |= Q(**{f"{field}__in": orgs})
    return scope

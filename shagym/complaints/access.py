"""Who may see and do what. The one door: every staff query and every role check goes through here.

Staff act on the complaints held by the organisations they serve; inspectors of the quality authority read
across all bodies; applicants see their own complaints. "Not found" and "not yours" look the same (404)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from shagym.directory.models import Membership, Organisation, OrganisationKind
from shagym.directory.models import Role as StaffRole

from .models import Complaint
from .states import Role

if TYPE_CHECKING:
    from shagym.accounts.models import User


def memberships(user: User | None) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_shagym_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, organisation__is_active=True).select_related("organisation"))
        user._shagym_memberships = cached  # type: ignore[union-attr,attr-defined]
    return cached


def organisation_ids(user: User | None, *roles: str) -> set[int]:
    """The organisations the user serves (in any of these roles, or in any role)."""
    return {m.organisation_id for m in memberships(user) if not roles or m.role in roles}


def is_staff_user(user: User | None) -> bool:
    return bool(memberships(user))


def is_inspector(user: User | None) -> bool:
    return any(
        m.role == StaffRole.INSPECTOR and m.organisation.kind == OrganisationKind.QUALITY_AUTHORITY
        for m in memberships(user)
    )


def is_administrator(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == StaffRole.ADMINISTRATOR for m in memberships(user))


def roles_in(user: User | None, organisation_id: int) -> set[Role]:
    return {Role(m.role) for m in memberships(user) if m.organisation_id == organisation_id}


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


def complaints_for_staff(user: User | None) -> QuerySet[Complaint]:
    """Every staff list starts here: the complaints held by the user's organisations, or all for inspectors."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    if is_inspector(user):
        return Complaint.objects.all()
    return Complaint.objects.filter(holder_id__in=organisation_ids(user))


def complaints_for_applicant(user: User | None) -> QuerySet[Complaint]:
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(applicant_user=user)


def can_read(user: User | None, complaint: Complaint) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        complaint.applicant_user_id == user.pk
        or complaint.holder_id in organisation_ids(user)
        or is_inspector(user)
    )


def get_complaint_for_user(user: User | None, pk: int) -> Complaint:
    """The complaint, if the user may read it; otherwise 404, the same as a complaint that does not exist."""
    complaint = Complaint.objects.select_related("holder", "reviewing_body", "respondent", "service").filter(pk=pk).first()
    if complaint is None or not can_read(user, complaint):
        raise Http404
    return complaint


def executors_of(organisation: Organisation) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation=organisation, role__in=[StaffRole.EXECUTOR, StaffRole.INSPECTOR]
    ).select_related("user")

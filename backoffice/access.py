"""What an agent may see and do in the back office: the cases of their departments and the cases shared with them."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from backoffice.models import CaseShare
from gru.models import Membership
from portal.models import User
from teleservices.models import Case, CaseQuerySet

VIEW_CASE = "view_case"


def cases_visible_to(user: User) -> CaseQuerySet:
    """Submitted cases of the agent's departments, and those shared with them for an opinion."""
    if not user.is_authenticated:
        return Case.objects.none()
    departments = Membership.objects.of(user).department_ids()
    shared = CaseShare.objects.filter(content_object=OuterRef("pk"), user=user, permission__codename=VIEW_CASE)
    return Case.objects.submitted().filter(Q(department__in=departments) | Exists(shared))


def cases_instructed_by(user: User) -> CaseQuerySet:
    """Submitted cases of the agent's departments, closed ones included (not those only shared with them)."""
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.submitted().filter(department__in=Membership.objects.of(user).department_ids())


def cases_shared_with(user: User) -> CaseQuerySet:
    """Submitted cases another department shared with the agent for an opinion."""
    shared = CaseShare.objects.filter(content_object=OuterRef("pk"), user=user, permission__codename=VIEW_CASE)
    return Case.objects.submitted().filter(Exists(shared))


def role_on(user: User, case: Case) -> str | None:
    """The agent's role in the department instructing the case (agent or manager), None if not a member."""
    if case.department_id is None:  # a draft
        return None
    return Membership.objects.of(user).filter(department_id=case.department_id).values_list("role", flat=True).first()


def is_member(user: User, case: Case) -> bool:
    """Whether the agent belongs to the department instructing the case (sharing alone gives reading only)."""
    return role_on(user, case) is not None


def is_manager(user: User, case: Case) -> bool:
    return role_on(user, case) == Membership.Role.MANAGER


def sees_household(agent: User, citizen: User) -> bool:
    """Whether the agent's department instructs a request of the citizen that opens their household to it: filed by
    the citizen, or at the counter with their consent."""
    return cases_instructed_by(agent).of_citizen(citizen).opening_the_file().exists()

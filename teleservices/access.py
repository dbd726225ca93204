"""Which requests an agent may see and instruct: the cases of their departments and the cases shared with them.

A case shared for an opinion is seen alone: its page, never the citizen's 360° view, their other requests or their
vault, and its internal notes only when the sharing agent shared them too (backoffice/access.py). What a citizen sees
of requests is `CaseQuerySet.visible_to_citizen`."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from gru.access_log import access_record, agent_department_id
from gru.models import Membership
from portal.models import User
from teleservices.models import Case, CaseQuerySet, CaseShare

VIEW_CASE = "view_case"


def shares_of(user: User) -> QuerySet[CaseShare]:
    """The agent's shares of cases for an opinion."""
    return CaseShare.objects.filter(user=user, permission__codename=VIEW_CASE)


def _of_departments(user: User) -> Q:
    return Q(department__in=Membership.objects.of(user).department_ids())


def cases_instructed_by(user: User) -> CaseQuerySet:
    """Submitted cases of the agent's departments, closed ones included (a case shared with them is not one)."""
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.submitted().filter(_of_departments(user))


def cases_visible_to(user: User) -> CaseQuerySet:
    """Submitted cases of the agent's departments, and those shared with them for an opinion."""
    if not user.is_authenticated:
        return Case.objects.none()
    shared = Exists(shares_of(user).filter(content_object=OuterRef("pk")))
    return Case.objects.submitted().filter(_of_departments(user) | shared)


def cases_shared_with(user: User) -> CaseQuerySet:
    """Submitted cases another department shared with the agent for an opinion."""
    return Case.objects.submitted().filter(Exists(shares_of(user).filter(content_object=OuterRef("pk"))))


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


def case_read_record(agent: User, case: Case, *, kind: str, subject: str) -> None:
    """Write in the access log that the agent read this of the request's citizen, the request being the reason."""
    access_record(
        agent=agent,
        kind=kind,
        subject=subject,
        reason=case.reference or "",  # set once submitted, and agents read submitted requests
        citizen_ids=[case.user_id],
        department_id=agent_department_id(agent, case.department_id),
    )

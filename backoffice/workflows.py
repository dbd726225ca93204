"""Checks that a workflow can work, on plain data: the admin checks statuses and actions before saving them.

Statuses are named by their identifier (`key`), actions by their label; `workflow_specs` reads a saved workflow.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from django.utils.translation import gettext as _

from teleservices.workflows import Workflow


@dataclass(frozen=True)
class StatusSpec:
    key: str
    label: str
    is_initial: bool = False
    is_terminal: bool = False
    waits_for_citizen: bool = False


@dataclass(frozen=True)
class TransitionSpec:
    label: str
    sources: tuple[str, ...]
    target: str
    asks_completion: bool = False


def workflow_errors(statuses: list[StatusSpec], transitions: list[TransitionSpec]) -> list[str]:
    """What makes a workflow unusable, for administrators (empty when cases can go through it)."""
    errors: list[str] = []
    by_key = {status.key: status for status in statuses}
    initials = [status for status in statuses if status.is_initial]
    if not initials:
        errors.append(_("The workflow has no initial status: mark as initial the status of a request just filed."))
    elif len(initials) > 1:
        names = ", ".join(f"“{status.label}”" for status in initials)
        errors.append(_("Only one status can be initial, not %(names)s.") % {"names": names})
    if not any(status.is_terminal for status in statuses):
        errors.append(_("The workflow has no final status: instruction could never end."))
    for transition in transitions:
        for key in dict.fromkeys((*transition.sources, transition.target)):
            if key not in by_key:
                errors.append(
                    _("The action “%(name)s” uses the status “%(key)s”, which does not exist or is being deleted.")
                    % {"name": transition.label, "key": key}
                )
        target = by_key.get(transition.target)
        if transition.asks_completion and target is not None and not target.waits_for_citizen:
            errors.append(
                _(
                    "The action “%(name)s” asks the citizen to complete the request: its target “%(status)s” must wait "
                    "for the citizen."
                )
                % {"name": transition.label, "status": target.label}
            )
    for status in statuses:
        outgoing = [f"“{t.label}”" for t in transitions if status.key in t.sources]
        if status.is_terminal and outgoing:
            errors.append(
                _("The final status “%(name)s” cannot be the source of an action (%(actions)s).")
                % {"name": status.label, "actions": ", ".join(outgoing)}
            )
    if initials:
        reached = _reachable({status.key for status in initials}, transitions)
        for status in statuses:
            if status.key not in reached:
                errors.append(
                    _("The status “%(name)s” cannot be reached from the initial status by any action.")
                    % {"name": status.label}
                )
    return errors


def _reachable(start: set[str], transitions: list[TransitionSpec]) -> set[str]:
    """The statuses a case can reach from `start` (breadth-first search)."""
    targets: dict[str, set[str]] = {}
    for transition in transitions:
        for source in transition.sources:
            targets.setdefault(source, set()).add(transition.target)
    reached = set(start)
    queue = deque(start)
    while queue:
        for key in targets.get(queue.popleft(), set()) - reached:
            reached.add(key)
            queue.append(key)
    return reached


def workflow_specs(workflow: Workflow) -> tuple[list[StatusSpec], list[TransitionSpec]]:
    """The statuses and actions of a saved workflow, as specs (3 queries)."""
    statuses = list(workflow.statuses.all())
    keys = {status.pk: status.key for status in statuses}
    transitions = workflow.transitions.prefetch_related("sources")
    return (
        [
            StatusSpec(
                key=status.key,
                label=status.label,
                is_initial=status.is_initial,
                is_terminal=status.is_terminal,
                waits_for_citizen=status.waits_for_citizen,
            )
            for status in statuses
        ],
        [
            TransitionSpec(
                label=transition.label,
                sources=tuple(source.key for source in transition.sources.all()),
                target=keys[transition.target_id],
                asks_completion=transition.asks_completion,
            )
            for transition in transitions
        ],
    )

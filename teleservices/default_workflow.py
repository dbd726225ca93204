"""The standard instruction process, as data: built by a migration and, when missing, by `Workflow.objects.default()`.

The builder takes the model classes, so the data migration runs it with its historical models.
"""

from __future__ import annotations

from typing import Any

SLUG = "standard"
# key, label for agents, label for citizens, colour, initial, final, waits for the citizen
STATUSES: list[tuple[str, str, str, str, bool, bool, bool]] = [
    ("recue", "Reçue", "Reçue", "#1d4f91", True, False, False),
    ("en_cours", "En cours d'instruction", "En cours de traitement", "#6a2c91", False, False, False),
    ("attente", "En attente de compléments", "Compléments demandés", "#8a3b12", False, False, True),
    ("acceptee", "Acceptée", "Acceptée", "#18753c", False, True, False),
    ("refusee", "Refusée", "Refusée", "#b3261e", False, True, False),
    ("classee", "Classée sans suite", "Classée sans suite", "#53575c", False, True, False),
]
# label, sources, target, options
TRANSITIONS: list[tuple[str, list[str], str, dict[str, Any]]] = [
    ("Prendre en charge", ["recue"], "en_cours", {"notifies_citizen": True}),
    (
        "Demander des compléments",
        ["recue", "en_cours"],
        "attente",
        {"asks_completion": True, "comment": "required", "comment_label": "Pièces ou informations demandées"},
    ),
    ("Reprendre l'instruction", ["attente"], "en_cours", {"notifies_citizen": False}),
    ("Accepter", ["recue", "en_cours"], "acceptee", {"comment": "optional"}),
    ("Refuser", ["recue", "en_cours"], "refusee", {"comment": "required", "comment_label": "Motif du refus"}),
    (
        "Classer sans suite",
        ["recue", "en_cours", "attente"],
        "classee",
        {"comment": "required", "comment_label": "Motif", "managers_only": True},
    ),
]
# The statuses of the first release's fixed process, and where their cases go.
LEGACY_STATUSES = {
    "received": "recue",
    "in_progress": "en_cours",
    "accepted": "acceptee",
    "refused": "refusee",
    "closed": "classee",
}


def default_workflow_build(workflow_model: Any, status_model: Any, transition_model: Any) -> Any:
    return workflow_build(
        workflow_model,
        status_model,
        transition_model,
        slug=SLUG,
        name="Instruction standard",
        description="Reçue, en cours d'instruction, puis une décision.",
        statuses=STATUSES,
        transitions=TRANSITIONS,
    )


def workflow_build(
    workflow_model: Any,
    status_model: Any,
    transition_model: Any,
    *,
    slug: str,
    name: str,
    description: str,
    statuses: list[tuple[str, str, str, str, bool, bool, bool]],
    transitions: list[tuple[str, list[str], str, dict[str, Any]]],
) -> Any:
    """The workflow `slug`, built from rows shaped like STATUSES and TRANSITIONS if it does not exist yet."""
    workflow, created = workflow_model.objects.get_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )
    if not created:
        return workflow
    by_key = {}
    for position, (key, label, citizen_label, colour, initial, terminal, waits) in enumerate(statuses):
        by_key[key] = status_model.objects.create(
            workflow=workflow,
            position=position,
            key=key,
            label=label,
            citizen_label=citizen_label,
            colour=colour,
            is_initial=initial,
            is_terminal=terminal,
            waits_for_citizen=waits,
        )
    for position, (label, sources, target, options) in enumerate(transitions):
        transition = transition_model.objects.create(
            workflow=workflow, position=position, label=label, target=by_key[target], **options
        )
        transition.sources.set([by_key[key] for key in sources])
    return workflow

"""The standard instruction process, as data: built by a migration and, when missing, by `Workflow.objects.default()`.

The builder takes the model classes, so the data migration runs it with its historical models.
"""

from __future__ import annotations

from typing import Any

SLUG = "standard"
# key, label for agents, label for citizens, colour, initial, final, waits for the citizen
STATUSES = [
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
    workflow, created = workflow_model.objects.get_or_create(
        slug=SLUG,
        defaults={"name": "Instruction standard", "description": "Reçue, en cours d'instruction, puis une décision."},
    )
    if not created:
        return workflow
    statuses = {}
    for position, (key, label, citizen_label, colour, initial, terminal, waits) in enumerate(STATUSES):
        statuses[key] = status_model.objects.create(
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
    for position, (label, sources, target, options) in enumerate(TRANSITIONS):
        transition = transition_model.objects.create(
            workflow=workflow, position=position, label=label, target=statuses[target], **options
        )
        transition.sources.set([statuses[key] for key in sources])
    return workflow

"""The life cycle of a request, as data: an instruction workflow (circuit), its statuses and the actions agents take
to move a case between them. A téléservice names its workflow, a case its status; the back office applies the actions
(`case_transition`) and its admin builds the workflows."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from gru.colours import contrast_ratio
from gru.models import HEX_COLOUR, MINIMUM_CONTRAST, hex_colour
from teleservices import default_workflow


class WorkflowQuerySet(models.QuerySet["Workflow"]):
    def default(self) -> Workflow:
        """The standard process (received → being processed → decision), built when missing."""
        workflow = self.filter(slug=default_workflow.SLUG).first()
        return workflow or default_workflow.default_workflow_build(Workflow, Status, Transition)


class Workflow(models.Model):
    """An instruction process (circuit): its statuses and the actions agents take to move a case between them."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = WorkflowQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")

    def __str__(self) -> str:
        return self.name

    @property
    def initial_status(self) -> Status:
        return self.statuses.get(is_initial=True)


class Status(models.Model):
    """A step of a workflow, named for agents and for citizens."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="statuses")
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    key = models.SlugField(_("identifier"), max_length=50, help_text=_("Used by actions, exports and statistics."))
    label = models.CharField(_("label for agents"), max_length=100)
    citizen_label = models.CharField(_("label for citizens"), max_length=100)
    colour = models.CharField(_("colour"), max_length=7, default="#1d4f91", validators=[hex_colour])
    is_initial = models.BooleanField(_("initial"), default=False, help_text=_("The status of a request just filed."))
    is_terminal = models.BooleanField(_("final"), default=False, help_text=_("Instruction is over (a decision)."))
    waits_for_citizen = models.BooleanField(
        _("waiting for the citizen"), default=False, help_text=_("The processing deadline is paused meanwhile.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        constraints = [
            models.UniqueConstraint(fields=["workflow", "key"], name="status_unique_key"),
            models.UniqueConstraint(
                fields=["workflow"], condition=Q(is_initial=True), name="status_one_initial_per_workflow"
            ),
            models.CheckConstraint(
                condition=~Q(is_terminal=True, waits_for_citizen=True),
                name="status_terminal_does_not_wait",
                violation_error_message=_("A final status cannot wait for the citizen."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        if re.match(HEX_COLOUR, self.colour) and contrast_ratio(self.colour, "#ffffff") < MINIMUM_CONTRAST:
            raise ValidationError({"colour": _("This colour is too light: white text on it would not be readable.")})


class TransitionQuerySet(models.QuerySet["Transition"]):
    def available(self, *, status_id: int | None, manager: bool) -> TransitionQuerySet:
        """The actions agents may take from this status (managers also take the managers' ones)."""
        transitions = self.filter(sources=status_id)
        return transitions if manager else transitions.filter(managers_only=False)


class Transition(models.Model):
    """An action on a case: from one of its source statuses to its target, with inputs and effects."""

    class Comment(models.TextChoices):
        NONE = "none", _("No comment")
        OPTIONAL = "optional", _("Optional comment")
        REQUIRED = "required", _("Required comment")

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="transitions")
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    label = models.CharField(_("button label"), max_length=100)
    sources = models.ManyToManyField(Status, related_name="outgoing", verbose_name=_("from the statuses"))
    target = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="incoming", verbose_name=_("to"))
    managers_only = models.BooleanField(_("managers only"), default=False)
    comment = models.CharField(
        _("comment to the citizen"), max_length=10, choices=Comment.choices, default=Comment.NONE
    )
    comment_label = models.CharField(
        _("label of the comment"), max_length=100, blank=True, help_text=_("For example “Reason for the refusal”.")
    )
    notifies_citizen = models.BooleanField(_("notify the citizen"), default=True)
    asks_completion = models.BooleanField(
        _("ask the citizen to complete the request"),
        default=False,
        help_text=_("The request reopens for the citizen and comes back to its status when they complete it."),
    )
    assigns_department = models.ForeignKey(
        "gru.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hand over to the department"),
    )

    history = HistoricalRecords(m2m_fields=[sources])
    objects = TransitionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.label

    @property
    def comment_title(self) -> str:
        return self.comment_label or str(_("Comment to the citizen"))

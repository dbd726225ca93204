"""Forms of the back office: the task board's filters, actions on a case, notes, sharing, bulk actions."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backoffice.models import Export, SavedView
from gru.forms import HtmlDateInput, NameField
from gru.models import Department, Membership
from portal.forms import DATE_HINT, DateInput
from portal.models import User
from teleservices import access
from teleservices.models import Case, CaseQuerySet, Teleservice
from teleservices.workflows import Status, Transition

UNASSIGNED = "none"


class AgentChoices:
    """What an agent's departments offer to choose from (colleagues, procedures, statuses), read once per request
    and shared by the board's forms."""

    def __init__(self, agent: User) -> None:
        self.agent = agent

    @cached_property
    def department_ids(self) -> list[int]:
        return list(Membership.objects.of(self.agent).values_list("department_id", flat=True))

    @cached_property
    def colleagues(self) -> list[User]:
        agents = User.objects.filter(memberships__department__in=self.department_ids)
        return list(agents.distinct().order_by("first_name", "last_name"))


class BoardFilterForm(forms.Form):
    """Filters of the task board, all optional; read from the query string so that views can be saved as links."""

    SCOPES = [("service", _("My departments")), ("mine", _("My cases")), ("shared", _("Shared with me"))]
    STATES = [("open", _("To instruct")), ("closed", _("Decided")), ("all", _("All"))]

    vue = forms.ChoiceField(label=_("Cases"), choices=SCOPES, required=False)
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_("Reference, name, email or an answer; accents do not matter."),
    )
    teleservice = forms.ModelChoiceField(label=_("Procedure"), queryset=Teleservice.objects.none(), required=False)
    status = forms.ModelChoiceField(label=_("Status"), queryset=Status.objects.none(), required=False)
    state = forms.ChoiceField(label=_("State"), choices=STATES, required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any channel")), *Case.Channel.choices], required=False
    )
    since = forms.DateField(label=_("Filed from"), required=False, widget=HtmlDateInput)
    until = forms.DateField(label=_("Filed until"), required=False, widget=HtmlDateInput)

    def __init__(self, *args: Any, agent: User, choices: AgentChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agent = agent
        self.choices = choices = choices or AgentChoices(agent)
        departments = choices.department_ids
        self.fields["teleservice"].queryset = Teleservice.objects.filter(department__in=departments).only("title")
        self.fields["status"].queryset = Status.objects.filter(
            workflow__teleservices__department__in=departments
        ).distinct()
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (UNASSIGNED, _("Nobody yet")),
            *[(str(user.pk), user.get_full_name()) for user in choices.colleagues],
        ]

    def cases(self, *, by_status: bool = True) -> CaseQuerySet:
        """The cases of the chosen tab matching the filters (the form must be valid); each tab is a part of what the
        agent may see (`access.cases_visible_to`). The counts per status ignore the status filter."""
        return self._filter(self._tab(), by_status=by_status)

    def partitions(self) -> list[Q]:
        """The parts the board reads separately, each through its own index range (see `board.board_page`)."""
        if self.cleaned_data["vue"] in ("", "service"):
            return [Q(department_id=department) for department in self.choices.department_ids]
        return []

    def _tab(self) -> CaseQuerySet:
        vue = self.cleaned_data["vue"]
        if vue == "shared":
            return access.cases_shared_with(self.agent)
        cases = Case.objects.submitted().filter(department_id__in=self.choices.department_ids)
        return cases.filter(assignee=self.agent) if vue == "mine" else cases

    def _filter(self, cases: CaseQuerySet, *, by_status: bool) -> CaseQuerySet:
        data = self.cleaned_data
        state = data["state"] or "open"
        if state == "open":
            cases = cases.filter(closed_at__isnull=True)
        elif state == "closed":
            cases = cases.filter(closed_at__isnull=False)
        if data["q"]:
            cases = cases.search(data["q"])
        exact = {"teleservice": data["teleservice"], "channel": data["channel"]}
        if by_status:
            exact["status"] = data["status"]
        cases = cases.filter(**{key: value for key, value in exact.items() if value})
        if data["assignee"] == UNASSIGNED:
            cases = cases.filter(assignee__isnull=True)
        elif data["assignee"]:
            cases = cases.filter(assignee_id=data["assignee"])
        if data["since"]:
            cases = cases.filter(submitted_at__date__gte=data["since"])
        if data["until"]:
            cases = cases.filter(submitted_at__date__lte=data["until"])
        return cases


class ExportForm(forms.Form):
    """The board's list to export, with its filters as a query string."""

    format = forms.ChoiceField(
        label=_("Export this list as"),
        choices=[(format.value, format.label) for format in (Export.Format.XLSX, Export.Format.CSV)],
    )
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)


class TransitionForm(forms.Form):
    comment = forms.CharField(max_length=5000, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"t{transition.pk}", **kwargs)
        self.transition = transition
        field = self.fields["comment"]
        field.label = transition.comment_title
        field.required = transition.comment == Transition.Comment.REQUIRED
        if transition.comment == Transition.Comment.NONE:
            del self.fields["comment"]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agents = User.objects.filter(memberships__department_id=case.department_id).order_by("first_name")
        self.fields["assignee"].queryset = agents
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name()
        self.fields["assignee"].empty_label = _("Nobody")


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Only agents see notes, never the citizen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # id_note_body: the case page has the message to the citizen's body too (id_body).
        super().__init__(*args, auto_id="id_note_%s", **kwargs)


class ShareForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent asked for an opinion"), queryset=User.objects.none())
    with_notes = forms.BooleanField(
        label=_("Share the internal notes too"),
        required=False,
        help_text=_("Otherwise they see only the request and the notes they write."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agents = User.objects.filter(memberships__isnull=False).exclude(memberships__department_id=case.department_id)
        self.fields["agent"].queryset = agents.distinct().order_by("first_name")
        self.fields["agent"].label_from_instance = lambda user: user.get_full_name()


class BulkForm(forms.Form):
    """Several cases of the board at once: assign them, or apply one action allowed on every one of them."""

    cases = forms.ModelMultipleChoiceField(
        queryset=Case.objects.none(),
        to_field_name="reference",
        error_messages={"required": _("Select at least one request.")},
    )
    action = forms.ChoiceField(label=_("Action on the selected requests"))
    comment = forms.CharField(label=_("Comment to the citizen"), max_length=5000, required=False)

    def __init__(
        self, *args: Any, cases: QuerySet[Case], agent: User, choices: AgentChoices | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases
        choices = choices or AgentChoices(agent)
        transitions = (
            Transition.objects.filter(workflow__teleservices__department__in=choices.department_ids)
            .select_related("workflow")
            .distinct()
        )
        self.fields["action"].choices = [
            ("", _("Choose…")),
            (_("Assign"), [(f"assign:{user.pk}", user.get_full_name()) for user in choices.colleagues]),
            (_("Actions"), [(f"transition:{t.pk}", f"{t.label} ({t.workflow})") for t in transitions]),
        ]

    def clean_action(self) -> tuple[str, Any]:
        kind, _sep, pk = self.cleaned_data["action"].partition(":")
        if kind == "assign":
            return kind, User.objects.get(pk=pk)
        return kind, Transition.objects.select_related("workflow").get(pk=pk)


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedView
        fields = ["name"]
        labels = {"name": _("Name of this view")}

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if SavedView.objects.filter(user=self.instance.user, name=name).exists():
            raise forms.ValidationError(_("You already have a view with this name."))
        return name


class IntakeForm(forms.Form):
    """A request an agent files for a citizen who came to the counter, phoned or wrote: the procedure, the channel,
    and the citizen, an account found by search or a person without one."""

    teleservice = forms.ModelChoiceField(label=_("Procedure"), queryset=Teleservice.objects.none())
    channel = forms.ChoiceField(
        label=_("How did the citizen reach you?"),
        choices=[choice for choice in Case.Channel.choices if choice[0] != Case.Channel.WEB],
        widget=forms.RadioSelect,
    )
    account = forms.ModelChoiceField(
        label=_("Citizen"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=_("Someone without an account: their details below"),
    )
    first_name = NameField(label=_("First name"), max_length=150, required=False)
    last_name = NameField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_(
            "For the acknowledgement and the news of the request; an account opened later with this "
            "address will find the request."
        ),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args: Any, agent: User, accounts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teleservices = Teleservice.objects.published().filter(department__memberships__user=agent)
        self.fields["teleservice"].queryset = teleservices.order_by("title")
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = _account_label

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("account") and not (data.get("first_name") and data.get("last_name")):
            self.add_error("last_name", _("Give the citizen's first and family names, or choose their account."))
        return data

    def applicant(self) -> dict[str, str]:
        """The identity the request is filed under when the citizen has no account (the account's otherwise)."""
        data = self.cleaned_data
        if data["account"]:
            return {"applicant_phone": data["phone"] or data["account"].phone}
        return {
            "applicant_first_name": data["first_name"],
            "applicant_last_name": data["last_name"],
            "applicant_email": data["email"],
            "applicant_phone": data["phone"],
        }


class CounterConsentForm(forms.Form):
    code = forms.CharField(
        label=_("Code the citizen received"),
        max_length=6,
        min_length=6,
        required=False,
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
        help_text=_("Six digits, sent to their email, by text message if they chose it, and shown in their space."),
    )


def _account_label(user: User) -> str:
    """What identifies the person in front of the agent, and nothing more: name, year of birth, masked email."""
    if user.birth_date is None:
        return f"{user.get_full_name()} ({mask_email(user.email)})"
    return _("%(name)s (%(email)s, born in %(year)s)") % {
        "name": user.get_full_name(),
        "email": mask_email(user.email),
        "year": user.birth_date.year,
    }


def mask_email(address: str) -> str:
    """`alice.martin@example.org` → `a•••@e•••.org`: enough for the citizen to recognise their address."""
    local, _at, domain = address.partition("@")
    name, _dot, tld = domain.rpartition(".")
    return f"{local[:1]}•••@{name[:1]}•••.{tld}" if name else f"{local[:1]}•••"


class LettersPrintForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    day = forms.DateField(label=_("Day"), widget=DateInput, help_text=DATE_HINT)

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

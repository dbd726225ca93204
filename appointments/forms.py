"""Forms of booking, for citizens and for agents: the week and place of the slots shown, the slot chosen, the request
an appointment is for, the earlier-slot alert; the agents' day or week of an agenda, the citizen booked for, the
reason of a cancellation and the outcome of an appointment. They validate; the views call the services."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MinValueValidator, RegexValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from appointments.models import (
    ANTS_NUMBER_FORMAT,
    ANTS_NUMBER_PATTERN,
    WEEKDAY_CHOICES,
    Agenda,
    Appointment,
    AppointmentType,
    Closure,
    OpeningRule,
    opening_rules_overlap_check,
)
from appointments.weeks import Moment, monday_of, slot_read
from gru.forms import DayField, HtmlDateInput, HtmlDateTimeInput, HtmlTimeInput
from portal.models import HouseholdMember, User
from teleservices.models import Case

DATE_INPUT = HtmlDateInput()
TIME_INPUT = HtmlTimeInput()
DATETIME_INPUT = HtmlDateTimeInput()


DEPARTMENT_PLACE = "service-"


def place_choices(agendas: Sequence[Agenda]) -> list[Any]:
    """The places of a week of slots: each agenda ("<id>") and, for a department with several agendas offering the
    type, all of them ("service-<department id>"). When agendas of several departments offer it, "" is every place
    and each department's agendas are grouped under its name."""
    departments: dict[int, list[Agenda]] = {}
    for agenda in sorted(agendas, key=lambda agenda: (agenda.department.name, agenda.name)):
        departments.setdefault(agenda.department_id, []).append(agenda)
    several = len(departments) > 1
    choices: list[Any] = [("", _("Any place"))] if several else []
    for theirs in departments.values():
        department = theirs[0].department
        options = [(str(agenda.pk), f"{agenda.name} — {agenda.place}") for agenda in theirs]
        if len(theirs) > 1:
            every = _("Every counter — %(department)s") % {"department": department.name}
            options.insert(0, (f"{DEPARTMENT_PLACE}{department.pk}", every))
        choices += [(department.name, options)] if several else options
    return choices


class WeekForm(forms.Form):
    """Where and when to look for free slots (read from the query string): one agenda, every agenda of one department
    (see `place_choices`), or every place; the part of the day; the week. Invalid values are reported and the defaults
    used: every place, the whole day, the first week with a free slot."""

    lieu = forms.ChoiceField(label=_("Place"), required=False)
    moment = forms.ChoiceField(
        label=_("Time of day"),
        choices=[("", _("All day")), *Moment.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    semaine = DayField(
        label=_("Week of"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Any day of the week. Empty: the first week with a free slot."),
    )

    def __init__(self, *args: Any, agendas: Sequence[Agenda], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agendas = list(agendas)
        self.fields["lieu"].choices = place_choices(self.agendas)

    def _valid(self, name: str) -> Any:
        """A field's value if it is valid, else None (a wrong one is reported, and does not discard the other)."""
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name)

    @property
    def place(self) -> str:
        """The place chosen (an agenda's id or a department's "service-<id>"), empty for every place."""
        return self._valid("lieu") or ""

    @property
    def day_part(self) -> str:
        """The part of the day chosen (a Moment), empty for the whole day."""
        return self._valid("moment") or ""

    def searched(self) -> tuple[list[Agenda], datetime.date | None]:
        """The agendas of the place chosen and the Monday of the week asked for (None: the first with a free slot)."""
        week = self._valid("semaine")
        return [agenda for agenda in self.agendas if _at(agenda, self.place)], monday_of(week) if week else None


def _at(agenda: Agenda, place: str) -> bool:
    """Whether the agenda is at the place chosen (every place when empty)."""
    if place.startswith(DEPARTMENT_PLACE):
        return f"{DEPARTMENT_PLACE}{agenda.department_id}" == place
    return not place or str(agenda.pk) == place


class SlotForm(forms.Form):
    """The slot chosen in the week (its button's value, appointments.weeks.slot_value), among the page's agendas."""

    creneau = forms.CharField(max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args: Any, agendas: Sequence[Agenda], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agendas = agendas

    def clean_creneau(self) -> tuple[Agenda, datetime.datetime]:
        chosen = slot_read(self.cleaned_data["creneau"], self.agendas)
        if chosen is None:
            raise forms.ValidationError(_("This slot does not exist: choose one in the week."), code="slot")
        return chosen


ANTS_SITE = "https://passeport.ants.gouv.fr"


class AntsNumberField(forms.CharField):
    """The number of an ANTS pre-application, as people copy it (spaces, dashes, small letters): kept in capitals,
    without them, and checked against its format (10 letters and digits)."""

    default_validators = [RegexValidator(f"^{ANTS_NUMBER_PATTERN}$", message=ANTS_NUMBER_FORMAT, code="ants_number")]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return "".join(text.split()).replace("-", "").upper()


class BookingForm(forms.Form):
    """What the booking needs besides its slot, each field only where it applies: whom it is for (the citizen or
    another member of their household), the ANTS pre-application number when the type asks for it, and the
    citizen's request it serves, when the appointment serves a procedure they filed."""

    pour = forms.ModelChoiceField(
        label=_("Who is this appointment for?"),
        queryset=HouseholdMember.objects.none(),
        required=False,
        blank=True,
        widget=forms.RadioSelect,
    )
    predemande = AntsNumberField(
        label=_("ANTS pre-application number"),
        max_length=40,
        widget=forms.TextInput({"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    demande = forms.ModelChoiceField(
        label=_("This appointment is for my request"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("None of them"),
    )

    def __init__(
        self,
        *args: Any,
        citizen: User,
        members: QuerySet[HouseholdMember],
        ants: bool,
        cases: QuerySet[Case],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if members.exists():
            pour = self.fields["pour"]
            pour.queryset = members
            pour.empty_label = _("Myself (%(name)s)") % {"name": citizen}
            pour.label_from_instance = lambda member: f"{member} ({member.get_relationship_display()})"
        else:
            del self.fields["pour"]
        if ants:
            self.fields["predemande"].help_text = format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "10 letters and digits, on the summary of your pre-application (emailed by the ANTS, and in your "
                    "space on its site). No pre-application yet? Fill it in first on"
                ),
                ANTS_SITE,
                ANTS_SITE.removeprefix("https://"),
            )
        else:
            del self.fields["predemande"]
        if cases.exists():
            self.fields["demande"].queryset = cases
            self.fields["demande"].label_from_instance = lambda case: f"{case.reference} — {case.teleservice.title}"
        else:
            del self.fields["demande"]


class AlertForm(forms.Form):
    """Ask to be told of an earlier slot, or stop asking."""

    REGISTER, DELETE = "register", "delete"
    action = forms.ChoiceField(choices=[(REGISTER, REGISTER), (DELETE, DELETE)], widget=forms.HiddenInput)
    any_agenda = forms.BooleanField(label=_("At any place of the department, not only this one"), required=False)
    retour = forms.ChoiceField(choices=[("liste", "liste"), ("detail", "detail")], widget=forms.HiddenInput)


class PeriodForm(forms.Form):
    """The day or the week of an agenda an agent looks at (query string); today's day by default."""

    DAY, WEEK = "jour", "semaine"
    date = DayField(label=_("Date"), required=False, widget=DATE_INPUT)
    vue = forms.ChoiceField(
        label=_("View"), choices=[(DAY, _("Day")), (WEEK, _("Week"))], required=False, widget=forms.RadioSelect
    )

    def period(self) -> tuple[str, datetime.date]:
        """The view ("jour" or "semaine") and its first day (the Monday of a week)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        view, day = data.get("vue") or self.DAY, data.get("date") or timezone.localdate()
        return view, monday_of(day) if view == self.WEEK else day


class AgentSlotsForm(forms.Form):
    """The motif an agent books, among those the agenda takes, and the week to look at."""

    type = forms.ModelChoiceField(label=_("Appointment type"), queryset=AppointmentType.objects.none())
    semaine = DayField(label=_("Week of"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, agenda: Agenda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = AppointmentType.objects.active().filter(rules__agenda=agenda).distinct()


class AccountForm(forms.Form):
    """The citizen an agent books for, among the accounts their search found."""

    account = forms.ModelChoiceField(
        label=_("The citizen"), queryset=User.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args: Any, accounts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["account"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"


class CancelForm(forms.Form):
    """An agent's cancellation: its reason, which the citizen reads."""

    reason = forms.CharField(
        label=_("Reason, sent to the citizen"),
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("For example: the agent is absent that day; please book another slot."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=[(Appointment.Status.SEEN, ""), (Appointment.Status.NO_SHOW, "")])


class OpeningRuleForm(forms.ModelForm):
    """An opening period of an agenda, in the admin's inline and on the agents' settings page, validated the same
    way in both: the model's constraints (closing after opening, the last day not before the first, at least one day
    and one desk) and no overlap with `others`, the agenda's other periods (the admin's inline, which edits them all
    at once, checks its rows together with the same `opening_rules_overlap_check`)."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = OpeningRule
        fields = ["weekdays", "start_time", "end_time", "valid_from", "valid_until", "capacity", "types"]
        widgets = {"types": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, others: Sequence[OpeningRule] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.others = list(others)
        capacity = self.fields["capacity"]
        capacity.validators.append(MinValueValidator(1))  # the constraint's rule, on the field, with its message
        capacity.widget.attrs["min"] = 1

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        timing = ["weekdays", "start_time", "end_time", "valid_from", "valid_until"]
        if self.others and not any(name in self.errors for name in timing):
            try:
                opening_rules_overlap_check([OpeningRule(**{name: cleaned.get(name) for name in timing}), *self.others])
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class AgendaRuleForm(OpeningRuleForm):
    """The agents' opening period: the browser's date and time inputs, and, among the motifs, the active ones and
    those the period already takes."""

    class Meta(OpeningRuleForm.Meta):
        widgets = {
            "types": forms.CheckboxSelectMultiple,
            "start_time": TIME_INPUT,
            "end_time": TIME_INPUT,
            "valid_from": DATE_INPUT,
            "valid_until": DATE_INPUT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = Q(rules=self.instance) if self.instance.pk else Q()
        self.fields["types"].queryset = AppointmentType.objects.filter(Q(is_active=True) | taken).distinct()


class ClosureForm(forms.ModelForm):
    """A closure of one agenda, from the agents' settings page: the model's constraint (the end after the start), as
    in the admin."""

    class Meta:
        model = Closure
        fields = ["start", "end", "reason"]
        widgets = {"start": DATETIME_INPUT, "end": DATETIME_INPUT}
        help_texts = {"reason": _("For the agents, for example “Training” or “Works in the hall”.")}

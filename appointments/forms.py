"""Forms of booking, for citizens and for agents: the week and place of the slots shown, the slot chosen, the request
an appointment is for, the earlier-slot alert; the agents' day or week of an agenda, the citizen booked for, the
reason of a cancellation and the outcome of an appointment. They validate; the views call the services."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Agenda, Appointment, AppointmentType
from appointments.weeks import monday_of, slot_read
from portal.models import User
from teleservices.models import Case

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WeekForm(forms.Form):
    """Where and when to look for free slots (read from the query string). Invalid values are reported and the
    defaults used: every place, the first week with a free slot."""

    lieu = forms.ChoiceField(label=_("Place"), required=False)
    semaine = forms.DateField(
        label=_("Week of"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Any day of the week. Empty: the first week with a free slot."),
    )

    def __init__(self, *args: Any, agendas: Sequence[Agenda], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agendas = list(agendas)
        self.fields["lieu"].choices = [
            ("", _("Any place")),
            *[(str(agenda.pk), f"{agenda.name} — {agenda.place}") for agenda in self.agendas],
        ]

    @property
    def place(self) -> str:
        """The agenda chosen (its id), empty for every place."""
        return self.cleaned_data.get("lieu", "") if self.is_bound and self.is_valid() else ""

    def searched(self) -> tuple[list[Agenda], datetime.date | None]:
        """The agendas to search and the Monday of the week asked for (None: the first with a free slot)."""
        if not self.is_bound or not self.is_valid():
            return self.agendas, None
        place, week = self.cleaned_data["lieu"], self.cleaned_data["semaine"]
        agendas = [agenda for agenda in self.agendas if str(agenda.pk) == place] if place else self.agendas
        return agendas, monday_of(week) if week else None


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


class BookingForm(forms.Form):
    """The citizen's request this appointment is for, when the appointment serves a procedure they filed."""

    demande = forms.ModelChoiceField(
        label=_("This appointment is for my request"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("None of them"),
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["demande"].queryset = cases
        self.fields["demande"].label_from_instance = lambda case: f"{case.reference} — {case.teleservice.title}"


class AlertForm(forms.Form):
    """Ask to be told of an earlier slot, or stop asking."""

    REGISTER, DELETE = "register", "delete"
    action = forms.ChoiceField(choices=[(REGISTER, REGISTER), (DELETE, DELETE)], widget=forms.HiddenInput)
    any_agenda = forms.BooleanField(label=_("At any place of the department, not only this one"), required=False)
    retour = forms.ChoiceField(choices=[("liste", "liste"), ("detail", "detail")], widget=forms.HiddenInput)


class PeriodForm(forms.Form):
    """The day or the week of an agenda an agent looks at (query string); today's day by default."""

    DAY, WEEK = "jour", "semaine"
    date = forms.DateField(label=_("Date"), required=False, widget=DATE_INPUT)
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
    semaine = forms.DateField(label=_("Week of"), required=False, widget=DATE_INPUT)

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

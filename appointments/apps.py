from django.apps import AppConfig

SPACE_APPOINTMENTS = 3  # the next appointments shown in "Mon espace"


class AppointmentsConfig(AppConfig):
    name = "appointments"

    def ready(self) -> None:
        from appointments.notifications import EVENTS
        from gru.notifications import events_register

        self._search_kind_register()
        self._space_section_register()
        events_register(EVENTS)
        self._menus_register()

    @staticmethod
    def _search_kind_register() -> None:
        """The citizens' search (teleservices, below this app) finds the appointment types bookable online."""
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from appointments.models import AppointmentType
        from teleservices.search import Kind, Result, kinds_register

        kinds_register(
            Kind(
                key="appointments",
                label=_("Appointments"),
                position=20,
                rows=lambda: AppointmentType.objects.bookable_online().offered(),
                result=lambda type: Result(
                    title=type.label, summary=type.description, url=reverse("appointments:slots", args=[type.slug])
                ),
            )
        )

    @staticmethod
    def _space_section_register() -> None:
        """The citizen space's home ("Mon espace", portal, below this app) shows the citizen's next appointments."""
        from appointments.models import Appointment
        from portal.space import Section, sections_register

        sections_register(
            Section(
                key="appointments",
                position=20,
                template="appointments/_space_appointments.html",
                context=lambda user: {
                    "appointments": Appointment.objects.for_citizen(user)
                    .upcoming()
                    .select_related("type", "agenda")[:SPACE_APPOINTMENTS]
                },
            )
        )

    @staticmethod
    def _menus_register() -> None:
        """Booking in the citizens' menu, the agendas in the back office's."""
        from django.utils.translation import gettext_lazy as _

        from gru.navigation import AGENT, CITIZEN, Entry, entries_register

        entries_register(CITIZEN, Entry(_("Appointments"), "appointments:catalogue", 20))
        entries_register(AGENT, Entry(_("Agendas"), "backoffice:agendas", 30))

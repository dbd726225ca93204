from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"

    def ready(self) -> None:
        self._search_kind_register()

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

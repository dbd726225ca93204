from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GruConfig(AppConfig):
    name = "gru"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth import user_logged_in

        from gru.middleware import record_sign_in

        user_logged_in.connect(record_sign_in, dispatch_uid="gru.middleware.record_sign_in")
        from gru import (
            checks,  # noqa: F401 - registers the system checks
            metrics,  # noqa: F401 - counts task runs (Celery signals), once the settings are read
        )
        from gru.navigation import AGENT, Audience, Entry, entries_register

        # The Django admin, which the project's URLs wire in.
        entries_register(AGENT, Entry(_("Administration"), "admin:index", 60, audience=Audience.STAFF, current=()))

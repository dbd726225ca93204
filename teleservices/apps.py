from django.apps import AppConfig

SPACE_REQUESTS = 5  # the latest requests shown in "Mon espace"


class TeleservicesConfig(AppConfig):
    name = "teleservices"

    def ready(self) -> None:
        from allauth.account.signals import email_confirmed, user_signed_up

        from gru.notifications import events_register
        from teleservices import receivers
        from teleservices.notifications import EVENTS

        email_confirmed.connect(receivers.link_on_email_confirmed, dispatch_uid="teleservices_link_on_confirmed")
        user_signed_up.connect(receivers.link_on_signed_up, dispatch_uid="teleservices_link_on_signed_up")

        self._vault_rules_register()
        self._search_kinds_register()
        self._space_section_register()
        events_register(EVENTS)
        self._menu_register()

    @staticmethod
    def _vault_rules_register() -> None:
        """Tell the vault which requests a user reaches: as a citizen, as the agent filling a draft in for one, as an
        agent who reads them (their departments', shared with them) and who instructs them."""
        from teleservices import access
        from teleservices.models import Case
        from vault import access as vault_access

        vault_access.cases_register(vault_access.APPLIED, Case.objects.visible_to_citizen)
        vault_access.cases_register(vault_access.READ, Case.objects.filed_by_agent)
        vault_access.cases_register(vault_access.READ, access.cases_visible_to)
        vault_access.cases_register(vault_access.INSTRUCTED, access.cases_instructed_by)

    @staticmethod
    def _search_kinds_register() -> None:
        """The citizens' search finds the published téléservices, then (after the appointment types) their
        categories, each a heading of the catalogue."""
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from teleservices.models import Category, Teleservice
        from teleservices.search import Kind, Result, kinds_register

        kinds_register(
            Kind(
                key="teleservices",
                label=_("Online procedures"),
                position=10,
                rows=Teleservice.objects.published,
                result=lambda teleservice: Result(
                    title=teleservice.title, summary=teleservice.summary, url=teleservice.get_absolute_url()
                ),
            )
        )
        kinds_register(
            Kind(
                key="categories",
                label=_("Categories"),
                position=30,
                rows=Category.objects.offered,
                result=lambda category: Result(
                    title=category.name,
                    summary="",
                    url=f"{reverse('teleservices:catalogue')}#categorie-{category.slug}",
                ),
            )
        )

    @staticmethod
    def _space_section_register() -> None:
        """The citizen space's home ("Mon espace", portal, below this app) shows the citizen's latest requests, drafts
        included."""
        from portal.space import Section, sections_register
        from teleservices.models import Case

        sections_register(
            Section(
                key="requests",
                position=10,
                template="teleservices/_space_requests.html",
                context=lambda user: {
                    "requests": Case.objects.visible_to_citizen(user).select_related(
                        "teleservice", "status", "version"
                    )[:SPACE_REQUESTS]
                },
            )
        )

    @staticmethod
    def _menu_register() -> None:
        """The catalogue and the citizen's requests in the citizens' menu."""
        from django.utils.translation import gettext_lazy as _

        from gru.navigation import CITIZEN, Audience, Entry, entries_register

        entries_register(
            CITIZEN,
            Entry(_("Procedures"), "teleservices:catalogue", 10),
            Entry(_("My requests"), "teleservices:my_requests", 30, audience=Audience.SIGNED_IN),
        )

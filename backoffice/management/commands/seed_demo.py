"""Load the demo data every later issue relies on; running it again changes nothing."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from appointments import demo as appointments_demo
from backoffice import demo as backoffice_demo
from gru import demo as organisation_demo
from letters import demo as letters_demo
from portal import demo as portal_demo
from teleservices import demo as teleservices_demo
from vault import demo as vault_demo


class Command(BaseCommand):
    help = "Load the demo commune, its departments, agents, citizens and their requests (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_demo.seed()
        users = portal_demo.seed()
        vault_demo.seed()
        letters_demo.seed()
        teleservices = teleservices_demo.seed_teleservices(users.get("dave@example.org"))
        backoffice_demo.seed_workflows(teleservices)
        teleservices_demo.seed_requests(users["alice@example.org"], teleservices)
        vault_demo.seed_documents(users["alice@example.org"])
        backoffice_demo.seed_cases(users, teleservices)
        appointments_demo.seed(users)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready for {organisation.name}."))
        self.stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD}):")
        for email in users:
            self.stdout.write(f"  {email}")
        self.stdout.write(f"Agents and administrator: TOTP secret {settings.DEMO_TOTP_SECRET}")

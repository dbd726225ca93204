"""Email an agent or administrator the link to enrol their first second factor: how the first administrator of an
instance gets theirs (the others get it from the admin, action on users)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal import second_factor
from portal.models import User


class Command(BaseCommand):
    help = "Email an agent or administrator the link (valid 24 hours, once) to enrol their first second factor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account has the email address {options['email']}.")
        try:
            second_factor.enrolment_link_send(user=user)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(f"Enrolment link emailed to {user.email}.")

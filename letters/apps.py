import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("letters")


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from letters import receivers
        from teleservices.signals import case_submitted

        case_submitted.connect(receivers.receipt_on_case_submitted, dispatch_uid="letters_receipt_on_case_submitted")

        if not settings.LETTER_SIGNING_P12:
            logger.warning(
                "No signing certificate (LETTER_SIGNING_P12 is empty): decisions and attestations are sent unsigned."
            )

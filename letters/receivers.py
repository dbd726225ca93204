"""What letters do when teleservices tells them something (teleservices/signals.py), connected in letters/apps.py."""

from __future__ import annotations

import datetime
from typing import Any

from letters import services
from teleservices.models import Case


def receipt_on_case_submitted(*, case: Case, **kwargs: Any) -> datetime.timedelta | None:
    """The récépissé of a request just submitted, queued in the submission's transaction; the acknowledgement email
    waits for it (case_letter_send releases it once sent), a while only."""
    receipt = services.case_receipt_create(case=case)
    return services.ACKNOWLEDGEMENT_WAIT if receipt is not None else None

"""What teleservices tells the apps above it, which connect their receivers in their AppConfig.ready().

case_submitted
    Sent by `case_submit` (teleservices/services.py) once a draft has become a request: its reference, status,
    department and deadline saved, its answers frozen and its uploads filed into the vault, before its `SUBMITTED`
    event and the acknowledgement are written. Sent inside the submission's transaction (with `send`, not
    `send_robust`): what a receiver writes or queues on commit goes or stays with the submission, and a receiver's
    error refuses the submission. Arguments: `case`, the submitted Case (its row locked).

    A receiver returns None, or how long the acknowledgement email should wait for a document it is making to go
    with it (letters' récépissé, attached by `notifications_release` once sent); the acknowledgement waits for the
    longest.
"""

from django.dispatch import Signal

case_submitted = Signal()

"""What the portal tells about accounts and households (the events of gru.notifications), declared when the app
starts: emails only, each essential."""

from gru.notifications import Event

EVENTS: dict[str, Event] = {
    # Essential: its recipient has no preferences, it may be their first contact with us.
    "household_invitation": Event("portal/emails/household_invitation", space=False, essential=True),
    # Essential: the unlock link of an account locked after failed sign-ins, whose holder could not sign in otherwise.
    "account_locked": Event("portal/emails/account_locked", space=False, essential=True),
    # Essential: the link to enrol a second factor, without which an agent cannot work.
    "second_factor_enrolment": Event("portal/emails/second_factor_enrolment", space=False, essential=True),
}

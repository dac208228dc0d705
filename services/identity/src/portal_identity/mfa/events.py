"""Events the identity service publishes about second factors."""

from __future__ import annotations

import uuid
from typing import ClassVar

from portal_chassis.envelope import Event


class UserMfaReset(Event):
    """An administrator removed a user's second factor (the user lost it): the user signs
    in with the password alone until they set up a new one. Notify tells them, in their
    language, so that a reset they did not ask for does not go unnoticed."""

    event_type: ClassVar[str] = "identity.user.mfa_reset"

    user_id: uuid.UUID
    username: str
    email: str
    display_name: str
    language: str
    # The administrator; None when the operator reset it with `portal identity reset-mfa`.
    actor_id: uuid.UUID | None

"""Events the identity service publishes about sign-ins."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class SessionStartedOnNewDevice(Event):
    """A user signed in from a device (browser) none of their earlier sign-ins came
    from. Notify mails them, unless they switched `new_sign_in` off, so that a sign-in
    by somebody else does not go unnoticed. The very first sign-in of an account is no
    news and publishes nothing."""

    event_type: ClassVar[str] = "identity.session.started_on_new_device"

    user_id: uuid.UUID
    session_id: uuid.UUID
    username: str
    email: str
    display_name: str
    language: str
    time_zone: str
    device: str
    address: str
    at: datetime

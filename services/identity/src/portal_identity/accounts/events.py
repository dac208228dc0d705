"""Events the identity service publishes about user accounts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from portal_chassis.envelope import Event

if TYPE_CHECKING:
    from portal_identity.accounts.models import User


class UserSnapshot(Event):
    id: uuid.UUID
    username: str
    email: str
    display_name: str
    language: str
    roles: list[str]
    permissions: list[str] = []
    organization_id: uuid.UUID | None
    active: bool
    notification_preferences: dict[str, bool]

    @classmethod
    def of(cls, user: User) -> UserSnapshot:
        return cls(
            id=user.id,
            username=user.username,
            email=user.email,
            display_name=user.display_name,
            language=user.language,
            roles=list(user.roles),
            permissions=sorted(user.permissions or []),
            organization_id=user.organization_id,
            active=user.active,
            notification_preferences=dict(user.notification_preferences or {}),
        )


class UserCreated(UserSnapshot):
    event_type: ClassVar[str] = "identity.user.created"


class UserUpdated(UserSnapshot):
    event_type: ClassVar[str] = "identity.user.updated"


class UserDeactivated(UserSnapshot):
    event_type: ClassVar[str] = "identity.user.deactivated"


class AccountLink(Event):
    """A single-use link mailed to the user by notify (the token travels only inside
    the link, and only its hash is stored)."""

    user_id: uuid.UUID
    username: str
    email: str
    display_name: str
    language: str
    link: str
    expires_at: datetime


class UserInvited(AccountLink):
    event_type: ClassVar[str] = "identity.user.invited"


class PasswordResetRequested(AccountLink):
    event_type: ClassVar[str] = "identity.password_reset.requested"

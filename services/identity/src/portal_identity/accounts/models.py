from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal_chassis.db import UTCDateTime, utcnow
from portal_chassis.uow import RecordsEvents
from portal_identity.accounts.events import UserCreated, UserDeactivated, UserUpdated
from portal_identity.base import Base
from portal_identity.organizations.models import Organization

ROLES = ("customer", "customer_admin", "agent", "admin")


class User(Base, RecordsEvents):
    __tablename__ = "user_account"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # Case-sensitive and unique: "Anna" and "anna" are two users.
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    # The zone the portal shows times in (an IANA name, checked on the way in).
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), nullable=True, index=True
    )
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notification_preferences: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    # Permissions granted one by one (`accounts/schemas.py` Permission), e.g. `review`.
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    @property
    def roles(self) -> list[str]:
        return sorted(r.role for r in self.role_rows)

    @roles.setter
    def roles(self, roles: list[str]) -> None:
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted] + [
            UserRole(role=r) for r in sorted(wanted - {r.role for r in self.role_rows})
        ]

    @classmethod
    def register(
        cls,
        *,
        username: str,
        email: str,
        roles: list[str],
        password_hash: str | None,
        organization: Organization | None = None,
        display_name: str = "",
        language: str = "en",
        permissions: list[str] | None = None,
    ) -> User:
        user = cls(
            id=uuid.uuid4(),
            username=username,
            email=email,
            password_hash=password_hash,
            organization=organization,
            organization_id=organization.id if organization else None,
            display_name=display_name or username,
            language=language,
            time_zone="Europe/Berlin",
            notification_preferences={},
            permissions=sorted(set(permissions or [])),
            active=True,
            created_at=utcnow(),
            role_rows=[],
        )
        user.roles = roles
        user.record(UserCreated.of(user))
        return user

    def change(self, **changes: Any) -> bool:
        """Apply profile or administrative changes; records the matching event."""
        before = (self.active, self._state())
        for field, value in changes.items():
            setattr(self, field, value)
        if (self.active, self._state()) == before:
            return False
        if before[0] and not self.active:
            self.record(UserDeactivated.of(self))
        else:
            self.record(UserUpdated.of(self))
        return True

    def set_password_hash(self, password_hash: str) -> None:
        # Not an event: nobody outside identity needs to know.
        self.password_hash = password_hash

    def _state(self) -> tuple[Any, ...]:
        return (
            self.email,
            self.display_name,
            self.language,
            tuple(self.roles),
            tuple(sorted(self.permissions or [])),
            self.organization_id,
            tuple(sorted((self.notification_preferences or {}).items())),
        )


class UserRole(Base):
    """One row per role: lets "is there an active admin?" be an indexed query."""

    __tablename__ = "user_role"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)

"""Events the identity service publishes about access requests. The ones of the sign-in
page carry the person's own address: notify mails them there (they have no account)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class AccessRequestConfirmationRequested(Event):
    """A request from the sign-in page waits for its address to be confirmed: the link
    carries the single-use token (only its digest is stored)."""

    event_type: ClassVar[str] = "identity.access_request.confirmation_requested"

    request_id: uuid.UUID
    email: str
    name: str
    language: str
    link: str
    expires_at: datetime


class AccessRequestAccountExists(Event):
    """Somebody asked for access with the address of an active account: its owner is
    told (the form's answer tells nobody), with the lost-password link."""

    event_type: ClassVar[str] = "identity.access_request.account_exists"

    email: str
    name: str
    language: str
    usernames: list[str]
    link: str


class AccessRequestSubmitted(Event):
    """A confirmed request from the sign-in page waits for a decision."""

    event_type: ClassVar[str] = "identity.access_request.submitted"

    request_id: uuid.UUID
    name: str
    company: str
    email: str
    phone: str
    function: str
    reason: str  # an excerpt
    organization_id: uuid.UUID | None
    language: str


class AccessRequestApproved(Event):
    event_type: ClassVar[str] = "identity.access_request.approved"

    request_id: uuid.UUID
    origin: str
    user_id: uuid.UUID
    username: str
    email: str
    name: str
    organization_id: uuid.UUID
    roles: list[str]
    language: str
    decided_by: uuid.UUID


class AccessRequestRejected(Event):
    event_type: ClassVar[str] = "identity.access_request.rejected"

    request_id: uuid.UUID
    origin: str
    email: str
    name: str
    language: str
    reason: str
    decided_by: uuid.UUID

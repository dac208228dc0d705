"""Opening a ticket for a caller: finding the customer contact (by name, username,
e-mail address or organization), what the form holds, what the page refuses before
asking the tickets service, and the body the service gets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.identity import IdentityClient, User
from portal_gateway.web.clients.tickets import CATEGORIES, CHANNELS, PRIORITIES

CONTACT_ROLES = ("customer", "customer_admin")
MAX_FOUND = 20
# Shorter texts find too many people to be of use.
MIN_SEARCH = 2
LIMITS = {"description": 100_000, "title": 200, "product": 200}
# API field -> the id of the form control its message belongs to.
CALLER_FIELDS = {
    "title": "title",
    "description": "description",
    "category": "category",
    "priority": "priority",
    "channel": "channel",
    "subject_area": "subject_area",
    "subtype": "subtype",
    "product": "product",
    "asset_id": "asset_id",
    "group_id": "group_id",
    "contact_id": "contact",
    "organization_id": "contact",
}


@dataclass(frozen=True)
class Caller:
    """A customer contact a ticket can be opened for, as the page names them."""

    id: str
    username: str
    name: str
    email: str
    organization_id: str
    organization: str

    @classmethod
    def of_user(cls, user: User) -> Caller | None:
        """The user as a caller; None for anybody but an active customer of an
        organization (staff open tickets of their own on the customer's form)."""
        org = user.organization
        org_id = (org.id if org else None) or user.organization_id
        customer = bool(set(user.roles) & set(CONTACT_ROLES))
        if not org_id or not customer or getattr(user, "active", True) is False:
            return None
        return cls(
            id=user.id,
            username=user.username,
            name=user.display_name or user.username,
            email=user.email or "",
            organization_id=org_id,
            organization=org.name if org else "",
        )

    def as_json(self) -> dict[str, str]:
        return asdict(self)


async def find_callers(identity: IdentityClient, text: str) -> list[Caller]:
    """The callers whose name, username, e-mail address or organization contains
    `text` (nobody for a text too short to tell)."""
    text = text.strip()[:100]
    if len(text) < MIN_SEARCH:
        return []
    found = await identity.users(limit=MAX_FOUND, roles=CONTACT_ROLES, text=text)
    return [c for u in found.items if (c := Caller.of_user(u)) is not None]


async def caller(identity: IdentityClient, user_id: str) -> Caller | None:
    """The caller with this id; None for a wrong id, or someone a ticket cannot be
    opened for."""
    if not is_uuid(user_id):
        return None
    user = await settle(identity.user(user_id))
    return None if isinstance(user, ServiceError) else Caller.of_user(user)


@dataclass
class CallerTicket:
    """What the form holds (a call comes by phone unless the agent says otherwise)."""

    contact_id: str = ""
    title: str = ""
    description: str = ""
    category: str = "incident"
    priority: str = "P4"
    channel: str = "phone"
    subject_area: str = ""
    subtype: str = ""
    product: str = ""
    asset_id: str = ""
    # An agent group's id; empty: the routing rules choose the group.
    group_id: str = ""

    @classmethod
    def posted(cls, text: Callable[[str, int], str]) -> CallerTicket:
        return cls(**{f.name: text(f.name, LIMITS.get(f.name, 100)) for f in fields(cls)})

    def problems(self, t: Mapping[str, str]) -> dict[str, str]:
        """A value no control offers (the service would name the field in its words)."""
        for value, allowed, control in (
            (self.category, CATEGORIES, "category"),
            (self.priority, PRIORITIES, "priority"),
            (self.channel, CHANNELS, "channel"),
        ):
            if value not in allowed:
                return {control: t["tickets_err_choice"], "": t["form_has_errors"]}
        if self.group_id and not is_uuid(self.group_id):
            return {"group_id": t["tickets_err_choice"], "": t["form_has_errors"]}
        return {}

    def body(self, contact: Caller) -> dict[str, Any]:
        """The new ticket for the API: the contact's organization is named too, so that
        the service refuses it if the contact moved since the page was shown."""
        body: dict[str, Any] = {
            "title": self.title,
            "description": self.description,
            "category": self.category,
            "priority": self.priority,
            "channel": self.channel,
            "contact_id": contact.id,
            "organization_id": contact.organization_id,
        }
        for name in ("subject_area", "subtype", "product", "asset_id", "group_id"):
            if value := getattr(self, name):
                body[name] = value
        return body

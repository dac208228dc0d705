"""Text module use cases: list and search, read, create, change, delete, and fill one in
for a ticket."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput, NotFound
from portal_tickets.export.words import PORTAL_STATUS, label
from portal_tickets.text_modules import rules
from portal_tickets.text_modules.models import TextModule
from portal_tickets.text_modules.permissions import may_maintain, may_use
from portal_tickets.text_modules.repository import TextModuleQuery
from portal_tickets.text_modules.schemas import (
    REQUIRED_ON_UPDATE,
    TextModuleCreate,
    TextModuleUpdate,
)
from portal_tickets.ticket.models import PORTAL_STATUS as PORTAL_STATUS_OF
from portal_tickets.ticket.models import Ticket
from portal_tickets.ticket.service import visible_ticket
from portal_tickets.uow import TicketsUoW

NAME_TAKEN = "There is a text module of this name in this language already."
NO_SUCH_MODULE = "No such text module."


@dataclass(frozen=True)
class Filled:
    """A text module filled in for a ticket."""

    body: str
    set_status: str | None
    set_priority: str | None


def _now() -> datetime:
    return datetime.now(UTC)


def _error(field: str, message: str, code: str) -> dict[str, str]:
    return {"field": field, "message": message, "code": code}


def _name_taken() -> InvalidInput:
    return InvalidInput([_error("name", NAME_TAKEN, "name_taken")])


def _check_body(body: str) -> None:
    if problems := rules.check(body):
        raise InvalidInput([_error("body", p.message, p.code) for p in problems])


async def _commit(uow: TicketsUoW) -> None:
    """Commit; a name taken by a concurrent request meanwhile is the same field error."""
    try:
        await uow.commit()
    except IntegrityError as exc:
        raise _name_taken() from exc


async def _module(uow: TicketsUoW, module_id: uuid.UUID, actor: Actor, *, lock: bool) -> TextModule:
    module = await uow.text_modules.get(module_id, lock=lock)
    if module is None or not may_use(actor):
        raise NotFound(NO_SUCH_MODULE)
    return module


async def list_text_modules(
    *,
    uow: TicketsUoW,
    actor: Actor,
    text: str | None,
    language: str | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[TextModule]:
    if not may_use(actor):
        raise NotFound()
    query = TextModuleQuery(text=text, language=language, after=after, limit=limit)
    async with uow:
        return await uow.text_modules.page(query)


async def get_text_module(*, uow: TicketsUoW, module_id: uuid.UUID, actor: Actor) -> TextModule:
    async with uow:
        return await _module(uow, module_id, actor, lock=False)


async def create_text_module(
    *, uow: TicketsUoW, data: TextModuleCreate, actor: Actor
) -> TextModule:
    if not may_maintain(actor):
        raise NotFound()
    _check_body(data.body)
    async with uow:
        if await uow.text_modules.by_name(data.name, data.language) is not None:
            raise _name_taken()
        at = _now()
        module = TextModule(
            id=uuid.uuid4(), created_by=actor.id, created_at=at, updated_at=at, **data.model_dump()
        )
        module.refresh_search_text()
        uow.text_modules.add(module)
        await _commit(uow)
    return module


def _changes(data: TextModuleUpdate) -> dict[str, Any]:
    changes = data.model_dump(exclude_unset=True)
    if cleared := sorted(f for f in REQUIRED_ON_UPDATE if f in changes and changes[f] is None):
        raise InvalidInput([_error(f, "This cannot be empty.", "required") for f in cleared])
    if "keywords" in changes and changes["keywords"] is None:
        changes["keywords"] = ""
    if changes.get("body") is not None:
        _check_body(changes["body"])
    return changes


async def update_text_module(
    *, uow: TicketsUoW, module_id: uuid.UUID, data: TextModuleUpdate, actor: Actor
) -> TextModule:
    if not may_maintain(actor):
        raise NotFound()
    changes = _changes(data)
    async with uow:
        module = await _module(uow, module_id, actor, lock=True)
        name = changes.get("name", module.name)
        language = changes.get("language", module.language)
        if (name, language) != (module.name, module.language):
            other = await uow.text_modules.by_name(name, language)
            if other is not None and other.id != module.id:
                raise _name_taken()
        module.change(_now(), **changes)
        await _commit(uow)
    return module


async def delete_text_module(*, uow: TicketsUoW, module_id: uuid.UUID, actor: Actor) -> None:
    if not may_maintain(actor):
        raise NotFound()
    async with uow:
        module = await _module(uow, module_id, actor, lock=True)
        await uow.text_modules.delete(module)
        await uow.commit()


async def _asset_text(uow: TicketsUoW, ticket: Ticket) -> str:
    if not ticket.asset_id:
        return ""
    try:
        asset = await uow.assets.get(uuid.UUID(ticket.asset_id))
    except ValueError:
        return ""
    return f"{asset.name} ({asset.serial_number})" if asset is not None else ""


async def _values(
    uow: TicketsUoW, ticket: Ticket, language: str, actor: Actor
) -> dict[str, dict[str, str]]:
    """What the placeholders stand for on `ticket`, as `actor` inserts the module."""
    people = await uow.directory.users({ticket.contact_id, actor.id})
    contact, agent = people.get(ticket.contact_id), people.get(actor.id)
    organization = (
        await uow.directory.organization(ticket.organization_id) if ticket.organization_id else None
    )
    customer_name = contact.display_name if contact else ""
    agent_name = agent.display_name if agent else actor.username
    status = label(PORTAL_STATUS, language, PORTAL_STATUS_OF[ticket.status][0])
    return {
        "customer": {
            "name": customer_name,
            "first_name": rules.first_name(customer_name),
            "email": contact.email if contact else "",
        },
        "organization": {"name": organization.name if organization else ""},
        "ticket": {
            "number": ticket.number,
            "title": ticket.title,
            "priority": str(ticket.priority),
            "status": status,
            "asset": await _asset_text(uow, ticket),
        },
        "agent": {"name": agent_name, "first_name": rules.first_name(agent_name)},
    }


async def fill_in(*, uow: TicketsUoW, module_id: uuid.UUID, number: str, actor: Actor) -> Filled:
    """The module's text for the ticket `number` (one the actor sees), and what
    inserting it would do to the ticket; changes nothing."""
    async with uow:
        module = await _module(uow, module_id, actor, lock=False)
        ticket = await visible_ticket(uow, number, actor, lock=False)
        values = await _values(uow, ticket, module.language, actor)
    try:
        body = rules.render(module.body, values)
    except rules.RENDER_ERRORS as exc:
        # Checked when saved; kept as a field error should the rules ever tighten.
        raise InvalidInput([_error("body", str(exc), "template_error")]) from exc
    return Filled(body=body, set_status=module.set_status, set_priority=module.set_priority)

"""Saved personal views and the contact picker. A view belongs to the user who saved it:
every query here is by that user."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_tickets.directory.models import KnownUser
from portal_tickets.saved_views.models import SavedView
from portal_tickets.saved_views.permissions import contact_organization
from portal_tickets.saved_views.schemas import SavedViewCreate
from portal_tickets.uow import TicketsUoW

MAX_VIEWS = 50


async def my_views(*, uow: TicketsUoW, actor: Actor) -> list[SavedView]:
    async with uow:
        return await uow.saved_views.of_user(actor.id)


async def save_view(*, uow: TicketsUoW, data: SavedViewCreate, actor: Actor) -> SavedView:
    async with uow:
        names = await uow.saved_views.names(actor.id)
        if data.name in names:
            raise Conflict(f"You have a view named {data.name!r} already.")
        if len(names) >= MAX_VIEWS:
            raise InvalidInput(
                [{"field": "name", "message": f"At most {MAX_VIEWS} views.", "code": "too_many"}]
            )
        view = SavedView(
            id=uuid.uuid4(), user_id=actor.id, name=data.name, query=data.query.model_dump()
        )
        uow.saved_views.add(view)
        await uow.commit()
    return view


async def delete_view(*, uow: TicketsUoW, view_id: uuid.UUID, actor: Actor) -> None:
    async with uow:
        if not await uow.saved_views.delete(view_id, user_id=actor.id):
            raise NotFound("No such view.")  # someone else's view does not exist for you
        await uow.commit()


async def contacts(
    *, uow: TicketsUoW, actor: Actor, q: str | None, organization_id: uuid.UUID | None
) -> list[KnownUser]:
    """Colleagues a ticket can name as its contact (staff pick any organization)."""
    org = contact_organization(actor, organization_id)
    if org is None:
        return []
    async with uow:
        return await uow.directory.colleagues(org, q=q, limit=20)

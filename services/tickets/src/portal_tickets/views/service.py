"""Saved personal views and the contact picker."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_tickets.directory.models import KnownUser
from portal_tickets.uow import TicketsUoW
from portal_tickets.views.models import SavedView
from portal_tickets.views.schemas import SavedViewCreate

MAX_VIEWS = 50


async def my_views(*, uow: TicketsUoW, actor: Actor) -> list[SavedView]:
    async with uow:
        rows = await uow.session.scalars(
            select(SavedView).where(SavedView.user_id == actor.id).order_by(SavedView.name)
        )
        return list(rows)


async def save_view(*, uow: TicketsUoW, data: SavedViewCreate, actor: Actor) -> SavedView:
    async with uow:
        existing = await uow.session.scalars(
            select(SavedView.name).where(SavedView.user_id == actor.id)
        )
        names = set(existing)
        if data.name in names:
            raise Conflict(f"You have a view named {data.name!r} already.")
        if len(names) >= MAX_VIEWS:
            raise InvalidInput(
                [{"field": "name", "message": f"At most {MAX_VIEWS} views.", "code": "too_many"}]
            )
        view = SavedView(
            id=uuid.uuid4(), user_id=actor.id, name=data.name, query=data.query.model_dump()
        )
        uow.session.add(view)
        await uow.commit()
    return view


async def delete_view(*, uow: TicketsUoW, view_id: uuid.UUID, actor: Actor) -> None:
    async with uow:
        result = await uow.session.execute(
            delete(SavedView).where(SavedView.id == view_id, SavedView.user_id == actor.id)
        )
        if result.rowcount == 0:
            raise NotFound("No such view.")  # someone else's view does not exist for you
        await uow.commit()


async def contacts(
    *, uow: TicketsUoW, actor: Actor, q: str | None, organization_id: uuid.UUID | None
) -> list[KnownUser]:
    """Colleagues a ticket can name as its contact (staff pick any organization)."""
    org = organization_id if actor.is_staff else actor.organization_id
    if org is None:
        return []
    async with uow:
        return await uow.directory.colleagues(org, q=q, limit=20)

"""Presence use cases: an agent says they have a ticket open (and whether they are
writing), or that they left; a live stream tells its user when the others on their
tickets change. Each change wakes the streams of everybody on the ticket at once; a
row that went stale is noticed at a stream's next heartbeat."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound
from portal_notify.notification.hub import Hub
from portal_notify.presence.models import PRESENT_SECONDS
from portal_notify.presence.permissions import sees_ticket
from portal_notify.presence.schemas import PresenceChange, Viewer, Viewers
from portal_notify.uow import NotifyUoW


def present_since(now: datetime) -> datetime:
    """Rows seen before this count as gone."""
    return now - timedelta(seconds=PRESENT_SECONDS)


async def _ticket_number(uow: NotifyUoW, actor: Actor, number: str) -> str:
    # A brand-new ticket whose event has not arrived yet is asked of the tickets service.
    card = await uow.directory.card_by_number(number)
    if card is None or not sees_ticket(actor, card):
        raise NotFound("No such ticket.")
    return card.number


async def _name_of(uow: NotifyUoW, actor: Actor) -> str:
    people = await uow.directory.people({actor.id})
    person = people.get(actor.id)
    return person.display_name if person is not None and person.display_name else actor.username


async def arrive(*, uow: NotifyUoW, hub: Hub, actor: Actor, number: str, typing: bool) -> Viewers:
    """Note (or refresh) that `actor` has the ticket open; who else has it."""
    now = datetime.now(UTC)
    cutoff = present_since(now)
    async with uow:
        number = await _ticket_number(uow, actor, number)
        name = await _name_of(uow, actor)
        before = await uow.presence.get(number, actor.id)
        fresh = before if before is not None and before.seen_at >= cutoff else None
        # Only news wakes the others: the page's beat every 20 s is none.
        news = fresh is None or (fresh.typing, fresh.name) != (typing, name)
        since = fresh.since if fresh is not None else now
        await uow.presence.forget_stale(number, actor.id, cutoff)
        await uow.presence.upsert(number, actor.id, name=name, typing=typing, since=since, now=now)
        others = await uow.presence.others(number, actor.id, since=cutoff)
        await uow.commit()
    if news:
        # The caller's own streams too: they start telling about this ticket at once.
        await hub.publish([actor.id, *(row.user_id for row in others)])
    return Viewers(viewers=[Viewer.of(row) for row in others])


async def leave(*, uow: NotifyUoW, hub: Hub, actor: Actor, number: str) -> None:
    """`actor` closed the ticket's page; the others hear of it at once."""
    cutoff = present_since(datetime.now(UTC))
    async with uow:
        number = await _ticket_number(uow, actor, number)
        await uow.presence.remove(number, actor.id)
        others = await uow.presence.others(number, actor.id, since=cutoff)
        await uow.commit()
    await hub.publish([row.user_id for row in others])


def _shown(viewers: list[Viewer]) -> list[tuple[uuid.UUID, str, bool]]:
    # What the page shows of the others; `since` alone changes nothing there.
    return [(v.user_id, v.name, v.typing) for v in viewers]


class PresenceWatch:
    """What one live stream last told its user about the others on their tickets, so
    it sends a `presence` event only when that changed."""

    def __init__(self, make_uow: Callable[[], NotifyUoW], user_id: uuid.UUID) -> None:
        self._make_uow = make_uow
        self._user_id = user_id
        self._told: dict[str, list[Viewer]] = {}

    async def frames(self) -> list[str]:
        """Server-sent `presence` events for each ticket whose others changed."""
        cutoff = present_since(datetime.now(UTC))
        async with self._make_uow() as uow:
            found = await uow.presence.around(self._user_id, since=cutoff)
            now = {number: [Viewer.of(row) for row in rows] for number, rows in found.items()}
        frames = []
        for number, viewers in now.items():
            if _shown(viewers) != _shown(self._told.get(number, [])):
                data = PresenceChange(ticket=number, viewers=viewers).model_dump_json()
                frames.append(f"event: presence\ndata: {data}\n\n")
        # A ticket the user left is forgotten: back on it, they hear afresh.
        self._told = now
        return frames

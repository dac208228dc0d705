"""Tickets events that mark attachments as used (unused ones are cleaned up) and attach
them to the ticket, whose people may then read them: the files a ticket was opened with
(`tickets.ticket.created`), those of each later message (`tickets.article.added`), and
those of a duplicate merged into the ticket (`tickets.ticket.merged`)."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import EventFacts, consumer
from portal_chassis.envelope import Envelope
from portal_files.attachments import merge, service
from portal_files.uow import FilesUoW


class OpenedWith(EventFacts):
    """A new ticket and the files it was opened with (its first, public message)."""

    number: str
    file_ids: list[uuid.UUID] = []


class MessageFiles(EventFacts):
    ticket_number: str
    file_ids: list[uuid.UUID] = []
    internal: bool = False


@consumer("tickets.ticket.created", name="files.attachments.opened", reads=OpenedWith)
async def on_ticket_opened(event: Envelope, uow: FilesUoW, facts: OpenedWith) -> None:
    await service.reference(
        uow=uow,
        file_ids=facts.file_ids,
        ticket_number=facts.number,
        public=True,
        at=event.occurred_at,
    )


@consumer("tickets.article.added", name="files.attachments.referenced", reads=MessageFiles)
async def on_message_added(event: Envelope, uow: FilesUoW, facts: MessageFiles) -> None:
    await service.reference(
        uow=uow,
        file_ids=facts.file_ids,
        ticket_number=facts.ticket_number,
        public=not facts.internal,
        at=event.occurred_at,
    )


class MergedFacts(EventFacts):
    """A duplicate ticket merged into another, with the files of its moved public
    messages."""

    number: str
    into: str
    organization_id: uuid.UUID | None = None
    file_ids: list[uuid.UUID] = []
    actor_id: uuid.UUID


@consumer("tickets.ticket.merged", name="files.attachments.merged", reads=MergedFacts)
async def on_ticket_merged(event: Envelope, uow: FilesUoW, facts: MergedFacts) -> None:
    await merge.merge(
        uow=uow,
        number=facts.number,
        into=facts.into,
        organization_id=facts.organization_id,
        file_ids=facts.file_ids,
        actor_id=facts.actor_id,
        at=event.occurred_at,
    )


HANDLERS = [on_ticket_opened, on_message_added, on_ticket_merged]

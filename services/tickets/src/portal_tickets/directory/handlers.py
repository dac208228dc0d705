"""Identity and files events that keep the directory current. Fields the producer may
leave empty (docs/asyncapi.yaml: nullable ids, optional texts) are read as such."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_tickets.directory.models import KnownFile, KnownOrganization, KnownUser
from portal_tickets.uow import TicketsUoW


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


@consumer("identity.organization.*", name="tickets.directory.organization")
async def on_organization(event: Envelope, uow: TicketsUoW) -> None:
    data = event.data
    async with uow:
        await uow.directory.upsert(
            KnownOrganization,
            id=uuid.UUID(data["id"]),
            name=data["name"],
            priority_contract=data["priority_contract"],
            org_wide_visibility=data["org_wide_visibility"],
            sla_contract=data.get("sla_contract"),
            active=data["active"],
            as_of=event.occurred_at,
        )
        await uow.commit()


@consumer(
    "identity.user.created",
    "identity.user.updated",
    "identity.user.deactivated",
    name="tickets.directory.user",
)
async def on_user(event: Envelope, uow: TicketsUoW) -> None:
    data = event.data
    async with uow:
        await uow.directory.upsert(
            KnownUser,
            id=uuid.UUID(data["id"]),
            username=data["username"],
            display_name=data["display_name"],
            email=data["email"],
            language=data["language"],
            organization_id=_uuid(data.get("organization_id")),
            roles=list(data["roles"]),
            active=data["active"],
            as_of=event.occurred_at,
        )
        await uow.commit()


@consumer("files.file.stored", name="tickets.directory.file")
async def on_file_stored(event: Envelope, uow: TicketsUoW) -> None:
    data = event.data
    async with uow:
        await uow.directory.upsert(
            KnownFile,
            id=uuid.UUID(data["id"]),
            organization_id=_uuid(data.get("organization_id")),
            uploader_id=_uuid(data.get("uploader_id")),
            name=data["name"],
            size=int(data["size"]),
            content_type=data["content_type"],
            as_of=event.occurred_at,
        )
        await uow.commit()


HANDLERS = [on_organization, on_user, on_file_stored]

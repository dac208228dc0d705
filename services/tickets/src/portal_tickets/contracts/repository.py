"""Queries of contracts and business calendars."""

from __future__ import annotations

import uuid

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.db import any_of
from portal_tickets.contracts.models import Calendar, Contract
from portal_tickets.directory.models import KnownOrganization

_CALENDARS = select(Calendar).where(any_of(Calendar.id))
_CONTRACTS = select(Contract).where(any_of(Contract.id))
_CONTRACTS_OF = (
    select(Contract)
    .where(any_of(Contract.organization_id))
    .order_by(Contract.valid_from.desc(), Contract.name)
)


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Calendar | Contract) -> None:
        self.session.add(row)

    async def delete(self, row: Calendar | Contract) -> None:
        await self.session.delete(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def calendars(self) -> list[Calendar]:
        return list(await self.session.scalars(select(Calendar).order_by(Calendar.name)))

    async def calendar(self, calendar_id: uuid.UUID, *, lock: bool = False) -> Calendar | None:
        return await self.session.get(Calendar, calendar_id, with_for_update=lock)

    async def calendar_named(self, name: str) -> Calendar | None:
        return await self.session.scalar(select(Calendar).where(Calendar.name == name))

    async def default_calendar(self) -> Calendar | None:
        return await self.session.scalar(select(Calendar).where(Calendar.is_default.is_(True)))

    async def calendar_in_use(self, calendar_id: uuid.UUID) -> bool:
        used = await self.session.scalar(
            select(exists().where(Contract.calendar_id == calendar_id))
        )
        return bool(used)

    async def calendars_by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Calendar]:
        if not ids:
            return {}
        rows = await self.session.scalars(_CALENDARS, {"ids": list(ids)})
        return {row.id: row for row in rows}

    async def contracts_by_ids(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Contract]:
        if not ids:
            return {}
        rows = await self.session.scalars(_CONTRACTS, {"ids": list(ids)})
        return {row.id: row for row in rows}

    async def contracts_of(
        self, organization_ids: set[uuid.UUID]
    ) -> dict[uuid.UUID, list[Contract]]:
        """The contracts of each organization, newest validity first."""
        found: dict[uuid.UUID, list[Contract]] = {}
        if not organization_ids:
            return found
        rows = await self.session.scalars(_CONTRACTS_OF, {"ids": list(organization_ids)})
        for row in rows:
            found.setdefault(row.organization_id, []).append(row)
        return found

    async def contract(self, contract_id: uuid.UUID) -> Contract | None:
        return await self.session.get(Contract, contract_id)

    async def contracts(self, organization_id: uuid.UUID | None = None) -> list[Contract]:
        query = select(Contract).order_by(
            Contract.organization_id, Contract.valid_from.desc(), Contract.name
        )
        if organization_id is not None:
            query = query.where(Contract.organization_id == organization_id)
        return list(await self.session.scalars(query))

    async def lock_organization(self, organization_id: uuid.UUID) -> KnownOrganization | None:
        """The organization as the directory knows it, locked (PostgreSQL) so that the
        contracts of one organization change one request at a time."""
        return await self.session.scalar(
            select(KnownOrganization)
            .where(KnownOrganization.id == organization_id)
            .with_for_update()
        )

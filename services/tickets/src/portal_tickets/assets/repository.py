from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.db import any_of
from portal_chassis.text import strip_control_characters
from portal_tickets.assets.models import Asset, AssetStatus

_BY_IDS = select(Asset).where(any_of(Asset.id))

MAX_TERMS = 5


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _of_organization(organization_id: uuid.UUID | None) -> ColumnElement[bool]:
    if organization_id is None:
        return Asset.organization_id.is_(None)
    return Asset.organization_id == organization_id


@dataclass
class AssetQuery:
    """A list request, already scoped to what the caller may see."""

    visible: ColumnElement[bool]
    text: str | None = None
    organization_id: uuid.UUID | None = None
    statuses: set[AssetStatus] | None = None
    after: tuple[str, uuid.UUID] | None = None  # (name, id) of the last row seen
    limit: int = 25
    extra: list[ColumnElement[bool]] = field(default_factory=list)

    def conditions(self) -> list[ColumnElement[bool]]:
        where = [self.visible, *self.extra]
        if self.organization_id is not None:
            where.append(Asset.organization_id == self.organization_id)
        if self.statuses:
            where.append(Asset.status.in_(self.statuses))
        # Each word must occur in one of the searched fields (case-insensitive, also
        # inside a word, so that the start of a serial number finds it).
        text = strip_control_characters(self.text or "", keep_lines=False)
        for term in text.casefold().split()[:MAX_TERMS]:
            where.append(Asset.search_text.like(_like(term), escape="\\"))
        if self.after is not None:
            name, last = self.after
            position = tuple_(Asset.name, Asset.id)
            where.append(
                position > tuple_(literal(name, Asset.name.type), literal(last, Asset.id.type))
            )
        return where


class AssetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, asset: Asset) -> None:
        self.session.add(asset)

    async def get(self, asset_id: uuid.UUID, *, lock: bool = False) -> Asset | None:
        query = select(Asset).where(Asset.id == asset_id)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def by_serial(self, organization_id: uuid.UUID | None, serial: str) -> Asset | None:
        return await self.session.scalar(
            select(Asset).where(_of_organization(organization_id), Asset.serial_number == serial)
        )

    async def by_serials(
        self, organization_id: uuid.UUID, serials: Collection[str]
    ) -> dict[str, Asset]:
        """The organization's assets with any of `serials`, by serial number (locked: an
        import updates them)."""
        found: dict[str, Asset] = {}
        wanted = list(serials)
        for start in range(0, len(wanted), 1000):
            rows = await self.session.scalars(
                select(Asset)
                .where(
                    Asset.organization_id == organization_id,
                    Asset.serial_number.in_(wanted[start : start + 1000]),
                )
                .with_for_update()
            )
            found.update({a.serial_number: a for a in rows})
        return found

    async def naming_contract(self, contract_id: uuid.UUID) -> list[Asset]:
        """The assets whose contract is `contract_id` (locked: their contract changes)."""
        rows = await self.session.scalars(
            select(Asset).where(Asset.contract_id == contract_id).with_for_update()
        )
        return list(rows)

    async def by_ids(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Asset]:
        if not ids:
            return {}
        rows = await self.session.scalars(_BY_IDS, {"ids": list(ids)})
        return {a.id: a for a in rows}

    async def page(self, query: AssetQuery) -> list[Asset]:
        rows = await self.session.scalars(
            select(Asset)
            .where(*query.conditions())
            .order_by(Asset.name, Asset.id)
            .limit(query.limit)
        )
        return list(rows)

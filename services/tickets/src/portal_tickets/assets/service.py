"""Asset use cases: list, read, create, change, import, an asset's tickets, and naming
an asset on a ticket."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_tickets.assets import csvimport
from portal_tickets.assets.models import Asset, AssetStatus
from portal_tickets.assets.permissions import can_view, visible_filter
from portal_tickets.assets.repository import AssetQuery
from portal_tickets.assets.schemas import (
    REQUIRED_ON_UPDATE,
    AssetCreate,
    AssetUpdate,
    ImportReport,
    RefusedRow,
    RowError,
)
from portal_tickets.contracts.models import Contract
from portal_tickets.ticket.models import Ticket
from portal_tickets.ticket.permissions import visible_filter as visible_tickets
from portal_tickets.ticket.repository import TicketQuery
from portal_tickets.uow import TicketsUoW

UNKNOWN_ORGANIZATION = "No such organization."
SERIAL_TAKEN = "The organization has an asset with this serial number already."
UNKNOWN_CONTRACT = "No such contract of the asset's organization."
UNKNOWN_ASSET = "No such asset of the ticket's organization (give its id or serial number)."


def _now() -> datetime:
    return datetime.now(UTC)


def _error(field: str, message: str, code: str) -> dict[str, str]:
    return {"field": field, "message": message, "code": code}


async def _commit(uow: TicketsUoW) -> None:
    """Commit; a serial number taken by a concurrent request meanwhile is a conflict."""
    try:
        await uow.commit()
    except IntegrityError as exc:
        raise Conflict(SERIAL_TAKEN) from exc


async def _is_contract_of(
    uow: TicketsUoW, organization_id: uuid.UUID | None, contract_id: uuid.UUID | None
) -> bool:
    """Whether `contract_id` (if any) names a contract of the asset's organization."""
    if contract_id is None:
        return True
    contract = await uow.contracts.contract(contract_id)
    return contract is not None and contract.organization_id == organization_id


async def list_assets(
    *,
    uow: TicketsUoW,
    actor: Actor,
    text: str | None,
    organization_id: uuid.UUID | None,
    statuses: set[AssetStatus] | None,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[Asset]:
    query = AssetQuery(
        visible=visible_filter(actor),
        text=text,
        organization_id=organization_id,
        statuses=statuses,
        after=after,
        limit=limit,
    )
    async with uow:
        return await uow.assets.page(query)


async def _visible_asset(
    uow: TicketsUoW, asset_id: uuid.UUID, actor: Actor, *, lock: bool
) -> Asset:
    asset = await uow.assets.get(asset_id, lock=lock)
    # Another organization's asset is indistinguishable from a missing one.
    if asset is None or not can_view(actor, asset):
        raise NotFound("No such asset.")
    return asset


async def get_asset(*, uow: TicketsUoW, asset_id: uuid.UUID, actor: Actor) -> Asset:
    async with uow:
        return await _visible_asset(uow, asset_id, actor, lock=False)


async def create_asset(*, uow: TicketsUoW, data: AssetCreate, actor: Actor) -> Asset:
    async with uow:
        if await uow.directory.organization(data.organization_id) is None:
            raise InvalidInput(
                [_error("organization_id", UNKNOWN_ORGANIZATION, "unknown_organization")]
            )
        if await uow.assets.by_serial(data.organization_id, data.serial_number) is not None:
            raise InvalidInput([_error("serial_number", SERIAL_TAKEN, "duplicate_serial")])
        if not await _is_contract_of(uow, data.organization_id, data.contract_id):
            raise InvalidInput([_error("contract_id", UNKNOWN_CONTRACT, "unknown_contract")])
        at = _now()
        asset = Asset(id=uuid.uuid4(), created_at=at, updated_at=at, **data.model_dump())
        asset.refresh_search_text()
        uow.assets.add(asset)
        await _commit(uow)
    return asset


async def update_asset(
    *, uow: TicketsUoW, asset_id: uuid.UUID, data: AssetUpdate, actor: Actor
) -> Asset:
    changes = data.model_dump(exclude_unset=True)
    if cleared := sorted(f for f in REQUIRED_ON_UPDATE if f in changes and changes[f] is None):
        raise InvalidInput([_error(f, "This cannot be empty.", "required") for f in cleared])
    if "attributes" in changes and changes["attributes"] is None:
        changes["attributes"] = {}
    async with uow:
        asset = await _visible_asset(uow, asset_id, actor, lock=True)
        serial = changes.get("serial_number")
        if (
            serial is not None
            and serial != asset.serial_number
            and await uow.assets.by_serial(asset.organization_id, serial) is not None
        ):
            raise InvalidInput([_error("serial_number", SERIAL_TAKEN, "duplicate_serial")])
        if not await _is_contract_of(uow, asset.organization_id, changes.get("contract_id")):
            raise InvalidInput([_error("contract_id", UNKNOWN_CONTRACT, "unknown_contract")])
        asset.change(_now(), **changes)
        await _commit(uow)
    return asset


async def asset_tickets(
    *, uow: TicketsUoW, asset_id: uuid.UUID, actor: Actor, after: tuple[Any, int] | None, limit: int
) -> list[Ticket]:
    """The asset's tickets, open and closed, newest first, as far as the actor may see
    them (the portal's ticket visibility rule)."""
    async with uow:
        asset = await _visible_asset(uow, asset_id, actor, lock=False)
        own = (
            await uow.directory.organization(actor.organization_id)
            if actor.organization_id
            else None
        )
        query = TicketQuery(
            visible=visible_tickets(actor, own, "organization"),
            asset_id=str(asset.id),
            after=after,
            limit=limit,
        )
        return await uow.tickets.page(query)


def _refused(row: csvimport.ImportRow) -> RefusedRow:
    return RefusedRow(
        line=row.line,
        serial_number=row.serial_number,
        errors=[RowError.model_validate(e) for e in row.errors],
    )


def _new_asset(organization_id: uuid.UUID, row: csvimport.ImportRow, at: datetime) -> Asset:
    asset = Asset(
        id=uuid.uuid4(),
        organization_id=organization_id,
        serial_number=row.serial_number,
        attributes=row.attributes,
        created_at=at,
        updated_at=at,
        **({"status": AssetStatus.ACTIVE} | row.values),
    )
    asset.refresh_search_text()
    return asset


def _named_contract(contracts: list[Contract], reference: uuid.UUID | str) -> Contract | None:
    """The contract a cell names: its id, or its name (case does not matter). Of several
    contracts of one name (one after the other), the one in force today, else the one
    that begins last."""
    if isinstance(reference, uuid.UUID):
        return next((c for c in contracts if c.id == reference), None)
    named = [c for c in contracts if c.name.casefold() == reference.casefold()]
    now = _now()
    in_force = [c for c in named if c.in_force_at(now)]
    return max(in_force or named, key=lambda c: (c.valid_from, c.created_at), default=None)


async def _check_contracts(
    uow: TicketsUoW, organization_id: uuid.UUID, rows: list[csvimport.ImportRow]
) -> None:
    """Put the contract each row names (by id or by name) as its id; refuse the rows
    naming a contract the organization does not have."""
    if not any(r.values.get("contract_id") for r in rows):
        return
    contracts = await uow.contracts.contracts(organization_id)
    for row in rows:
        reference = row.values.get("contract_id")
        if reference is None:
            continue
        contract = _named_contract(contracts, reference)
        if contract is not None:
            row.values["contract_id"] = contract.id
            continue
        row.errors.append(
            csvimport.error(
                "contract",
                "unknown_contract",
                "The organization has no such contract (give its name or id).",
                "Die Organisation hat keinen solchen Vertrag (Name oder ID angeben).",
            )
        )


async def import_assets(
    *, uow: TicketsUoW, organization_id: uuid.UUID, data: bytes, actor: Actor
) -> ImportReport:
    """Create or update the organization's assets from a CSV file: a row whose serial
    number exists updates that asset (cells left empty keep what it has; its attributes
    are merged), a bad row is refused and the others land, all in one transaction."""
    rows = csvimport.read_rows(data)
    report = ImportReport(created=0, updated=0, refused=[])
    async with uow:
        if await uow.directory.organization(organization_id) is None:
            raise InvalidInput(
                [_error("organization_id", UNKNOWN_ORGANIZATION, "unknown_organization")]
            )
        good = [r for r in rows if not r.errors]
        existing = await uow.assets.by_serials(
            organization_id, {str(r.serial_number) for r in good}
        )
        at = _now()
        await _check_contracts(uow, organization_id, good)
        for row in rows:
            asset = existing.get(str(row.serial_number)) if not row.errors else None
            if asset is None and not row.errors and "name" not in row.values:
                row.errors.append(
                    csvimport.error(
                        "name",
                        "required",
                        "A new asset needs a name.",
                        "Eine neue Anlage braucht einen Namen.",
                    )
                )
            if row.errors:
                report.refused.append(_refused(row))
            elif asset is not None:
                asset.change(at, **row.values, attributes={**asset.attributes, **row.attributes})
                report.updated += 1
            else:
                uow.assets.add(_new_asset(organization_id, row, at))
                report.created += 1
        await _commit(uow)
    return report


async def resolve_for_ticket(
    uow: TicketsUoW, organization_id: uuid.UUID | None, reference: str
) -> Asset | None:
    """The asset `reference` names among the assets of a ticket's organization: its id,
    or else its serial number (so a link such as `/tickets/new?asset=<serial>` works).
    None if the organization has no such asset. Call inside an entered unit of work."""
    try:
        asset = await uow.assets.get(uuid.UUID(reference))
    except ValueError:
        asset = None
    if asset is not None and asset.organization_id == organization_id:
        return asset
    return await uow.assets.by_serial(organization_id, reference)


def unknown_asset() -> dict[str, str]:
    """The field error for a ticket naming an asset its organization does not have."""
    return _error("asset_id", UNKNOWN_ASSET, "unknown_asset")

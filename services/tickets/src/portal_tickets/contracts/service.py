"""Contracts and business calendars: use cases, and the terms a ticket gets."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_tickets.assets.models import Asset
from portal_tickets.contracts import rules
from portal_tickets.contracts.events import ContractChanged
from portal_tickets.contracts.models import Calendar, Contract, Terms
from portal_tickets.contracts.permissions import (
    NO_CONTRACT,
    NO_ORGANIZATION,
    may_read_contract,
    readable_organization,
    require_admin,
    require_staff,
)
from portal_tickets.contracts.schemas import (
    CalendarCreate,
    CalendarUpdate,
    ContractCreate,
    ContractUpdate,
    Target,
)
from portal_tickets.uow import TicketsUoW

NO_CALENDAR = "No such business calendar."
NO_ASSET = "No such asset of the contract's organization."
CONCURRENT = "It was changed at the same time by someone else. Load it again and retry."
# Where no calendar is stored yet (a database made without the migrations).
FALLBACK_CALENDAR_ID = uuid.UUID("00000000-0000-0000-0000-00000000ca1e")


def _now() -> datetime:
    return datetime.now(UTC)


async def _commit(uow: TicketsUoW) -> None:
    try:
        await uow.commit()
    except IntegrityError as exc:  # a unique name or the one default, taken meanwhile
        raise Conflict(CONCURRENT) from exc


# --- the terms in force ---------------------------------------------------------------


async def contract_in_force(
    uow: TicketsUoW,
    organization_id: uuid.UUID | None,
    *,
    at: datetime | None = None,
    product: str | None = None,
    asset_id: str | None = None,
) -> Contract | None:
    """The organization's contract in force at `at` (now) for a ticket of `product`
    and `asset_id` (see `rules.choose`), within the caller's unit of work."""
    if organization_id is None:
        return None
    contracts = await uow.contracts.contracts(organization_id)
    asset_contract = await _asset_contract(uow, organization_id, asset_id)
    return rules.choose(contracts, at or _now(), product, asset_id, asset_contract)


async def _asset_contract(
    uow: TicketsUoW, organization_id: uuid.UUID, asset_id: str | None
) -> uuid.UUID | None:
    """The contract the organization's asset `asset_id` (its id as text) names."""
    try:
        asset = await uow.assets.get(uuid.UUID(asset_id)) if asset_id else None
    except ValueError:
        return None
    if asset is None or asset.organization_id != organization_id:
        return None
    return asset.contract_id


async def priorities_selectable(
    uow: TicketsUoW,
    organization_id: uuid.UUID | None,
    *,
    product: str | None = None,
    asset_id: str | None = None,
) -> bool | None:
    """Whether the contract in force lets the organization's people choose priorities;
    None without a contract in force (then the organization's own flag applies)."""
    contract = await contract_in_force(uow, organization_id, product=product, asset_id=asset_id)
    return None if contract is None else contract.priorities_selectable


async def default_calendar(uow: TicketsUoW) -> Calendar:
    found = await uow.contracts.default_calendar()
    if found is not None:
        return found
    return Calendar(
        id=FALLBACK_CALENDAR_ID,
        name="Standard",
        time_zone="Europe/Berlin",
        weekly=rules.OFFICE_WEEK,
        holidays=[],
        is_default=True,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


async def terms_in_force(
    uow: TicketsUoW,
    organization_id: uuid.UUID | None,
    *,
    at: datetime | None = None,
    product: str | None = None,
    asset_id: str | None = None,
) -> Terms:
    """The terms a ticket gets (within the caller's unit of work): the contract in
    force, else the default calendar, the default targets and the organization's flag."""
    contract = await contract_in_force(
        uow, organization_id, at=at, product=product, asset_id=asset_id
    )
    if contract is not None:
        targets = {p: contract.target_hours(p) for p in rules.PRIORITIES}
        return Terms(contract, contract.calendar, targets, contract.priorities_selectable)
    calendar = await default_calendar(uow)
    org = await uow.directory.organization(organization_id) if organization_id else None
    selectable = organization_id is None or (org is not None and org.priority_contract)
    targets = rules.default_targets(rules.day_hours(calendar.hours))
    return Terms(None, calendar, targets, selectable)


async def terms_of_ticket(
    uow: TicketsUoW,
    *,
    organization_id: uuid.UUID | None,
    contract_id: uuid.UUID | None,
    calendar_id: uuid.UUID | None,
) -> Terms:
    """The terms a ticket opened under (its contract and calendar, kept as ids): a new
    priority takes its targets from them. A contract deleted since gives way to the
    default targets, a deleted calendar to the default calendar."""
    contract = await uow.contracts.contract(contract_id) if contract_id else None
    calendar = await uow.contracts.calendar(calendar_id) if calendar_id else None
    if calendar is None:
        calendar = contract.calendar if contract is not None else await default_calendar(uow)
    if contract is not None:
        targets = {p: contract.target_hours(p) for p in rules.PRIORITIES}
        return Terms(contract, calendar, targets, contract.priorities_selectable)
    org = await uow.directory.organization(organization_id) if organization_id else None
    selectable = organization_id is None or (org is not None and org.priority_contract)
    targets = rules.default_targets(rules.day_hours(calendar.hours))
    return Terms(None, calendar, targets, selectable)


async def terms(
    *,
    uow: TicketsUoW,
    actor: Actor,
    organization_id: uuid.UUID | None,
    product: str | None,
    asset_id: str | None,
) -> Terms:
    """What the new-ticket form and the ticket page show."""
    organization_id = readable_organization(actor, organization_id)
    async with uow:
        if organization_id is not None and not await uow.directory.organization(organization_id):
            raise NotFound(NO_ORGANIZATION)
        return await terms_in_force(uow, organization_id, product=product, asset_id=asset_id)


# --- business calendars ---------------------------------------------------------------


async def list_calendars(*, uow: TicketsUoW, actor: Actor) -> list[Calendar]:
    require_staff(actor)
    async with uow:
        return await uow.contracts.calendars()


async def get_calendar(*, uow: TicketsUoW, calendar_id: uuid.UUID, actor: Actor) -> Calendar:
    require_staff(actor)
    async with uow:
        calendar = await uow.contracts.calendar(calendar_id)
    if calendar is None:
        raise NotFound(NO_CALENDAR)
    return calendar


async def _calendar_errors(
    uow: TicketsUoW, calendar: Calendar | None, name: str, time_zone: str, weekly: Any
) -> list[rules.FieldError]:
    errors = rules.calendar_errors(time_zone, weekly)
    named = await uow.contracts.calendar_named(name)
    if named is not None and named is not calendar:
        message = f"A business calendar named {name!r} exists already."
        errors.append(rules.error("name", message, "name_taken"))
    return errors


async def _become_default(uow: TicketsUoW, calendar: Calendar, at: datetime) -> None:
    former = await uow.contracts.default_calendar()
    if former is not None and former is not calendar:
        former.change(at, is_default=False)
        await uow.contracts.flush()  # before the new one: one default at any moment
    calendar.change(at, is_default=True)


async def create_calendar(*, uow: TicketsUoW, data: CalendarCreate, actor: Actor) -> Calendar:
    require_admin(actor)
    async with uow:
        errors = await _calendar_errors(uow, None, data.name, data.time_zone, data.weekly)
        if errors:
            raise InvalidInput(errors)
        at = _now()
        calendar = Calendar(
            id=uuid.uuid4(),
            name=data.name,
            time_zone=data.time_zone,
            weekly=_stored_weekly(data.weekly),
            holidays=_stored_holidays(data.holidays),
            is_default=False,
            created_at=at,
            updated_at=at,
        )
        uow.contracts.add(calendar)
        await uow.contracts.flush()
        if data.is_default or await uow.contracts.default_calendar() is None:
            await _become_default(uow, calendar, at)
        await _commit(uow)
    return calendar


def _stored_weekly(weekly: dict[str, Any]) -> dict[str, list[str]]:
    return rules.store_weekly({int(day): hours for day, hours in weekly.items()})


def _stored_holidays(holidays: list[date]) -> list[str]:
    return sorted({d.isoformat() for d in holidays})


async def update_calendar(
    *, uow: TicketsUoW, calendar_id: uuid.UUID, data: CalendarUpdate, actor: Actor
) -> Calendar:
    require_admin(actor)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    async with uow:
        calendar = await uow.contracts.calendar(calendar_id, lock=True)
        if calendar is None:
            raise NotFound(NO_CALENDAR)
        weekly = data.weekly if data.weekly is not None else _as_times(calendar.weekly)
        name, zone = changes.get("name", calendar.name), changes.get("time_zone")
        errors = await _calendar_errors(uow, calendar, name, zone or calendar.time_zone, weekly)
        if changes.get("is_default") is False and calendar.is_default:
            message = "Make another calendar the default instead."
            errors.append(rules.error("is_default", message, "default_required"))
        if errors:
            raise InvalidInput(errors)
        at = _now()
        if "weekly" in changes:
            changes["weekly"] = _stored_weekly(weekly)
        if data.holidays is not None:
            changes["holidays"] = _stored_holidays(data.holidays)
        if changes.pop("is_default", False):
            await _become_default(uow, calendar, at)
        calendar.change(at, **changes)
        await _commit(uow)
    return calendar


def _as_times(weekly: dict[str, list[str]]) -> dict[str, Any]:
    return {str(day): hours for day, hours in rules.parse_weekly(weekly).items()}


async def delete_calendar(*, uow: TicketsUoW, calendar_id: uuid.UUID, actor: Actor) -> None:
    require_admin(actor)
    async with uow:
        calendar = await uow.contracts.calendar(calendar_id, lock=True)
        if calendar is None:
            raise NotFound(NO_CALENDAR)
        if calendar.is_default:
            raise Conflict(
                "This is the default business calendar; make another one the default first."
            )
        if await uow.contracts.calendar_in_use(calendar_id):
            raise Conflict(
                "Contracts count their targets in this business calendar; "
                "give them another calendar first."
            )
        await uow.contracts.delete(calendar)
        await _commit(uow)


# --- contracts ------------------------------------------------------------------------


async def list_contracts(
    *, uow: TicketsUoW, actor: Actor, organization_id: uuid.UUID | None
) -> list[Contract]:
    organization_id = readable_organization(actor, organization_id)
    async with uow:
        return await uow.contracts.contracts(organization_id)


async def get_contract(*, uow: TicketsUoW, contract_id: uuid.UUID, actor: Actor) -> Contract:
    async with uow:
        contract = await uow.contracts.contract(contract_id)
    if contract is None or not may_read_contract(actor, contract):
        raise NotFound(NO_CONTRACT)
    return contract


def _target_hours(targets: dict[str, Target]) -> dict[str, rules.TargetHours]:
    return {p: rules.TargetHours(t.reaction_hours, t.resolution_hours) for p, t in targets.items()}


def _stored_targets(targets: dict[str, Target]) -> dict[str, dict[str, float]]:
    return {p: targets[p].model_dump() for p in rules.PRIORITIES}


def _contract_errors(
    contract: Contract | None, fields: dict[str, Any], others: list[Contract]
) -> list[rules.FieldError]:
    """What is wrong with a contract of `fields` beside the organization's `others`."""
    errors = rules.span_errors(fields["valid_from"], fields["valid_until"])
    errors += rules.target_errors(_target_hours(fields["targets"]))
    span = (fields["valid_from"], fields["valid_until"])
    for other in others:
        if other is contract or other.name != fields["name"]:
            continue
        if rules.overlaps(span, (other.valid_from, other.valid_until)):
            message = (
                f"The organization's contract {other.name!r} from {other.valid_from} "
                "runs at the same time; end one before the other begins."
            )
            errors.append(rules.error("name", message, "overlapping_contract"))
            break
    return errors


async def _calendar_for(
    uow: TicketsUoW, calendar_id: uuid.UUID, errors: list[rules.FieldError]
) -> Calendar | None:
    calendar = await uow.contracts.calendar(calendar_id)
    if calendar is None:
        errors.append(rules.error("calendar_id", NO_CALENDAR, "unknown_calendar"))
    return calendar


async def _listed_assets(
    uow: TicketsUoW,
    organization_id: uuid.UUID,
    asset_ids: list[str],
    errors: list[rules.FieldError],
) -> list[Asset]:
    """The assets a contract lists, each one of the contract's organization (else a
    field error naming its place in the list)."""
    wanted = [uuid.UUID(a) for a in asset_ids]
    found = await uow.assets.by_ids(set(wanted))
    assets = []
    for index, asset_id in enumerate(wanted):
        asset = found.get(asset_id)
        if asset is None or asset.organization_id != organization_id:
            errors.append(rules.error(f"asset_ids.{index}", NO_ASSET, "unknown_asset"))
        else:
            assets.append(asset)
    return assets


async def _point_assets(
    uow: TicketsUoW, contract: Contract, listed: list[Asset], at: datetime
) -> None:
    """Keep the assets' own contract field in step with the contract's list: a listed
    asset names the contract, an asset it no longer lists that named it names none.
    (An asset's `contract_id` is what decides; see `rules.choose`.)"""
    keep = {a.id for a in listed}
    for asset in await uow.assets.naming_contract(contract.id):
        if asset.id not in keep:
            asset.change(at, contract_id=None)
    for asset in listed:
        asset.change(at, contract_id=contract.id)


async def create_contract(*, uow: TicketsUoW, data: ContractCreate, actor: Actor) -> Contract:
    require_admin(actor)
    fields = data.model_dump()
    fields["targets"] = data.targets
    async with uow:
        errors: list[rules.FieldError] = []
        if await uow.contracts.lock_organization(data.organization_id) is None:
            errors.append(rules.error("organization_id", NO_ORGANIZATION, "unknown_organization"))
        calendar = await _calendar_for(uow, data.calendar_id, errors)
        others = await uow.contracts.contracts(data.organization_id)
        errors += _contract_errors(None, fields, others)
        asset_ids = [str(a) for a in dict.fromkeys(data.asset_ids)]
        listed = await _listed_assets(uow, data.organization_id, asset_ids, errors)
        if errors or calendar is None:
            raise InvalidInput(errors)
        at = _now()
        before = rules.choose(others, at, None, None)
        contract = Contract(
            id=uuid.uuid4(),
            **{k: v for k, v in fields.items() if k not in ("targets", "products", "asset_ids")},
            targets=_stored_targets(data.targets),
            products=list(dict.fromkeys(data.products)),
            asset_ids=asset_ids,
            calendar=calendar,
            created_at=at,
            updated_at=at,
        )
        uow.contracts.add(contract)
        await _point_assets(uow, contract, listed, at)
        _announce(uow, contract, before, [*others, contract], at)
        await _commit(uow)
    return contract


def _changes(data: ContractUpdate) -> dict[str, Any]:
    changes = data.model_dump(exclude_unset=True)
    # null leaves these as they are; `valid_until` and `default_priority` it clears.
    for field in ("name", "valid_from", "priorities_selectable", "calendar_id", "targets"):
        if changes.get(field, "") is None:
            del changes[field]
    for field in ("products", "asset_ids"):
        if field in changes:
            changes[field] = [str(v) for v in dict.fromkeys(changes[field] or [])]
    if data.targets is not None:
        changes["targets"] = data.targets
    return changes


async def update_contract(
    *, uow: TicketsUoW, contract_id: uuid.UUID, data: ContractUpdate, actor: Actor
) -> Contract:
    require_admin(actor)
    changes = _changes(data)
    async with uow:
        contract = await uow.contracts.contract(contract_id)
        if contract is None:
            raise NotFound(NO_CONTRACT)
        await uow.contracts.lock_organization(contract.organization_id)
        others = await uow.contracts.contracts(contract.organization_id)
        errors: list[rules.FieldError] = []
        calendar = contract.calendar
        if "calendar_id" in changes:
            calendar = await _calendar_for(uow, changes["calendar_id"], errors) or calendar
        current = {f: getattr(contract, f) for f in ("name", "valid_from", "valid_until")}
        fields = current | {"targets": _targets_in(contract)} | changes
        errors += _contract_errors(contract, fields, others)
        listed = None
        if "asset_ids" in changes:
            org_id = contract.organization_id
            listed = await _listed_assets(uow, org_id, changes["asset_ids"], errors)
        if errors:
            raise InvalidInput(errors)
        at = _now()
        before = rules.choose(others, at, None, None)
        if "targets" in changes:
            changes["targets"] = _stored_targets(changes["targets"])
        changes.pop("calendar_id", None)
        changed = contract.change(at, **changes, calendar=calendar)
        if listed is not None:
            await _point_assets(uow, contract, listed, at)
        if changed:
            _announce(uow, contract, before, others, at)
        await _commit(uow)
    return contract


def _targets_in(contract: Contract) -> dict[str, Target]:
    return {p: Target.model_validate(t) for p, t in contract.targets.items()}


async def delete_contract(*, uow: TicketsUoW, contract_id: uuid.UUID, actor: Actor) -> None:
    require_admin(actor)
    async with uow:
        contract = await uow.contracts.contract(contract_id)
        if contract is None:
            raise NotFound(NO_CONTRACT)
        await uow.contracts.lock_organization(contract.organization_id)
        others = await uow.contracts.contracts(contract.organization_id)
        at = _now()
        before = rules.choose(others, at, None, None)
        await _point_assets(uow, contract, [], at)  # its assets name no contract any more
        await uow.contracts.delete(contract)
        remaining = [c for c in others if c is not contract]
        _announce(uow, contract, before, remaining, at, deleted=True)
        await _commit(uow)


def _changed(
    contract: Contract, *, in_force: bool, at: datetime, none_in_force: bool = False
) -> ContractChanged:
    return ContractChanged(
        organization_id=contract.organization_id,
        contract_id=contract.id,
        name=contract.name,
        priorities_selectable=contract.priorities_selectable,
        in_force=in_force,
        none_in_force=none_in_force,
        occurred_at=at,
    )


def _announce(
    uow: TicketsUoW,
    contract: Contract,
    before: Contract | None,
    contracts: list[Contract],
    at: datetime,
    *,
    deleted: bool = False,
) -> None:
    """Tell about the changed contract, and about the one now in force for the whole
    organization when that is another one than before; or that none is in force now
    (identity then returns the organization to the standard terms)."""
    now_in_force = rules.choose(contracts, at, None, None)
    in_force = not deleted and now_in_force is contract
    uow.emit(_changed(contract, in_force=in_force, at=at, none_in_force=now_in_force is None))
    if now_in_force is not None and now_in_force is not contract and now_in_force is not before:
        uow.emit(_changed(now_in_force, in_force=True, at=at))


async def follow_organization(
    *, uow: TicketsUoW, organization_id: uuid.UUID, priority_contract: bool, told_at: datetime
) -> None:
    """Identity told (at `told_at`) of the organization's priority contract. Where that
    changes the directory's copy (which has not taken the event yet), an admin changed
    it in the organization's settings: the contract in force takes it, and says so. An
    update that left the flag alone, or an older one, changes no contract; identity's
    answer to a contract change carries the contract's flag already (no loop)."""
    async with uow:
        known = await uow.contracts.lock_organization(organization_id)
        if known is None or known.as_of >= told_at or known.priority_contract == priority_contract:
            return
        contracts = await uow.contracts.contracts(organization_id)
        at = _now()
        current = rules.choose(contracts, at, None, None)
        if current is None or current.priorities_selectable == priority_contract:
            return
        current.change(at, priorities_selectable=priority_contract)
        uow.emit(_changed(current, in_force=True, at=at))
        await uow.commit()


async def announce_in_force(*, uow: TicketsUoW) -> int:
    """Contracts begin and end with the calendar, not with a request: tell (identity)
    of each organization whose contract in force is not what the organization says
    (its priority contract and SLA contract name, as the directory knows them), and of
    each organization that still names a contract while none is in force any more.

    Told once per change: once identity has followed, the directory's copy matches. An
    organization without a contract in force that names none keeps its own priority
    contract (an admin may grant priorities without a contract)."""
    async with uow:
        by_organization: dict[uuid.UUID, list[Contract]] = {}
        for contract in await uow.contracts.contracts():
            by_organization.setdefault(contract.organization_id, []).append(contract)
        known = await uow.directory.organizations(set(by_organization))
        at, told = _now(), 0
        for organization_id, contracts in by_organization.items():
            current = rules.choose(contracts, at, None, None)
            org = known.get(organization_id)
            if org is None:
                continue
            if current is None:
                if org.sla_contract is not None:
                    uow.emit(
                        _changed(_latest(contracts), in_force=False, at=at, none_in_force=True)
                    )
                    told += 1
            elif (org.priority_contract, org.sla_contract) != (
                current.priorities_selectable,
                current.name,
            ):
                uow.emit(_changed(current, in_force=True, at=at))
                told += 1
        await uow.commit()
    return told


def _latest(contracts: list[Contract]) -> Contract:
    """The contract the event of "none in force" names: the one that began last."""
    return max(contracts, key=lambda c: (c.valid_from, c.created_at))

"""HTTP: business calendars (admins write, the service desk reads) and contracts
(admins write, the service desk reads all, customers their organization's)."""

from __future__ import annotations

import uuid
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Response

from portal_chassis.auth import ActorDep, AdminDep, StaffDep
from portal_chassis.scopes import area_scope
from portal_tickets.contracts import rules, service
from portal_tickets.contracts.models import Calendar, Contract, Terms
from portal_tickets.contracts.schemas import (
    CalendarCreate,
    CalendarList,
    CalendarRead,
    CalendarUpdate,
    ContractCreate,
    ContractList,
    ContractRead,
    ContractUpdate,
    PriorityName,
    Target,
    TermsRead,
)
from portal_tickets.deps import UoWDep

router = APIRouter(tags=["contracts"], dependencies=[Depends(area_scope("tickets"))])
CALENDARS = "/api/v1/business-calendars"
CONTRACTS = "/api/v1/contracts"


def calendar_read(c: Calendar) -> CalendarRead:
    return CalendarRead(
        id=c.id,
        name=c.name,
        time_zone=c.time_zone,
        weekly=c.weekly,
        holidays=c.holiday_dates,
        is_default=c.is_default,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


def _targets(targets: dict[str, rules.TargetHours]) -> dict[str, Target]:
    return {p: Target.model_validate(t._asdict()) for p, t in targets.items()}


def contract_read(c: Contract) -> ContractRead:
    return ContractRead(
        id=c.id,
        organization_id=c.organization_id,
        name=c.name,
        valid_from=c.valid_from,
        valid_until=c.valid_until,
        priorities_selectable=c.priorities_selectable,
        default_priority=cast(PriorityName | None, c.default_priority),
        calendar_id=c.calendar.id,
        calendar_name=c.calendar.name,
        targets=_targets({p: c.target_hours(p) for p in rules.PRIORITIES}),
        products=c.products,
        asset_ids=c.asset_ids,
        created_at=c.created_at,
        updated_at=c.updated_at,
    )


def terms_read(t: Terms) -> TermsRead:
    return TermsRead(
        contract=contract_read(t.contract) if t.contract else None,
        priorities_selectable=t.priorities_selectable,
        default_priority=cast(PriorityName, t.default_priority),
        calendar=calendar_read(t.calendar),
        targets=_targets(t.targets),
    )


@router.get(CALENDARS, response_model=CalendarList)
async def list_calendars(actor: StaffDep, uow: UoWDep) -> CalendarList:
    calendars = await service.list_calendars(uow=uow, actor=actor)
    return CalendarList(items=[calendar_read(c) for c in calendars])


@router.post(CALENDARS, status_code=201, response_model=CalendarRead)
async def create_calendar(data: CalendarCreate, actor: AdminDep, uow: UoWDep) -> CalendarRead:
    return calendar_read(await service.create_calendar(uow=uow, data=data, actor=actor))


@router.get(CALENDARS + "/{calendar_id}", response_model=CalendarRead)
async def get_calendar(calendar_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> CalendarRead:
    return calendar_read(await service.get_calendar(uow=uow, calendar_id=calendar_id, actor=actor))


@router.patch(CALENDARS + "/{calendar_id}", response_model=CalendarRead)
async def update_calendar(
    calendar_id: uuid.UUID, data: CalendarUpdate, actor: AdminDep, uow: UoWDep
) -> CalendarRead:
    calendar = await service.update_calendar(
        uow=uow, calendar_id=calendar_id, data=data, actor=actor
    )
    return calendar_read(calendar)


@router.delete(CALENDARS + "/{calendar_id}", status_code=204)
async def delete_calendar(calendar_id: uuid.UUID, actor: AdminDep, uow: UoWDep) -> Response:
    await service.delete_calendar(uow=uow, calendar_id=calendar_id, actor=actor)
    return Response(status_code=204)


@router.get(CONTRACTS, response_model=ContractList)
async def list_contracts(
    actor: ActorDep, uow: UoWDep, organization_id: uuid.UUID | None = None
) -> ContractList:
    contracts = await service.list_contracts(uow=uow, actor=actor, organization_id=organization_id)
    return ContractList(items=[contract_read(c) for c in contracts])


@router.post(CONTRACTS, status_code=201, response_model=ContractRead)
async def create_contract(data: ContractCreate, actor: AdminDep, uow: UoWDep) -> ContractRead:
    return contract_read(await service.create_contract(uow=uow, data=data, actor=actor))


@router.get(CONTRACTS + "/in-force", response_model=TermsRead)
async def contract_in_force(
    actor: ActorDep,
    uow: UoWDep,
    organization_id: uuid.UUID | None = None,
    product: Annotated[str | None, Query(max_length=200)] = None,
    asset_id: Annotated[str | None, Query(max_length=100)] = None,
) -> TermsRead:
    """The terms a ticket of the organization (customers: their own) gets now: the
    contract in force for the product and asset, or the default terms."""
    found = await service.terms(
        uow=uow, actor=actor, organization_id=organization_id, product=product, asset_id=asset_id
    )
    return terms_read(found)


@router.get(CONTRACTS + "/{contract_id}", response_model=ContractRead)
async def get_contract(contract_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> ContractRead:
    return contract_read(await service.get_contract(uow=uow, contract_id=contract_id, actor=actor))


@router.patch(CONTRACTS + "/{contract_id}", response_model=ContractRead)
async def update_contract(
    contract_id: uuid.UUID, data: ContractUpdate, actor: AdminDep, uow: UoWDep
) -> ContractRead:
    contract = await service.update_contract(
        uow=uow, contract_id=contract_id, data=data, actor=actor
    )
    return contract_read(contract)


@router.delete(CONTRACTS + "/{contract_id}", status_code=204)
async def delete_contract(contract_id: uuid.UUID, actor: AdminDep, uow: UoWDep) -> Response:
    await service.delete_contract(uow=uow, contract_id=contract_id, actor=actor)
    return Response(status_code=204)

"""HTTP: agent groups and the routing rules that send new tickets to them (the service
desk reads, admins write; nobody else finds these routes)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response

from portal_chassis.auth import AdminDep, StaffDep
from portal_chassis.scopes import area_scope
from portal_tickets.deps import UoWDep
from portal_tickets.groups import service
from portal_tickets.groups.schemas import (
    CONDITIONS_DOC,
    GroupCreate,
    GroupList,
    GroupRead,
    GroupUpdate,
    RuleCreate,
    RuleList,
    RuleOrder,
    RuleRead,
    RuleUpdate,
)

router = APIRouter(tags=["groups"], dependencies=[Depends(area_scope("tickets"))])
GROUPS = "/api/v1/agent-groups"
RULES = "/api/v1/routing-rules"


@router.get(GROUPS, response_model=GroupList)
async def list_groups(actor: StaffDep, uow: UoWDep) -> GroupList:
    return GroupList(items=await service.list_groups(uow=uow, actor=actor))


@router.post(GROUPS, status_code=201, response_model=GroupRead)
async def create_group(data: GroupCreate, actor: AdminDep, uow: UoWDep) -> GroupRead:
    """Administrators only. `name_taken`, `unknown_agent` (the lead, or a member by its
    index: `member_ids.2`) are 422."""
    return await service.create_group(uow=uow, data=data, actor=actor)


@router.get(GROUPS + "/{group_id}", response_model=GroupRead)
async def get_group(group_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> GroupRead:
    return await service.get_group(uow=uow, group_id=group_id, actor=actor)


@router.patch(GROUPS + "/{group_id}", response_model=GroupRead)
async def update_group(
    group_id: uuid.UUID, data: GroupUpdate, actor: AdminDep, uow: UoWDep
) -> GroupRead:
    return await service.update_group(uow=uow, group_id=group_id, data=data, actor=actor)


@router.delete(GROUPS + "/{group_id}", status_code=204)
async def delete_group(group_id: uuid.UUID, actor: AdminDep, uow: UoWDep) -> Response:
    """The group's tickets keep working without a group; its routing rules are deleted."""
    await service.delete_group(uow=uow, group_id=group_id, actor=actor)
    return Response(status_code=204)


@router.get(
    RULES,
    response_model=RuleList,
    description="The rules in the order they are tried on a new ticket; the first match "
    "gives its group. " + CONDITIONS_DOC,
)
async def list_rules(actor: StaffDep, uow: UoWDep) -> RuleList:
    return RuleList(items=await service.list_rules(uow=uow, actor=actor))


@router.post(RULES, status_code=201, response_model=RuleRead)
async def create_rule(data: RuleCreate, actor: AdminDep, uow: UoWDep) -> RuleRead:
    """Administrators only. A rule names at least one condition (else 422
    `no_condition`) and an existing group (`unknown_group`)."""
    return await service.create_rule(uow=uow, data=data, actor=actor)


@router.put(RULES + "/order", response_model=RuleList)
async def reorder_rules(data: RuleOrder, actor: AdminDep, uow: UoWDep) -> RuleList:
    """Administrators only: every rule's id once, in the order they are to be tried
    (else 422 `order_mismatch`)."""
    return RuleList(items=await service.reorder_rules(uow=uow, ids=data.ids, actor=actor))


@router.patch(RULES + "/{rule_id}", response_model=RuleRead)
async def update_rule(
    rule_id: uuid.UUID, data: RuleUpdate, actor: AdminDep, uow: UoWDep
) -> RuleRead:
    return await service.update_rule(uow=uow, rule_id=rule_id, data=data, actor=actor)


@router.delete(RULES + "/{rule_id}", status_code=204)
async def delete_rule(rule_id: uuid.UUID, actor: AdminDep, uow: UoWDep) -> Response:
    await service.delete_rule(uow=uow, rule_id=rule_id, actor=actor)
    return Response(status_code=204)

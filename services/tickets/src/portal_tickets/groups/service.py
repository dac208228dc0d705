"""Agent groups and routing rules: use cases, and what the API shows of them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_tickets.groups import rules
from portal_tickets.groups.models import AgentGroup, RoutingRule
from portal_tickets.groups.permissions import require_admin, require_staff, sees_group
from portal_tickets.groups.schemas import (
    GroupCreate,
    GroupMember,
    GroupRead,
    GroupUpdate,
    RuleCreate,
    RuleRead,
    RuleUpdate,
)
from portal_tickets.ticket.models import Category, Ticket
from portal_tickets.ticket.permissions import may_be_assignee
from portal_tickets.ticket.schemas import Ref
from portal_tickets.uow import TicketsUoW

NO_GROUP = "No such agent group."
NO_RULE = "No such routing rule."
NO_AGENT = "No such agent."
NO_ORGANIZATION = "No such organization."
NAME_TAKEN = "Another agent group has this name."
CONCURRENT = "It was changed at the same time by someone else. Load it again and retry."


def _now() -> datetime:
    return datetime.now(UTC)


async def _commit(uow: TicketsUoW) -> None:
    try:
        await uow.commit()
    except IntegrityError as exc:  # a name taken by a concurrent request meanwhile
        raise Conflict(CONCURRENT) from exc


def _change(row: AgentGroup | RoutingRule, at: datetime, values: dict[str, Any]) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    if changed:
        row.updated_at = at
    return changed


# --- groups ---------------------------------------------------------------------------


async def _name_errors(
    uow: TicketsUoW, name: str, group: AgentGroup | None
) -> list[rules.FieldError]:
    other = await uow.groups.group_named(name)
    if other is not None and other is not group:
        return [rules.error("name", NAME_TAKEN, "name_taken")]
    return []


async def _lead_errors(
    uow: TicketsUoW, lead_id: uuid.UUID | None, current: uuid.UUID | None
) -> list[rules.FieldError]:
    # The lead the group has may stay while inactive (back from leave, say).
    if lead_id is None or lead_id == current:
        return []
    if not may_be_assignee(await uow.directory.user(lead_id)):
        return [rules.error("lead_id", NO_AGENT, "unknown_agent")]
    return []


async def _member_errors(
    uow: TicketsUoW, member_ids: list[uuid.UUID], kept: set[uuid.UUID]
) -> list[rules.FieldError]:
    """Each new member must be an active agent or admin; members the group has already
    may stay while inactive (the round robin skips them)."""
    users = await uow.directory.users(set(member_ids) - kept)
    return [
        rules.error(f"member_ids.{index}", NO_AGENT, "unknown_agent")
        for index, member in enumerate(member_ids)
        if member not in kept and not may_be_assignee(users.get(member))
    ]


def _stored_members(member_ids: list[uuid.UUID]) -> list[str]:
    return [str(m) for m in rules.distinct(member_ids)]


def _member_set(group: AgentGroup) -> set[uuid.UUID]:
    return {uuid.UUID(m) for m in group.member_ids}


async def list_groups(*, uow: TicketsUoW, actor: Actor) -> list[GroupRead]:
    require_staff(actor)
    async with uow:
        return await _present_groups(uow, await uow.groups.groups())


async def get_group(*, uow: TicketsUoW, group_id: uuid.UUID, actor: Actor) -> GroupRead:
    require_staff(actor)
    async with uow:
        group = await uow.groups.group(group_id)
        if group is None:
            raise NotFound(NO_GROUP)
        return (await _present_groups(uow, [group]))[0]


async def create_group(*, uow: TicketsUoW, data: GroupCreate, actor: Actor) -> GroupRead:
    require_admin(actor)
    async with uow:
        errors = await _name_errors(uow, data.name, None)
        errors += await _lead_errors(uow, data.lead_id, None)
        errors += await _member_errors(uow, data.member_ids, set())
        if errors:
            raise InvalidInput(errors)
        at = _now()
        group = AgentGroup(
            id=uuid.uuid4(),
            name=data.name,
            lead_id=data.lead_id,
            member_ids=_stored_members(data.member_ids),
            round_robin=data.round_robin,
            handed_out=0,
            created_at=at,
            updated_at=at,
        )
        uow.groups.add(group)
        await _commit(uow)
    return await _read_group(uow, group)


async def update_group(
    *, uow: TicketsUoW, group_id: uuid.UUID, data: GroupUpdate, actor: Actor
) -> GroupRead:
    require_admin(actor)
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "member_ids", "round_robin"):  # null: leave as it is
        if field in changes and changes[field] is None:
            del changes[field]
    async with uow:
        group = await uow.groups.group(group_id, lock=True)
        if group is None:
            raise NotFound(NO_GROUP)
        errors: list[rules.FieldError] = []
        if "name" in changes:
            errors += await _name_errors(uow, changes["name"], group)
        if "lead_id" in changes:
            errors += await _lead_errors(uow, changes["lead_id"], group.lead_id)
        if data.member_ids is not None:
            errors += await _member_errors(uow, data.member_ids, _member_set(group))
            changes["member_ids"] = _stored_members(data.member_ids)
        if errors:
            raise InvalidInput(errors)
        if _change(group, _now(), changes):
            await _commit(uow)
    return await _read_group(uow, group)


async def delete_group(*, uow: TicketsUoW, group_id: uuid.UUID, actor: Actor) -> None:
    """The group's tickets stay, without a group; its routing rules go with it (the
    database cascades)."""
    require_admin(actor)
    async with uow:
        group = await uow.groups.group(group_id, lock=True)
        if group is None:
            raise NotFound(NO_GROUP)
        found = await uow.groups.rules(lock=True)
        await uow.groups.ungroup_tickets(group.id)
        await uow.groups.delete(group)
        # The others close ranks (the group's own are left to the cascade).
        _renumber(found, [r.id for r in found if r.group_id != group.id])
        await uow.commit()


async def _read_group(uow: TicketsUoW, group: AgentGroup) -> GroupRead:
    async with uow:
        return (await _present_groups(uow, [group]))[0]


async def _present_groups(uow: TicketsUoW, groups: list[AgentGroup]) -> list[GroupRead]:
    """Call inside an entered unit of work: names from the directory."""
    people: set[uuid.UUID] = {g.lead_id for g in groups if g.lead_id}
    for group in groups:
        people |= _member_set(group)
    users = await uow.directory.users(people)
    reads = []
    for group in groups:
        lead = users.get(group.lead_id) if group.lead_id else None
        members = []
        for member_id in (uuid.UUID(m) for m in group.member_ids):
            known = users.get(member_id)
            name = known.display_name if known else ""
            members.append(GroupMember(id=member_id, name=name, active=may_be_assignee(known)))
        reads.append(
            GroupRead(
                id=group.id,
                name=group.name,
                lead=Ref(id=group.lead_id, name=lead.display_name if lead else "")
                if group.lead_id
                else None,
                members=members,
                round_robin=group.round_robin,
                created_at=group.created_at,
                updated_at=group.updated_at,
            )
        )
    return reads


# --- routing rules --------------------------------------------------------------------


def _conditions(values: dict[str, Any]) -> dict[str, Any]:
    """The conditions among `values` as stored: a blank text names no condition."""
    found: dict[str, Any] = {}
    for name in rules.CONDITIONS:
        if name not in values:
            continue
        value = values[name]
        if isinstance(value, Category):
            value = value.value
        elif isinstance(value, str) and not value.strip():
            value = None
        found[name] = value
    return found


async def _rule_errors(
    uow: TicketsUoW, merged: dict[str, Any], changes: dict[str, Any]
) -> list[rules.FieldError]:
    """What is wrong with a rule of the `merged` fields, of which `changes` are new."""
    errors: list[rules.FieldError] = []
    if not rules.has_condition(merged):
        errors.append(rules.no_condition())
    if "group_id" in changes and await uow.groups.group(changes["group_id"]) is None:
        errors.append(rules.error("group_id", NO_GROUP, "unknown_group"))
    organization_id = changes.get("organization_id")
    if organization_id is not None and await uow.directory.organization(organization_id) is None:
        errors.append(rules.error("organization_id", NO_ORGANIZATION, "unknown_organization"))
    return errors


def _renumber(found: list[RoutingRule], order: list[uuid.UUID]) -> list[RoutingRule]:
    """Positions 1, 2, ... in `order` (every rule's id once); the rules in that order."""
    by_id = {rule.id: rule for rule in found}
    ordered = [by_id[rule_id] for rule_id in order]
    for position, rule in enumerate(ordered, start=1):
        rule.position = position
    return ordered


async def list_rules(*, uow: TicketsUoW, actor: Actor) -> list[RuleRead]:
    require_staff(actor)
    async with uow:
        return await _present_rules(uow, await uow.groups.rules())


async def create_rule(*, uow: TicketsUoW, data: RuleCreate, actor: Actor) -> RuleRead:
    require_admin(actor)
    fields = _conditions(data.model_dump()) | {"group_id": data.group_id}
    async with uow:
        errors = await _rule_errors(uow, fields, fields)
        if errors:
            raise InvalidInput(errors)
        found = await uow.groups.rules(lock=True)
        at = _now()
        rule = RoutingRule(id=uuid.uuid4(), position=0, created_at=at, updated_at=at, **fields)
        uow.groups.add(rule)
        order = rules.placed([r.id for r in found], rule.id, data.position)
        _renumber([*found, rule], order)
        await uow.commit()
    return await _read_rule(uow, rule)


async def update_rule(
    *, uow: TicketsUoW, rule_id: uuid.UUID, data: RuleUpdate, actor: Actor
) -> RuleRead:
    require_admin(actor)
    requested = data.model_dump(exclude_unset=True)
    changes = _conditions(requested)
    if requested.get("group_id") is not None:
        changes["group_id"] = requested["group_id"]
    async with uow:
        found = await uow.groups.rules(lock=True)
        rule = next((r for r in found if r.id == rule_id), None)
        if rule is None:
            raise NotFound(NO_RULE)
        merged = {name: getattr(rule, name) for name in rules.CONDITIONS} | changes
        errors = await _rule_errors(uow, merged, changes)
        if errors:
            raise InvalidInput(errors)
        _change(rule, _now(), changes)
        if data.position is not None:
            _renumber(found, rules.placed([r.id for r in found], rule.id, data.position))
        await uow.commit()
    return await _read_rule(uow, rule)


async def delete_rule(*, uow: TicketsUoW, rule_id: uuid.UUID, actor: Actor) -> None:
    require_admin(actor)
    async with uow:
        found = await uow.groups.rules(lock=True)
        rule = next((r for r in found if r.id == rule_id), None)
        if rule is None:
            raise NotFound(NO_RULE)
        await uow.groups.delete(rule)
        _renumber(found, [r.id for r in found if r is not rule])
        await uow.commit()


async def reorder_rules(*, uow: TicketsUoW, ids: list[uuid.UUID], actor: Actor) -> list[RuleRead]:
    """Put the rules in the order of `ids`, which names every rule once."""
    require_admin(actor)
    async with uow:
        found = await uow.groups.rules(lock=True)
        if len(set(ids)) != len(ids) or set(ids) != {r.id for r in found}:
            message = "Name every routing rule once (another admin may have changed them)."
            raise InvalidInput([rules.error("ids", message, "order_mismatch")])
        ordered = _renumber(found, ids)
        await uow.commit()
    async with uow:
        return await _present_rules(uow, ordered)


async def _read_rule(uow: TicketsUoW, rule: RoutingRule) -> RuleRead:
    async with uow:
        return (await _present_rules(uow, [rule]))[0]


async def _present_rules(uow: TicketsUoW, found: list[RoutingRule]) -> list[RuleRead]:
    """Call inside an entered unit of work: group and organization names."""
    groups = await uow.groups.groups_by_ids({r.group_id for r in found})
    orgs = await uow.directory.organizations(
        {r.organization_id for r in found if r.organization_id}
    )
    reads = []
    for rule in found:
        group = groups.get(rule.group_id)
        org = orgs.get(rule.organization_id) if rule.organization_id else None
        reads.append(
            RuleRead(
                id=rule.id,
                position=rule.position,
                group=Ref(id=rule.group_id, name=group.name if group else ""),
                subject_area=rule.subject_area,
                category=Category(rule.category) if rule.category else None,
                organization=Ref(id=rule.organization_id, name=org.name if org else "")
                if rule.organization_id
                else None,
                product=rule.product,
                created_at=rule.created_at,
                updated_at=rule.updated_at,
            )
        )
    return reads


async def group_refs(uow: TicketsUoW, tickets: list[Ticket], actor: Actor) -> dict[uuid.UUID, Ref]:
    """The tickets' groups by id, as far as `actor` sees them (customers: none). Call
    inside an entered unit of work."""
    if not sees_group(actor):
        return {}
    found = await uow.groups.groups_by_ids({t.group_id for t in tickets if t.group_id})
    return {i: Ref(id=i, name=g.name) for i, g in found.items()}


def group_filter(value: str | None, actor: Actor) -> uuid.UUID | Literal["none"] | None:
    """The list filter `group_id` (an id, or `none` for tickets without a group);
    ignored for customers, to whom groups do not show."""
    if value is None or not sees_group(actor):
        return None
    if value == "none":
        return "none"
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        message = "Not an agent group's id."
        raise InvalidInput([rules.error("group_id", message, "group_id")]) from exc

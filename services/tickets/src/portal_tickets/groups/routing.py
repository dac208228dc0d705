"""A new ticket's group: the one the service desk chose, or the first routing rule's the
ticket matches; a round-robin group also gives it the next active member."""

from __future__ import annotations

import uuid
from typing import Any

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput
from portal_tickets.groups import rules
from portal_tickets.groups.models import AgentGroup, RoutingRule
from portal_tickets.groups.permissions import sees_group
from portal_tickets.ticket.permissions import may_be_assignee
from portal_tickets.uow import TicketsUoW

NO_GROUP = "No such agent group."
STAFF_ONLY = "Only the service desk chooses a ticket's group."


async def route_new_ticket(
    uow: TicketsUoW,
    chosen: uuid.UUID | None,
    actor: Actor,
    organization_id: uuid.UUID | None,
    fields: dict[str, Any],
) -> None:
    """Set `group_id` (and, for a round-robin group, `assignee_id`) in the `fields` a
    ticket is about to be opened with. `chosen`: the group the creator named (staff
    only; then no rule is tried). Call inside the opening's unit of work, after its
    fields are checked: the ticket's creation then carries group and assignee."""
    if chosen is not None:
        if not sees_group(actor):
            raise InvalidInput([rules.error("group_id", STAFF_ONLY, "staff_only")])
        group = await uow.groups.group(chosen)
        if group is None:
            raise InvalidInput([rules.error("group_id", NO_GROUP, "unknown_group")])
    else:
        group = await _routed(uow, organization_id, fields)
    if group is None:
        return
    fields["group_id"] = group.id
    if group.round_robin and fields.get("assignee_id") is None:
        fields["assignee_id"] = await _next_member(uow, group)


async def check_group(uow: TicketsUoW, group_id: uuid.UUID | None) -> None:
    """Refuse a group that does not exist (None: the ticket leaves its group)."""
    if group_id is not None and await uow.groups.group(group_id) is None:
        raise InvalidInput([rules.error("group_id", NO_GROUP, "unknown_group")])


async def _routed(
    uow: TicketsUoW, organization_id: uuid.UUID | None, fields: dict[str, Any]
) -> AgentGroup | None:
    found = await uow.groups.rules()
    if not found:
        return None
    category = fields.get("category")
    facts = rules.TicketFacts(
        subject_area=fields.get("subject_area"),
        category=str(category) if category is not None else None,
        organization_id=organization_id,
        product=fields.get("product"),
        asset_product=await _asset_product(uow, found, fields.get("asset_id")),
    )
    rule = rules.first_match(found, facts)
    return await uow.groups.group(rule.group_id) if rule is not None else None


async def _asset_product(
    uow: TicketsUoW, found: list[RoutingRule], asset_id: str | None
) -> str | None:
    """The product of the ticket's asset (an id by now), if a rule asks for products."""
    if not asset_id or all(rule.product is None for rule in found):
        return None
    try:
        asset = await uow.assets.get(uuid.UUID(asset_id))
    except ValueError:
        return None
    return asset.product if asset is not None else None


async def _next_member(uow: TicketsUoW, group: AgentGroup) -> uuid.UUID | None:
    """The next active member in the group's order; None while it has none (then the
    count stays, and nobody is assigned)."""
    members = [uuid.UUID(m) for m in group.member_ids]
    users = await uow.directory.users(set(members))
    active = [m for m in members if may_be_assignee(users.get(m))]
    if not active:
        return None
    # Counted in the database, not from `group`: concurrent openings each get their own.
    return rules.next_member(active, await uow.groups.hand_out(group.id))

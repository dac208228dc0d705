"""Events from other services that change an organization."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import EventFacts, consumer
from portal_chassis.envelope import Envelope
from portal_identity.organizations import service
from portal_identity.uow import IdentityUoW


class ContractFacts(EventFacts):
    """`tickets.contract.changed`: a customer's contract with service levels."""

    organization_id: uuid.UUID
    name: str
    priorities_selectable: bool
    in_force: bool
    none_in_force: bool = False


@consumer("tickets.contract.changed", name="identity.organization.contract", reads=ContractFacts)
async def on_contract_changed(event: Envelope, uow: IdentityUoW, facts: ContractFacts) -> None:
    """The contract in force now sets the organization's priority contract and SLA
    contract name; with none in force (the last one ended, was deleted or begins later)
    the organization is back on the standard terms. Another contract's change, while one
    is in force, leaves it as it is."""
    if facts.in_force:
        await service.follow_contract(
            uow=uow,
            organization_id=facts.organization_id,
            name=facts.name,
            priorities_selectable=facts.priorities_selectable,
        )
    elif facts.none_in_force:
        await service.follow_contract(
            uow=uow, organization_id=facts.organization_id, name=None, priorities_selectable=False
        )


HANDLERS = [on_contract_changed]

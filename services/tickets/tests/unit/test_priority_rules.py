"""Who may choose which priority (pure rules)."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import Priority
from portal_tickets.ticket.permissions import allowed_priorities, effective_priority

ORG = uuid.uuid4()
ALL = tuple(Priority)


def _actor(roles: list[str], org: uuid.UUID | None = ORG) -> Actor:
    return Actor(id=uuid.uuid4(), username="u", organization_id=org, roles=frozenset(roles))


def _org(contract: bool) -> KnownOrganization:
    return KnownOrganization(id=ORG, name="Org", priority_contract=contract)


def test_without_contract_only_p4_for_customers_and_for_new_tickets() -> None:
    customer, agent = _actor(["customer"]), _actor(["agent"], None)
    assert allowed_priorities(customer, ORG, _org(False)) == (Priority.P4,)
    assert allowed_priorities(customer, ORG, None) == (Priority.P4,)  # unknown org
    assert allowed_priorities(customer, ORG, _org(True)) == ALL
    # The service desk re-prioritises any ticket, but opening one follows the contract.
    assert allowed_priorities(agent, ORG, _org(False)) == ALL
    assert allowed_priorities(agent, ORG, _org(False), opening=True) == (Priority.P4,)
    assert allowed_priorities(agent, None, None, opening=True) == ALL  # vendor's own
    assert effective_priority(Priority.P1, (Priority.P4,)) is Priority.P4
    assert effective_priority(Priority.P1, ALL) is Priority.P1

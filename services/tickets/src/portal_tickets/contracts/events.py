"""Events the tickets service publishes about contracts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class ContractChanged(Event):
    """A contract was created, changed or deleted, or became the organization's
    contract in force, or the organization was left without one. `in_force`: it is the
    one in force now for the organization's tickets naming no product or asset (false
    once deleted); identity then sets the organization's priority contract and SLA
    contract name to match. `none_in_force`: no contract of the organization is in force
    now (this one was deleted, has ended or begins later); identity then returns the
    organization to the standard terms (no SLA contract name, no priority contract)."""

    event_type: ClassVar[str] = "tickets.contract.changed"

    organization_id: uuid.UUID
    contract_id: uuid.UUID
    name: str
    priorities_selectable: bool
    in_force: bool
    none_in_force: bool
    occurred_at: datetime

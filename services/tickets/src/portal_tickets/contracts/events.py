"""Events the tickets service publishes about contracts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class ContractChanged(Event):
    """A contract was created, changed or deleted, or became the organization's
    contract in force. `in_force`: it is the one in force now for the organization's
    tickets naming no product or asset (false once deleted); identity then sets the
    organization's priority contract and SLA contract name to match."""

    event_type: ClassVar[str] = "tickets.contract.changed"

    organization_id: uuid.UUID
    contract_id: uuid.UUID
    name: str
    priorities_selectable: bool
    in_force: bool
    occurred_at: datetime

"""The scheduled check that the organizations know the contract in force, which
changes with the date as well as with an admin's edit."""

from __future__ import annotations

from typing import cast

from portal_chassis.runtime import Runtime
from portal_chassis.tasks import task
from portal_tickets.contracts import service
from portal_tickets.uow import TicketsUoW


@task("announce_contracts_in_force", every=3600)
async def announce_contracts_in_force(runtime: Runtime) -> int:
    return await service.announce_in_force(uow=cast(TicketsUoW, runtime.uow()))

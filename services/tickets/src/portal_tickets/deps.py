"""The FastAPI dependencies the tickets service's views share."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from portal_chassis.app import get_uow, settings_of
from portal_tickets.settings import TicketsSettings
from portal_tickets.uow import TicketsUoW

UoWDep = Annotated[TicketsUoW, Depends(get_uow)]
SettingsDep = Annotated[TicketsSettings, Depends(settings_of(TicketsSettings))]

# A ticket's number in a path, e.g. T000123.
NumberPath = Annotated[str, Path(max_length=32)]

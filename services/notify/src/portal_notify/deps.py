"""What the notify service's endpoints are given: the unit of work, the settings, the
wake-up hub and shared parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from portal_chassis.app import RuntimeDep, get_uow, settings_of
from portal_notify.notification.hub import Hub, hub_of
from portal_notify.settings import NotifySettings
from portal_notify.uow import NotifyUoW

UoWDep = Annotated[NotifyUoW, Depends(get_uow)]
SettingsDep = Annotated[NotifySettings, Depends(settings_of(NotifySettings))]


async def get_hub(runtime: RuntimeDep) -> Hub:
    return hub_of(runtime)


HubDep = Annotated[Hub, Depends(get_hub)]

LimitQuery = Annotated[int, Query(ge=1, le=200)]

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from portal_chassis.app import get_uow
from portal_chassis.auth import ActorDep
from portal_notify.notification import service
from portal_notify.notification.schemas import NotificationPage
from portal_notify.uow import NotifyUoW

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

UoWDep = Annotated[NotifyUoW, Depends(get_uow)]


@router.get("", response_model=NotificationPage)
async def list_notifications(
    actor: ActorDep, uow: UoWDep, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> NotificationPage:
    return await service.list_notifications(uow=uow, actor=actor, limit=limit)

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse

from portal_chassis.app import RuntimeDep
from portal_chassis.auth import ActorDep
from portal_chassis.scopes import area_scope
from portal_notify.deps import HubDep, SettingsDep, UoWDep
from portal_notify.notification import service
from portal_notify.notification.schemas import NotificationPage, ReadResult
from portal_notify.presence.permissions import may_be_present
from portal_notify.presence.service import PresenceWatch
from portal_notify.uow import NotifyUoW

router = APIRouter(
    prefix="/api/v1/notifications",
    tags=["notifications"],
    dependencies=[Depends(area_scope("notifications"))],
)


@router.get("", response_model=NotificationPage)
async def list_notifications(
    actor: ActorDep,
    uow: UoWDep,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    unread: bool = False,
) -> NotificationPage:
    """The caller's notifications, newest first, with the unread count."""
    return await service.list_notifications(
        uow=uow, actor=actor, cursor=cursor, limit=limit, unread_only=unread
    )


@router.post("/read-all", response_model=ReadResult)
async def mark_all_read(actor: ActorDep, uow: UoWDep) -> ReadResult:
    return await service.mark_all_read(uow=uow, actor=actor)


@router.post("/{notification_id}/read", response_model=ReadResult)
async def mark_read(notification_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> ReadResult:
    return await service.mark_read(uow=uow, actor=actor, notification_id=notification_id)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream(
    request: Request,
    actor: ActorDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    hub: HubDep,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[str | None, Query(max_length=20)] = None,
) -> StreamingResponse:
    """Server-sent events, one `notification` event per new notification. A browser that
    reconnects sends `Last-Event-ID` and first receives everything it missed. For the
    service desk also a `presence` event (`{ticket, viewers}`) whenever the others who
    have one of the caller's open tickets open (or their writing) changed."""
    make_uow = cast(Callable[[], NotifyUoW], runtime.uow)
    watch = PresenceWatch(make_uow, actor.id) if may_be_present(actor) else None
    events = service.stream(
        make_uow=make_uow,
        hub=hub,
        actor=actor,
        last_event_id=service.parse_last_event_id(last_event_id or after),
        heartbeat=settings.stream_heartbeat_seconds,
        ended=lambda: runtime.verifier.revoked(actor),
        check_every=runtime.settings.portal.revocation_poll_seconds,
        also=watch.frames if watch is not None else None,
    )
    return StreamingResponse(
        events,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )

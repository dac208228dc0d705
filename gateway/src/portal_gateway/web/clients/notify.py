"""The notify service as the pages use it: a viewer's notifications."""

from __future__ import annotations

from datetime import datetime

from portal_gateway.web.clients.base import Result, ServiceClient


class Notification(Result):
    id: str
    kind: str
    title: str
    ticket_number: str | None = None
    link: str | None = None
    created_at: datetime
    read: bool


class Notifications(Result):
    items: list[Notification]
    next_cursor: str | None = None
    unread_count: int = 0


class NotifyClient(ServiceClient):
    service = "notify"

    async def notifications(
        self, *, limit: int = 25, cursor: str | None = None, unread_only: bool = False
    ) -> Notifications:
        params = {"limit": str(limit)}
        if cursor:
            params["cursor"] = cursor
        if unread_only:
            params["unread"] = "true"
        return await self.get(Notifications, "/api/v1/notifications", params=params)

    async def mark_read(self, notification_id: str) -> None:
        await self.act("POST", f"/api/v1/notifications/{notification_id}/read")

    async def mark_all_read(self) -> None:
        await self.act("POST", "/api/v1/notifications/read-all")

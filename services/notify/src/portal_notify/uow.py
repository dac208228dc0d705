from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.uow import UnitOfWork
from portal_notify.notification.repository import NotificationRepository


class NotifyUoW(UnitOfWork):
    notifications: NotificationRepository

    def enter_repositories(self, session: AsyncSession) -> None:
        self.notifications = NotificationRepository(session)

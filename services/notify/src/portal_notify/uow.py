from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.readthrough import fetcher
from portal_chassis.uow import UnitOfWork
from portal_notify.directory.repository import TICKETS, DirectoryRepository
from portal_notify.mail.repository import MailRepository
from portal_notify.notification.repository import NotificationRepository
from portal_notify.presence.repository import PresenceRepository


class NotifyUoW(UnitOfWork):
    notifications: NotificationRepository
    directory: DirectoryRepository
    mails: MailRepository
    presence: PresenceRepository

    def enter_repositories(self, session: AsyncSession) -> None:
        self.notifications = NotificationRepository(session)
        self.directory = DirectoryRepository(
            session, fetch_card=fetcher(self.read_throughs, TICKETS)
        )
        self.mails = MailRepository(session)
        self.presence = PresenceRepository(session)

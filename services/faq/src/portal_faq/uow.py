from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.uow import UnitOfWork
from portal_faq.content.repository import ContentRepository
from portal_faq.search.backends import Backend, backend_for


class FaqUoW(UnitOfWork):
    content: ContentRepository
    search: Backend

    def enter_repositories(self, session: AsyncSession) -> None:
        self.content = ContentRepository(session)
        self.search = backend_for(session)

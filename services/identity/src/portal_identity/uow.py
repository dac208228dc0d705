from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.uow import UnitOfWork
from portal_identity.access_requests.repository import AccessRequestRepository
from portal_identity.accounts.repository import UserRepository
from portal_identity.mfa.repository import MfaRepository
from portal_identity.oidc.repository import OAuthRepository
from portal_identity.organizations.repository import OrganizationRepository
from portal_identity.sessions.repository import SessionRepository


class IdentityUoW(UnitOfWork):
    users: UserRepository
    organizations: OrganizationRepository
    sessions: SessionRepository
    access_requests: AccessRequestRepository
    oauth: OAuthRepository
    mfa: MfaRepository

    def enter_repositories(self, session: AsyncSession) -> None:
        self.users = UserRepository(session)
        self.organizations = OrganizationRepository(session)
        self.sessions = SessionRepository(session)
        self.access_requests = AccessRequestRepository(session)
        self.oauth = OAuthRepository(session)
        self.mfa = MfaRepository(session)

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.oidc.models import (
    AuthorizationCode,
    ConsentRequest,
    OAuthClient,
    OAuthConsent,
    OAuthRefreshToken,
)

Row = OAuthClient | AuthorizationCode | OAuthRefreshToken | OAuthConsent | ConsentRequest


class OAuthRepository:
    """OAuth clients, authorization codes, OAuth refresh tokens and consents."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Row) -> None:
        self.session.add(row)

    async def client(self, client_id: str) -> OAuthClient | None:
        return await self.session.scalar(
            select(OAuthClient).where(OAuthClient.client_id == client_id)
        )

    async def clients(self, *, after: str | None, limit: int) -> list[OAuthClient]:
        query = select(OAuthClient).order_by(OAuthClient.client_id).limit(limit)
        if after is not None:
            query = query.where(OAuthClient.client_id > after)
        return list(await self.session.scalars(query))

    async def delete_client(self, client: OAuthClient) -> None:
        # Explicit, not only ON DELETE CASCADE: SQLite enforces it only per connection.
        for model in (AuthorizationCode, OAuthRefreshToken, OAuthConsent, ConsentRequest):
            await self.session.execute(delete(model).where(model.client_id == client.id))
        await self.session.delete(client)

    async def code(self, code_hash: str) -> AuthorizationCode | None:
        return await self.session.scalar(
            select(AuthorizationCode)
            .where(AuthorizationCode.code_hash == code_hash)
            .with_for_update()
        )

    async def nonce_used(self, client: OAuthClient, nonce: str) -> bool:
        found = await self.session.scalar(
            select(AuthorizationCode.id)
            .where(AuthorizationCode.client_id == client.id, AuthorizationCode.nonce == nonce)
            .limit(1)
        )
        return found is not None

    async def refresh_token(self, token_hash: str) -> OAuthRefreshToken | None:
        return await self.session.scalar(
            select(OAuthRefreshToken)
            .where(OAuthRefreshToken.token_hash == token_hash)
            .with_for_update()
        )

    async def revoke_family(self, family_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(OAuthRefreshToken)
            .where(OAuthRefreshToken.family_id == family_id, OAuthRefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def consent(self, user_id: uuid.UUID, client: OAuthClient) -> OAuthConsent | None:
        return await self.session.scalar(
            select(OAuthConsent).where(
                OAuthConsent.user_id == user_id, OAuthConsent.client_id == client.id
            )
        )

    async def take_consent_request(self, ticket_hash: str) -> ConsentRequest | None:
        """The pending request, removed: a ticket answers once."""
        row = await self.session.scalar(
            select(ConsentRequest)
            .where(ConsentRequest.ticket_hash == ticket_hash)
            .with_for_update()
        )
        if row is not None:
            await self.session.delete(row)
        return row

    async def drop_expired_consent_requests(self, now: datetime) -> None:
        await self.session.execute(delete(ConsentRequest).where(ConsentRequest.expires_at <= now))

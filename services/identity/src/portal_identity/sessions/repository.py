from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.sessions.models import (
    LoginAudit,
    OneTimeToken,
    RefreshToken,
    Revocation,
    SignInSession,
)

Row = RefreshToken | OneTimeToken | LoginAudit | Revocation | SignInSession


# The audit outcomes of a sign-in that passed (sessions.service.audit_row).
SIGNED_IN = ("success", "passkey_success")


class SessionRepository:
    """Refresh tokens, the sign-ins they make, one-time tokens and the login audit."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Row) -> None:
        self.session.add(row)

    async def refresh_token(self, token_hash: str, *, lock: bool = True) -> RefreshToken | None:
        query = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def lock_sign_in(self, session_id: uuid.UUID) -> SignInSession | None:
        """The sign-in, locked until the unit ends. Every path that ends a sign-in or
        renews its tokens takes this lock before the tokens', so the two wait for each
        other (and cannot deadlock)."""
        return await self.session.scalar(
            select(SignInSession)
            .where(SignInSession.id == session_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def revoke_family(self, family_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def revoke_all_of(self, user_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def live_families_of(self, user_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
        """The user's sign-ins whose refresh token still works (not revoked, not run out)."""
        rows = await self.session.scalars(
            select(RefreshToken.family_id)
            .where(
                RefreshToken.user_id == user_id,
                RefreshToken.revoked_at.is_(None),
                RefreshToken.expires_at > now,
            )
            .distinct()
        )
        return list(rows)

    async def sign_in(self, session_id: uuid.UUID) -> SignInSession | None:
        return await self.session.get(SignInSession, session_id)

    async def open_sign_ins(
        self, user_id: uuid.UUID, *, used_since: datetime, remembered_since: datetime
    ) -> list[SignInSession]:
        """The user's sign-ins not ended whose refresh token still works: used within
        its lifetime (a sign-in with "remember me" lives longer), newest use first."""
        used = SignInSession.last_used_at
        alive = or_(
            and_(SignInSession.remember_me.is_(True), used > remembered_since),
            and_(SignInSession.remember_me.is_(False), used > used_since),
        )
        rows = await self.session.scalars(
            select(SignInSession)
            .where(SignInSession.user_id == user_id, SignInSession.ended_at.is_(None), alive)
            .order_by(SignInSession.last_used_at.desc(), SignInSession.created_at.desc())
        )
        return list(rows)

    async def device_history(
        self, user_id: uuid.UUID, username: str, device_key: str
    ) -> tuple[bool, bool]:
        """(whether the user ever signed in before, whether from this device). Sign-ins
        from before the list of sign-ins existed are known by the audit trail."""
        before = or_(
            exists().where(SignInSession.user_id == user_id),
            exists().where(
                LoginAudit.username == username,
                LoginAudit.user_id == user_id,
                LoginAudit.outcome.in_(SIGNED_IN),
            ),
        )
        known = exists().where(
            SignInSession.user_id == user_id, SignInSession.device_key == device_key
        )
        row = (await self.session.execute(select(before, known))).one()
        return bool(row[0]), bool(row[1])

    async def sign_in_used(self, session_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(SignInSession).where(SignInSession.id == session_id).values(last_used_at=at)
        )

    async def end_sign_in_rows(
        self, user_id: uuid.UUID, at: datetime, session_id: uuid.UUID | None = None
    ) -> None:
        """Mark one sign-in of the user ended, or (without `session_id`) all of them."""
        query = update(SignInSession).where(
            SignInSession.user_id == user_id, SignInSession.ended_at.is_(None)
        )
        if session_id is not None:
            query = query.where(SignInSession.id == session_id)
        await self.session.execute(query.values(ended_at=at))

    async def revocations(self, *, since: datetime) -> list[Revocation]:
        rows = await self.session.scalars(
            select(Revocation).where(Revocation.revoked_at >= since).order_by(Revocation.revoked_at)
        )
        return list(rows)

    async def forget_revocations(self, *, before: datetime) -> None:
        await self.session.execute(delete(Revocation).where(Revocation.revoked_at < before))

    async def one_time_token(self, token_hash: str) -> OneTimeToken | None:
        return await self.session.scalar(
            select(OneTimeToken).where(OneTimeToken.token_hash == token_hash).with_for_update()
        )

    async def use_all_links_of(self, user_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(OneTimeToken)
            .where(OneTimeToken.user_id == user_id, OneTimeToken.used_at.is_(None))
            .values(used_at=at)
        )

    async def audit(self, *, username: str, limit: int) -> list[LoginAudit]:
        rows = await self.session.scalars(
            select(LoginAudit)
            .where(LoginAudit.username == username)
            .order_by(LoginAudit.created_at.desc())
            .limit(limit)
        )
        return list(rows)

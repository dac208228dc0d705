"""The caller's own sign-ins, as the profile lists them: which browsers and programs
hold a refresh token of the portal, and ending one or all of them (the tokens stop at
once at identity, everywhere else within the revocation poll).

Only the portal's own sign-ins are here (password, second factor, passkey); tokens of
OAuth/OpenID Connect clients are the clients' business and are ended by revoking them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from portal_chassis.auth import Actor
from portal_chassis.errors import Forbidden, NotFound
from portal_identity.mfa.rules import ACR_MFA, acr_of
from portal_identity.sessions.models import SignInSession
from portal_identity.sessions.schemas import SignInSessionPage, SignInSessionRead
from portal_identity.sessions.service import end_other_sign_ins, end_sign_in
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

NO_SUCH_SESSION = "No such sign-in."


class PortalSignInOnly(Forbidden):
    slug, title = "portal-sign-in-only", "Only for the portal's own sign-in"


def own_sign_in(actor: Actor) -> Actor:
    """The caller, if they signed in to the portal itself: another application's token
    (even one for the profile) neither reads where the user signed in nor ends it."""
    if actor.scopes is not None:
        raise PortalSignInOnly("Sign-ins are managed by the portal's own sign-in only.")
    return actor


def _read(row: SignInSession, current: str | None) -> SignInSessionRead:
    return SignInSessionRead(
        id=row.id,
        device=row.device,
        user_agent=row.user_agent,
        address=row.address,
        remember_me=row.remember_me,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        current=str(row.id) == current,
        second_factor=acr_of(row.amr or []) == ACR_MFA,
    )


async def _open(
    uow: IdentityUoW, settings: IdentitySettings, user_id: uuid.UUID
) -> list[SignInSession]:
    """The user's sign-ins whose refresh token still works: each renewal gives a token
    for the whole lifetime again, so a sign-in lives that long after its last use."""
    now = datetime.now(UTC)
    return await uow.sessions.open_sign_ins(
        user_id,
        used_since=now - timedelta(hours=settings.refresh_token_hours),
        remembered_since=now - timedelta(days=settings.remember_me_days),
    )


async def list_sessions(
    *, uow: IdentityUoW, settings: IdentitySettings, actor: Actor
) -> SignInSessionPage:
    async with uow:
        rows = await _open(uow, settings, actor.id)
    return SignInSessionPage(items=[_read(row, actor.session_id) for row in rows])


async def end_session(
    *, uow: IdentityUoW, settings: IdentitySettings, actor: Actor, session_id: uuid.UUID
) -> None:
    """End one of the caller's sign-ins (the one in use too, like signing out there).
    Another user's, an ended or an expired one is not found."""
    async with uow:
        live = {row.id for row in await _open(uow, settings, actor.id)}
        if session_id not in live:
            raise NotFound(NO_SUCH_SESSION)
        await end_sign_in(uow, user_id=actor.id, family_id=session_id, at=datetime.now(UTC))
        await uow.commit()


async def end_sessions(*, uow: IdentityUoW, actor: Actor, include_current: bool) -> None:
    """End every sign-in of the caller but the one in use, or with `include_current`
    that one too. Each ends by its `sid`: the user's OAuth clients keep their tokens."""
    keep = None if include_current else actor.session_id
    async with uow:
        await end_other_sign_ins(uow, user_id=actor.id, keep=keep, at=datetime.now(UTC))
        await uow.commit()

"""Sign-in, token refresh and rotation, sign-out, lost password and first password."""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
import time
import uuid
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput, TooManyRequests, Unauthorized
from portal_chassis.ratelimit import Limit, RateLimiter
from portal_identity.accounts.events import AccountLink, PasswordResetRequested, UserInvited
from portal_identity.accounts.models import User
from portal_identity.accounts.passwords import hash_password, verify_password
from portal_identity.accounts.policy import password_problem
from portal_identity.keys.ring import KeyRing
from portal_identity.mfa import challenges
from portal_identity.mfa.rules import AMR_PASSWORD, MfaRequired, acr_of, amr_of
from portal_identity.sessions.clients import ADDRESS_MAX, USER_AGENT_MAX, ClientInfo
from portal_identity.sessions.events import SessionStartedOnNewDevice
from portal_identity.sessions.models import (
    LinkPurpose,
    LoginAudit,
    OneTimeToken,
    RefreshToken,
    Revocation,
    SignInSession,
)
from portal_identity.sessions.schemas import (
    ForgotRequest,
    LoginRequest,
    RefreshRequest,
    ResetRequest,
    Revocations,
    SessionRevocation,
    TokenPair,
    UserRevocation,
)
from portal_identity.sessions.secrets import digest, new_token
from portal_identity.sessions.throttle import LoginThrottle
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

log = logging.getLogger(__name__)

BAD_CREDENTIALS = "Username or password is wrong."
BAD_REFRESH = "The session has ended. Please sign in again."
BAD_LINK = "This link is invalid, was used already or has expired. Request a new one."


@dataclass(frozen=True)
class Issuer:
    """Everything needed to mint tokens."""

    keys: KeyRing
    settings: IdentitySettings

    def access_token(
        self,
        user: User,
        *,
        scope: str | None = None,
        aud: str | None = None,
        client_id: str | None = None,
        sid: uuid.UUID | None = None,
        amr: Sequence[str] = AMR_PASSWORD,
        setup_due: bool = False,
    ) -> str:
        """The portal's own sign-in passes no scope: its tokens are not limited by scopes.
        A token for an OAuth client always names the client and its scope, even empty.
        `amr`/`acr` say how the user signed in; `mfa_setup_due` that their role requires a
        second factor they have not set up (the pages lead them to it)."""
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": self.settings.portal.issuer,
            "aud": aud or self.settings.portal.token_audience,
            "sub": str(user.id),
            "username": user.username,
            "org": str(user.organization_id) if user.organization_id else None,
            "roles": user.roles,
            "permissions": sorted(user.permissions or []),
            "iat": now,
            "nbf": now,
            "exp": now + self.expires_in,
            "jti": secrets.token_hex(8),
            "amr": list(amr),
            "acr": acr_of(amr),
        }
        if setup_due:
            claims["mfa_setup_due"] = True
        if sid is not None:
            claims["sid"] = str(sid)  # the sign-in, so that ending it ends this token
        if client_id is not None:
            claims["client_id"] = client_id
            claims["scope"] = scope or ""
        elif scope:
            claims["scope"] = scope
        return self.keys.sign(claims)

    @property
    def expires_in(self) -> int:
        return self.settings.access_token_minutes * 60

    def refresh_lifetime(self, remember_me: bool) -> timedelta:
        if remember_me:
            return timedelta(days=self.settings.remember_me_days)
        return timedelta(hours=self.settings.refresh_token_hours)


def _new_refresh(
    uow: IdentityUoW,
    issuer: Issuer,
    user: User,
    *,
    remember_me: bool,
    family: uuid.UUID,
    amr: Sequence[str],
) -> str:
    token = new_token()
    uow.sessions.add(
        RefreshToken(
            user_id=user.id,
            token_hash=digest(token),
            family_id=family,
            remember_me=remember_me,
            amr=list(amr),
            expires_at=datetime.now(UTC) + issuer.refresh_lifetime(remember_me),
        )
    )
    return token


async def setup_due(uow: IdentityUoW, user: User) -> bool:
    """Whether the user's role requires a second factor (app or passkey) they have not
    set up."""
    required = set(await uow.mfa.required_roles()) & set(user.roles)
    return bool(required) and not await uow.mfa.factors(user.id)


async def start_sign_in(
    uow: IdentityUoW,
    issuer: Issuer,
    user: User,
    *,
    remember_me: bool,
    amr: Sequence[str],
    client: ClientInfo,
) -> TokenPair:
    """A new sign-in of `user`, however it was made (password, second factor, passkey):
    its refresh-token family, the session the profile lists (same id, the tokens'
    `sid`) and, from a device the user never signed in from, the event that mails them.
    The caller commits."""
    family = uuid.uuid4()
    refresh = _new_refresh(uow, issuer, user, remember_me=remember_me, family=family, amr=amr)
    await _record_session(uow, user, family, remember_me=remember_me, amr=amr, client=client)
    due = await setup_due(uow, user)
    return TokenPair(
        access_token=issuer.access_token(user, sid=family, amr=amr, setup_due=due),
        refresh_token=refresh,
        expires_in=issuer.expires_in,
    )


async def _record_session(
    uow: IdentityUoW,
    user: User,
    family: uuid.UUID,
    *,
    remember_me: bool,
    amr: Sequence[str],
    client: ClientInfo,
) -> None:
    """The profile's row of a new sign-in; a device new to a user who signed in before
    is news to them (the first sign-in of an account is not)."""
    now = datetime.now(UTC)
    key = client.device_key
    signed_in_before, known_device = await uow.sessions.device_history(user.id, user.username, key)
    session = SignInSession(
        id=family,
        user_id=user.id,
        user_agent=client.user_agent[:USER_AGENT_MAX],
        device=client.device,
        device_key=key,
        address=client.address[:ADDRESS_MAX],
        remember_me=remember_me,
        amr=list(amr),
        created_at=now,
        last_used_at=now,
    )
    uow.sessions.add(session)
    if signed_in_before and not known_device:
        uow.emit(
            SessionStartedOnNewDevice(
                user_id=user.id,
                session_id=family,
                username=user.username,
                email=user.email,
                display_name=user.display_name,
                language=user.language,
                time_zone=user.time_zone,
                device=session.device,
                address=session.address,
                at=now,
            )
        )


async def login(
    *,
    uow: IdentityUoW,
    issuer: Issuer,
    throttle: LoginThrottle,
    data: LoginRequest,
    client: ClientInfo,
) -> TokenPair:
    address = client.address
    async with uow:
        await count_attempt(uow, throttle, data.username, None, address)
        user = await uow.users.get_by_username(data.username)
        # The same answer, and the same work, for an unknown user and a wrong password.
        ok = await verify_password(user.password_hash if user else None, data.password)
        if user is None or not ok or not user.active:
            uow.sessions.add(audit_row(data.username, user, "failure", address))
            await uow.commit()
            raise Unauthorized(BAD_CREDENTIALS)
        if factors := await uow.mfa.factors(user.id):
            # The account's throttle count stays until the code is right (throttle.py).
            mfa_token = challenges.start(uow, user, remember_me=data.remember_me)
            uow.sessions.add(audit_row(data.username, user, "mfa_required", address))
            await uow.commit()
            await throttle.password_passed(data.username, address)
            raise MfaRequired(mfa_token, factors)
        return await finish_sign_in(
            uow,
            issuer,
            throttle,
            user,
            remember_me=data.remember_me,
            amr=AMR_PASSWORD,
            client=client,
        )


async def count_attempt(
    uow: IdentityUoW,
    throttle: LoginThrottle,
    username: str,
    user: User | None,
    address: str,
    *,
    account: bool = True,
) -> None:
    """Count one sign-in attempt (password, code, passkey) before it is checked, on the
    account and the address (`account=False`: the address only, for a passkey of no
    known account). Over the limit: the audit row, the commit, 429. Inside the unit."""
    try:
        if account:
            await throttle.attempt(username, address)
        else:
            await throttle.attempt_address(address)
    except TooManyRequests:
        uow.sessions.add(audit_row(username, user, "throttled", address))
        await uow.commit()
        raise


async def finish_sign_in(
    uow: IdentityUoW,
    issuer: Issuer,
    throttle: LoginThrottle,
    user: User,
    *,
    remember_me: bool,
    amr: Sequence[str],
    client: ClientInfo,
    outcome: str = "success",
) -> TokenPair:
    """The end of every sign-in that passed (password, second step, passkey): the
    sign-in itself, its audit row, the commit, and the account's failures forgiven.
    Inside the unit."""
    pair = await start_sign_in(uow, issuer, user, remember_me=remember_me, amr=amr, client=client)
    uow.sessions.add(audit_row(user.username, user, outcome, client.address))
    await uow.commit()
    await throttle.succeeded(user.username, client.address)
    return pair


def audit_row(username: str, user: User | None, outcome: str, address: str) -> LoginAudit:
    """A row of the sign-in audit trail (and its log line): `success`, `failure`,
    `throttled`, `mfa_required` (the password was right, a code is due), `mfa_failure`,
    and the changes of a second factor (`mfa_enabled`, `mfa_disabled`, `mfa_reset`,
    `mfa_new_codes`)."""
    log.info(
        "sign-in attempt",
        extra={"outcome": outcome, "user_id": str(user.id) if user else None, "client": address},
    )
    return LoginAudit(
        username=username,
        user_id=user.id if user else None,
        outcome=outcome,
        client_address=address,
    )


async def refresh(*, uow: IdentityUoW, issuer: Issuer, data: RefreshRequest) -> TokenPair:
    now = datetime.now(UTC)
    async with uow:
        row = await _locked_for_refresh(uow, digest(data.refresh_token))
        if row is None or row.revoked_at is not None or row.expires_at <= now:
            raise Unauthorized(BAD_REFRESH)
        if row.rotated_at is not None:
            # A rotated token came back: it was stolen, or the thief already used the
            # new one. Either way the whole sign-in is compromised.
            await end_sign_in(uow, user_id=row.user_id, family_id=row.family_id, at=now)
            await uow.commit()
            log.warning("refresh token reuse; session revoked", extra={"user_id": str(row.user_id)})
            raise Unauthorized(BAD_REFRESH)
        user = await uow.users.get(row.user_id)
        if user is None or not user.active:
            raise Unauthorized(BAD_REFRESH)
        row.rotated_at = now
        # The sign-in keeps how it was made; whether a factor is due is asked anew.
        amr = amr_of(row.amr)
        token = _new_refresh(
            uow, issuer, user, remember_me=row.remember_me, family=row.family_id, amr=amr
        )
        await uow.sessions.sign_in_used(row.family_id, now)
        due = await setup_due(uow, user)
        await uow.commit()
    return TokenPair(
        access_token=issuer.access_token(user, sid=row.family_id, amr=amr, setup_due=due),
        refresh_token=token,
        expires_in=issuer.expires_in,
    )


async def _locked_for_refresh(uow: IdentityUoW, token_hash: str) -> RefreshToken | None:
    """The refresh token, locked after its sign-in (the order every ending takes): a
    refresh racing the end of its sign-in either finishes first, and its new token is
    revoked with the others, or finds the sign-in ended. None when unknown or ended."""
    found = await uow.sessions.refresh_token(token_hash, lock=False)
    if found is None:
        return None
    sign_in = await uow.sessions.lock_sign_in(found.family_id)
    if sign_in is not None and sign_in.ended_at is not None:
        return None
    return await uow.sessions.refresh_token(token_hash)


async def end_sign_in(
    uow: IdentityUoW, *, user_id: uuid.UUID, family_id: uuid.UUID, at: datetime
) -> None:
    """End one sign-in: its refresh tokens at once, its access tokens (`sid`) as soon as
    the verifiers have polled the revocations. The sign-in's row first: its lock makes a
    refresh under way finish before the tokens are revoked (see `_locked_for_refresh`)."""
    await uow.sessions.end_sign_in_rows(user_id, at, family_id)
    await uow.sessions.revoke_family(family_id, at)
    uow.sessions.add(Revocation(user_id=user_id, session_id=family_id, revoked_at=at))


async def end_all_sign_ins(uow: IdentityUoW, *, user_id: uuid.UUID, at: datetime) -> None:
    """End every sign-in of the user: tokens issued before `at` are refused. Verifiers
    compare whole seconds (`iat`), so that a sign-in right after still works; each
    sign-in alive now is also ended by its `sid`, so that no token issued earlier in the
    same second survives."""
    await uow.sessions.end_sign_in_rows(user_id, at)  # first: see `end_sign_in`
    for family in await uow.sessions.live_families_of(user_id, at):
        uow.sessions.add(Revocation(user_id=user_id, session_id=family, revoked_at=at))
    await uow.sessions.revoke_all_of(user_id, at)
    uow.sessions.add(Revocation(user_id=user_id, session_id=None, revoked_at=at))


async def renew_access_tokens(uow: IdentityUoW, *, user_id: uuid.UUID, at: datetime) -> None:
    """Refuse the user's access tokens issued before `at` but keep their sign-ins: each
    client renews its token with its refresh token (the browser's session does so
    unnoticed) and gets what the user may do now."""
    uow.sessions.add(Revocation(user_id=user_id, session_id=None, revoked_at=at))


async def end_other_sign_ins(
    uow: IdentityUoW, *, user_id: uuid.UUID, keep: str | None, at: datetime
) -> None:
    """End every sign-in of the user but the one in use (a changed password): whoever
    knew the old one is signed out everywhere, the person changing it is not."""
    for family in await uow.sessions.live_families_of(user_id, at):
        if str(family) != keep:
            await end_sign_in(uow, user_id=user_id, family_id=family, at=at)


# Verifiers' clocks may be a little off from identity's.
CLOCK_LEEWAY = timedelta(seconds=60)
# A revocation committed a little after its `revoked_at` (or by a replica whose clock is a
# little behind) still reaches the verifiers that asked in between.
DELTA_OVERLAP = timedelta(seconds=60)


def _kept(settings: IdentitySettings) -> timedelta:
    return timedelta(minutes=settings.access_token_minutes) + CLOCK_LEEWAY


async def revocations(
    *, uow: IdentityUoW, settings: IdentitySettings, since: str | None
) -> Revocations:
    """The revocations in force, or those since the `cursor` of an earlier answer."""
    now = datetime.now(UTC)
    kept = _kept(settings)
    oldest = now - kept
    # A cursor that is not one of ours gets everything in force, and so does one from the
    # future (identity's clock was set back since it was given): a delta from it would
    # leave out what was ended since, until the next poll's cursor.
    with suppress(ValueError, OverflowError, OSError):
        if since and (asked := datetime.fromtimestamp(float(since), UTC)) <= now:
            oldest = max(oldest, asked - DELTA_OVERLAP)
    async with uow:
        rows = await uow.sessions.revocations(since=oldest)
    users: dict[uuid.UUID, UserRevocation] = {}
    sessions: list[SessionRevocation] = []
    for row in rows:  # oldest first: a user's newest revocation wins
        until = (row.revoked_at + kept).timestamp()
        if row.session_id is None:
            before = math.floor(row.revoked_at.timestamp())
            users[row.user_id] = UserRevocation(
                user_id=str(row.user_id), revoked_before=before, until=until
            )
        else:
            sessions.append(SessionRevocation(sid=str(row.session_id), until=until))
    return Revocations(
        cursor=f"{now.timestamp():.3f}", users=list(users.values()), sessions=sessions
    )


async def forget_revocations(*, uow: IdentityUoW, settings: IdentitySettings) -> None:
    """Drop revocations no token can need any more (every token they concern expired)."""
    async with uow:
        await uow.sessions.forget_revocations(before=datetime.now(UTC) - _kept(settings))
        await uow.commit()


async def logout(*, uow: IdentityUoW, refresh_token: str | None, actor: Actor | None) -> None:
    """Ends the sign-in the refresh token belongs to, or every sign-in of the caller."""
    now = datetime.now(UTC)
    async with uow:
        if refresh_token:
            row = await uow.sessions.refresh_token(digest(refresh_token), lock=False)
            if row is not None:
                await end_sign_in(uow, user_id=row.user_id, family_id=row.family_id, at=now)
        elif actor is not None:
            await end_all_sign_ins(uow, user_id=actor.id, at=now)
        else:
            raise Unauthorized("Sign in to sign out.")
        await uow.commit()


async def issue_link(
    uow: IdentityUoW, settings: IdentitySettings, user: User, purpose: LinkPurpose
) -> None:
    """Store a fresh single-use token and record the event notify turns into a mail."""
    await uow.users.flush()  # a new user's row must exist before its token's
    token = new_token()
    event_cls: type[AccountLink]
    if purpose is LinkPurpose.INVITE:
        lifetime, event_cls, path = (
            timedelta(days=settings.invitation_days),
            UserInvited,
            "/password/first",
        )
    else:
        lifetime, event_cls, path = (
            timedelta(minutes=settings.reset_link_minutes),
            PasswordResetRequested,
            "/password/reset",
        )
    expires_at = datetime.now(UTC) + lifetime
    uow.sessions.add(
        OneTimeToken(
            user_id=user.id, purpose=purpose, token_hash=digest(token), expires_at=expires_at
        )
    )
    uow.emit(
        event_cls(
            user_id=user.id,
            username=user.username,
            email=user.email,
            display_name=user.display_name,
            language=user.language,
            link=f"{settings.portal.public_url.rstrip('/')}{path}?token={token}",
            expires_at=expires_at,
        )
    )


RESET_MAILS = Limit(count=5, window_seconds=3600)
# Every answer of the lost-password form takes at least this long, so its time does not
# tell whether the account exists (only a real one costs writes and an event).
FORGOT_MIN_SECONDS = 0.25


async def forgot_password(
    *, uow: IdentityUoW, settings: IdentitySettings, limiter: RateLimiter, data: ForgotRequest
) -> None:
    """Always succeeds from the caller's view, in the same time: nobody learns whether
    an account exists. At most five mails an hour per account, so the form cannot flood
    an inbox."""
    started = time.monotonic()
    try:
        await _send_reset_link(uow=uow, settings=settings, limiter=limiter, data=data)
    finally:
        await asyncio.sleep(max(0.0, started + FORGOT_MIN_SECONDS - time.monotonic()))


async def _send_reset_link(
    *, uow: IdentityUoW, settings: IdentitySettings, limiter: RateLimiter, data: ForgotRequest
) -> None:
    if (await limiter.hit(f"forgot:{data.username}", RESET_MAILS)).count > RESET_MAILS.count:
        log.info("password reset mails throttled")
        return
    async with uow:
        user = await uow.users.get_by_username(data.username)
        if user is None or not user.active:
            log.info("password reset for an unknown or inactive account")
            return
        await issue_link(uow, settings, user, LinkPurpose.RESET)
        await uow.commit()


async def reset_password(*, uow: IdentityUoW, data: ResetRequest) -> None:
    now = datetime.now(UTC)
    async with uow:
        link = await uow.sessions.one_time_token(digest(data.token))
        if link is None or link.used_at is not None or link.expires_at <= now:
            raise InvalidInput([{"field": "token", "message": BAD_LINK, "code": "link_invalid"}])
        user = await uow.users.get(link.user_id)
        if user is None or not user.active:
            raise InvalidInput([{"field": "token", "message": BAD_LINK, "code": "link_invalid"}])
        if problem := password_problem(data.new_password, username=user.username):
            raise InvalidInput(
                [{"field": "new_password", "message": problem, "code": "password_policy"}]
            )
        user.set_password_hash(await hash_password(data.new_password))
        await uow.sessions.use_all_links_of(user.id, now)
        await end_all_sign_ins(uow, user_id=user.id, at=now)
        await uow.commit()

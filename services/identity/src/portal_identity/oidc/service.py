"""The OpenID Connect provider's use cases: client registration, the authorization
endpoint (with its sign-in form and consent page), the token endpoint and userinfo."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import cast

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import AccessDeniedError
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oidc.core.errors import ConsentRequiredError, InteractionRequiredError
from pydantic import ValidationError

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound, TooManyRequests, Unauthorized
from portal_chassis.scopes import require_scope
from portal_identity.accounts.models import User
from portal_identity.accounts.passwords import verify_password
from portal_identity.accounts.permissions import require_admin
from portal_identity.mfa import challenges
from portal_identity.mfa.rules import (
    ACR_MFA,
    ACR_VALUES,
    AMR_PASSWORD,
    AMR_TWO_FACTORS,
    MfaTokenInvalid,
    two_factors,
)
from portal_identity.mfa.sealing import SecretBox
from portal_identity.oidc.models import ConsentRequest, OAuthClient, OAuthConsent
from portal_identity.oidc.repository import OAuthRepository
from portal_identity.oidc.schemas import OAuthClientCreate, OpenIDConfiguration, UserInfo
from portal_identity.oidc.server import (
    Loaded,
    Minter,
    OAuthRequest,
    OAuthResponse,
    PortalAuthorizationServer,
    user_claims,
)
from portal_identity.oidc.texts import page_language
from portal_identity.sessions.models import LoginAudit
from portal_identity.sessions.schemas import LoginRequest
from portal_identity.sessions.secrets import digest, new_token
from portal_identity.sessions.service import BAD_CREDENTIALS, Issuer, setup_due
from portal_identity.sessions.throttle import LoginThrottle
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

log = logging.getLogger(__name__)


def discovery(settings: IdentitySettings) -> OpenIDConfiguration:
    issuer = settings.portal.issuer
    return OpenIDConfiguration(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/oauth/authorize",
        token_endpoint=f"{issuer}/oauth/token",
        userinfo_endpoint=f"{issuer}/oauth/userinfo",
        jwks_uri=f"{issuer}/.well-known/jwks.json",
        acr_values_supported=list(ACR_VALUES),
    )


# Client registration (admins only).


async def register_client(
    *, uow: IdentityUoW, data: OAuthClientCreate, actor: Actor
) -> tuple[OAuthClient, str | None]:
    """The new client and its secret (None for public clients), which is never shown again."""
    require_admin(actor)
    secret = None if data.token_endpoint_auth_method == "none" else new_token()
    client = OAuthClient(
        client_id=secrets.token_urlsafe(16),
        secret_hash=digest(secret) if secret else None,
        name=data.name,
        redirect_uris=list(dict.fromkeys(data.redirect_uris)),
        grant_types=list(dict.fromkeys(data.grant_types)),
        token_endpoint_auth_method=data.token_endpoint_auth_method,
        scope=data.scope,
        roles=sorted(set(data.roles)),
        first_party=data.first_party,
        created_by=actor.id,
        created_at=datetime.now(UTC),
    )
    async with uow:
        uow.oauth.add(client)
        await uow.commit()
    log.info("oauth client registered", extra={"client_id": client.client_id})
    return client, secret


async def list_clients(
    *, uow: IdentityUoW, actor: Actor, after: str | None, limit: int
) -> list[OAuthClient]:
    require_admin(actor)
    async with uow:
        return await uow.oauth.clients(after=after, limit=limit)


async def delete_client(*, uow: IdentityUoW, client_id: str, actor: Actor) -> None:
    """Also drops its codes and refresh tokens; access tokens already out expire on their own."""
    require_admin(actor)
    async with uow:
        repo = uow.oauth
        client = await repo.client(client_id)
        if client is None:
            raise NotFound()
        await repo.delete_client(client)
        await uow.commit()
    log.info("oauth client deleted", extra={"client_id": client_id})


# The authorization endpoint.


@dataclass(frozen=True)
class SignInPage:
    """Ask the user to sign in; `params` go back with the form as hidden fields.
    `notice`: a text of the page's own (oidc/texts.py) to show above the form."""

    client_name: str
    params: dict[str, str]
    username: str = ""
    message: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    notice: str | None = None


@dataclass(frozen=True)
class MfaPage:
    """Ask a user whose password was right (or who has a session of one factor) for the
    second factor's code; `mfa_token` and `params` go back with the form. `notice`: a
    text of the page's own (oidc/texts.py), such as a wrong code."""

    client_name: str
    params: dict[str, str]
    mfa_token: str
    notice: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ConsentPage:
    """Ask a signed-in user whether `client_name` may have `scopes`; the answer comes
    back with `ticket`, which names the pending request (ConsentRequest)."""

    client_name: str
    scopes: tuple[str, ...]
    ticket: str
    language: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ErrorPage:
    """A request that cannot be answered with a redirect: unknown client or redirect URI."""

    message: str
    status: int = 400


Outcome = OAuthResponse | SignInPage | MfaPage | ConsentPage | ErrorPage

CONSENT_LIFETIME = timedelta(minutes=10)
CONSENT_EXPIRED = (
    "This consent request has expired or was answered already. Go back to the application "
    "and sign in again."
)
# For the client (error_description), when it asks for two factors of a user with one.
NO_SECOND_FACTOR = (
    "This application requires two-factor sign-in; the user has not set up a second factor."
)


def _server(issuer: Issuer, loaded: Loaded) -> PortalAuthorizationServer:
    return PortalAuthorizationServer(
        loaded=loaded,
        minter=Minter(issuer, loaded),
        refresh_lifetime=issuer.refresh_lifetime(False),
    )


async def _load_for_authorization(repo: OAuthRepository, request: OAuthRequest) -> Loaded:
    loaded = Loaded()
    client_id = request.payload.client_id
    client = await repo.client(client_id) if client_id else None
    if client is not None:
        loaded.clients[client.client_id] = client
        if nonce := request.payload.data.get("nonce"):
            loaded.nonce_used = await repo.nonce_used(client, nonce)
    return loaded


def _refused(
    server: PortalAuthorizationServer, request: OAuthRequest, error: OAuth2Error
) -> Outcome:
    # Only a validated redirect URI may receive the error; anything else stays here.
    if error.redirect_uri:
        return cast(OAuthResponse, server.handle_error_response(request, error))
    return ErrorPage(error.description or "This sign-in request is invalid.")


async def _active_user(uow: IdentityUoW, actor: Actor | None) -> User | None:
    user = await uow.users.get(actor.id) if actor is not None else None
    return user if user is not None and user.active else None


async def _issue_code(
    uow: IdentityUoW,
    server: PortalAuthorizationServer,
    request: OAuthRequest,
    grant: object,
    user: User,
) -> OAuthResponse:
    response: OAuthResponse = server.create_authorization_response(
        request, grant_user=user, grant=grant
    )
    repo = uow.oauth
    for row in server.added:
        repo.add(row)
    await uow.commit()
    return response


async def _consented(
    uow: IdentityUoW,
    server: PortalAuthorizationServer,
    request: OAuthRequest,
    grant: object,
    user: User,
    auth_time: datetime,
) -> Outcome:
    """The code, once the user has allowed the client what it asks for: first-party
    clients never ask; others ask once per scope set, and again for more (or when the
    client sends prompt=consent)."""
    client: OAuthClient = request.client
    prompts = request.payload.data.get("prompt", "").split()
    if not client.first_party:
        repo = uow.oauth
        consent = await repo.consent(user.id, client)
        if consent is None or not consent.covers(request.scope) or "consent" in prompts:
            if "none" in prompts:
                error = ConsentRequiredError(redirect_uri=request.payload.redirect_uri)
                error.state = request.payload.state
                await uow.commit()
                return cast(OAuthResponse, server.handle_error_response(request, error))
            return await _ask_consent(uow, request, user, auth_time, server.loaded.amr)
    return await _issue_code(uow, server, request, grant, user)


async def _ask_consent(
    uow: IdentityUoW,
    request: OAuthRequest,
    user: User,
    auth_time: datetime,
    amr: tuple[str, ...],
) -> ConsentPage:
    now = datetime.now(UTC)
    ticket = new_token()
    repo = uow.oauth
    await repo.drop_expired_consent_requests(now)
    repo.add(
        ConsentRequest(
            ticket_hash=digest(ticket),
            client_id=request.client.id,
            user_id=user.id,
            params=request.authorize_params(),
            auth_time=auth_time,
            amr=list(amr),
            expires_at=now + CONSENT_LIFETIME,
        )
    )
    await uow.commit()
    return ConsentPage(
        client_name=request.client.name,
        scopes=tuple(request.scope.split()),
        ticket=ticket,
        language=page_language(request.payload.data.get("ui_locales"), None, user.language),
    )


def _wants_two_factors(request: OAuthRequest) -> bool:
    return ACR_MFA in request.payload.data.get("acr_values", "").split()


def _redirect_error(
    server: PortalAuthorizationServer, request: OAuthRequest, error: OAuth2Error
) -> OAuthResponse:
    error.redirect_uri = request.payload.redirect_uri
    error.state = request.payload.state
    return cast(OAuthResponse, server.handle_error_response(request, error))


async def _second_factor(
    uow: IdentityUoW, server: PortalAuthorizationServer, request: OAuthRequest, user: User
) -> Outcome:
    """A session of one factor, and the client asks for two (`acr_values`): the code of
    the user's app first. A user without a second factor is refused (`access_denied`):
    setting one up is the portal's business, not this page's."""
    if "totp" not in await uow.mfa.factors(user.id):
        # This page asks for codes; passkeys are the portal's own sign-in's.
        return _redirect_error(server, request, AccessDeniedError(NO_SECOND_FACTOR))
    if "none" in request.payload.data.get("prompt", "").split():
        return _redirect_error(server, request, InteractionRequiredError())
    mfa_token = challenges.start(uow, user, remember_me=False)
    await uow.commit()
    return MfaPage(
        client_name=request.client.name, params=request.authorize_params(), mfa_token=mfa_token
    )


async def authorize(
    *,
    uow: IdentityUoW,
    issuer: Issuer,
    request: OAuthRequest,
    actor: Actor | None,
    auth_time: datetime | None,
    amr: tuple[str, ...] = AMR_PASSWORD,
) -> Outcome:
    """GET: a signed-in caller (Bearer token) gets the code at once, others the form; a
    client that asks for two factors (`acr_values=urn:portal:acr:mfa`) of a session of
    one gets the second step first."""
    async with uow:
        loaded = await _load_for_authorization(uow.oauth, request)
        user = await _active_user(uow, actor)
        loaded.user, loaded.auth_time, loaded.amr = user, auth_time, amr
        server = _server(issuer, loaded)
        try:
            grant = server.get_consent_grant(request, end_user=user)
        except OAuth2Error as error:
            return _refused(server, request, error)
        if user is None or grant.prompt == "login":
            client = request.client
            return SignInPage(client_name=client.name, params=request.authorize_params())
        if _wants_two_factors(request) and not two_factors(amr):
            return await _second_factor(uow, server, request, user)
        return await _consented(uow, server, request, grant, user, auth_time or loaded.now)


async def sign_in(
    *,
    uow: IdentityUoW,
    issuer: Issuer,
    throttle: LoginThrottle,
    request: OAuthRequest,
    username: str,
    password: str,
    address: str,
) -> Outcome:
    """POST of the sign-in form: the portal's login rules, then the code."""
    async with uow:
        loaded = await _load_for_authorization(uow.oauth, request)
        server = _server(issuer, loaded)
        try:
            grant = server.get_consent_grant(request, end_user=None)
        except OAuth2Error as error:
            return _refused(server, request, error)
        page = SignInPage(
            client_name=request.client.name, params=request.authorize_params(), username=username
        )
        try:
            LoginRequest(username=username, password=password)
        except ValidationError as exc:
            return _again(page, exc.errors()[0]["msg"], 400)
        try:
            await throttle.attempt(username, address)
        except TooManyRequests as exc:
            await _audit(uow, username, None, "throttled", address)
            return _again(page, exc.detail or exc.title, 429, exc.headers)
        user = await uow.users.get_by_username(username)
        # The same answer, and the same work, for an unknown user and a wrong password.
        ok = await verify_password(user.password_hash if user else None, password)
        if user is None or not ok or not user.active:
            await _audit(uow, username, user, "failure", address)
            return _again(page, BAD_CREDENTIALS, 401)
        if factors := await uow.mfa.factors(user.id):
            # The account's throttle count stays until the code is right. Passkeys only:
            # this page takes codes, and the password alone is not enough.
            mfa_token = challenges.start(uow, user, remember_me=False) if "totp" in factors else ""
            await _audit(uow, username, user, "mfa_required", address)
            await throttle.password_passed(username, address)
            if not mfa_token:
                return SignInPage(
                    page.client_name, page.params, username, status=401, notice="passkey_only"
                )
            return MfaPage(client_name=page.client_name, params=page.params, mfa_token=mfa_token)
        if _wants_two_factors(request):
            await throttle.succeeded(username, address)
            return _redirect_error(server, request, AccessDeniedError(NO_SECOND_FACTOR))
        uow.sessions.add(_audit_row(username, user, "success", address))
        loaded.user, loaded.auth_time = user, datetime.now(UTC)
        response = await _consented(uow, server, request, grant, user, loaded.auth_time)
    await throttle.succeeded(username, address)
    return response


async def sign_in_second_step(
    *,
    uow: IdentityUoW,
    issuer: Issuer,
    throttle: LoginThrottle,
    request: OAuthRequest,
    mfa_token: str,
    code: str,
    address: str,
) -> Outcome:
    """POST of the second step's form: the code (TOTP or recovery, the sign-in
    throttle's rules), then the code of the authorization, whose sign-in has two
    factors."""
    async with uow:
        loaded = await _load_for_authorization(uow.oauth, request)
        server = _server(issuer, loaded)
        try:
            grant = server.get_consent_grant(request, end_user=None)
        except OAuth2Error as error:
            return _refused(server, request, error)
        client_name, params = request.client.name, request.authorize_params()
        try:
            challenge, user = await challenges.pending(uow, mfa_token)
        except MfaTokenInvalid:
            return SignInPage(client_name, params, status=401, notice="mfa_expired")
        try:
            await throttle.attempt(user.username, address)
        except TooManyRequests as exc:
            await _audit(uow, user.username, user, "throttled", address)
            return MfaPage(client_name, params, mfa_token, "mfa_throttled", 429, exc.headers)
        if await challenges.check_code(uow, SecretBox.of(issuer.settings), user, code) is None:
            await challenges.failed(uow, challenge)
            await _audit(uow, user.username, user, "mfa_failure", address)
            return MfaPage(client_name, params, mfa_token, "mfa_wrong_code", 401)
        try:
            await challenges.complete(uow, challenge)
        except MfaTokenInvalid:
            return SignInPage(client_name, params, status=401, notice="mfa_expired")
        uow.sessions.add(_audit_row(user.username, user, "success", address))
        loaded.user, loaded.auth_time, loaded.amr = user, datetime.now(UTC), AMR_TWO_FACTORS
        response = await _consented(uow, server, request, grant, user, loaded.auth_time)
    await throttle.succeeded(user.username, address)
    return response


async def answer_consent(*, uow: IdentityUoW, issuer: Issuer, ticket: str, allow: bool) -> Outcome:
    """The user's answer on the consent page: the code, or `access_denied`, both by
    redirect to the client; the pending request is gone after one answer."""
    async with uow:
        repo = uow.oauth
        pending = await repo.take_consent_request(digest(ticket)) if ticket else None
        now = datetime.now(UTC)
        if pending is None or pending.expires_at <= now:
            await uow.commit()
            return ErrorPage(CONSENT_EXPIRED)
        request = OAuthRequest(
            "GET",
            f"{issuer.settings.portal.issuer}/oauth/authorize",
            headers={},
            query=list(pending.params.items()),
        )
        loaded = await _load_for_authorization(repo, request)
        user = await uow.users.get(pending.user_id)
        user = user if user is not None and user.active else None
        loaded.user, loaded.auth_time = user, pending.auth_time
        loaded.amr = tuple(pending.amr or AMR_PASSWORD)
        server = _server(issuer, loaded)
        try:
            grant = server.get_consent_grant(request, end_user=user)
        except OAuth2Error as error:
            await uow.commit()
            return _refused(server, request, error)
        if not allow or user is None or request.client.id != pending.client_id:
            await uow.commit()
            # No user: Authlib answers access_denied to the client's redirect URI.
            return cast(
                OAuthResponse,
                server.create_authorization_response(request, grant_user=None, grant=grant),
            )
        consent = await repo.consent(user.id, request.client)
        if consent is None:
            repo.add(
                OAuthConsent(user_id=user.id, client_id=request.client.id, scope=request.scope)
            )
        else:
            consent.extend(request.scope, now)
        response = await _issue_code(uow, server, request, grant, user)
    log.info("oauth consent answered", extra={"client_id": request.client.client_id})
    return response


def _again(
    page: SignInPage, message: str, status: int, headers: dict[str, str] | None = None
) -> SignInPage:
    return SignInPage(
        client_name=page.client_name,
        params=page.params,
        username=page.username,
        message=message,
        status=status,
        headers=headers or {},
    )


def _audit_row(username: str, user: User | None, outcome: str, address: str) -> LoginAudit:
    log.info(
        "oauth sign-in attempt",
        extra={"outcome": outcome, "user_id": str(user.id) if user else None, "client": address},
    )
    return LoginAudit(
        username=username[:64],
        user_id=user.id if user else None,
        outcome=outcome,
        client_address=address,
    )


async def _audit(
    uow: IdentityUoW, username: str, user: User | None, outcome: str, address: str
) -> None:
    uow.sessions.add(_audit_row(username, user, outcome, address))
    await uow.commit()


# The token endpoint.


async def _load_for_token(uow: IdentityUoW, request: OAuthRequest) -> Loaded:
    repo = uow.oauth
    loaded = Loaded()
    basic_id, _ = extract_basic_authorization(request.headers)
    for client_id in {basic_id, request.form.get("client_id")} - {None, ""}:
        if client := await repo.client(client_id):
            loaded.clients[client_id] = client
    user_id = None
    grant_type = request.form.get("grant_type")
    if grant_type == "authorization_code" and (code := request.form.get("code")):
        loaded.code = await repo.code(digest(code))
        if loaded.code is not None:
            user_id, loaded.amr = loaded.code.user_id, tuple(loaded.code.amr)
    elif grant_type == "refresh_token" and (token := request.form.get("refresh_token")):
        loaded.refresh = await repo.refresh_token(digest(token))
        if loaded.refresh is not None:
            user_id, loaded.amr = loaded.refresh.user_id, tuple(loaded.refresh.amr)
    if user_id is not None:
        loaded.user = await uow.users.get(user_id)
        if loaded.user is not None:
            loaded.setup_due = await setup_due(uow, loaded.user)
    return loaded


async def token(*, uow: IdentityUoW, issuer: Issuer, request: OAuthRequest) -> OAuthResponse:
    async with uow:
        server = _server(issuer, await _load_for_token(uow, request))
        response: OAuthResponse = server.create_token_response(request)
        if response.status == 200:
            repo = uow.oauth
            for row in server.added:
                repo.add(row)
            await uow.commit()
        elif server.compromised is not None:
            await uow.oauth.revoke_family(server.compromised, datetime.now(UTC))
            await uow.commit()
            log.warning("oauth code or refresh token reused; its tokens are revoked")
    return response


# Userinfo.


async def userinfo(*, uow: IdentityUoW, actor: Actor) -> UserInfo:
    """Claims by the token's scope, which must include openid; a portal token without
    scopes (its own sign-in) sees all."""
    async with uow:
        user = await _active_user(uow, actor)
    if user is None:
        # Client-credentials tokens have no user behind them.
        raise Unauthorized("The access token does not belong to an active user.")
    require_scope(actor, "openid")
    scope = " ".join(actor.scopes) if actor.scopes is not None else "openid profile email"
    return UserInfo.model_validate(user_claims(user, scope))

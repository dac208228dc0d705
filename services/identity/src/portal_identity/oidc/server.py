"""Authlib's OAuth 2.0 / OpenID Connect server, adapted to this service.

Authlib ships no Starlette server integration, and its grants are synchronous while our
database is not. So the service reads the body and loads every row the request names
(the client, the code or refresh token and its user, whether a nonce was seen) *before*
Authlib runs; the grants below only look at those rows, change them in memory and list
new rows in `added`. The service then persists and commits in one unit of work. A
server is built per request: it is cheap, and it keeps one request's rows to itself.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from authlib.oauth2 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6749.requests import OAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636.challenge import compare_s256_code_challenge
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.util import create_half_hash

from portal_chassis.scopes import SCOPES
from portal_identity.accounts.models import User
from portal_identity.mfa.rules import AMR_PASSWORD
from portal_identity.oidc.models import AuthorizationCode, OAuthClient, OAuthRefreshToken
from portal_identity.sessions.secrets import digest, new_token
from portal_identity.sessions.service import Issuer

CODE_LIFETIME = timedelta(minutes=10)
# Everything a client may send to the authorization endpoint (carried through sign-in).
AUTHORIZE_PARAMS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt",
    "ui_locales",
    "acr_values",
)


class _Payload(OAuth2Payload):  # type: ignore[misc]  # Authlib is untyped
    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for key, value in items:
            self._datalist[key].append(value)
        self._data = {key: values[0] for key, values in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class OAuthRequest(OAuth2Request):  # type: ignore[misc]  # Authlib is untyped
    """An HTTP request as Authlib sees it, built once the body has been read.

    `uri` is the public address (issuer + path): Authlib refuses plain http there except
    for loopback, which is the check we want, not one on the address behind the gateway.
    """

    def __init__(
        self,
        method: str,
        uri: str,
        *,
        headers: Mapping[str, str],
        query: Sequence[tuple[str, str]] = (),
        form: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(method, uri, headers=headers)
        self._args = dict(query)
        self._form = dict(form)
        self.payload = _Payload([*query, *form])

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form

    def authorize_params(self) -> dict[str, str]:
        data = self.payload.data
        return {k: data[k] for k in AUTHORIZE_PARAMS if data.get(k)}


@dataclass(frozen=True)
class OAuthResponse:
    status: int
    body: dict[str, Any] | str
    headers: dict[str, str]

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")


@dataclass
class Loaded:
    """The rows this request names, loaded by the service before Authlib runs."""

    clients: dict[str, OAuthClient] = field(default_factory=dict)
    code: AuthorizationCode | None = None
    refresh: OAuthRefreshToken | None = None
    # The user of the code or refresh token, or the one who just signed in.
    user: User | None = None
    nonce_used: bool = False
    auth_time: datetime | None = None
    # How the user signed in (RFC 8176): at the authorization endpoint that of the
    # session or the sign-in form, at the token endpoint that of the code or refresh
    # token; and whether their role requires a second factor they have not set up.
    amr: tuple[str, ...] = AMR_PASSWORD
    setup_due: bool = False
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def active_user(self, user_id: uuid.UUID) -> User | None:
        user = self.user
        return user if user is not None and user.id == user_id and user.active else None


def user_claims(user: User, scope: str) -> dict[str, Any]:
    """The OpenID claims about `user` that `scope` allows (id_token and userinfo)."""
    scopes = scope.split()
    claims: dict[str, Any] = {"sub": str(user.id)}
    if "profile" in scopes:
        claims.update(
            preferred_username=user.username, name=user.display_name, locale=user.language
        )
    if "email" in scopes:
        claims["email"] = user.email
    return claims


class Minter:
    """Access tokens are the portal's own JWTs, so they work on the whole API."""

    def __init__(self, issuer: Issuer, loaded: Loaded) -> None:
        self.issuer = issuer
        self.loaded = loaded

    def expires_in(self, client: OAuthClient, grant_type: str) -> int:
        return self.issuer.expires_in

    def access_token(
        self, client: OAuthClient, grant_type: str, user: User | None, scope: str
    ) -> str:
        if user is not None:
            # Always with `scope` and `client_id`: a token without them is unlimited.
            return self.issuer.access_token(
                user,
                scope=scope or "",
                client_id=client.client_id,
                amr=self.loaded.amr,
                setup_due=self.loaded.setup_due,
            )
        # Client credentials: the client acts as itself, with the roles an admin gave it.
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer.settings.portal.issuer,
            "aud": self.issuer.settings.portal.token_audience,
            "sub": str(client.id),
            "username": f"client:{client.name}",
            "org": None,
            "roles": sorted(client.roles),
            "client_id": client.client_id,
            "scope": scope or "",
            "iat": now,
            "nbf": now,
            "exp": now + self.issuer.expires_in,
            "jti": secrets.token_hex(8),
        }
        return self.issuer.keys.sign(claims)

    def refresh_token(self, **_: Any) -> str:
        return new_token()

    def id_token(
        self, *, client: OAuthClient, user: User, code: AuthorizationCode, token: dict[str, Any]
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer.settings.portal.issuer,
            "aud": client.client_id,
            "azp": client.client_id,
            "iat": now,
            "exp": now + self.issuer.expires_in,
            "auth_time": code.get_auth_time(),
            "amr": code.get_amr(),
            "acr": code.get_acr(),
            "at_hash": create_half_hash(token["access_token"], "RS256").decode(),
            **user_claims(user, token["scope"]),
        }
        if code.nonce:
            claims["nonce"] = code.nonce
        return self.issuer.keys.sign(claims)


class S256Challenge(CodeChallenge):  # type: ignore[misc]  # Authlib is untyped
    """PKCE for every client, S256 only: `plain` and a missing challenge are refused."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    CODE_CHALLENGE_METHODS = {"S256": compare_s256_code_challenge}

    def validate_code_challenge(self, grant: grants.BaseGrant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send a 'code_challenge' (S256).")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only 'code_challenge_method=S256' is supported.")
        super().validate_code_challenge(grant, redirect_uri)


class IdToken(OpenIDCode):  # type: ignore[misc]  # Authlib is untyped
    def __init__(self, server: PortalAuthorizationServer) -> None:
        super().__init__(require_nonce=False)
        self.server = server

    def exists_nonce(self, nonce: str, request: OAuthRequest) -> bool:
        return self.server.loaded.nonce_used

    def encode_id_token(self, token: dict[str, Any], request: OAuthRequest) -> str:
        return self.server.minter.id_token(
            client=request.client, user=request.user, code=request.authorization_code, token=token
        )


class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]  # Authlib is untyped
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    server: PortalAuthorizationServer

    def save_authorization_code(self, code: str, request: OAuthRequest) -> None:
        loaded, data = self.server.loaded, request.payload.data
        self.server.added.append(
            AuthorizationCode(
                id=uuid.uuid4(),
                code_hash=digest(code),
                client_id=request.client.id,
                user_id=request.user.id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope or "",
                nonce=data.get("nonce"),
                code_challenge=data["code_challenge"],
                code_challenge_method=data["code_challenge_method"],
                auth_time=loaded.auth_time or loaded.now,
                amr=list(loaded.amr),
                expires_at=loaded.now + CODE_LIFETIME,
            )
        )

    def query_authorization_code(self, code: str, client: OAuthClient) -> AuthorizationCode | None:
        row = self.server.loaded.code
        if row is None or row.code_hash != digest(code) or row.client_id != client.id:
            return None
        if row.used_at is not None:
            # Replayed: whoever holds it may also hold the tokens; revoke them (RFC 6749 4.1.2).
            self.server.compromised = row.id
            return None
        return row if row.expires_at > self.server.loaded.now else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        authorization_code.used_at = self.server.loaded.now

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User | None:
        return self.server.loaded.active_user(authorization_code.user_id)


class RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]  # Authlib is untyped
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: PortalAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> OAuthRefreshToken | None:
        loaded = self.server.loaded
        row = loaded.refresh
        if row is None or row.token_hash != digest(refresh_token):
            return None
        if row.revoked_at is not None or row.expires_at <= loaded.now:
            return None
        if row.rotated_at is not None:
            # A rotated token came back: stolen, or the thief used its successor already.
            self.server.compromised = row.family_id
            return None
        return row if loaded.active_user(row.user_id) else None

    def authenticate_user(self, refresh_token: OAuthRefreshToken) -> User | None:
        return self.server.loaded.active_user(refresh_token.user_id)

    def revoke_old_credential(self, refresh_token: OAuthRefreshToken) -> None:
        refresh_token.rotated_at = self.server.loaded.now


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]  # Authlib is untyped
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class PortalAuthorizationServer(AuthorizationServer):  # type: ignore[misc]  # Authlib is untyped
    def __init__(self, *, loaded: Loaded, minter: Minter, refresh_lifetime: timedelta) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.loaded = loaded
        self.minter = minter
        self.refresh_lifetime = refresh_lifetime
        # New rows for the service to add, and a token family to revoke (code or
        # refresh-token reuse), which the service commits even though the request fails.
        self.added: list[AuthorizationCode | OAuthRefreshToken] = []
        self.compromised: uuid.UUID | None = None
        self.register_token_generator(
            "default",
            BearerTokenGenerator(
                minter.access_token, minter.refresh_token, expires_generator=minter.expires_in
            ),
        )
        self.register_grant(CodeGrant, [S256Challenge(required=True), IdToken(self)])
        self.register_grant(RefreshGrant)
        self.register_grant(ClientCredentialsGrant)

    def query_client(self, client_id: str) -> OAuthClient | None:
        return self.loaded.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuthRequest) -> None:
        refresh = token.get("refresh_token")
        if not refresh:
            return
        if request.authorization_code is not None:
            family = request.authorization_code.id
        else:
            family = request.refresh_token.family_id
        self.added.append(
            OAuthRefreshToken(
                id=uuid.uuid4(),
                token_hash=digest(refresh),
                client_id=request.client.id,
                user_id=request.user.id,
                scope=token.get("scope", ""),
                family_id=family,
                amr=list(self.loaded.amr),
                expires_at=self.loaded.now + self.refresh_lifetime,
            )
        )

    def create_oauth2_request(self, request: OAuthRequest) -> OAuthRequest:
        return request

    def handle_response(
        self, status: int, body: dict[str, Any] | str, headers: list[tuple[str, str]]
    ) -> OAuthResponse:
        return OAuthResponse(status=status, body=body, headers=dict(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

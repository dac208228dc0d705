"""OAuth clients, authorization codes, OAuth refresh tokens and users' consents.

Secrets never reach the database: client secrets, codes and refresh tokens are 256-bit
random values stored as their SHA-256. The classes also implement the small interfaces
Authlib's grants call (`check_redirect_uri`, `get_scope`, ...), so the grants work on
these rows directly.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_identity.base import Base
from portal_identity.mfa.rules import acr_of
from portal_identity.sessions.secrets import digest


class OAuthClient(Base):
    """An application registered by an admin to sign users in or to call the API itself."""

    __tablename__ = "oauth_client"

    # Also the `sub` of the tokens the client gets for itself (client credentials).
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # None for public clients (token_endpoint_auth_method "none").
    secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    grant_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    token_endpoint_auth_method: Mapped[str] = mapped_column(String(32))
    scope: Mapped[str] = mapped_column(String(200))
    # Roles of the client's own tokens (client credentials); never a user's roles.
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The portal's own applications: their users are never asked to consent.
    first_party: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_public(self) -> bool:
        return self.token_endpoint_auth_method == "none"

    # Authlib's ClientMixin.

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        # OpenID Connect wants the redirect_uri in every request; no guessing.
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = self.scope.split()
        if not scope:
            return self.scope
        return " ".join(s for s in allowed if s in scope.split())

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if self.secret_hash is None:
            return False
        return hmac.compare_digest(self.secret_hash, digest(client_secret))

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and "authorization_code" in self.grant_types

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type == "client_credentials" and self.is_public:
            return False
        return grant_type in self.grant_types


class AuthorizationCode(Base):
    """Single use, ten minutes. Kept after use so a replay can be detected and answered
    by revoking what the first exchange issued."""

    __tablename__ = "oauth_authorization_code"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("oauth_client.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(200))
    nonce: Mapped[str | None] = mapped_column(String(200), nullable=True)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(16))
    auth_time: Mapped[datetime] = mapped_column(UTCDateTime)
    # How the user signed in (RFC 8176 `amr`), for the id token and the access tokens.
    amr: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["pwd"], server_default='["pwd"]')
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Authlib's AuthorizationCodeMixin (OpenID flavour).

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return int(self.auth_time.timestamp())

    def get_acr(self) -> str:
        return acr_of(self.amr)

    def get_amr(self) -> list[str]:
        return list(self.amr)


class OAuthRefreshToken(Base):
    """One link in a chain of rotated refresh tokens. The chain (family) starts at an
    authorization code; reuse of a rotated token, or a replayed code, revokes it all."""

    __tablename__ = "oauth_refresh_token"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("oauth_client.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(200))
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # How the user signed in (RFC 8176 `amr`), for the access tokens of the chain.
    amr: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["pwd"], server_default='["pwd"]')
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Authlib's TokenMixin, as far as the refresh grant uses it.

    def check_client(self, client: OAuthClient) -> bool:
        return self.client_id == client.id

    def get_scope(self) -> str:
        return self.scope


class OAuthConsent(Base):
    """What a user allowed a client (not first-party) to do: asked once per client and
    scope set, and again only when the client asks for more."""

    __tablename__ = "oauth_consent"
    __table_args__ = (UniqueConstraint("user_id", "client_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("oauth_client.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def covers(self, scope: str) -> bool:
        return set(scope.split()) <= set(self.scope.split())

    def extend(self, scope: str, at: datetime) -> None:
        self.scope = " ".join(dict.fromkeys([*self.scope.split(), *scope.split()]))
        self.granted_at = at


class ConsentRequest(Base):
    """A signed-in user's pending answer on the consent page, ten minutes, single use.
    The page carries only a random ticket (stored as its SHA-256); the authorization
    request it answers stays here, so the form cannot change it."""

    __tablename__ = "oauth_consent_request"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ticket_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("oauth_client.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    params: Mapped[dict[str, str]] = mapped_column(JSON)
    auth_time: Mapped[datetime] = mapped_column(UTCDateTime)
    # How the user signed in (RFC 8176 `amr`), carried to the code.
    amr: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["pwd"], server_default='["pwd"]')
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

"""The identity service as the pages use it: the viewer's own profile, passwords by
mailed link, the second factor of the sign-in, and the administration of organizations,
users, access requests, OAuth clients and the two-factor policy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from portal_gateway.web.clients.base import Page, Result, ServiceClient


class Profile(Result):
    email: str | None = None
    display_name: str | None = None
    language: str | None = None
    time_zone: str | None = None
    roles: list[str] = []
    permissions: list[str] = []  # granted one by one: `review`
    notification_preferences: dict[str, bool] = {}


class Organization(Result):
    id: str
    name: str
    priority_contract: bool = False
    org_wide_visibility: bool = True
    sla_contract: str | None = None
    # The customer's own first level: its people's new tickets wait for its reviewers
    # before the service desk sees them.
    internal_review: bool = False
    email_domains: list[str] = []
    active: bool = True


class Organizations(Page):
    items: list[Organization] = []


class OrganizationRef(Result):
    id: str | None = None
    name: str = ""


class User(Result):
    id: str
    username: str
    email: str | None = None
    display_name: str | None = None
    organization: OrganizationRef | None = None
    organization_id: str | None = None
    roles: list[str] = []
    permissions: list[str] = []  # `review`: reviews the organization's tickets
    language: str | None = None


class Users(Page):
    items: list[User] = []


class AccessRequest(Result):
    id: str
    username: str
    organization_id: str | None = None
    # `colleague` (a customer admin's request) or `sign_in` (the sign-in page's form).
    origin: str = "colleague"
    display_name: str = ""
    email: str = ""
    company: str = ""
    phone: str = ""
    function: str = ""
    note: str = ""
    suggested_username: str | None = None


class AccessRequests(Result):
    items: list[AccessRequest] = []


class OAuthClient(Result):
    client_id: str


class OAuthClients(Page):
    items: list[OAuthClient] = []


class MfaStatus(Result):
    """The viewer's second factor."""

    totp: bool = False
    enrolled_at: datetime | None = None
    recovery_codes_left: int = 0
    passkeys: int = 0
    # The viewer's role requires a second factor (the administrators' policy).
    required: bool = False


class Passkey(Result):
    """One of the viewer's passkeys: a second factor and a sign-in without password."""

    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None = None


class Passkeys(Page):
    items: list[Passkey] = []


class TotpEnrolment(Result):
    """A new authenticator app's secret, not active until a code from it confirms it."""

    secret: str
    otpauth_uri: str
    qr_svg: str = ""  # an SVG document, the QR code of `otpauth_uri`


class RecoveryCodes(Result):
    """Single-use codes for a sign-in without the app: shown once, never again."""

    recovery_codes: list[str]


class MfaPolicy(Result):
    required_roles: list[str] = []


class SignInSession(Result):
    """One of the viewer's sign-ins (a browser or program holding a refresh token)."""

    id: str
    device: str = ""
    user_agent: str = ""
    address: str = ""
    remember_me: bool = False
    created_at: datetime
    last_used_at: datetime
    current: bool = False
    second_factor: bool = False


class SignInSessions(Page):
    items: list[SignInSession] = []


class IdentityClient(ServiceClient):
    service = "identity"

    # -- the viewer's own account ---------------------------------------------------------

    async def me(self) -> Profile:
        return await self.get(Profile, "/api/v1/me")

    async def update_me(self, changes: dict[str, Any]) -> Profile:
        return await self.send("PATCH", "/api/v1/me", Profile, json=changes)

    async def forgot_password(self, username: str) -> None:
        await self.act("POST", "/api/v1/auth/password/forgot", json={"username": username})

    async def reset_password(self, token: str, new_password: str) -> None:
        """Sets a password with the single-use token of a mailed link (reset or first)."""
        body = {"token": token, "new_password": new_password}
        await self.act("POST", "/api/v1/auth/password/reset", json=body)

    # -- the viewer's second factor ---------------------------------------------------------

    async def mfa_status(self) -> MfaStatus:
        return await self.get(MfaStatus, "/api/v1/me/mfa")

    async def start_totp(self, password: str) -> TotpEnrolment:
        """A new secret for an authenticator app (the current password confirms it's
        the viewer); a wrong password is a field error on `password`."""
        body = {"password": password}
        return await self.send("POST", "/api/v1/me/mfa/totp", TotpEnrolment, json=body)

    async def confirm_totp(self, code: str) -> RecoveryCodes:
        """Switches the factor on with a code from the app; a wrong code is a field
        error on `code`."""
        path = "/api/v1/me/mfa/totp/confirm"
        return await self.send("POST", path, RecoveryCodes, json={"code": code})

    async def disable_totp(self, password: str) -> None:
        await self.act("POST", "/api/v1/me/mfa/totp/disable", json={"password": password})

    async def new_recovery_codes(self, password: str) -> RecoveryCodes:
        """Ten new recovery codes; the old ones stop working."""
        path = "/api/v1/me/mfa/recovery-codes"
        return await self.send("POST", path, RecoveryCodes, json={"password": password})

    async def passkeys(self) -> Passkeys:
        return await self.get(Passkeys, "/api/v1/me/passkeys")

    async def remove_passkey(self, passkey_id: str, password: str) -> None:
        """Removes one of the viewer's passkeys; a wrong password is a field error on
        `password`, another's or an unknown passkey a 404."""
        path = f"/api/v1/me/passkeys/{quote(passkey_id, safe='')}"
        await self.act("DELETE", path, json={"password": password})

    # -- the viewer's sign-ins -------------------------------------------------------------

    async def sessions(self) -> SignInSessions:
        return await self.get(SignInSessions, "/api/v1/me/sessions")

    async def end_session(self, session_id: str) -> None:
        """Ends one of the viewer's sign-ins; an unknown or ended one is a 404."""
        await self.act("DELETE", f"/api/v1/me/sessions/{quote(session_id, safe='')}")

    async def end_other_sessions(self) -> None:
        """Ends every sign-in of the viewer but the one this page is shown in."""
        await self.act("DELETE", "/api/v1/me/sessions")

    # -- organizations ----------------------------------------------------------------------

    async def organizations(self, *, limit: int = 50, cursor: str | None = None) -> Organizations:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return await self.get(Organizations, "/api/v1/admin/organizations", params=params)

    async def organization(self, organization_id: str) -> Organization:
        return await self.get(Organization, f"/api/v1/admin/organizations/{organization_id}")

    async def create_organization(self, body: dict[str, Any]) -> Organization:
        path = "/api/v1/admin/organizations"
        return await self.send("POST", path, Organization, json=body)

    async def update_organization(self, organization_id: str, body: dict[str, Any]) -> Organization:
        path = f"/api/v1/admin/organizations/{organization_id}"
        return await self.send("PATCH", path, Organization, json=body)

    # -- users ----------------------------------------------------------------------------

    async def users(
        self,
        *,
        limit: int = 50,
        organization_id: str | None = None,
        cursor: str | None = None,
        roles: Sequence[str] = (),
        text: str = "",
    ) -> Users:
        """Users, of any of `roles` when given (sent as repeated `role` parameters), whose
        username, name, e-mail address or organization's name contains `text`."""
        params: dict[str, Any] = {"limit": limit}
        if roles:
            params["role"] = list(roles)
        if text:
            params["q"] = text
        if organization_id:
            params["organization_id"] = organization_id
        if cursor:
            params["cursor"] = cursor
        return await self.get(Users, "/api/v1/admin/users", params=params)

    async def user(self, user_id: str) -> User:
        return await self.get(User, f"/api/v1/admin/users/{user_id}")

    async def create_user(self, body: dict[str, Any]) -> User:
        return await self.send("POST", "/api/v1/admin/users", User, json=body)

    async def update_user(self, user_id: str, changes: dict[str, Any]) -> User:
        return await self.send("PATCH", f"/api/v1/admin/users/{user_id}", User, json=changes)

    async def set_user_active(self, user_id: str, active: bool) -> None:
        await self.act("PATCH", f"/api/v1/admin/users/{user_id}", json={"active": active})

    async def resend_invitation(self, user_id: str) -> None:
        await self.act("POST", f"/api/v1/admin/users/{user_id}/invitation")

    async def reset_user_mfa(self, user_id: str) -> None:
        """Removes the user's second factor (they sign in with the password alone)."""
        await self.act("POST", f"/api/v1/admin/users/{user_id}/mfa/reset")

    # -- the two-factor policy -------------------------------------------------------------

    async def mfa_policy(self) -> MfaPolicy:
        return await self.get(MfaPolicy, "/api/v1/admin/mfa-policy")

    async def set_mfa_policy(self, required_roles: Sequence[str]) -> None:
        body = {"required_roles": list(required_roles)}
        await self.act("PUT", "/api/v1/admin/mfa-policy", json=body)

    # -- access requests ------------------------------------------------------------------

    async def pending_access_requests(self) -> AccessRequests:
        params = {"state": "pending"}
        return await self.get(AccessRequests, "/api/v1/access-requests", params=params)

    async def pending_access_count(self) -> int:
        """How many pending requests the viewer may decide."""
        answer = await self._ok("GET", "/api/v1/access-requests/pending-count")
        return int(answer.json()["pending"])

    async def ask_for_access(self, body: dict[str, Any]) -> None:
        """The sign-in page's form (no token; the caller's address in the headers)."""
        await self.act("POST", "/api/v1/auth/access-requests", json=body)

    async def confirm_access_request(self, token: str) -> None:
        body = {"token": token}
        await self.act("POST", "/api/v1/auth/access-requests/confirm", json=body)

    async def request_access(self, body: dict[str, Any]) -> AccessRequest:
        return await self.send("POST", "/api/v1/access-requests", AccessRequest, json=body)

    async def approve_access_request(
        self, request_id: str, body: dict[str, Any] | None = None
    ) -> AccessRequest:
        """Approves; `body` may choose the organization, roles and user name."""
        path = f"/api/v1/access-requests/{request_id}/approve"
        return await self.send("POST", path, AccessRequest, json=body or None)

    async def reject_access_request(self, request_id: str, reason: str) -> AccessRequest:
        path = f"/api/v1/access-requests/{request_id}/reject"
        return await self.send("POST", path, AccessRequest, json={"reason": reason})

    # -- OAuth clients --------------------------------------------------------------------

    async def oauth_clients(self, *, limit: int = 50, cursor: str | None = None) -> OAuthClients:
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        return await self.get(OAuthClients, "/api/v1/admin/oauth-clients", params=params)

    async def register_oauth_client(self, body: dict[str, Any]) -> OAuthClient:
        """The new client with its secret: the one answer that holds it."""
        return await self.send("POST", "/api/v1/admin/oauth-clients", OAuthClient, json=body)

    async def revoke_oauth_client(self, client_id: str) -> None:
        await self.act("DELETE", f"/api/v1/admin/oauth-clients/{client_id}")

"""Browser sessions: the portal's tokens kept in HttpOnly cookies at the edge.

* `portal_access`  the access JWT (HttpOnly, SameSite=Lax, Secure on https), sent along
  to the services as a Bearer token;
* `portal_refresh` the refresh token (HttpOnly, only sent to `/login` and `/logout` and
  used by the gateway itself to renew an expired access token transparently);
* `portal_csrf`    a random value readable by the page's script; every cookie-authenticated
  write must echo it in `X-CSRF-Token` (or a `csrf_token` form field): double submit;
* `portal_signin`  between password and code of a two-factor sign-in: the handle of the
  step kept on the server (`edge/second_factor.py`), sent to `/login…` only;
* `portal_device`  a random value that names the browser for a year (HttpOnly): passed
  to identity at sign-in, so the profile's list of sign-ins and the mail about a sign-in
  from a new device tell this browser from others.

API clients send `Authorization: Bearer` and never meet any of this.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from starlette.requests import Request
from starlette.responses import Response

from portal_chassis.auth import Actor, TokenVerifier
from portal_chassis.errors import Unauthorized
from portal_gateway.edge.second_factor import (
    PENDING_COOKIE,
    PENDING_SECONDS,
    MemoryPendingSignIns,
    PendingSignIn,
    PendingSignIns,
    key_of,
)

if TYPE_CHECKING:
    from portal_gateway.edge.proxy import Upstreams

log = logging.getLogger(__name__)

ACCESS_COOKIE = "portal_access"
REFRESH_COOKIE = "portal_refresh"
CSRF_COOKIE = "portal_csrf"
REMEMBER_COOKIE = "portal_remember"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
REMEMBER_SECONDS = 30 * 24 * 3600
# Identity's calls of a passkey sign-in: without password (options, answer), and as the
# second step after it (options, answer).
PASSKEY_STEPS = {
    "options": "/api/v1/auth/passkey/options",
    "sign_in": "/api/v1/auth/passkey",
    "step_options": "/api/v1/auth/login/mfa/passkey-options",
    "step": "/api/v1/auth/login/mfa",
}
DEVICE_COOKIE = "portal_device"
DEVICE_SECONDS = 365 * 24 * 3600
# How identity learns the device cookie (cookies never travel past the gateway).
DEVICE_HEADER = "X-Portal-Device"
USER_AGENT_MAX = 512


def client_headers(client: str, user_agent: str = "", device: str = "") -> dict[str, str]:
    """The headers of a sign-in call: the browser's address, user agent and device value
    (identity keeps them with the sign-in)."""
    headers = {"X-Forwarded-For": client, "User-Agent": user_agent[:USER_AGENT_MAX]}
    if device:
        headers[DEVICE_HEADER] = device
    return headers


@dataclass
class Renewal:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass
class Session:
    token: str
    actor: Actor
    renewal: Renewal | None = None


class Sessions:
    def __init__(
        self,
        upstreams: Upstreams,
        verifier: TokenVerifier,
        *,
        secure: bool,
        pending: PendingSignIns | None = None,
    ) -> None:
        self.upstreams = upstreams
        self.verifier = verifier
        self.secure = secure
        self.pending = pending or MemoryPendingSignIns()

    # -- cookies -----------------------------------------------------------------------

    def set_tokens(self, response: Response, tokens: dict[str, Any], *, remember: bool) -> None:
        response.set_cookie(
            ACCESS_COOKIE,
            tokens["access_token"],
            max_age=int(tokens["expires_in"]),
            httponly=True,
            secure=self.secure,
            samesite="lax",
            path="/",
        )
        # Without "remember me" the refresh cookie dies with the browser session.
        response.set_cookie(
            REFRESH_COOKIE,
            tokens["refresh_token"],
            max_age=REMEMBER_SECONDS if remember else None,
            httponly=True,
            secure=self.secure,
            samesite="lax",
            path="/",
        )
        if remember:
            response.set_cookie(
                REMEMBER_COOKIE, "1", max_age=REMEMBER_SECONDS, secure=self.secure, samesite="lax"
            )

    @staticmethod
    def device(request: Request) -> str:
        """The browser's device value, or a new one for `keep_device` to set."""
        found = request.cookies.get(DEVICE_COOKIE, "")
        return found if 16 <= len(found) <= 128 else secrets.token_urlsafe(32)

    def keep_device(self, response: Response, device: str) -> None:
        """Sets (and renews for a year) the device cookie; signing out keeps it."""
        response.set_cookie(
            DEVICE_COOKIE,
            device,
            max_age=DEVICE_SECONDS,
            httponly=True,
            secure=self.secure,
            samesite="lax",
            path="/",
        )

    @staticmethod
    def remembered(request: Request) -> bool:
        return request.cookies.get(REMEMBER_COOKIE) == "1"

    @staticmethod
    def csrf_token(request: Request) -> str:
        """The browser's CSRF value, or a new one for the page to set."""
        return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)

    def set_csrf(self, response: Response, token: str) -> None:
        response.set_cookie(CSRF_COOKIE, token, secure=self.secure, samesite="lax", path="/")

    def clear(self, response: Response) -> None:
        for name in (ACCESS_COOKIE, REFRESH_COOKIE, REMEMBER_COOKIE):
            response.delete_cookie(
                name, path="/", secure=self.secure, httponly=True, samesite="lax"
            )

    @staticmethod
    def csrf_ok(request: Request, submitted: str | None = None) -> bool:
        expected = request.cookies.get(CSRF_COOKIE)
        given = submitted if submitted is not None else request.headers.get(CSRF_HEADER)
        return bool(expected and given and hmac.compare_digest(expected, given))

    # -- the session behind a request ---------------------------------------------------

    async def from_cookies(self, request: Request) -> Session | None:
        """The browser session behind a request, its access token renewed if it expired;
        None if the request carries no usable session."""
        access = request.cookies.get(ACCESS_COOKIE)
        if access:
            try:
                return Session(access, await self.verifier.verify(access))
            except Unauthorized:
                pass
        refresh = request.cookies.get(REFRESH_COOKIE)
        if not refresh:
            return None
        renewed = await self._identity("/api/v1/auth/refresh", {"refresh_token": refresh})
        if renewed.status_code != 200:
            return None
        body = renewed.json()
        try:
            actor = await self.verifier.verify(body["access_token"])
        except Unauthorized:
            return None
        renewal = Renewal(body["access_token"], body["refresh_token"], body["expires_in"])
        return Session(body["access_token"], actor, renewal)

    async def sign_in(
        self,
        username: str,
        password: str,
        remember: bool,
        *,
        client: str,
        user_agent: str = "",
        device: str = "",
    ) -> httpx.Response:
        return await self._identity(
            "/api/v1/auth/login",
            {"username": username, "password": password, "remember_me": remember},
            headers=client_headers(client, user_agent, device),
        )

    async def complete_sign_in(
        self, mfa_token: str, code: str, *, client: str, user_agent: str = "", device: str = ""
    ) -> httpx.Response:
        """The second step: identity answers as to a password sign-in, or refuses."""
        return await self._identity(
            "/api/v1/auth/login/mfa",
            {"mfa_token": mfa_token, "code": code},
            headers=client_headers(client, user_agent, device),
        )

    async def passkey(
        self, step: str, body: dict[str, Any], headers: dict[str, str]
    ) -> httpx.Response:
        """One call of a passkey sign-in (`PASSKEY_STEPS`): identity's options, or its
        answer to the passkey (tokens as to a password sign-in, or a refusal)."""
        return await self._identity(PASSKEY_STEPS[step], body, headers=headers)

    async def renew(self, request: Request, renewed: Renewal | None = None) -> Renewal | None:
        """New tokens for the session now (its claims changed, e.g. a second factor was
        set up); None when the session cannot be renewed. `renewed`: this request's own
        renewal, whose refresh token replaced the cookie's (reusing that one would end
        the whole sign-in)."""
        refresh = renewed.refresh_token if renewed else request.cookies.get(REFRESH_COOKIE)
        if not refresh:
            return None
        answer = await self._identity("/api/v1/auth/refresh", {"refresh_token": refresh})
        if answer.status_code != 200:
            return None
        body = answer.json()
        return Renewal(body["access_token"], body["refresh_token"], body["expires_in"])

    # -- the second step of a sign-in, kept on the server --------------------------------

    async def hold_second_step(self, response: Response, pending: PendingSignIn) -> None:
        handle = secrets.token_urlsafe(32)
        await self.pending.put(key_of(handle), pending, PENDING_SECONDS)
        response.set_cookie(
            PENDING_COOKIE,
            handle,
            max_age=PENDING_SECONDS,
            httponly=True,
            secure=self.secure,
            samesite="lax",
            path="/login",
        )

    async def second_step(self, request: Request) -> PendingSignIn | None:
        handle = request.cookies.get(PENDING_COOKIE)
        return await self.pending.get(key_of(handle)) if handle else None

    @staticmethod
    def second_step_started(request: Request) -> bool:
        """Whether the browser began a second step (which may have expired since)."""
        return bool(request.cookies.get(PENDING_COOKIE))

    async def end_second_step(self, request: Request, response: Response) -> None:
        if handle := request.cookies.get(PENDING_COOKIE):
            await self.pending.drop(key_of(handle))
        response.delete_cookie(
            PENDING_COOKIE, path="/login", secure=self.secure, httponly=True, samesite="lax"
        )

    async def sign_out(self, request: Request) -> None:
        refresh = request.cookies.get(REFRESH_COOKIE)
        if refresh:
            await self._identity("/api/v1/auth/logout", {"refresh_token": refresh})

    async def _identity(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.upstreams.call("identity", "POST", path, headers=headers or {}, json=body)

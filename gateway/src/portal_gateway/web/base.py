"""What every page of the web UI needs: the template renderer, the signed-in viewer
behind the session cookies, and calls to the services on the viewer's behalf."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from portal_chassis.auth import Actor
from portal_gateway.edge.proxy import Upstreams, caller_address
from portal_gateway.edge.sessions import CSRF_COOKIE, Renewal, Sessions
from portal_gateway.web.clients.base import ServiceClient, ServiceError
from portal_gateway.web.clients.identity import IdentityClient
from portal_gateway.web.i18n import TEXTS, language, language_link, plural
from portal_gateway.web.timezones import local_time

HERE = Path(__file__).parent
AREAS = (
    "home",
    "account",
    "access",
    "tickets",
    "desk",
    "exchange",
    "faq",
    "notifications",
    "reports",
    "admin",
    "assets",
    "surveys",
)
# A page's template sits in its area's folder; the layout and macros every page uses in
# `web/templates`. Names stay area-qualified (`tickets/detail.html`), so they never clash.
templates = Jinja2Templates(
    directory=[HERE / "templates", *(HERE / area / "templates" for area in AREAS)]
)
STATIC = HERE / "static"
C = TypeVar("C", bound=ServiceClient)
# Every count on a page goes through one rule: {{ plural(t, "exchange_days", n) }}.
templates.env.globals["plural"] = plural
templates.env.globals["language_link"] = language_link
# Every time on a page goes through one filter: {{ ticket.created_at | local_time }}.
templates.env.filters["local_time"] = local_time


@dataclass
class Viewer:
    """Who looks at a page: signed in (with their token) or anonymous."""

    token: str | None = None
    actor: Actor | None = None
    renewal: Renewal | None = None
    # Access requests waiting for this viewer's decision (admins and customer admins:
    # the navigation shows the number); None when not asked or not known.
    pending_requests: int | None = None
    # The address the edge saw: the services count wrong passwords typed on a page (the
    # security pages ask for one) against it, not against the gateway's own address.
    address: str = ""

    @property
    def headers(self) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        return headers

    @property
    def is_staff(self) -> bool:
        return self.actor is not None and self.actor.is_staff

    @property
    def is_admin(self) -> bool:
        return self.actor is not None and self.actor.is_admin

    @property
    def decides_access(self) -> bool:
        """Approves access requests: the vendor's admins, a customer's admins."""
        return self.is_admin or (self.actor is not None and self.actor.has_role("customer_admin"))

    @property
    def is_reviewer(self) -> bool:
        """A customer with the `review` permission (the token's `permissions` claim)."""
        return self.actor is not None and self.actor.is_reviewer

    @property
    def mfa_setup_due(self) -> bool:
        """The viewer's role requires a second factor they have not set up (the token's
        `mfa_setup_due` claim): the pages lead them to it; the API answers as usual."""
        if self.actor is None or not self.token:
            return False
        return token_claims(self.token).get("mfa_setup_due") is True


def token_claims(token: str) -> dict[str, Any]:
    """The claims of an access token the edge has verified already (its signature is
    not checked again here); empty when it has not the form of a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


@dataclass
class Submission:
    """A posted form: who sent it, what it holds, and whether its CSRF token matched."""

    viewer: Viewer
    form: FormData
    csrf_ok: bool

    def text(self, name: str, limit: int = 10_000) -> str:
        value = self.form.get(name)
        return value.strip()[:limit] if isinstance(value, str) else ""


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def sign_in_first(request: Request) -> RedirectResponse:
    """Send an anonymous visitor to the sign-in page and back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(here, safe='/')}", status_code=303)


class Web:
    def __init__(self, sessions: Sessions, upstreams: Upstreams) -> None:
        self.sessions = sessions
        self.upstreams = upstreams

    async def viewer(self, request: Request) -> Viewer:
        session = await self.sessions.from_cookies(request)
        if session is None:
            return Viewer(address=caller_address(request))
        viewer = Viewer(
            session.token, session.actor, session.renewal, address=caller_address(request)
        )
        if viewer.decides_access:
            viewer.pending_requests = await self._pending_requests(request, viewer)
        return viewer

    async def _pending_requests(self, request: Request, viewer: Viewer) -> int | None:
        """One cheap count per request (kept for the request's further looks), none
        when identity cannot tell: the badge is left out, the page still shows."""
        if hasattr(request.state, "pending_requests"):
            known: int | None = request.state.pending_requests
            return known
        try:
            count: int | None = await self.client(IdentityClient, viewer).pending_access_count()
        except ServiceError:
            count = None
        request.state.pending_requests = count
        return count

    async def submission(self, request: Request) -> Submission:
        form = await request.form()
        viewer = await self.viewer(request)
        token = form.get("csrf_token")
        ok = isinstance(token, str) and self.sessions.csrf_ok(request, token)
        return Submission(viewer, form, ok)

    def redirect(self, request: Request, viewer: Viewer | None, target: str) -> RedirectResponse:
        """303 to `target` (after a form), keeping a renewed session."""
        response = RedirectResponse(target, status_code=303)
        self.keep_session(request, response, viewer)
        return response

    def client(self, kind: type[C], viewer: Viewer) -> C:
        """The typed client of one service, calling on `viewer`'s behalf."""
        return kind(self.upstreams, viewer.headers)

    def render(
        self,
        request: Request,
        name: str,
        status: int = 200,
        *,
        viewer: Viewer | None = None,
        **context: Any,
    ) -> HTMLResponse:
        lang = language(request)
        token = context.pop("csrf_token", None) or self.sessions.csrf_token(request)
        response = templates.TemplateResponse(
            request,
            name,
            {"t": TEXTS[lang], "lang": lang, "csrf_token": token, "viewer": viewer, **context},
            status_code=status,
        )
        if request.cookies.get(CSRF_COOKIE) != token:
            self.sessions.set_csrf(response, token)
        if request.query_params.get("lang") == lang:
            response.set_cookie("portal_lang", lang, max_age=365 * 24 * 3600, samesite="lax")
        self.keep_session(request, response, viewer)
        return response

    def keep_session(self, request: Request, response: Response, viewer: Viewer | None) -> None:
        """Store renewed tokens, so that the next page does not renew again."""
        if viewer is not None and viewer.renewal is not None:
            self.sessions.set_tokens(
                response, vars(viewer.renewal), remember=self.sessions.remembered(request)
            )


async def refused_page(request: Request, exc: Exception) -> Response:
    """A service's refusal no page expected (its own handling is the rule): a readable
    page in the reader's language, 404 for something missing or hidden, else 503, never
    a server error."""
    web: Web = request.app.state.web
    missing = isinstance(exc, ServiceError) and exc.missing
    viewer = await web.viewer(request)
    return web.render(
        request, "refused.html", 404 if missing else 503, viewer=viewer, missing=missing
    )

"""What every page of the web UI needs: the template renderer, the signed-in viewer
behind the session cookies, and calls to the services on the viewer's behalf."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import Response

from portal_chassis.auth import Actor
from portal_chassis.errors import Unauthorized
from portal_gateway.i18n import TEXTS, language
from portal_gateway.proxy import Upstreams
from portal_gateway.sessions import CSRF_COOKIE, Renewal, Sessions

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@dataclass
class Viewer:
    """Who looks at a page: signed in (with their token) or anonymous."""

    token: str | None = None
    actor: Actor | None = None
    renewal: Renewal | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


class Web:
    def __init__(self, sessions: Sessions, upstreams: Upstreams) -> None:
        self.sessions = sessions
        self.upstreams = upstreams

    async def viewer(self, request: Request) -> Viewer:
        session = await self.sessions.from_cookies(request)
        if session is None:
            return Viewer()
        token, renewal = session
        try:
            actor = await self.sessions.verifier.verify(token)
        except Unauthorized:
            return Viewer()
        return Viewer(token, actor, renewal)

    async def api(
        self, viewer: Viewer, service: str, method: str, path: str, **kwargs: Any
    ) -> httpx.Response:
        client = self.upstreams.clients[service]
        return await client.request(method, path, headers=viewer.headers, **kwargs)

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

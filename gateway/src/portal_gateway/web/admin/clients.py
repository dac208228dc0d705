"""Administration of OAuth clients (the applications that sign users in with the portal
or call its API themselves): the vendor's admins register, list and revoke them. A new
client's secret is shown once, on the page after registration; only its hash is kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_chassis.scopes import SCOPES
from portal_gateway.web.admin import kit
from portal_gateway.web.base import Submission, Viewer, Web
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient, OAuthClient, OAuthClients
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import checked, field_messages, first_part
from portal_gateway.web.i18n import language

GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")
CLIENT_FIELDS = {
    "name": "name",
    "redirect_uris": "redirect_uris",
    "grant_types": "grant_types",
    "token_endpoint_auth_method": "token_endpoint_auth_method",
    "scope": "scope",
    "roles": "roles",
    "first_party": "first_party",
}
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

router = APIRouter(include_in_schema=False)


@dataclass
class ClientForm:
    name: str = ""
    redirect_uris: str = ""
    grant_types: list[str] = field(default_factory=lambda: ["authorization_code"])
    token_endpoint_auth_method: str = "client_secret_basic"
    scopes: list[str] = field(default_factory=lambda: ["openid", "profile", "email"])
    agent_role: bool = False
    first_party: bool = False

    @classmethod
    def posted(cls, submission: Submission) -> ClientForm:
        form = submission.form
        method = submission.text("token_endpoint_auth_method", 40)
        return cls(
            name=submission.text("name", 200),
            redirect_uris=submission.text("redirect_uris", 20_000),
            grant_types=[g for g in form.getlist("grant_types") if g in GRANT_TYPES],
            token_endpoint_auth_method=method if method in AUTH_METHODS else AUTH_METHODS[0],
            scopes=[s for s in form.getlist("scopes") if s in SCOPES],
            agent_role=checked(form, "agent_role"),
            first_party=checked(form, "first_party"),
        )

    def body(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "redirect_uris": self.redirect_uris.split(),
            "grant_types": self.grant_types,
            "token_endpoint_auth_method": self.token_endpoint_auth_method,
            "scope": " ".join(self.scopes),
            "roles": ["agent"] if self.agent_role else [],
            "first_party": self.first_party,
        }


@router.get("/admin/clients")
async def client_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    cursor = request.query_params.get("cursor", "")[:200]
    try:
        page = await web.client(IdentityClient, viewer).oauth_clients(cursor=cursor or None)
        failed = False
    except ServiceError:
        page, failed = OAuthClients(items=[], next_cursor=None), True
    return web.render(
        request,
        "admin/clients.html",
        viewer=viewer,
        page=page,
        failed=failed,
        notice=kit.notice(request),
    )


def _client_form(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: ClientForm,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return web.render(
        request,
        "admin/client_form.html",
        status,
        viewer=viewer,
        form=form,
        errors=errors or {},
        grant_types=GRANT_TYPES,
        auth_methods=AUTH_METHODS,
        scopes=SCOPES,
    )


@router.get("/admin/clients/new")
async def new_client(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return _client_form(web, request, viewer, ClientForm())


@router.post("/admin/clients/new")
async def register_client(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    form = ClientForm.posted(submission)
    identity = web.client(IdentityClient, viewer)

    def created(client: OAuthClient) -> Response:
        # The one time the secret is shown: never cached, never in a link.
        page = web.render(request, "admin/client_created.html", viewer=viewer, client=client)
        page.headers["Cache-Control"] = "no-store"
        return page

    locate = first_part(CLIENT_FIELDS)
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _client_form(web, request, viewer, form, errors, status),
        send=lambda: identity.register_oauth_client(form.body()),
        messages=lambda error: field_messages(error, language(request), locate),
        finish=created,
    )


@router.post("/admin/clients/{client_id}/revoke")
async def revoke_client(request: Request, client_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if not CLIENT_ID.match(client_id):
        return kit.missing(web, request, viewer)
    name = submission.text("name", 100)
    if not submission.csrf_ok:
        return web.redirect(request, viewer, "/admin/clients")
    try:
        await web.client(IdentityClient, viewer).revoke_oauth_client(client_id)
    except ServiceError:
        return kit.missing(web, request, viewer)
    return kit.done(web, request, viewer, "/admin/clients", "client_revoked", name)

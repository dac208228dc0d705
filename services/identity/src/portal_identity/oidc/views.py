from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from authlib.oauth2.rfc6749.errors import InsecureTransportError
from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from portal_chassis.auth import Actor, ActorDep, AdminDep, bearer_token, client_address
from portal_chassis.errors import ServiceUnavailable, Unauthorized
from portal_chassis.scopes import area_scope
from portal_identity.deps import (
    CursorQuery,
    IssuerDep,
    LimitQuery,
    SettingsDep,
    ThrottleDep,
    UoWDep,
)
from portal_identity.mfa.rules import AMR_PASSWORD, amr_of
from portal_identity.oidc import service
from portal_identity.oidc.schemas import (
    OAuthClientCreate,
    OAuthClientCreated,
    OAuthClientPage,
    OAuthClientRead,
    OpenIDConfiguration,
    UserInfo,
)
from portal_identity.oidc.server import OAuthRequest, OAuthResponse
from portal_identity.oidc.texts import TEXTS, page_language
from portal_identity.settings import IdentitySettings

# The protocol's endpoints: each checks its own credentials (userinfo needs `openid`).
router = APIRouter(tags=["openid connect"])
clients_router = APIRouter(
    prefix="/api/v1/admin/oauth-clients",
    tags=["openid connect"],
    dependencies=[Depends(area_scope("admin"))],
)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

# The sign-in page runs no script, loads only the portal's stylesheet and cannot be framed.
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def _oauth_request(
    request: Request,
    settings: IdentitySettings,
    *,
    query: Sequence[tuple[str, str]] = (),
    form: Sequence[tuple[str, str]] = (),
) -> OAuthRequest:
    uri = settings.portal.issuer + request.url.path
    if request.url.query:
        uri += "?" + request.url.query
    try:
        return OAuthRequest(request.method, uri, headers=request.headers, query=query, form=form)
    except InsecureTransportError as exc:
        raise ServiceUnavailable("OpenID Connect needs an https public URL.") from exc


async def _form(request: Request) -> list[tuple[str, str]]:
    form = await request.form()
    return [(k, v) for k, v in form.multi_items() if isinstance(v, str)]


async def _sign_in_form(
    request: Request, settings: IdentitySettings, *secrets: str
) -> tuple[dict[str, str], OAuthRequest]:
    """A sign-in step's posted fields, and the authorization request they carry on (the
    step's own secrets left out of it)."""
    items = await _form(request)
    carried = [(k, v) for k, v in items if k not in secrets]
    return dict(items), _oauth_request(request, settings, form=carried)


def _claims(token: str) -> dict[str, Any]:
    """The payload of a token the verifier has just accepted."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


@dataclass(frozen=True)
class SignedIn:
    """The caller's session at the authorization endpoint, if any: who, since when, and
    how they signed in (`amr`)."""

    actor: Actor | None = None
    auth_time: datetime | None = None
    amr: tuple[str, ...] = AMR_PASSWORD


async def _signed_in(request: Request) -> SignedIn:
    token = bearer_token(request)
    if token is None:
        return SignedIn()
    try:
        actor = await request.app.state.portal.verifier.verify(token)
    except Unauthorized:
        return SignedIn()  # a stale token just means: sign in again
    if actor.scopes is not None:
        # A token issued to some application is no sign-in: it must never let that
        # application obtain codes (and wider scopes) for another client.
        return SignedIn()
    claims = _claims(token)
    issued = claims.get("iat")
    return SignedIn(
        actor=actor,
        auth_time=datetime.fromtimestamp(issued, UTC) if isinstance(issued, int) else None,
        amr=amr_of(claims.get("amr")),
    )


def _answer(request: Request, outcome: service.Outcome) -> Response:
    if isinstance(outcome, OAuthResponse):
        if isinstance(outcome.body, dict):
            return JSONResponse(outcome.body, outcome.status, headers=outcome.headers)
        return Response(outcome.body, outcome.status, headers=outcome.headers)
    params = request.query_params
    if isinstance(outcome, service.ErrorPage):
        lang = page_language(params.get("ui_locales"), request.headers.get("accept-language"))
        context: dict[str, Any] = {"error": outcome.message}
        status, headers = outcome.status, {}
    elif isinstance(outcome, service.ConsentPage):
        lang = outcome.language
        context = {"consent": outcome}
        status, headers = outcome.status, outcome.headers
    elif isinstance(outcome, service.MfaPage):
        lang = page_language(
            outcome.params.get("ui_locales"), request.headers.get("accept-language")
        )
        context = {"mfa": outcome}
        status, headers = outcome.status, outcome.headers
    else:
        locales = outcome.params.get("ui_locales")
        lang = page_language(locales, request.headers.get("accept-language"))
        context = {"page": outcome}
        status, headers = outcome.status, outcome.headers
    context.update(t=TEXTS[lang], lang=lang)
    response: HTMLResponse = templates.TemplateResponse(
        request, "authorize.html", context, status_code=status
    )
    response.headers.update({**PAGE_HEADERS, **headers})
    return response


@router.get("/.well-known/openid-configuration", response_model=OpenIDConfiguration)
async def openid_configuration(settings: SettingsDep, response: Response) -> OpenIDConfiguration:
    response.headers["Cache-Control"] = "public, max-age=300"
    return service.discovery(settings)


@router.get("/oauth/authorize", include_in_schema=False)
async def authorize(
    request: Request, uow: UoWDep, issuer: IssuerDep, settings: SettingsDep
) -> Response:
    session = await _signed_in(request)
    oauth = _oauth_request(request, settings, query=list(request.query_params.multi_items()))
    outcome = await service.authorize(
        uow=uow,
        issuer=issuer,
        request=oauth,
        actor=session.actor,
        auth_time=session.auth_time,
        amr=session.amr,
    )
    return _answer(request, outcome)


@router.post("/oauth/authorize", include_in_schema=False)
async def sign_in(
    request: Request,
    uow: UoWDep,
    issuer: IssuerDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
) -> Response:
    fields, oauth = await _sign_in_form(request, settings, "username", "password")
    outcome = await service.sign_in(
        uow=uow,
        issuer=issuer,
        throttle=throttle,
        request=oauth,
        username=fields.get("username", ""),
        password=fields.get("password", ""),
        address=client_address(request),
    )
    return _answer(request, outcome)


@router.post("/oauth/authorize/mfa", include_in_schema=False)
async def sign_in_second_step(
    request: Request,
    uow: UoWDep,
    issuer: IssuerDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
) -> Response:
    """The second step's form: the code of the user's app (or a recovery code)."""
    fields, oauth = await _sign_in_form(request, settings, "mfa_token", "code")
    outcome = await service.sign_in_second_step(
        uow=uow,
        issuer=issuer,
        throttle=throttle,
        request=oauth,
        mfa_token=fields.get("mfa_token", "")[:200],
        code=fields.get("code", "")[:64],
        address=client_address(request),
    )
    return _answer(request, outcome)


@router.post("/oauth/consent", include_in_schema=False)
async def consent(request: Request, uow: UoWDep, issuer: IssuerDep) -> Response:
    fields = dict(await _form(request))
    outcome = await service.answer_consent(
        uow=uow,
        issuer=issuer,
        ticket=fields.get("ticket", "")[:100],
        allow=fields.get("decision") == "allow",
    )
    return _answer(request, outcome)


@router.post("/oauth/token", include_in_schema=False)
async def token(
    request: Request, uow: UoWDep, issuer: IssuerDep, settings: SettingsDep
) -> Response:
    oauth = _oauth_request(request, settings, form=await _form(request))
    return _answer(request, await service.token(uow=uow, issuer=issuer, request=oauth))


@router.get("/oauth/userinfo", response_model=UserInfo, response_model_exclude_none=True)
async def userinfo(actor: ActorDep, uow: UoWDep) -> UserInfo:
    return await service.userinfo(uow=uow, actor=actor)


# OpenID Connect Core §5.3.1 allows POST as well; one operation per method in the API.
router.post(
    "/oauth/userinfo",
    response_model=UserInfo,
    response_model_exclude_none=True,
    operation_id="userinfo_post",
)(userinfo)


@clients_router.post("", status_code=201, response_model=OAuthClientCreated)
async def register_client(
    data: OAuthClientCreate, actor: AdminDep, uow: UoWDep
) -> OAuthClientCreated:
    client, secret = await service.register_client(uow=uow, data=data, actor=actor)
    return OAuthClientCreated(
        **OAuthClientRead.model_validate(client).model_dump(), client_secret=secret
    )


@clients_router.get("", response_model=OAuthClientPage)
async def list_clients(
    actor: AdminDep,
    uow: UoWDep,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> OAuthClientPage:
    clients = await service.list_clients(uow=uow, actor=actor, after=cursor, limit=limit)
    return OAuthClientPage(
        items=[OAuthClientRead.model_validate(c) for c in clients],
        next_cursor=clients[-1].client_id if len(clients) == limit else None,
    )


@clients_router.delete("/{client_id}", status_code=204)
async def delete_client(client_id: str, actor: AdminDep, uow: UoWDep) -> Response:
    await service.delete_client(uow=uow, client_id=client_id, actor=actor)
    return Response(status_code=204)

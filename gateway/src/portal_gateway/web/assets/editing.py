"""The vendor's administrators create and change installations: one form, the field
errors of the tickets service next to their fields, the typed values kept."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_gateway.web.assets.forms import AssetForm, missing_fields
from portal_gateway.web.assets.kit import contracts, missing, organizations
from portal_gateway.web.base import Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.assets import ASSET_STATUSES, AssetsClient
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

router = APIRouter(include_in_schema=False)


async def form_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    form: AssetForm,
    *,
    asset_id: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    orgs = await organizations(web, viewer) if asset_id is None else []
    offered = await contracts(web, viewer, form.organization_id or None)
    names = {o.id: o.name for o in orgs}
    return web.render(
        request,
        "assets/form.html",
        status,
        viewer=viewer,
        form=form,
        asset_id=asset_id,
        errors=errors or {},
        organizations=orgs,
        contracts=[
            (
                c.id,
                f"{names[c.organization_id]} · {c.name}" if c.organization_id in names else c.name,
            )
            for c in offered
        ],
        statuses=ASSET_STATUSES,
    )


@router.get("/assets/new")
async def new_asset(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_admin:
        return missing(request, web, viewer)
    chosen = request.query_params.get("organization_id", "")
    form = AssetForm(organization_id=chosen if is_uuid(chosen) else "")
    return await form_page(request, web, viewer, form)


@router.post("/assets/new")
async def create_asset(request: Request, web: WebDep) -> Response:
    sub = await web.submission(request)
    viewer = sub.viewer
    if viewer.actor is None:
        return RedirectResponse("/login?next=/assets/new", status_code=303)
    if not viewer.is_admin:
        return missing(request, web, viewer)
    lang = language(request)
    form = AssetForm.read(sub, lang)
    if not sub.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return await form_page(request, web, viewer, form, errors=errors, status=403)
    if errors := missing_fields(form, lang, creating=True):
        return await form_page(request, web, viewer, form, errors=errors, status=422)
    try:
        created = await web.client(AssetsClient, viewer).create_asset(
            form.body(lang, creating=True)
        )
    except ServiceError as error:
        return await form_page(
            request, web, viewer, form, errors=form.errors(error, lang), status=form_status(error)
        )
    return web.redirect(request, viewer, f"/assets/{created.id}?saved=1")


@router.get("/assets/{asset_id}/edit")
async def edit_asset(request: Request, asset_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_admin or not is_uuid(asset_id):
        return missing(request, web, viewer)
    try:
        asset = await web.client(AssetsClient, viewer).asset(asset_id)
    except ServiceError as error:
        if error.missing:
            return missing(request, web, viewer)
        raise
    return await form_page(request, web, viewer, AssetForm.of(asset), asset_id=asset_id)


@router.post("/assets/{asset_id}/edit")
async def update_asset(request: Request, asset_id: str, web: WebDep) -> Response:
    sub = await web.submission(request)
    viewer = sub.viewer
    if viewer.actor is None:
        return RedirectResponse("/login?next=/assets", status_code=303)
    if not viewer.is_admin or not is_uuid(asset_id):
        return missing(request, web, viewer)
    lang = language(request)
    form = AssetForm.read(sub, lang)
    client = web.client(AssetsClient, viewer)
    try:
        # The organization stays the asset's; the contracts offered are its.
        form.organization_id = (await client.asset(asset_id)).organization_id or ""
    except ServiceError as error:
        if error.missing:
            return missing(request, web, viewer)
        raise
    if not sub.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return await form_page(
            request, web, viewer, form, asset_id=asset_id, errors=errors, status=403
        )
    if errors := missing_fields(form, lang, creating=False):
        return await form_page(
            request, web, viewer, form, asset_id=asset_id, errors=errors, status=422
        )
    try:
        await client.update_asset(asset_id, form.body(lang, creating=False))
    except ServiceError as error:
        errors = form.errors(error, lang)
        return await form_page(
            request, web, viewer, form, asset_id=asset_id, errors=errors, status=form_status(error)
        )
    return web.redirect(request, viewer, f"/assets/{asset_id}?saved=1")

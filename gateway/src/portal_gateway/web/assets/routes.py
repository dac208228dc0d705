"""The installed base: the organization's assets (the service desk: every
organization's) with search, status filter and paging, one asset with its tickets, and
the small search the new-ticket form asks while an installation is typed. The
administrators' form and CSV import are in `editing.py` and `importing.py`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from portal_gateway.web.assets import editing, importing
from portal_gateway.web.assets.kit import missing, organizations
from portal_gateway.web.base import Viewer, is_uuid, sign_in_first
from portal_gateway.web.clients.assets import (
    ASSET_STATUSES,
    AssetPage,
    AssetsClient,
    ContractRef,
)
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.tickets import TicketPage
from portal_gateway.web.deps import WebDep

PAGE_SIZE = 25
SUGGESTIONS = 10
# What the new-ticket form offers: installations that still run.
OFFERED = ("active", "inactive")

router = APIRouter(include_in_schema=False)
# Their fixed paths (/assets/new, /assets/import) before an asset's page.
router.include_router(importing.router)
router.include_router(editing.router)


@dataclass(frozen=True)
class AssetQuery:
    """The list's search, status filter and (the service desk's) organization."""

    text: str = ""
    status: str = ""
    organization_id: str = ""

    @classmethod
    def read(cls, request: Request, viewer: Viewer) -> AssetQuery:
        params = request.query_params
        status = params.get("status", "")
        chosen = params.get("organization_id", "") if viewer.is_staff else ""
        return cls(
            text=params.get("q", "").strip()[:200],
            status=status if status in ASSET_STATUSES else "",
            organization_id=chosen if is_uuid(chosen) else "",
        )

    def url(self, cursor: str = "") -> str:
        pairs = [
            ("q", self.text),
            ("status", self.status),
            ("organization_id", self.organization_id),
            ("cursor", cursor),
        ]
        query = urlencode([(k, v) for k, v in pairs if v])
        return f"/assets?{query}" if query else "/assets"


@router.get("/assets")
async def asset_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    query = AssetQuery.read(request, viewer)
    cursor = request.query_params.get("cursor", "")[:2000]
    client = web.client(AssetsClient, viewer)
    listing, orgs = await asyncio.gather(
        settle(
            client.assets(
                text=query.text,
                organization_id=query.organization_id or None,
                statuses=[query.status] if query.status else [],
                cursor=cursor or None,
                limit=PAGE_SIZE,
            )
        ),
        organizations(web, viewer),
    )
    failed = isinstance(listing, ServiceError)
    page = listing if isinstance(listing, AssetPage) else AssetPage()
    return web.render(
        request,
        "assets/list.html",
        503 if isinstance(listing, ServiceError) and listing.unavailable else 200,
        viewer=viewer,
        query=query,
        assets=page.items,
        failed=failed,
        next_url=query.url(page.next_cursor) if page.next_cursor else None,
        organizations=orgs,
        org_names={o.id: o.name for o in orgs},
        statuses=ASSET_STATUSES,
    )


@router.get("/assets/suggest")
async def suggest(request: Request, web: WebDep) -> Response:
    """The caller's organization's installations matching `q` (name, serial number,
    product, location), for the new-ticket form: name, serial number and id each."""
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return JSONResponse({"items": []}, status_code=401)
    text = request.query_params.get("q", "").strip()[:200]
    own = viewer.actor.organization_id
    chosen = request.query_params.get("organization_id", "")
    organization_id = str(own) if own else (chosen if viewer.is_staff and is_uuid(chosen) else "")
    try:
        page = await web.client(AssetsClient, viewer).assets(
            text=text, organization_id=organization_id or None, statuses=OFFERED, limit=SUGGESTIONS
        )
    except ServiceError:
        return JSONResponse({"items": []})
    items = [
        {
            "id": a.id,
            "name": a.name,
            "serial_number": a.serial_number,
            "product": a.product,
            "location": a.location,
        }
        for a in page.items
        # A customer's list is their organization's already; the check stays.
        if not own or a.organization_id == str(own)
    ]
    return JSONResponse({"items": items}, headers={"Cache-Control": "no-store"})


@router.get("/assets/{asset_id}")
async def asset_page(request: Request, asset_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if not is_uuid(asset_id):
        return missing(request, web, viewer)
    client = web.client(AssetsClient, viewer)
    cursor = request.query_params.get("cursor", "")[:200]
    try:
        asset = await client.asset(asset_id)
    except ServiceError as error:
        if error.missing or error.status == 403:
            return missing(request, web, viewer)
        raise
    tickets, contract = await asyncio.gather(
        settle(client.asset_tickets(asset_id, cursor=cursor or None)),
        settle(client.contract(asset.contract_id)) if asset.contract_id else asyncio.sleep(0),
    )
    page = tickets if isinstance(tickets, TicketPage) else None
    return web.render(
        request,
        "assets/detail.html",
        viewer=viewer,
        asset=asset,
        contract=contract if isinstance(contract, ContractRef) else None,
        tickets=page.items if page else [],
        tickets_failed=page is None,
        more_tickets=f"/assets/{asset_id}?{urlencode({'cursor': page.next_cursor})}"
        if page and page.next_cursor
        else None,
        new_ticket="/tickets/new?" + urlencode({"asset": asset.serial_number}),
        saved=request.query_params.get("saved") == "1",
    )

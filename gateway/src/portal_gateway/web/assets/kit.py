"""What the installed-base pages share: the organizations to choose from, the contracts
to name, and the portal's 404 page."""

from __future__ import annotations

from fastapi.responses import HTMLResponse
from starlette.requests import Request

from portal_gateway.web.base import Viewer, Web
from portal_gateway.web.clients.assets import AssetsClient, ContractRef
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient, Organization

MAX_ORGANIZATIONS = 200


async def organizations(web: Web, viewer: Viewer) -> list[Organization]:
    """The organizations the service desk may choose from (customers: none; empty when
    identity does not answer, so the page still shows what it can)."""
    if not viewer.is_staff:
        return []
    client = web.client(IdentityClient, viewer)
    found: list[Organization] = []
    cursor: str | None = None
    try:
        while len(found) < MAX_ORGANIZATIONS:
            page = await client.organizations(limit=100, cursor=cursor)
            found.extend(page.items)
            cursor = page.next_cursor
            if not cursor:
                break
    except ServiceError:
        pass
    return found


async def contracts(web: Web, viewer: Viewer, organization_id: str | None) -> list[ContractRef]:
    try:
        return await web.client(AssetsClient, viewer).contracts(organization_id)
    except ServiceError:
        return []


def missing(request: Request, web: Web, viewer: Viewer) -> HTMLResponse:
    """The portal's 404 page: an asset that does not exist or is another
    organization's."""
    return web.render(request, "refused.html", 404, viewer=viewer, missing=True)

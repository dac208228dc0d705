from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import UploadFile

from portal_chassis.auth import ActorDep, AdminDep
from portal_chassis.errors import DomainError
from portal_chassis.openapi import FILE_UPLOAD_BODY, problem_response
from portal_chassis.scopes import area_scope
from portal_tickets import name_cursor
from portal_tickets.assets import csvimport, service
from portal_tickets.assets.models import AssetStatus
from portal_tickets.assets.schemas import (
    AssetCreate,
    AssetPage,
    AssetRead,
    AssetUpdate,
    ImportReport,
)
from portal_tickets.deps import UoWDep
from portal_tickets.ticket import cursor as ticket_cursor
from portal_tickets.ticket.presenter import present_tickets
from portal_tickets.ticket.schemas import TicketPage

router = APIRouter(
    prefix="/api/v1/assets", tags=["assets"], dependencies=[Depends(area_scope("tickets"))]
)


class FileTooLarge(DomainError):
    status, slug, title = 413, "file-too-large", "File too large"


TOO_LARGE = f"At most {csvimport.MAX_BYTES // (1024 * 1024)} MB."


@router.get("", response_model=AssetPage)
async def list_assets(
    actor: ActorDep,
    uow: UoWDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    organization_id: uuid.UUID | None = None,
    status: Annotated[list[AssetStatus], Query(max_length=3)] = [],  # noqa: B006
    cursor_: Annotated[str | None, Query(alias="cursor", max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> AssetPage:
    """The installed base: customers see their organization's, the service desk all.
    `q` finds words in name, serial number, product and location (any case, also the
    start of a word)."""
    assets = await service.list_assets(
        uow=uow,
        actor=actor,
        text=q,
        organization_id=organization_id,
        statuses=set(status) or None,
        after=name_cursor.decode(cursor_) if cursor_ else None,
        limit=limit,
    )
    next_cursor = (
        name_cursor.encode(assets[-1].name, assets[-1].id) if len(assets) == limit else None
    )
    return AssetPage(items=[AssetRead.model_validate(a) for a in assets], next_cursor=next_cursor)


@router.post("", status_code=201, response_model=AssetRead)
async def create_asset(data: AssetCreate, actor: AdminDep, uow: UoWDep) -> AssetRead:
    """Administrators only."""
    return AssetRead.model_validate(await service.create_asset(uow=uow, data=data, actor=actor))


@router.post(
    "/import",
    response_model=ImportReport,
    openapi_extra=FILE_UPLOAD_BODY,
    responses={413: problem_response(TOO_LARGE)},
)
async def import_assets(
    request: Request, organization_id: uuid.UUID, actor: AdminDep, uow: UoWDep
) -> ImportReport:
    """Administrators only: a CSV file (`file`) of the organization's assets, UTF-8,
    `;` or `,` separated, headers in English or German (name/Name,
    serial_number/Seriennummer, product/Produkt, location/Standort,
    installed_on/Installationsdatum, status, contract/Vertrag; any other column is an
    attribute). A known serial number updates its asset; bad rows are refused with their
    line and reasons, the others land. At most 5 MB and 10,000 rows."""
    data = await _csv_file(request)
    return await service.import_assets(
        uow=uow, organization_id=organization_id, data=data, actor=actor
    )


async def _csv_file(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > csvimport.MAX_BYTES + 64 * 1024:
        raise FileTooLarge(TOO_LARGE)
    try:
        async with request.form(max_files=1, max_fields=5) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise csvimport.file_error(
                    "required", "Send the CSV file as `file`.", "Die CSV-Datei fehlt (`file`)."
                )
            data = await upload.read(csvimport.MAX_BYTES + 1)
    except (AssertionError, ValueError) as exc:
        # Not a multipart body (starlette asserts), or one it cannot parse.
        raise csvimport.file_error(
            "required", "Send the CSV file as `file`.", "Die CSV-Datei fehlt (`file`)."
        ) from exc
    if len(data) > csvimport.MAX_BYTES:
        raise FileTooLarge(TOO_LARGE)
    return data


@router.get("/{asset_id}", response_model=AssetRead)
async def get_asset(asset_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> AssetRead:
    return AssetRead.model_validate(
        await service.get_asset(uow=uow, asset_id=asset_id, actor=actor)
    )


@router.patch("/{asset_id}", response_model=AssetRead)
async def update_asset(
    asset_id: uuid.UUID, data: AssetUpdate, actor: AdminDep, uow: UoWDep
) -> AssetRead:
    """Administrators only."""
    asset = await service.update_asset(uow=uow, asset_id=asset_id, data=data, actor=actor)
    return AssetRead.model_validate(asset)


@router.get("/{asset_id}/tickets", response_model=TicketPage)
async def asset_tickets(
    asset_id: uuid.UUID,
    actor: ActorDep,
    uow: UoWDep,
    cursor_: Annotated[str | None, Query(alias="cursor", max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> TicketPage:
    """The asset's tickets, open and closed, newest first, as far as the caller may see
    them."""
    tickets = await service.asset_tickets(
        uow=uow,
        asset_id=asset_id,
        actor=actor,
        after=ticket_cursor.decode(cursor_, "created") if cursor_ else None,
        limit=limit,
    )
    async with uow:
        items = await present_tickets(uow, tickets, actor)
    next_cursor = ticket_cursor.encode(tickets[-1], "created") if len(tickets) == limit else None
    return TicketPage(items=items, next_cursor=next_cursor)

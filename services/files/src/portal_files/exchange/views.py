from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse

from portal_chassis.auth import ActorDep, client_address
from portal_chassis.scopes import area_scope
from portal_files.attachments.download import file_response
from portal_files.attachments.schemas import FileRead
from portal_files.deps import (
    FileName,
    LimiterDep,
    SettingsDep,
    SharePassword,
    StoreDep,
    Token,
    UoWDep,
)
from portal_files.exchange import service
from portal_files.exchange.models import Share
from portal_files.exchange.schemas import (
    AccessEntry,
    PublicShare,
    ShareCreate,
    ShareCreated,
    ShareDetail,
    SharedFile,
    ShareList,
    ShareRead,
)
from portal_files.upload.http import MULTIPART_BODY, UPLOAD_PROBLEMS, file_part
from portal_files.upload.receive import RawUpload

router = APIRouter(
    prefix="/api/v1/exchanges", tags=["file exchange"], dependencies=[Depends(area_scope("files"))]
)


def _read(share: Share) -> dict[str, Any]:
    return {
        "id": share.id,
        "name": share.name,
        "expires_at": share.expires_at,
        "password_protected": share.password_hash is not None,
        "allow_upload": share.allow_upload,
        "allow_download": share.allow_download,
        "download_limit": share.download_limit,
        "download_count": share.download_count,
        "downloads_left": share.downloads_left,
        "downloads_exhausted": share.downloads_exhausted,
        "revoked": share.revoked_at is not None,
        "created_at": share.created_at,
    }


def _visitor(request: Request, token: str, password: str | None) -> service.Visitor:
    return service.Visitor(token=token, password=password, address=client_address(request))


# -- the owner's side (signed in) ---------------------------------------------------------


@router.post("", status_code=201, response_model=ShareCreated)
async def create_share(
    data: ShareCreate, actor: ActorDep, uow: UoWDep, settings: SettingsDep
) -> ShareCreated:
    share, token = await service.create_share(uow=uow, data=data, actor=actor)
    url = f"{settings.portal.public_url.rstrip('/')}/x/{token}"
    return ShareCreated(**_read(share), token=token, url=url)


@router.get("", response_model=ShareList)
async def my_shares(actor: ActorDep, uow: UoWDep) -> ShareList:
    shares = await service.my_shares(uow=uow, actor=actor)
    return ShareList(items=[ShareRead(**_read(s)) for s in shares])


@router.get("/shares/{share_id}", response_model=ShareDetail)
async def share_detail(share_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> ShareDetail:
    share, files, log = await service.share_detail(uow=uow, share_id=share_id, actor=actor)
    return ShareDetail(
        **_read(share),
        files=[SharedFile.model_validate(f) for f in files],
        log=[AccessEntry.model_validate(a) for a in log],
    )


@router.delete("/shares/{share_id}", status_code=204)
async def revoke(share_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> Response:
    await service.revoke(uow=uow, share_id=share_id, actor=actor)
    return Response(status_code=204)


@router.post(
    "/shares/{share_id}/files",
    status_code=201,
    response_model=FileRead,
    responses=UPLOAD_PROBLEMS,
    openapi_extra=MULTIPART_BODY,
)
async def owner_upload(
    share_id: uuid.UUID,
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    store: StoreDep,
    settings: SettingsDep,
) -> FileRead:
    row = await service.owner_upload(
        uow=uow,
        store=store,
        share_id=share_id,
        upload=file_part(request),
        actor=actor,
        limit=settings.max_exchange_bytes,
    )
    return FileRead.model_validate(row)


# -- the side of whoever holds the link (no account) --------------------------------------


@router.get("/{token}", response_model=PublicShare)
async def open_link(
    token: Token,
    request: Request,
    uow: UoWDep,
    limiter: LimiterDep,
    settings: SettingsDep,
    password: SharePassword = None,
) -> PublicShare:
    share, files = await service.public_view(
        uow=uow, limiter=limiter, visitor=_visitor(request, token, password)
    )
    return PublicShare(
        name=share.name,
        expires_at=share.expires_at,
        allow_upload=share.allow_upload,
        allow_download=share.allow_download,
        downloads_left=share.downloads_left,
        downloads_exhausted=share.downloads_exhausted,
        max_file_bytes=settings.max_exchange_bytes,
        files=[SharedFile.model_validate(f) for f in files],
    )


@router.put("/{token}/files/{name}", status_code=201, response_model=SharedFile)
async def upload_via_link(
    token: Token,
    name: FileName,
    request: Request,
    uow: UoWDep,
    limiter: LimiterDep,
    store: StoreDep,
    settings: SettingsDep,
    password: SharePassword = None,
) -> SharedFile:
    row = await service.upload_via_link(
        uow=uow,
        limiter=limiter,
        store=store,
        visitor=_visitor(request, token, password),
        upload=RawUpload(request.stream(), name),
        limit=settings.max_exchange_bytes,
    )
    return SharedFile.model_validate(row)


@router.get("/{token}/files/{file_id}", response_class=StreamingResponse)
async def download_via_link(
    token: Token,
    file_id: uuid.UUID,
    request: Request,
    uow: UoWDep,
    limiter: LimiterDep,
    store: StoreDep,
    password: SharePassword = None,
) -> StreamingResponse:
    row = await service.download_via_link(
        uow=uow,
        limiter=limiter,
        visitor=_visitor(request, token, password),
        file_id=file_id,
    )
    return file_response(row, request.headers.get("range"), store)

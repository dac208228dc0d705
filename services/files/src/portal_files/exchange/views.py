from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.responses import StreamingResponse

from portal_chassis.app import RuntimeDep, get_uow, settings_of
from portal_chassis.auth import ActorDep, client_address
from portal_chassis.scopes import area_scope
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
from portal_files.models import StoredFile
from portal_files.schemas import FileRead
from portal_files.settings import FilesSettings
from portal_files.uow import FilesUoW
from portal_files.upload.receive import MultipartUpload, RawUpload
from portal_files.views import MULTIPART_BODY, UPLOAD_PROBLEMS, file_response, to_read

router = APIRouter(
    prefix="/api/v1/exchanges", tags=["file exchange"], dependencies=[Depends(area_scope("files"))]
)

UoWDep = Annotated[FilesUoW, Depends(get_uow)]
SettingsDep = Annotated[FilesSettings, Depends(settings_of(FilesSettings))]
Token = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
SharePassword = Annotated[str | None, Header(alias="X-Share-Password", max_length=200)]


def _read(share: Share) -> dict:
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


def _file(row: StoredFile) -> SharedFile:
    return SharedFile(
        id=row.id,
        name=row.name,
        size=row.size,
        content_type=row.content_type,
        created_at=row.created_at,
    )


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
        files=[_file(f) for f in files],
        log=[
            AccessEntry(
                action=a.action,
                outcome=a.outcome,
                file_id=a.file_id,
                client_address=a.client_address,
                at=a.at,
            )
            for a in log
        ],
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
    runtime: RuntimeDep,
    settings: SettingsDep,
) -> FileRead:
    form = MultipartUpload(request.stream(), request.headers.get("content-type", ""), "file")
    row = await service.owner_upload(
        uow=uow,
        store=runtime.state["store"],
        share_id=share_id,
        upload=form,
        actor=actor,
        limit=settings.max_exchange_bytes,
    )
    return to_read(row)


# -- the side of whoever holds the link (no account) --------------------------------------


@router.get("/{token}", response_model=PublicShare)
async def open_link(
    token: Token,
    request: Request,
    uow: UoWDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    password: SharePassword = None,
) -> PublicShare:
    share, files = await service.public_view(
        uow=uow, limiter=runtime.limiter, visitor=_visitor(request, token, password)
    )
    return PublicShare(
        name=share.name,
        expires_at=share.expires_at,
        allow_upload=share.allow_upload,
        allow_download=share.allow_download,
        downloads_left=share.downloads_left,
        downloads_exhausted=share.downloads_exhausted,
        max_file_bytes=settings.max_exchange_bytes,
        files=[_file(f) for f in files],
    )


@router.put("/{token}/files/{name}", status_code=201, response_model=SharedFile)
async def upload_via_link(
    token: Token,
    name: Annotated[str, Path(min_length=1, max_length=255)],
    request: Request,
    uow: UoWDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    password: SharePassword = None,
) -> SharedFile:
    row = await service.upload_via_link(
        uow=uow,
        limiter=runtime.limiter,
        store=runtime.state["store"],
        visitor=_visitor(request, token, password),
        upload=RawUpload(request.stream(), name),
        limit=settings.max_exchange_bytes,
    )
    return _file(row)


@router.get("/{token}/files/{file_id}", response_class=StreamingResponse)
async def download_via_link(
    token: Token,
    file_id: uuid.UUID,
    request: Request,
    uow: UoWDep,
    runtime: RuntimeDep,
    password: SharePassword = None,
) -> StreamingResponse:
    row = await service.download_via_link(
        uow=uow,
        limiter=runtime.limiter,
        visitor=_visitor(request, token, password),
        file_id=file_id,
    )
    return file_response(row, request, runtime.state["store"])

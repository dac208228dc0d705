from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from portal_chassis.app import RuntimeDep
from portal_chassis.auth import Actor, ActorDep
from portal_chassis.runtime import Runtime
from portal_chassis.scopes import area_scope
from portal_files.attachments import service
from portal_files.attachments.download import file_response
from portal_files.attachments.schemas import DownloadLink, FileRead
from portal_files.deps import SettingsDep, StoreDep, UoWDep
from portal_files.settings import FilesSettings
from portal_files.storage.base import BlobStore
from portal_files.uow import FilesUoW
from portal_files.upload.http import MULTIPART_BODY, UPLOAD_PROBLEMS, file_part

router = APIRouter(
    prefix="/api/v1/files", tags=["files"], dependencies=[Depends(area_scope("files"))]
)


@router.post(
    "",
    status_code=201,
    response_model=FileRead,
    responses=UPLOAD_PROBLEMS,
    openapi_extra=MULTIPART_BODY,
)
async def upload(
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    runtime: RuntimeDep,
    store: StoreDep,
    settings: SettingsDep,
) -> FileRead:
    return await _receive(request, actor, uow, runtime, store, settings)


async def _receive(
    request: Request,
    uploader: Actor,
    uow: FilesUoW,
    runtime: Runtime,
    store: BlobStore,
    settings: FilesSettings,
) -> FileRead:
    row = await service.upload_attachment(
        uow=uow,
        store=store,
        upload=file_part(request),
        actor=uploader,
        limit=settings.max_attachment_bytes,
    )
    await runtime.tasks.enqueue("make_thumbnail", file_id=str(row.id))
    return FileRead.model_validate(row)


# For the service's neighbours only (the gateway routes no `/internal` path): the tickets
# service's mail intake stores a mail's attachments on the sender's behalf, through the
# same receiving path (sniffing, limits, nothing half-stored) as an upload in the portal.
internal_router = APIRouter(prefix="/internal/v1/files", tags=["internal"], include_in_schema=False)


@internal_router.post("", status_code=201, response_model=FileRead, responses=UPLOAD_PROBLEMS)
async def receive_for(
    request: Request,
    uploader_id: uuid.UUID,
    uploader_name: Annotated[str, Query(min_length=1, max_length=200)],
    uow: UoWDep,
    runtime: RuntimeDep,
    store: StoreDep,
    settings: SettingsDep,
    organization_id: uuid.UUID | None = None,
) -> FileRead:
    uploader = Actor(id=uploader_id, username=uploader_name, organization_id=organization_id)
    return await _receive(request, uploader, uow, runtime, store, settings)


@router.get("/{file_id}", response_model=FileRead)
async def metadata(file_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> FileRead:
    return FileRead.model_validate(await service.get_file(uow=uow, file_id=file_id, actor=actor))


@router.get("/{file_id}/content", response_class=StreamingResponse)
async def download(
    file_id: uuid.UUID, request: Request, actor: ActorDep, uow: UoWDep, store: StoreDep
) -> StreamingResponse:
    row = await service.get_file(uow=uow, file_id=file_id, actor=actor)
    return file_response(row, request.headers.get("range"), store)


@router.get("/{file_id}/link", response_model=DownloadLink)
async def download_link(
    file_id: uuid.UUID, actor: ActorDep, uow: UoWDep, store: StoreDep, settings: SettingsDep
) -> DownloadLink:
    """A presigned URL for the object store, valid `FILES_PRESIGNED_SECONDS`; 409 when the
    files live on the local disk (all-in-one mode without S3)."""
    url, expires_at = await service.direct_link(
        uow=uow,
        store=store,
        file_id=file_id,
        actor=actor,
        lifetime=timedelta(seconds=settings.presigned_seconds),
    )
    return DownloadLink(url=url, expires_at=expires_at)


@router.get("/{file_id}/thumbnail", response_class=StreamingResponse)
async def thumbnail(
    file_id: uuid.UUID, actor: ActorDep, uow: UoWDep, store: StoreDep
) -> StreamingResponse:
    key = await service.thumbnail_key(uow=uow, file_id=file_id, actor=actor)
    return StreamingResponse(
        store.get(key),
        media_type="image/jpeg",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"},
    )

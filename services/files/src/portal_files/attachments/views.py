from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from portal_chassis.app import RuntimeDep, get_uow, settings_of
from portal_chassis.auth import ActorDep
from portal_chassis.errors import PROBLEM_JSON, Conflict, NotFound
from portal_chassis.scopes import area_scope
from portal_files import service
from portal_files.models import StoredFile
from portal_files.schemas import DownloadLink, FileRead
from portal_files.settings import FilesSettings
from portal_files.storage.base import BlobStore
from portal_files.uow import FilesUoW
from portal_files.upload.receive import MultipartUpload

router = APIRouter(
    prefix="/api/v1/files", tags=["files"], dependencies=[Depends(area_scope("files"))]
)

UoWDep = Annotated[FilesUoW, Depends(get_uow)]
SettingsDep = Annotated[FilesSettings, Depends(settings_of(FilesSettings))]

UPLOAD_PROBLEMS = {
    413: {"description": "Too large", "content": {PROBLEM_JSON: {}}},
    415: {"description": "Type not allowed", "content": {PROBLEM_JSON: {}}},
    422: {"description": "No file in the request", "content": {PROBLEM_JSON: {}}},
}


# The body is read as a stream, so FastAPI cannot describe it: say it here.
MULTIPART_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def to_read(row: StoredFile) -> FileRead:
    return FileRead(
        id=row.id,
        name=row.name,
        original_name=row.original_name,
        size=row.size,
        content_type=row.content_type,
        sha256=row.sha256,
        organization_id=row.organization_id,
        created_at=row.created_at,
    )


@router.post(
    "",
    status_code=201,
    response_model=FileRead,
    responses=UPLOAD_PROBLEMS,
    openapi_extra=MULTIPART_BODY,
)
async def upload(
    request: Request, actor: ActorDep, uow: UoWDep, runtime: RuntimeDep, settings: SettingsDep
) -> FileRead:
    # Read the body as a stream: a file never sits whole in memory or on local disk.
    form = MultipartUpload(request.stream(), request.headers.get("content-type", ""), "file")
    row = await service.upload_attachment(
        uow=uow,
        store=runtime.state["store"],
        upload=form,
        actor=actor,
        limit=settings.max_attachment_bytes,
    )
    await runtime.tasks.enqueue("make_thumbnail", file_id=str(row.id))
    return to_read(row)


@router.get("/{file_id}", response_model=FileRead)
async def metadata(file_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> FileRead:
    return to_read(await service.get_file(uow=uow, file_id=file_id, actor=actor))


@router.get("/{file_id}/content", response_class=StreamingResponse)
async def download(
    file_id: uuid.UUID, request: Request, actor: ActorDep, uow: UoWDep, runtime: RuntimeDep
) -> StreamingResponse:
    row = await service.get_file(uow=uow, file_id=file_id, actor=actor)
    return file_response(row, request, runtime.state["store"])


@router.get("/{file_id}/link", response_model=DownloadLink)
async def download_link(
    file_id: uuid.UUID, actor: ActorDep, uow: UoWDep, runtime: RuntimeDep, settings: SettingsDep
) -> DownloadLink:
    """A presigned URL for the object store, valid `FILES_PRESIGNED_SECONDS`; 409 when the
    files live on the local disk (all-in-one mode without S3)."""
    row = await service.get_file(uow=uow, file_id=file_id, actor=actor)
    expires = timedelta(seconds=settings.presigned_seconds)
    issued = datetime.now(UTC)
    url = await runtime.state["store"].presigned_get(
        row.object_key,
        expires=expires,
        headers={
            "Content-Disposition": content_disposition(row.name),
            "Content-Type": row.content_type,
        },
    )
    if url is None:
        raise Conflict("Direct links need the S3 object store; download through the portal.")
    return DownloadLink(url=url, expires_at=issued + expires)


@router.get("/{file_id}/thumbnail", response_class=StreamingResponse)
async def thumbnail(
    file_id: uuid.UUID, actor: ActorDep, uow: UoWDep, runtime: RuntimeDep
) -> StreamingResponse:
    row = await service.get_file(uow=uow, file_id=file_id, actor=actor)
    if row.thumbnail_key is None:
        raise NotFound("No preview for this file (yet).")
    return StreamingResponse(
        runtime.state["store"].get(row.thumbnail_key),
        media_type="image/jpeg",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"},
    )


def file_response(row: StoredFile, request: Request, store: BlobStore) -> StreamingResponse:
    """The file as a download: attachment, sniffed type, nosniff, one byte range."""
    wanted = service.parse_range(request.headers.get("range"), row.size)
    headers = {
        "Content-Disposition": content_disposition(row.name),
        "X-Content-Type-Options": "nosniff",
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=0",
        "ETag": f'"{row.sha256}"',
    }
    if wanted is None:
        headers["Content-Length"] = str(row.size)
        body = store.get(row.object_key)
        status = 200
    else:
        headers["Content-Length"] = str(wanted.length)
        headers["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{row.size}"
        body = store.get(row.object_key, offset=wanted.start, length=wanted.length)
        status = 206
    return StreamingResponse(body, status_code=status, media_type=row.content_type, headers=headers)


def content_disposition(name: str) -> str:
    fallback = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response

from portal_chassis.auth import ActorDep
from portal_chassis.scopes import area_scope
from portal_files.attachments.models import StoredFile
from portal_files.attachments.schemas import FileRead
from portal_files.casefiles import service
from portal_files.casefiles.models import Folder
from portal_files.casefiles.schemas import (
    CaseFile,
    CaseFileTree,
    FolderCreate,
    FolderRead,
    FolderUpdate,
)
from portal_files.deps import Number, SettingsDep, StoreDep, UoWDep
from portal_files.upload.http import MULTIPART_BODY, UPLOAD_PROBLEMS, file_part

router = APIRouter(
    prefix="/api/v1/tickets/{number}/folders",
    tags=["case files"],
    dependencies=[Depends(area_scope("files"))],
)


def _folder(folder: Folder, files: list[StoredFile]) -> FolderRead:
    return FolderRead(
        id=folder.id,
        name=folder.name,
        parent_id=folder.parent_id,
        created_by=folder.created_by,
        created_by_name=folder.created_by_name,
        created_at=folder.created_at,
        files=[CaseFile.model_validate(f) for f in files],
        size=sum(f.size for f in files),
    )


@router.get("", response_model=CaseFileTree)
async def case_files(number: Number, actor: ActorDep, uow: UoWDep) -> CaseFileTree:
    folders, files = await service.tree(uow=uow, number=number, actor=actor)
    return CaseFileTree(ticket_number=number, folders=[_folder(f, files[f.id]) for f in folders])


@router.post("", status_code=201, response_model=FolderRead)
async def create_folder(
    number: Number, data: FolderCreate, actor: ActorDep, uow: UoWDep
) -> FolderRead:
    folder = await service.create_folder(uow=uow, number=number, data=data, actor=actor)
    return _folder(folder, [])


@router.patch("/{folder_id}", response_model=FolderRead)
async def update_folder(
    number: Number, folder_id: uuid.UUID, data: FolderUpdate, actor: ActorDep, uow: UoWDep
) -> FolderRead:
    folder = await service.update_folder(
        uow=uow, number=number, folder_id=folder_id, data=data, actor=actor
    )
    return _folder(folder, [])


@router.delete("/{folder_id}", status_code=204)
async def delete_folder(
    number: Number, folder_id: uuid.UUID, actor: ActorDep, uow: UoWDep, store: StoreDep
) -> Response:
    await service.delete_folder(
        uow=uow, store=store, number=number, folder_id=folder_id, actor=actor
    )
    return Response(status_code=204)


@router.post(
    "/{folder_id}/files",
    status_code=201,
    response_model=FileRead,
    responses=UPLOAD_PROBLEMS,
    openapi_extra=MULTIPART_BODY,
)
async def upload_case_file(
    number: Number,
    folder_id: uuid.UUID,
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    store: StoreDep,
    settings: SettingsDep,
) -> FileRead:
    row = await service.upload_case_file(
        uow=uow,
        store=store,
        number=number,
        folder_id=folder_id,
        upload=file_part(request),
        actor=actor,
        limit=settings.max_attachment_bytes,
    )
    return FileRead.model_validate(row)

"""The files service as the ticket pages use it: what an attachment is called, and a
ticket's case folders with their files."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import BinaryIO

from portal_gateway.web.clients.base import Result, ServiceClient, ServiceError


class StoredFile(Result):
    id: str
    name: str | None = None
    size: int | None = None
    content_type: str = ""


class CaseFile(Result):
    size: int = 0


class Folder(Result):
    id: str
    name: str
    parent_id: str | None = None
    files: list[CaseFile] = []


class CaseFolders(Result):
    folders: list[Folder] = []


def _case(number: str) -> str:
    return f"/api/v1/tickets/{number}/folders"


class FilesClient(ServiceClient):
    service = "files"

    async def file(self, file_id: str) -> StoredFile:
        return await self.get(StoredFile, f"/api/v1/files/{file_id}")

    async def files(self, ids: Sequence[str]) -> dict[str, StoredFile]:
        """The files of these ids the viewer may see (the others are left out)."""
        found = await asyncio.gather(*(self._file_or_none(i) for i in ids))
        return {i: f for i, f in zip(ids, found, strict=True) if f is not None}

    async def _file_or_none(self, file_id: str) -> StoredFile | None:
        try:
            return await self.file(file_id)
        except ServiceError:
            return None

    async def case_folders(self, number: str) -> CaseFolders:
        return await self.get(CaseFolders, _case(number))

    async def add_folder(self, number: str, name: str, parent_id: str | None = None) -> None:
        body = {"name": name, **({"parent_id": parent_id} if parent_id else {})}
        await self.act("POST", _case(number), json=body)

    async def upload(
        self, number: str, folder_id: str, name: str, content: BinaryIO, content_type: str
    ) -> None:
        """Streams the posted file on to the folder (the service checks size and type)."""
        await self.act(
            "POST",
            f"{_case(number)}/{folder_id}/files",
            files={"file": (name, content, content_type)},
        )

"""The files service's FastAPI dependencies, shared by its routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path

from portal_chassis.app import RuntimeDep, get_uow, settings_of
from portal_chassis.ratelimit import RateLimiter
from portal_files.settings import FilesSettings
from portal_files.storage.base import BlobStore
from portal_files.storage.factory import store_of
from portal_files.uow import FilesUoW


async def _store(runtime: RuntimeDep) -> BlobStore:
    return await store_of(runtime)


async def _limiter(runtime: RuntimeDep) -> RateLimiter:
    return runtime.limiter


UoWDep = Annotated[FilesUoW, Depends(get_uow)]
SettingsDep = Annotated[FilesSettings, Depends(settings_of(FilesSettings))]
StoreDep = Annotated[BlobStore, Depends(_store)]
LimiterDep = Annotated[RateLimiter, Depends(_limiter)]

# A ticket number in a path, as the tickets service hands them out.
Number = Annotated[str, Path(max_length=32)]
# The secret part of an exchange link.
Token = Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
# The name of a file sent through an exchange link.
FileName = Annotated[str, Path(min_length=1, max_length=255)]
SharePassword = Annotated[str | None, Header(alias="X-Share-Password", max_length=200)]

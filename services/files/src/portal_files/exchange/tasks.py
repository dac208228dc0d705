"""Background work on the file exchange: shares that ended go, with their files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from portal_chassis.runtime import Runtime
from portal_chassis.tasks import task
from portal_files.attachments.tasks import remove_objects
from portal_files.storage.factory import store_of
from portal_files.uow import FilesUoW


@task("purge_expired_shares", every=3600)
async def purge_expired_shares(runtime: Runtime) -> int:
    """Expired or revoked shares go, with their files and objects."""
    uow = cast(FilesUoW, runtime.uow())
    async with uow:
        shares = await uow.shares.ended(datetime.now(UTC), limit=200)
        ids = [s.id for s in shares]
        rows = await uow.shares.files_of(ids)
        if ids:
            await uow.files.delete([r.id for r in rows])
            await uow.shares.delete(ids)
            await uow.commit()
    await remove_objects(await store_of(runtime), rows)
    return len(shares)


TASKS = [purge_expired_shares]

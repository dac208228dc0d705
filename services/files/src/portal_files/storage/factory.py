from __future__ import annotations

from typing import cast

from portal_chassis.runtime import Runtime
from portal_chassis.settings import PortalSettings
from portal_files.storage.base import BlobStore
from portal_files.storage.local import LocalBlobStore
from portal_files.storage.s3 import S3BlobStore

# Where the runtime keeps the open store; read it through `store_of`.
STATE_KEY = "store"


def blob_store(portal: PortalSettings) -> BlobStore:
    """S3 when `PORTAL_S3_ENDPOINT` is set, else files under the data directory."""
    if portal.s3_endpoint:
        return S3BlobStore(
            portal.s3_endpoint,
            portal.s3_access_key or "",
            portal.s3_secret_key or "",
            portal.s3_bucket,
        )
    return LocalBlobStore(portal.data_dir / "blobs")


async def open_store(runtime: Runtime) -> None:
    """The server's startup hook: the store its requests use, its bucket made if new."""
    store = blob_store(runtime.settings.portal)
    if isinstance(store, S3BlobStore):
        await store.ensure_bucket()
    runtime.state[STATE_KEY] = store


async def store_of(runtime: Runtime) -> BlobStore:
    """The service's blob store. A Celery worker runs no startup hooks: its first task
    opens the store the same way."""
    if STATE_KEY not in runtime.state:
        await open_store(runtime)
    return cast(BlobStore, runtime.state[STATE_KEY])


async def store_ready(runtime: Runtime) -> dict[str, bool]:
    """The readiness check: the store answers."""
    return {"blob_store": await (await store_of(runtime)).ready()}

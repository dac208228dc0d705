from __future__ import annotations

from portal_chassis.settings import PortalSettings
from portal_files.storage.base import BlobStore
from portal_files.storage.local import LocalBlobStore
from portal_files.storage.s3 import S3BlobStore


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

"""Blob store on an S3-compatible server (MinIO in production) through the MinIO SDK.

The SDK is synchronous: uploads run in a worker thread that reads from a small bounded
queue the request feeds, so a 2 GB upload holds a few megabytes (one multipart part)
in memory, never the file. An upload that fails or is refused midway aborts the
multipart upload; nothing remains in the bucket.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import queue
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any, BinaryIO, cast
from urllib.parse import urlsplit

from minio import Minio
from minio.error import S3Error

from portal_files.storage.base import BlobStore

PART_SIZE = 5 * 1024 * 1024  # the S3 minimum for multipart parts
# Hand-offs between the event loop and the SDK's thread cost more than copying: move
# bytes across in blocks of this size.
CHUNK = 1024 * 1024
_END = object()


class _Aborted(Exception):
    pass


class _QueueReader(io.RawIOBase):
    """A file-like object the SDK reads from, fed chunk by chunk from the event loop."""

    def __init__(self, source: queue.Queue[Any]) -> None:
        self._source = source
        self._buffer = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            item = self._source.get()
            if item is _END:
                self._done = True
            elif isinstance(item, BaseException):
                raise _Aborted from item
            else:
                self._buffer += item
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


class S3BlobStore(BlobStore):
    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        region: str = "us-east-1",
    ) -> None:
        url = urlsplit(endpoint)
        self.client = Minio(
            url.netloc,
            access_key=access_key,
            secret_key=secret_key,
            secure=url.scheme == "https",
            region=region,
        )
        self.bucket = bucket

    async def ensure_bucket(self) -> None:
        if not await asyncio.to_thread(self.client.bucket_exists, self.bucket):
            with contextlib.suppress(S3Error):  # another replica made it meanwhile
                await asyncio.to_thread(self.client.make_bucket, self.bucket)

    async def put(self, key: str, chunks: AsyncIterator[bytes], *, content_type: str) -> None:
        feed: queue.Queue[Any] = queue.Queue(maxsize=4)
        upload = asyncio.ensure_future(
            asyncio.to_thread(
                self.client.put_object,
                self.bucket,
                key,
                cast(BinaryIO, _QueueReader(feed)),
                length=-1,
                part_size=PART_SIZE,
                content_type=content_type,
            )
        )
        try:
            pending = bytearray()
            async for chunk in chunks:
                if upload.done():
                    break  # the upload failed already: stop feeding, report below
                pending += chunk
                if len(pending) >= CHUNK:
                    await asyncio.to_thread(feed.put, bytes(pending))
                    pending.clear()
            if pending and not upload.done():
                await asyncio.to_thread(feed.put, bytes(pending))
            await asyncio.to_thread(feed.put, _END)
            await upload
        except BaseException as exc:
            if not upload.done():
                await asyncio.to_thread(feed.put, exc if isinstance(exc, Exception) else _Aborted())
            with contextlib.suppress(BaseException):
                await upload
            # A small object goes up in one PUT at the end: make sure it is not there.
            with contextlib.suppress(S3Error):
                await asyncio.to_thread(self.client.remove_object, self.bucket, key)
            raise

    async def get(
        self, key: str, *, offset: int = 0, length: int | None = None
    ) -> AsyncIterator[bytes]:
        response = await asyncio.to_thread(
            self.client.get_object, self.bucket, key, offset=offset, length=length or 0
        )
        try:
            stream = response.stream(CHUNK)
            while True:
                data = await asyncio.to_thread(next, stream, None)
                if data is None:
                    return
                yield data
        finally:
            response.close()
            response.release_conn()

    async def delete(self, key: str) -> None:
        with contextlib.suppress(S3Error):
            await asyncio.to_thread(self.client.remove_object, self.bucket, key)

    async def exists(self, key: str) -> bool:
        try:
            await asyncio.to_thread(self.client.stat_object, self.bucket, key)
            return True
        except S3Error:
            return False

    async def keys(self, prefix: str = "") -> list[str]:
        def listing() -> list[str]:
            objects = self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            return sorted(o.object_name for o in objects)

        return await asyncio.to_thread(listing)

    async def presigned_get(
        self, key: str, *, expires: timedelta, headers: dict[str, str]
    ) -> str | None:
        # S3 answers `response-content-*` query parameters with those headers.
        overrides: dict[str, str | list[str] | tuple[str]] = {
            f"response-{name.lower()}": value for name, value in headers.items()
        }
        return await asyncio.to_thread(
            self.client.presigned_get_object,
            self.bucket,
            key,
            expires=expires,
            response_headers=overrides,
        )

    async def ready(self) -> bool:
        try:
            return bool(await asyncio.to_thread(self.client.bucket_exists, self.bucket))
        except Exception:
            return False

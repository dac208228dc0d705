"""The S3 blob store on its own, against a real S3 server (Swift with s3api where no
Docker engine runs; testcontainers MinIO where one does), each test in a bucket of its
own: what goes in comes back whole or in ranges, and a write that fails leaves nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from minio import Minio
from portal_fixtures import drop_bucket

from portal_files.storage.s3 import PART_SIZE, S3BlobStore

pytestmark = pytest.mark.integration

ACCESS_KEY = os.environ.get("PORTAL_TEST_S3_ACCESS_KEY", "minioadmin")
SECRET_KEY = os.environ.get("PORTAL_TEST_S3_SECRET_KEY", "minioadmin")


@pytest.fixture
async def store(s3_endpoint: str) -> AsyncIterator[S3BlobStore]:
    bucket = f"portal-test-{uuid.uuid4().hex[:12]}"
    store = S3BlobStore(s3_endpoint, ACCESS_KEY, SECRET_KEY, bucket)
    await store.ensure_bucket()
    yield store
    await drop_bucket(store)


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def _read(store: S3BlobStore, key: str, **span: int) -> bytes:
    return b"".join([chunk async for chunk in store.get(key, **span)])


async def test_an_object_comes_back_whole_and_in_ranges(store: S3BlobStore) -> None:
    data = os.urandom(PART_SIZE + 1000)  # more than one multipart part
    await store.put("files/a", _chunks(data[:1000], data[1000:]), content_type="x/y")
    assert await store.exists("files/a") and await store.keys("files/") == ["files/a"]
    assert await _read(store, "files/a") == data
    assert await _read(store, "files/a", offset=PART_SIZE - 5, length=10) == data[-1005:-995]
    await store.delete("files/a")
    assert not await store.exists("files/a")


async def test_a_write_that_fails_midway_leaves_no_object(store: S3BlobStore) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"x" * (PART_SIZE + 1)
        raise ValueError("the upload was refused")

    with pytest.raises(ValueError):
        await store.put("files/b", broken(), content_type="x/y")
    assert await store.keys() == []


async def test_wrong_credentials_are_refused_by_the_server(s3_endpoint: str) -> None:
    url = urlsplit(s3_endpoint)
    client = Minio(
        url.netloc, "nobody", "wrong-secret", secure=url.scheme == "https", region="us-east-1"
    )
    with pytest.raises(Exception):  # noqa: B017 (S3Error or access denied, by server)
        client.list_buckets()

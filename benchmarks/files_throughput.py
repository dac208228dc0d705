"""File transfer through the portal versus straight to the object store.

Starts identity, files and the gateway as separate processes (distributed mode) on
PostgreSQL and an S3 server, then moves one large file (default 1 GiB) through a
file-exchange link: upload (PUT through the gateway) and download, and the same bytes
with the MinIO SDK directly against the same server. Reports MB/s, the ratio, and the
peak resident memory of the gateway and files processes above their idle level.

Needs PORTAL_TEST_S3_ENDPOINT / _ACCESS_KEY / _SECRET_KEY (`scripts/s3-server start`)
and PostgreSQL (PORTAL_TEST_POSTGRES_URL). Prints one JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from minio import Minio

from portal_chassis.testing.plugin import PostgresDatabases

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
S3 = os.environ.get("PORTAL_TEST_S3_ENDPOINT", "http://127.0.0.1:8080")
S3_KEY = os.environ.get("PORTAL_TEST_S3_ACCESS_KEY", "portal:svc")
S3_SECRET = os.environ.get("PORTAL_TEST_S3_SECRET_KEY", "s3secretkey1234")
PASSWORD = "benchmark-admin-secret-1"
CHUNK = 1024 * 1024
MB = 1_000_000


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _payload(size: int) -> Iterator[bytes]:
    """A ZIP-looking stream of `size` bytes, generated on the fly (never in memory)."""
    yield b"PK\x03\x04" + b"\x00" * (CHUNK - 4)
    sent = CHUNK
    block = bytes(range(256)) * (CHUNK // 256)
    while sent < size:
        piece = block[: min(CHUNK, size - sent)]
        sent += len(piece)
        yield piece


async def _apayload(size: int) -> AsyncIterator[bytes]:
    for piece in _payload(size):
        yield piece


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssPeak:
    """Samples the resident memory of some processes in the background."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.idle = {name: _rss_mb(pid) for name, pid in pids.items()}
        self.peak = dict(self.idle)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], _rss_mb(pid))

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def above_idle(self) -> dict[str, float]:
        return {name: round(self.peak[name] - self.idle[name], 1) for name in self.pids}


def direct(size: int, bucket: str) -> dict[str, float]:
    url = urlsplit(S3)
    client = Minio(url.netloc, S3_KEY, S3_SECRET, secure=url.scheme == "https", region="us-east-1")
    if not client.bucket_exists(bucket):
        client.make_bucket(bucket)

    class Reader:
        def __init__(self) -> None:
            self.source = _payload(size)
            self.buffer = b""

        def read(self, n: int) -> bytes:
            while len(self.buffer) < n:
                try:
                    self.buffer += next(self.source)
                except StopIteration:
                    break
            data, self.buffer = self.buffer[:n], self.buffer[n:]
            return data

    start = time.perf_counter()
    client.put_object(bucket, "direct", Reader(), length=-1, part_size=5 * 1024 * 1024)
    up = time.perf_counter() - start
    start = time.perf_counter()
    response = client.get_object(bucket, "direct")
    got = sum(len(c) for c in response.stream(CHUNK))
    response.close()
    response.release_conn()
    down = time.perf_counter() - start
    assert got == size
    client.remove_object(bucket, "direct")
    return {"upload_mb_s": round(size / MB / up, 1), "download_mb_s": round(size / MB / down, 1)}


async def through_portal(
    size: int, procs: dict[str, asyncio.subprocess.Process], gateway: str
) -> dict:
    async with httpx.AsyncClient(base_url=gateway, timeout=600) as client:
        token = (
            await client.post(
                "/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
            )
        ).json()["access_token"]
        share = (
            await client.post(
                "/api/v1/exchanges",
                json={"name": "benchmark"},
                headers={"Authorization": f"Bearer {token}"},
            )
        ).json()
        link = f"/api/v1/exchanges/{share['token']}"
        pids = {"gateway": procs["gateway"].pid, "files": procs["files"].pid}
        with RssPeak(pids) as upload_rss:
            start = time.perf_counter()
            r = await client.put(f"{link}/files/big.zip", content=_apayload(size))
            up = time.perf_counter() - start
        r.raise_for_status()
        file_id = r.json()["id"]
        with RssPeak(pids) as download_rss:
            start = time.perf_counter()
            got = 0
            async with client.stream("GET", f"{link}/files/{file_id}") as response:
                async for chunk in response.aiter_raw(CHUNK):
                    got += len(chunk)
            down = time.perf_counter() - start
        assert got == size, (got, size)
    return {
        "upload_mb_s": round(size / MB / up, 1),
        "download_mb_s": round(size / MB / down, 1),
        "peak_rss_above_idle_mb": {
            "upload": upload_rss.above_idle(),
            "download": download_rss.above_idle(),
        },
    }


async def main(size: int) -> None:
    dbs = PostgresDatabases(PG)
    bucket = f"bench-{uuid.uuid4().hex[:8]}"
    ports = {name: _port() for name in ("identity", "files", "gateway")}
    env = {
        **os.environ,
        # Load from one address and few users: the edge's rate limits would refuse it.
        "GATEWAY_RATE_LIMIT_PER_USER": "0",
        "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
        "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        "PORTAL_S3_ENDPOINT": S3,
        "PORTAL_S3_ACCESS_KEY": S3_KEY,
        "PORTAL_S3_SECRET_KEY": S3_SECRET,
        "PORTAL_S3_BUCKET": bucket,
        "PORTAL_LOG_LEVEL": "WARNING",
        "IDENTITY_URL": f"http://127.0.0.1:{ports['identity']}",
        "FILES_URL": f"http://127.0.0.1:{ports['files']}",
    }
    for name in ("identity", "files"):
        env[f"{name.upper()}_DATABASE_URL"] = await dbs.create(name)
    cli = [sys.executable, "-m", "portal_ops.cli"]
    procs: dict[str, asyncio.subprocess.Process] = {}
    try:
        migrate = await asyncio.create_subprocess_exec(
            *cli, "migrate", "identity", "files", env=env, stdout=sys.stderr
        )
        assert await migrate.wait() == 0
        for name, port in ports.items():
            procs[name] = await asyncio.create_subprocess_exec(
                *cli, "serve", name, "--port", str(port), env=env
            )
        async with httpx.AsyncClient() as probe:
            for port in ports.values():
                for _ in range(300):
                    try:
                        if (await probe.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)
        portal = await through_portal(size, procs, f"http://127.0.0.1:{ports['gateway']}")
        sdk = await asyncio.to_thread(direct, size, bucket)
    finally:
        for proc in procs.values():
            proc.terminate()
            await proc.wait()
        await dbs.drop_all()
    print(
        json.dumps(
            {
                "benchmark": "files_throughput",
                "bytes": size,
                "through_gateway": portal,
                "direct_minio_sdk": sdk,
                "ratio": {
                    "upload": round(portal["upload_mb_s"] / sdk["upload_mb_s"], 2),
                    "download": round(portal["download_mb_s"] / sdk["download_mb_s"], 2),
                },
                "targets": {"ratio": 0.7, "peak_rss_above_idle_mb": 150},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=1024, help="file size in MiB")
    asyncio.run(main(parser.parse_args().mb * 1024 * 1024))

"""Blob store on the local disk, for the all-in-one mode."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from portal_files.storage.base import BlobStore

CHUNK = 64 * 1024


class LocalBlobStore(BlobStore):
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("object key escapes the store")
        return path

    async def put(self, key: str, chunks: AsyncIterator[bytes], *, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        try:
            with partial.open("wb") as handle:
                async for chunk in chunks:
                    handle.write(chunk)
            os.replace(partial, path)  # readers never see half a file
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
            raise

    async def get(
        self, key: str, *, offset: int = 0, length: int | None = None
    ) -> AsyncIterator[bytes]:
        remaining = length
        with self._path(key).open("rb") as handle:
            handle.seek(offset)
            while remaining is None or remaining > 0:
                data = handle.read(CHUNK if remaining is None else min(CHUNK, remaining))
                if not data:
                    return
                if remaining is not None:
                    remaining -= len(data)
                yield data

    async def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    async def exists(self, key: str) -> bool:
        return self._path(key).exists()

    async def keys(self, prefix: str = "") -> list[str]:
        root = self.root.resolve()
        found = [
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and not p.name.endswith(".part")
        ]
        return sorted(k for k in found if k.startswith(prefix))

    async def ready(self) -> bool:
        return self.root.is_dir() and os.access(self.root, os.W_OK)

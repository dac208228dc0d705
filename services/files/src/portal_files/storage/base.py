"""The blob-store port: streaming put and get of opaque objects by key."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from datetime import timedelta


class BlobStore(ABC):
    @abstractmethod
    async def put(self, key: str, chunks: AsyncIterator[bytes], *, content_type: str) -> None:
        """Store what `chunks` yields. If `chunks` raises, nothing is left behind and the
        exception propagates."""

    @abstractmethod
    def get(self, key: str, *, offset: int = 0, length: int | None = None) -> AsyncIterator[bytes]:
        """Stream the object's bytes (a range of them)."""

    @abstractmethod
    async def delete(self, key: str) -> None: ...

    @abstractmethod
    async def exists(self, key: str) -> bool: ...

    @abstractmethod
    async def ready(self) -> bool: ...

    @abstractmethod
    async def keys(self, prefix: str = "") -> list[str]:
        """Every object key under `prefix` (operations and tests)."""

    async def presigned_get(
        self, key: str, *, expires: timedelta, headers: dict[str, str]
    ) -> str | None:
        """A URL that lets its holder download the object straight from the store until
        `expires` has passed (the store checks signature and expiry), with `headers`
        answered as given; None when the store cannot hand out such links."""
        return None

    async def close(self) -> None:
        return None

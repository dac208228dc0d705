"""The files service's exchange as the pages use it: a signed-in user's shares, and the
public side of a share's link (called with the link holder's headers, no account).

Files pass through as streams: uploads are handed on while they arrive and downloads
are passed on as they come, so those methods send the request themselves rather than
through `ServiceClient.call`, which reads every answer whole."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterable, AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from portal_gateway.edge.proxy import UpstreamFailure
from portal_gateway.web.clients.base import Result, ServiceClient, ServiceError


class Unreachable(ServiceError):
    """No replica of the files service answered a streamed call."""


class Share(Result):
    id: str
    revoked: bool
    expires_at: str
    downloads_exhausted: bool = False
    # What the pages call the share's state; the service sends the facts it follows from.
    state: str = ""

    def with_state(self) -> Share:
        if self.revoked:
            state = "revoked"
        elif datetime.fromisoformat(self.expires_at) <= datetime.now(UTC):
            state = "expired"
        else:
            state = "exhausted" if self.downloads_exhausted else "active"
        return self.model_copy(update={"state": state})


class Shares(Result):
    items: list[Share] = []


class CreatedShare(Result):
    id: str
    url: str


class PublicShare(Result):
    """A share as its link shows it (the page reads its fields: name, files, limits)."""


class ExchangeClient(ServiceClient):
    service = "files"

    # -- the owner's side -------------------------------------------------------------------

    async def shares(self) -> list[Share]:
        return [s.with_state() for s in (await self.get(Shares, "/api/v1/exchanges")).items]

    async def create_share(self, body: dict[str, Any]) -> CreatedShare:
        """The new share with its link: the one answer that holds it."""
        return await self.send("POST", "/api/v1/exchanges", CreatedShare, json=body)

    async def share(self, share_id: str) -> Share:
        """The share with its files and access log."""
        share = await self.get(Share, f"/api/v1/exchanges/shares/{share_id}")
        return share.with_state()

    async def revoke_share(self, share_id: str) -> None:
        await self.act("DELETE", f"/api/v1/exchanges/shares/{share_id}")

    async def upload_to_share(
        self, share_id: str, filename: str, chunks: AsyncIterator[bytes]
    ) -> None:
        content_type, body = _multipart(filename, chunks)
        path = f"/api/v1/exchanges/shares/{share_id}/files"
        answer = await self._stream("POST", path, {"Content-Type": content_type}, body)
        await answer.aread()
        await answer.aclose()
        if answer.status_code >= 400:
            raise ServiceError(answer)

    # -- the side of whoever holds the link ----------------------------------------------

    async def link_share(self, token: str) -> PublicShare:
        return await self.get(PublicShare, f"/api/v1/exchanges/{token}")

    async def download(self, token: str, file_id: str, wanted: str | None) -> httpx.Response:
        """The file's answer, unread and whatever its status: the page passes its body on
        while it arrives (and must close it)."""
        headers = {"Range": wanted} if wanted else {}
        return await self._stream("GET", f"/api/v1/exchanges/{token}/files/{file_id}", headers)

    async def upload_via_link(
        self, token: str, name: str, body: AsyncIterable[bytes]
    ) -> httpx.Response:
        """The service's answer, read, whatever its status: the upload script gets it as
        it is."""
        path = f"/api/v1/exchanges/{token}/files/{quote(name, safe='')}"
        answer = await self._stream("PUT", path, {}, body)
        await answer.aread()
        await answer.aclose()
        return answer

    async def add_file_via_link(self, token: str, name: str, body: AsyncIterable[bytes]) -> None:
        answer = await self.upload_via_link(token, name, body)
        if answer.status_code >= 400:
            raise ServiceError(answer)

    async def _stream(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        content: AsyncIterable[bytes] | None = None,
    ) -> httpx.Response:
        client = self._upstreams.clients[self.service]
        request = client.build_request(
            method, path, headers={**self._headers, **headers}, content=content
        )
        try:
            return await self._upstreams.send(self.service, request, replayable=method == "GET")
        except UpstreamFailure as failure:
            answer = failure.as_httpx()
            answer.request = request
            raise Unreachable(answer) from failure


def _multipart(filename: str, chunks: AsyncIterator[bytes]) -> tuple[str, AsyncIterator[bytes]]:
    """The file again as a one-part multipart body, for a service that takes that."""
    boundary = secrets.token_hex(16)
    name = re.sub(r'["\r\n]', "_", filename)

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        async for chunk in chunks:
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    return f"multipart/form-data; boundary={boundary}", body()

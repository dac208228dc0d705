"""An httpx transport that calls an ASGI app in-process and streams both ways.

httpx's own ASGITransport collects the whole response before returning it, which
would hold a large download in memory and never deliver a server-sent event. Here the
app runs in its own task and its body arrives through a small bounded queue, so the
all-in-one mode streams exactly like the distributed one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.types import ASGIApp, Message

_END = object()


class _BodyStream(httpx.AsyncByteStream):
    def __init__(
        self, queue: asyncio.Queue[Any], task: asyncio.Task[None], gone: asyncio.Event
    ) -> None:
        self._queue = queue
        self._task = task
        self._gone = gone

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (item := await self._queue.get()) is not _END:
            yield item

    async def aclose(self) -> None:
        self._gone.set()  # the app sees http.disconnect (ends an event stream)
        if not self._task.done():
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task


class StreamingASGITransport(httpx.AsyncBaseTransport):
    def __init__(self, app: ASGIApp, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for (k, v) in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": self.client,
            "root_path": "",
        }
        chunks = request.stream.__aiter__()
        request_done = False
        gone = asyncio.Event()
        body: asyncio.Queue[Any] = asyncio.Queue(maxsize=16)
        started: asyncio.Future[tuple[int, list[tuple[bytes, bytes]]]] = (
            asyncio.get_running_loop().create_future()
        )

        async def receive() -> Message:
            nonlocal request_done
            if request_done:
                await gone.wait()
                return {"type": "http.disconnect"}
            try:
                data = await chunks.__anext__()
            except StopAsyncIteration:
                request_done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.request", "body": data, "more_body": True}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.set_result((message["status"], list(message.get("headers", []))))
            elif message["type"] == "http.response.body":
                data = message.get("body", b"")
                if data and request.method != "HEAD":
                    await body.put(data)
                if not message.get("more_body", False):
                    await body.put(_END)

        async def run() -> None:
            try:
                await self.app(scope, receive, send)
            except Exception:
                if not started.done():
                    started.set_result((500, []))
                await body.put(_END)

        task = asyncio.create_task(run())
        status, headers = await started
        return httpx.Response(status, headers=headers, stream=_BodyStream(body, task, gone))

"""The lame-duck pause of a stopping replica, as the app sees it (the server side is
`portal_ops.serving`): while it lasts, `/readyz` answers 503 and every answer asks the
client to close its connection, so no idle connection races the server's close."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Draining:
    """Whether this process is in its lame-duck pause (one server per process)."""

    def __init__(self) -> None:
        self.since: float | None = None

    @property
    def active(self) -> bool:
        return self.since is not None

    def start(self) -> None:
        self.since = time.monotonic()


DRAINING = Draining()


class CloseWhenDraining:
    """ASGI middleware: while draining, every answer carries `Connection: close`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not DRAINING.active:
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, receive, closing)

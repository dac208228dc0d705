"""Serving an app with uvicorn, and stopping a replica without failing a request.

HTTP/1.1 clients reuse idle connections, and a server that closes an idle connection
can race a request being written to it: the client cannot tell whether a POST on that
connection was processed, so it must not send it again. Stopping therefore starts
with a lame-duck pause (`PORTAL_SHUTDOWN_DRAIN_SECONDS`) in which the replica

* keeps serving everything that arrives,
* answers `/readyz` with 503, so the cluster and the gateway stop choosing it, and
* asks every client to close the connection after its answer, so no idle connection
  is left to race the close (`portal_chassis.serving.CloseWhenDraining`).

Then uvicorn's graceful shutdown finishes what is in flight. A second signal skips the
rest of the pause.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import socket
import time
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from portal_chassis.metrics import serve_on_own_port
from portal_chassis.serving import DRAINING

log = logging.getLogger(__name__)


class LameDuckServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, drain_seconds: float) -> None:
        super().__init__(config)
        self.drain_seconds = drain_seconds
        self._stop_at: float | None = None
        self._signal: tuple[int, FrameType | None] | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._signal is None and self.drain_seconds > 0:
            self._signal = (sig, frame)
            self._stop_at = time.monotonic() + self.drain_seconds
            DRAINING.start()
            log.info("draining before shutdown", extra={"seconds": self.drain_seconds})
            return
        self._stop_at = None
        super().handle_exit(sig, frame)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # What is alive once the app has started (modules, routes, models, pools) lives
        # as long as the process. Left to the collector, each full collection walks all
        # of it (about 50 ms for a service, every request waiting meanwhile: the p99 of
        # a steady stream of writes); frozen, a full collection walks only what requests
        # made since.
        gc.collect()
        gc.freeze()

    async def on_tick(self, counter: int) -> bool:
        if self._stop_at is not None and time.monotonic() >= self._stop_at:
            self._stop_at = None
            assert self._signal is not None
            super().handle_exit(*self._signal)
        return await super().on_tick(counter)


# A block at least this large is mapped on its own and given back as soon as it is freed.
LARGE_BLOCK_BYTES = 1 << 20
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter (malloc.h)


def return_large_blocks() -> bool:
    """Have the C allocator give large blocks back to the system when they are freed.

    glibc raises its threshold for mapping a block on its own to the size of each large
    block freed, so the next block of that size comes from an arena instead, and stays
    there when freed. Identity's password hashes (argon2id, 19 MiB of working memory
    each, in the server's worker threads) thus left 19 MiB resident in every thread
    arena that had hashed: 144 MB at rest after start-up, 152 MB more after eight
    threads hashed. A fixed threshold keeps such blocks mapped for themselves and
    returned at once, for about 5 ms of page faults per hash. False where the C library
    has no such setting (not glibc)."""
    try:
        # The process's own symbols, which hold the C library's.
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES))


def serve(
    app: ASGIApp,
    host: str,
    port: int,
    log_level: str,
    *,
    drain_seconds: float,
    metrics_port: int = 0,
) -> None:
    return_large_blocks()
    if metrics_port:
        serve_on_own_port(metrics_port)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # our JSON logging, configured before
        log_level=log_level.lower(),
        timeout_graceful_shutdown=20,
        # Longer than the gateway keeps idle connections (30 s): otherwise a connection
        # the server just closed may be reused for a request that then fails.
        timeout_keep_alive=75,
        proxy_headers=True,
    )
    LameDuckServer(config, drain_seconds).run()

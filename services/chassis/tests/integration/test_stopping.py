"""A service stops in bounded time even when its database has gone silent mid-query."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from portal_chassis import registry
from portal_chassis.testing.plugin import PostgresDatabases
from portal_chassis.testing.tcpproxy import TcpProxy

pytestmark = pytest.mark.integration


def _through(url: str, port: int) -> str:
    parts = urlsplit(url)
    user = parts.netloc.rsplit("@", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}@127.0.0.1:{port}"))


async def test_a_service_stops_in_bounded_time_when_its_database_goes_silent(
    pg_databases: PostgresDatabases, migrated_templates: dict[str, str]
) -> None:
    pg_url = await pg_databases.create("faq", template=migrated_templates["faq"])
    target = urlsplit(pg_url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    module = registry.load("faq")
    app = module.create_app(
        module.settings_cls(database_url=_through(pg_url, proxy.port)),
    )
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://faq") as client:
        assert (await client.get("/readyz")).status_code == 200  # pooled connections exist

    proxy.freeze()  # the server keeps every connection open and never answers again
    app.state.portal.relay.wake()  # the relay is now inside a query that never returns
    await asyncio.sleep(0.2)
    started = time.monotonic()
    async with asyncio.timeout(60):  # without bounded steps this waited for ever
        await lifespan.__aexit__(None, None, None)
    assert time.monotonic() - started < 45
    proxy.thaw()
    await proxy.cut()

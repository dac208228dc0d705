"""A slow or unreachable database gives a 503 problem, never a 500 or a hang."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_chassis.app import apply_common
from portal_chassis.db import create_engine

pytestmark = pytest.mark.integration


def _app(engine: AsyncEngine) -> FastAPI:
    app = FastAPI()
    apply_common(app, service="test")

    @app.get("/slow")
    async def slow() -> dict:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT pg_sleep(2)"))
        return {"ok": True}

    @app.get("/plan-cache-mode")
    async def plan_cache_mode() -> dict:
        async with engine.connect() as conn:
            return {"mode": await conn.scalar(text("SHOW plan_cache_mode"))}

    return app


async def _get(engine: AsyncEngine, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app(engine), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


@pytest.fixture
async def engine(pg_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(pg_url, statement_timeout=0.2)
    yield engine
    await engine.dispose()


async def test_a_query_past_the_statement_timeout_is_cancelled_with_a_503(
    engine: AsyncEngine,
) -> None:
    r = await _get(engine, "/slow")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/query-timeout")
    assert r.headers["retry-after"]


async def test_connections_prefer_custom_plans(engine: AsyncEngine) -> None:
    r = await _get(engine, "/plan-cache-mode")
    assert r.json() == {"mode": "force_custom_plan"}


async def test_an_unreachable_database_is_a_503() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{port}/none")
    try:
        r = await _get(engine, "/slow")
    finally:
        await engine.dispose()
    assert r.status_code == 503
    assert r.json()["type"].endswith("/service-unavailable")
    assert "127.0.0.1" not in r.text

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from identity_harness import Identity, identity_settings

from portal_identity.module import module


@pytest.fixture
async def identity(pg_url: str) -> AsyncIterator[Identity]:
    app = module.create_app(identity_settings(pg_url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://identity") as client:
            yield Identity(app, client)

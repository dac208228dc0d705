from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from identity_harness import Identity, identity_settings

from portal_identity.module import module


@pytest.fixture
async def identity(pg_databases, migrated_templates) -> AsyncIterator[Identity]:
    url = await pg_databases.create("identity", template=migrated_templates["identity"])
    app = module.create_app(identity_settings(url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://identity") as client:
            yield Identity(app, client)

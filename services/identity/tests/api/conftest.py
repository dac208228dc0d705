"""Fixtures for the OpenID Connect tests."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn
from identity_harness import ADMIN_PASSWORD, Identity
from oauth_harness import Live, OAuth

from portal_chassis.settings import PortalSettings
from portal_identity.module import module
from portal_identity.settings import IdentitySettings


@pytest.fixture
def oauth(identity: Identity) -> OAuth:
    return OAuth(identity)


@pytest.fixture
async def live_identity(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Live]:
    """The identity service on a real socket at http://127.0.0.1:<port>, its issuer."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback only
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    settings = IdentitySettings(
        database_url=pg_url,
        portal=PortalSettings(
            auto_migrate=True, bootstrap_admin_password=ADMIN_PASSWORD, public_url=base_url
        ),
    )
    app = module.create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the server stopped during start-up")
            await asyncio.sleep(0.02)
        yield Live(base_url, app)
    finally:
        server.should_exit = True
        await task
        sock.close()

"""Test harness: the identity service on a fresh PostgreSQL database, driven through its
HTTP API."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import select

from portal_chassis.settings import PortalSettings
from portal_identity.module import module
from portal_identity.settings import IdentitySettings

ADMIN_PASSWORD = "bootstrap-admin-secret-1"
PASSWORD = "correct-horse-battery-9"
PUBLIC_URL = "https://portal.test"


class Identity:
    def __init__(self, app: Any, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client
        self.runtime = app.state.portal

    async def login(self, username: str, password: str = PASSWORD, **extra: Any) -> httpx.Response:
        return await self.client.post(
            "/api/v1/auth/login", json={"username": username, "password": password, **extra}
        )

    async def auth(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        response = await self.login(username, password)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    async def admin(self) -> dict[str, str]:
        return await self.auth("admin", ADMIN_PASSWORD)

    async def organization(self, name: str, **fields: Any) -> dict[str, Any]:
        r = await self.client.post(
            "/api/v1/admin/organizations", json={"name": name, **fields}, headers=await self.admin()
        )
        assert r.status_code == 201, r.text
        return r.json()

    async def user(
        self,
        username: str,
        *,
        roles: list[str],
        organization_id: str | None = None,
        password: str | None = PASSWORD,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "username": username,
            "email": f"{username.lower()}@example.com",
            "roles": roles,
            "organization_id": organization_id,
        }
        if password is not None:
            body["password"] = password
        r = await self.client.post(
            "/api/v1/admin/users", json=body, headers=headers or await self.admin()
        )
        assert r.status_code == 201, r.text
        return r.json()

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        """Envelopes of `event_type` written to the outbox so far."""
        outbox = module.tables.outbox
        async with self.runtime.session_factory() as session:
            rows = await session.scalars(
                select(outbox.c.payload).where(outbox.c.type == event_type).order_by(outbox.c.seq)
            )
            return [json.loads(p) for p in rows]


def identity_settings(database_url: str, **portal: Any) -> IdentitySettings:
    return IdentitySettings(
        database_url=database_url,
        portal=PortalSettings(
            auto_migrate=True,
            bootstrap_admin_password=ADMIN_PASSWORD,
            public_url=PUBLIC_URL,
            **portal,
        ),
    )

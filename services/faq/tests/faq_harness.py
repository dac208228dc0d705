"""Helpers for the FAQ tests: authoring as the agent, reading as anyone."""

from __future__ import annotations

from typing import Any

import httpx
from portal_harness import Portal


class Faq:
    def __init__(self, world: Portal, author: str = "erik") -> None:
        self.world = world
        self.author = author

    async def _headers(self, username: str | None) -> dict[str, str]:
        return await self.world.as_(username) if username else {}

    async def get(
        self, path: str, username: str | None, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        return await self.world.client.get(
            path, params=params, headers=await self._headers(username)
        )

    async def category(self, name: str, parent_id: str | None = None) -> str:
        r = await self.world.client.post(
            "/api/v1/faq/categories",
            json={"name": name, "parent_id": parent_id},
            headers=await self._headers(self.author),
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    @staticmethod
    def body(title: str, category_id: str, **fields: Any) -> dict[str, Any]:
        return {
            "title": title,
            "body": fields.pop("body", f"{title}. Eine kurze Erklärung dazu."),
            "category_id": category_id,
            "language": fields.pop("language", "de"),
            "visibility": fields.pop("visibility", "public"),
            "state": fields.pop("state", "published"),
            **fields,
        }

    async def article(self, title: str, category_id: str, **fields: Any) -> str:
        r = await self.world.client.post(
            "/api/v1/faq/articles",
            json=self.body(title, category_id, **fields),
            headers=await self._headers(self.author),
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def ids(self, username: str | None, **params: Any) -> set[str]:
        r = await self.get("/api/v1/faq/articles", username, params={"limit": 50, **params})
        assert r.status_code == 200, r.text
        return {a["id"] for a in r.json()["items"]}

    async def search(self, username: str | None, q: str, **params: Any) -> list[dict[str, Any]]:
        r = await self.get("/api/v1/faq/articles", username, params={"q": q, **params})
        assert r.status_code == 200, r.text
        return r.json()["items"]

    async def search_ids(self, username: str | None, q: str, **params: Any) -> set[str]:
        return {a["id"] for a in await self.search(username, q, **params)}

    async def suggest(self, username: str | None, q: str) -> list[dict[str, Any]]:
        r = await self.get("/api/v1/faq/suggest", username, params={"q": q})
        assert r.status_code == 200, r.text
        return r.json()["items"]

    async def suggest_ids(self, username: str | None, q: str) -> set[str]:
        return {a["id"] for a in await self.suggest(username, q)}

"""A service's refusal that no page expected still ends in a readable page in the
reader's language (404 for something missing, 503 otherwise), never a server error."""

from __future__ import annotations

import httpx
from fastapi import Request
from fastapi.responses import Response
from portal_harness import Portal
from web_kit import browser

from portal_gateway.web.clients.base import ServiceError


def _refusal(status: int) -> ServiceError:
    request = httpx.Request("GET", "http://tickets/api/v1/tickets/T-1")
    return ServiceError(httpx.Response(status, request=request, json={"title": "x"}))


async def test_an_unexpected_refusal_is_a_readable_page(sqlite_world: Portal) -> None:
    world = sqlite_world

    async def missing(request: Request) -> Response:
        raise _refusal(404)

    async def failing(request: Request) -> Response:
        raise _refusal(502)

    world.app.add_api_route("/refusal-missing", missing, include_in_schema=False)
    world.app.add_api_route("/refusal-failing", failing, include_in_schema=False)
    async with browser(world, "ben") as client:
        gone = await client.get("/refusal-missing?lang=de")
        assert gone.status_code == 404
        assert "Diese Seite gibt es nicht" in gone.text
        down = await client.get("/refusal-failing?lang=de")
        assert down.status_code == 503
        assert "Das geht gerade nicht" in down.text

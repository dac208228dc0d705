"""Every error leaves as RFC 9457 problem+json, never as a stack trace."""

import httpx
from fastapi import FastAPI
from pydantic import BaseModel, Field

from portal_chassis.app import apply_common
from portal_chassis.errors import NotFound, TooManyRequests


class Body(BaseModel):
    title: str = Field(min_length=1)
    count: int


def _app() -> FastAPI:
    app = FastAPI()
    apply_common(app, service="test")

    @app.post("/things")
    async def create(body: Body) -> dict:
        return {"ok": True}

    @app.get("/things/{n}")
    async def get(n: int) -> dict:
        raise NotFound(f"No thing {n}.")

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("secret internals: password=hunter2")

    @app.get("/slow-down")
    async def slow() -> dict:
        raise TooManyRequests("Wait a little.", retry_after=30)

    return app


def _client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app(), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_validation_errors_name_each_field() -> None:
    async with _client() as client:
        r = await client.post("/things", json={"title": "", "count": "many"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 422 and body["type"].endswith("/validation-error")
    assert {e["field"] for e in body["errors"]} == {"title", "count"}


async def test_malformed_json_is_a_422_problem() -> None:
    async with _client() as client:
        r = await client.post(
            "/things", content=b"{not json", headers={"content-type": "application/json"}
        )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"


async def test_unknown_path_is_a_404_problem() -> None:
    async with _client() as client:
        r = await client.get("/nowhere")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["instance"] == "/nowhere"


async def test_domain_error_keeps_its_status_detail_and_headers() -> None:
    async with _client() as client:
        r = await client.get("/things/7")
        slow = await client.get("/slow-down")
    assert r.status_code == 404 and r.json()["detail"] == "No thing 7."
    assert slow.status_code == 429 and slow.headers["retry-after"] == "30"


async def test_unhandled_error_is_a_500_problem_without_internals() -> None:
    async with _client() as client:
        r = await client.get("/boom", headers={"X-Request-ID": "req-123"})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert "hunter2" not in r.text and "Traceback" not in r.text
    assert r.json()["request_id"] == "req-123"
    assert r.headers["x-request-id"] == "req-123"


async def test_request_ids_are_echoed_and_made_when_missing() -> None:
    async with _client() as client:
        given = await client.get(
            "/things/1", headers={"X-Request-ID": "abc", "X-Correlation-ID": "flow-9"}
        )
        made = await client.get("/things/1")
    assert given.headers["x-request-id"] == "abc"
    assert given.headers["x-correlation-id"] == "flow-9"
    assert len(made.headers["x-request-id"]) == 32

"""Role checks as dependencies: a caller without the role gets 404 before FastAPI looks
at the query or the body, so an invalid request tells them nothing about the route."""

import uuid
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm.exc import StaleDataError

from portal_chassis.app import apply_common
from portal_chassis.auth import Actor, AdminDep, StaffDep, UserAdminDep, current_actor, roles


class Body(BaseModel):
    title: str = Field(min_length=3)
    count: int


def _app(actor_roles: set[str]) -> FastAPI:
    app = FastAPI()
    apply_common(app, service="test")

    @app.post("/admin/things")
    async def create(body: Body, actor: AdminDep) -> dict:
        return {"by": actor.username}

    @app.get("/desk/things")
    async def listing(actor: StaffDep, limit: Annotated[int, Query(ge=1, le=10)] = 5) -> dict:
        return {"limit": limit}

    @app.patch("/users/{user_id}")
    async def update(user_id: uuid.UUID, body: Body, actor: UserAdminDep) -> dict:
        return {"id": str(user_id)}

    # A whole router for one role, declared once.
    only_managers = APIRouter(dependencies=[Depends(roles("manager"))])

    @only_managers.put("/managed/{n}")
    async def put(n: int, body: Body) -> dict:
        return {"n": n}

    app.include_router(only_managers)

    async def fixed_actor() -> Actor:
        return Actor(id=uuid.uuid4(), username="who", organization_id=None, roles=actor_roles)

    app.dependency_overrides[current_actor] = fixed_actor
    return app


def _client(actor_roles: set[str]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=_app(actor_roles), raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


INVALID = [
    ("POST", "/admin/things", {"title": 1}, {"admin"}),
    ("GET", "/desk/things?limit=0", None, {"agent", "admin"}),
    ("GET", "/desk/things?limit=lots", None, {"agent"}),
    ("PATCH", "/users/not-a-uuid", {"count": "x"}, {"admin", "customer_admin"}),
    ("PUT", "/managed/x", {"title": ""}, {"manager"}),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), INVALID)
async def test_without_the_role_invalid_input_is_a_404(
    method: str, path: str, body: dict | None, allowed: set[str]
) -> None:
    async with _client({"customer"}) as client:
        r = await client.request(method, path, json=body)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    # With the role, the same request is judged on its input.
    async with _client({sorted(allowed)[0]}) as client:
        r = await client.request(method, path, json=body)
    assert r.status_code == 422, r.text


async def test_with_the_role_the_route_works() -> None:
    async with _client({"customer_admin"}) as client:
        user = uuid.uuid4()
        r = await client.patch(f"/users/{user}", json={"title": "abc", "count": 1})
        assert r.status_code == 200 and r.json() == {"id": str(user)}
        assert (
            await client.post("/admin/things", json={"title": "abc", "count": 1})
        ).status_code == 404


async def test_a_stale_row_is_a_409_problem() -> None:
    app = FastAPI()
    apply_common(app, service="test")

    @app.post("/race")
    async def race() -> dict:
        raise StaleDataError("UPDATE statement on table 'x' expected to update 1 row(s)")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        r = await client.post("/race")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert "UPDATE" not in r.text

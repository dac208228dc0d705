"""The user list filtered by role: the service desk's list of agents to assign to."""

from __future__ import annotations

import pytest
from identity_harness import Identity

pytestmark = pytest.mark.integration


async def _usernames(identity: Identity, query: str, headers: dict[str, str]) -> list[str]:
    r = await identity.client.get(f"/api/v1/admin/users?{query}", headers=headers)
    assert r.status_code == 200, r.text
    return [u["username"] for u in r.json()["items"]]


async def test_role_filter_lists_users_with_any_of_the_roles(identity: Identity) -> None:
    acme = await identity.organization("Acme")
    await identity.user("anna", roles=["customer_admin"], organization_id=acme["id"])
    await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    await identity.user("erik", roles=["agent"])
    await identity.user("fiona", roles=["agent", "admin"])
    erik = await identity.auth("erik")

    assert await _usernames(identity, "role=agent", erik) == ["erik", "fiona"]
    assert await _usernames(identity, "role=agent&role=admin", erik) == [
        "admin",
        "erik",
        "fiona",
    ]
    # A customer admin filters within their own organization only.
    anna = await identity.auth("anna")
    assert await _usernames(identity, "role=agent", anna) == []
    assert await _usernames(identity, "role=customer", anna) == ["ben"]
    r = await identity.client.get("/api/v1/admin/users?role=boss", headers=erik)
    assert r.status_code == 422

"""The user list searched by text: the service desk finds a caller by name, username,
e-mail address or organization."""

from __future__ import annotations

import pytest
from identity_harness import Identity

pytestmark = pytest.mark.integration


async def _usernames(identity: Identity, query: str, headers: dict[str, str]) -> list[str]:
    r = await identity.client.get(f"/api/v1/admin/users?{query}", headers=headers)
    assert r.status_code == 200, r.text
    return [u["username"] for u in r.json()["items"]]


async def test_search_by_name_email_and_organization(identity: Identity) -> None:
    acme = await identity.organization("Acme Robotics")
    globex = await identity.organization("Globex 100%")
    await identity.user("anna", roles=["customer_admin"], organization_id=acme["id"])
    await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    await identity.user("carla", roles=["customer"], organization_id=globex["id"])
    await identity.user("erik", roles=["agent"])
    erik = await identity.auth("erik")
    customers = "role=customer&role=customer_admin"

    assert await _usernames(identity, f"{customers}&q=BEN", erik) == ["ben"]
    assert await _usernames(identity, f"{customers}&q=ROBOTICS", erik) == ["anna", "ben"]
    assert await _usernames(identity, f"{customers}&q=carla@example", erik) == ["carla"]
    # The text is a plain text, not a pattern.
    assert await _usernames(identity, f"{customers}&q=100%25", erik) == ["carla"]
    assert await _usernames(identity, f"{customers}&q=_", erik) == []
    assert await _usernames(identity, f"{customers}&q=%20%20", erik) == ["anna", "ben", "carla"]
    # A customer admin searches within their own organization only.
    anna = await identity.auth("anna")
    assert await _usernames(identity, "q=a", anna) == ["anna", "ben"]
    r = await identity.client.get(f"/api/v1/admin/users?q={'x' * 101}", headers=erik)
    assert r.status_code == 422

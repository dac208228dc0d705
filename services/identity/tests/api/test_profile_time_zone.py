"""The time zone of a profile: the zone pages show times in."""

from __future__ import annotations

import pytest
from identity_harness import Identity

pytestmark = pytest.mark.integration


async def test_time_zone_defaults_to_berlin_and_is_kept_when_changed(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    ben = await identity.auth("ben")
    assert (await identity.client.get("/api/v1/me", headers=ben)).json()["time_zone"] == (
        "Europe/Berlin"
    )
    r = await identity.client.patch(
        "/api/v1/me", json={"time_zone": "America/New_York"}, headers=ben
    )
    assert r.status_code == 200 and r.json()["time_zone"] == "America/New_York"
    again = await identity.client.get("/api/v1/me", headers=ben)
    assert again.json()["time_zone"] == "America/New_York"


async def test_unknown_time_zone_is_a_field_error(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    ben = await identity.auth("ben")
    for wrong in ("Mars/Olympus_Mons", "../../etc/passwd", ""):
        r = await identity.client.patch("/api/v1/me", json={"time_zone": wrong}, headers=ben)
        assert r.status_code == 422, wrong
        assert r.headers["content-type"].startswith("application/problem+json")
        [error] = r.json()["errors"]
        assert error["field"] == "time_zone" and error["code"] == "time_zone_unknown"
        assert "Europe/Berlin" in error["message"]
    me = await identity.client.get("/api/v1/me", headers=ben)
    assert me.json()["time_zone"] == "Europe/Berlin"

"""A customer admin asks for an account; vendor staff approve or reject."""

from __future__ import annotations

import pytest
from identity_harness import Identity

pytestmark = pytest.mark.integration

REQUEST = {"username": "newbie", "email": "newbie@acme.example", "display_name": "New Bie"}


async def _setup(identity: Identity) -> tuple[dict, dict, dict]:
    acme = await identity.organization("Acme")
    await identity.user("anna", roles=["customer_admin"], organization_id=acme["id"])
    await identity.user("erik", roles=["agent"])
    return acme, await identity.auth("anna"), await identity.auth("erik")


async def test_approval_creates_the_user_and_invites_them(identity: Identity) -> None:
    acme, anna, erik = await _setup(identity)
    r = await identity.client.post("/api/v1/access-requests", json=REQUEST, headers=anna)
    assert r.status_code == 201 and r.json()["state"] == "pending"
    request_id = r.json()["id"]

    pending = await identity.client.get("/api/v1/access-requests?state=pending", headers=erik)
    assert [p["id"] for p in pending.json()["items"]] == [request_id]

    approved = await identity.client.post(
        f"/api/v1/access-requests/{request_id}/approve", headers=erik
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    invited = (await identity.events("identity.user.invited"))[-1]["data"]
    assert invited["username"] == "newbie" and invited["email"] == "newbie@acme.example"
    users = await identity.client.get("/api/v1/admin/users", headers=anna)
    newbie = next(u for u in users.json()["items"] if u["username"] == "newbie")
    assert newbie["organization"]["id"] == acme["id"] and newbie["roles"] == ["customer"]

    twice = await identity.client.post(
        f"/api/v1/access-requests/{request_id}/approve", headers=erik
    )
    assert twice.status_code == 409


async def test_rejection_keeps_the_reason_and_creates_nobody(identity: Identity) -> None:
    _acme, anna, erik = await _setup(identity)
    request_id = (
        await identity.client.post("/api/v1/access-requests", json=REQUEST, headers=anna)
    ).json()["id"]
    r = await identity.client.post(
        f"/api/v1/access-requests/{request_id}/reject",
        json={"reason": "Not an employee."},
        headers=erik,
    )
    assert r.json()["state"] == "rejected" and r.json()["reason"] == "Not an employee."
    assert (await identity.login("newbie", "whatever-pass-1")).status_code == 401
    assert not [
        e
        for e in await identity.events("identity.user.created")
        if e["data"]["username"] == "newbie"
    ]


async def test_only_customer_admins_request_and_only_staff_decide(identity: Identity) -> None:
    acme, anna, _erik = await _setup(identity)
    await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    ben = await identity.auth("ben")
    assert (
        await identity.client.post("/api/v1/access-requests", json=REQUEST, headers=ben)
    ).status_code == 404
    request_id = (
        await identity.client.post("/api/v1/access-requests", json=REQUEST, headers=anna)
    ).json()["id"]
    for headers in (anna, ben):
        r = await identity.client.post(
            f"/api/v1/access-requests/{request_id}/approve", headers=headers
        )
        assert r.status_code == 404


async def test_customer_admin_sees_only_their_organization_requests(identity: Identity) -> None:
    _acme, anna, _erik = await _setup(identity)
    globex = await identity.organization("Globex")
    await identity.user("carla", roles=["customer_admin"], organization_id=globex["id"])
    carla = await identity.auth("carla")
    await identity.client.post("/api/v1/access-requests", json=REQUEST, headers=anna)
    other = {**REQUEST, "username": "other"}
    await identity.client.post("/api/v1/access-requests", json=other, headers=carla)
    seen = await identity.client.get("/api/v1/access-requests", headers=carla)
    assert [r["username"] for r in seen.json()["items"]] == ["other"]


async def test_taken_or_already_requested_username_is_a_409(identity: Identity) -> None:
    _acme, anna, _erik = await _setup(identity)
    await identity.client.post("/api/v1/access-requests", json=REQUEST, headers=anna)
    again = await identity.client.post("/api/v1/access-requests", json=REQUEST, headers=anna)
    taken = await identity.client.post(
        "/api/v1/access-requests", json={**REQUEST, "username": "erik"}, headers=anna
    )
    assert again.status_code == taken.status_code == 409

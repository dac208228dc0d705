"""Organizations and users: who may administer whom, and the events it produces."""

from __future__ import annotations

import uuid

import pytest
from identity_harness import Identity

pytestmark = pytest.mark.integration


async def test_admin_creates_organization_with_contract_flags(identity: Identity) -> None:
    org = await identity.organization("Acme", priority_contract=True)
    assert org["priority_contract"] is True and org["org_wide_visibility"] is True
    events = await identity.events("identity.organization.created")
    assert events[-1]["data"]["name"] == "Acme" and events[-1]["data"]["sla_contract"] is None


async def test_organization_defaults_to_no_priority_contract(identity: Identity) -> None:
    org = await identity.organization("Plain Ltd")
    assert org["priority_contract"] is False


async def test_duplicate_organization_name_is_a_409(identity: Identity) -> None:
    await identity.organization("Acme")
    r = await identity.client.post(
        "/api/v1/admin/organizations", json={"name": "Acme"}, headers=await identity.admin()
    )
    assert r.status_code == 409


async def test_updating_an_organization_emits_an_update(identity: Identity) -> None:
    org = await identity.organization("Acme")
    r = await identity.client.patch(
        f"/api/v1/admin/organizations/{org['id']}",
        json={"org_wide_visibility": False},
        headers=await identity.admin(),
    )
    assert r.status_code == 200 and r.json()["org_wide_visibility"] is False
    updates = await identity.events("identity.organization.updated")
    assert [e["data"]["org_wide_visibility"] for e in updates] == [False]


async def test_duplicate_username_is_a_409(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("anna", roles=["customer"], organization_id=org["id"])
    r = await identity.client.post(
        "/api/v1/admin/users",
        json={
            "username": "anna",
            "email": "x@example.com",
            "roles": ["customer"],
            "organization_id": org["id"],
        },
        headers=await identity.admin(),
    )
    assert r.status_code == 409


async def test_unknown_organization_is_a_422_naming_the_field(identity: Identity) -> None:
    r = await identity.client.post(
        "/api/v1/admin/users",
        json={
            "username": "anna",
            "email": "a@example.com",
            "roles": ["customer"],
            "organization_id": str(uuid.uuid4()),
        },
        headers=await identity.admin(),
    )
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["organization_id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "an-na", "email": "a@example.com", "roles": ["agent"]}, "username"),
        ({"username": "anna", "email": "not-an-email", "roles": ["agent"]}, "email"),
        ({"username": "anna", "email": "a@example.com", "roles": ["pope"]}, "roles.0"),
        ({"username": "anna", "email": "a@example.com", "roles": []}, "roles"),
        ({"username": "anna", "email": "a@example.com", "roles": ["customer"]}, "organization_id"),
        (
            {"username": "anna", "email": "a@example.com", "roles": ["agent"], "password": "short"},
            "password",
        ),
        (
            {
                "username": "anna",
                "email": "a@e.com",
                "roles": ["agent"],
                "password": "password1234",
            },
            "password",
        ),
        (
            {
                "username": "anna",
                "email": "a@e.com",
                "roles": ["agent"],
                "password": "xxAnna12345x",
            },
            "password",
        ),
    ],
    ids=[
        "username",
        "email",
        "role",
        "no-roles",
        "customer-without-org",
        "short",
        "common",
        "name",
    ],
)
async def test_bad_user_input_names_the_field(identity: Identity, body: dict, field: str) -> None:
    r = await identity.client.post("/api/v1/admin/users", json=body, headers=await identity.admin())
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_customer_admin_manages_only_their_own_organization(identity: Identity) -> None:
    acme, globex = await identity.organization("Acme"), await identity.organization("Globex")
    await identity.user("anna", roles=["customer_admin"], organization_id=acme["id"])
    await identity.user("dan", roles=["customer"], organization_id=globex["id"])
    anna = await identity.auth("anna")

    # Without an organization the user joins anna's own.
    ben = await identity.user("ben", roles=["customer"], headers=anna)
    assert ben["organization"]["id"] == acme["id"]

    foreign = await identity.client.post(
        "/api/v1/admin/users",
        json={
            "username": "eve",
            "email": "eve@example.com",
            "roles": ["customer"],
            "organization_id": globex["id"],
        },
        headers=anna,
    )
    assert foreign.status_code == 422
    agent = await identity.client.post(
        "/api/v1/admin/users",
        json={"username": "mallory", "email": "m@example.com", "roles": ["agent"]},
        headers=anna,
    )
    assert agent.status_code == 422

    listed = await identity.client.get("/api/v1/admin/users", headers=anna)
    assert {u["username"] for u in listed.json()["items"]} == {"anna", "ben"}
    dan = (await identity.client.get("/api/v1/admin/users", headers=await identity.admin())).json()
    dan_id = next(u["id"] for u in dan["items"] if u["username"] == "dan")
    assert (
        await identity.client.get(f"/api/v1/admin/users/{dan_id}", headers=anna)
    ).status_code == 404
    r = await identity.client.patch(
        f"/api/v1/admin/users/{dan_id}", json={"active": False}, headers=anna
    )
    assert r.status_code == 404


async def test_plain_customers_and_agents_cannot_administer(identity: Identity) -> None:
    acme = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    await identity.user("erik", roles=["agent"])
    ben, erik = await identity.auth("ben"), await identity.auth("erik")
    for headers in (ben, erik):
        r = await identity.client.post(
            "/api/v1/admin/organizations", json={"name": "Mine"}, headers=headers
        )
        assert r.status_code == 404
    assert (await identity.client.get("/api/v1/admin/users", headers=ben)).status_code == 404
    # Agents read the directory but do not change it.
    users = (await identity.client.get("/api/v1/admin/users", headers=erik)).json()["items"]
    ben_id = next(u["id"] for u in users if u["username"] == "ben")
    r = await identity.client.patch(
        f"/api/v1/admin/users/{ben_id}", json={"active": False}, headers=erik
    )
    assert r.status_code == 404


async def test_customer_sees_own_organization_but_not_others(identity: Identity) -> None:
    acme, globex = await identity.organization("Acme"), await identity.organization("Globex")
    await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    ben = await identity.auth("ben")
    own = await identity.client.get(f"/api/v1/admin/organizations/{acme['id']}", headers=ben)
    other = await identity.client.get(f"/api/v1/admin/organizations/{globex['id']}", headers=ben)
    assert own.status_code == 200 and other.status_code == 404


async def test_deactivation_ends_sessions_and_is_announced(identity: Identity) -> None:
    acme = await identity.organization("Acme")
    user = await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    session = (await identity.login("ben")).json()
    r = await identity.client.patch(
        f"/api/v1/admin/users/{user['id']}", json={"active": False}, headers=await identity.admin()
    )
    assert r.status_code == 200 and r.json()["active"] is False
    refresh = await identity.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert refresh.status_code == 401
    me = await identity.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"}
    )
    assert me.status_code == 401
    deactivated = await identity.events("identity.user.deactivated")
    assert [e["data"]["username"] for e in deactivated] == ["ben"]


async def test_user_created_event_carries_the_directory_fields(identity: Identity) -> None:
    acme = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    created = [
        e for e in await identity.events("identity.user.created") if e["data"]["username"] == "ben"
    ]
    assert created[0]["data"]["organization_id"] == acme["id"]
    assert created[0]["data"]["roles"] == ["customer"]
    assert created[0]["producer"] == "identity"

"""An organization's priority contract and SLA contract name follow the customer's
contract in force (kept by the tickets service): set by its `tickets.contract.changed`,
back to the standard terms when none is in force, and never typed in by hand."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from identity_harness import Identity

from portal_chassis.envelope import Envelope
from portal_identity.organizations.handlers import on_contract_changed

pytestmark = pytest.mark.integration

ORGS = "/api/v1/admin/organizations"


async def told(identity: Identity, org_id: str, **fields: Any) -> None:
    """The tickets service's `tickets.contract.changed`, as identity's consumer gets it."""
    data = {
        "organization_id": org_id,
        "contract_id": str(uuid.uuid4()),
        "name": "Gold",
        "priorities_selectable": True,
        "in_force": True,
        "none_in_force": False,
        "occurred_at": "2026-12-20T10:00:00Z",
        **fields,
    }
    envelope = Envelope(type="tickets.contract.changed", producer="tickets", data=data)
    await on_contract_changed.handle(envelope, identity.runtime.uow())


async def shown(identity: Identity, org_id: str) -> dict[str, Any]:
    r = await identity.client.get(f"{ORGS}/{org_id}", headers=await identity.admin())
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_the_contract_in_force_and_then_none_set_the_organization(
    identity: Identity,
) -> None:
    org = await identity.organization("Acme")
    await told(identity, org["id"])
    first = await shown(identity, org["id"])
    assert (first["priority_contract"], first["sla_contract"]) == (True, "Gold")
    # Another contract that is not (yet) in force, while Gold still is: nothing changes.
    await told(identity, org["id"], name="Next year", in_force=False)
    assert (await shown(identity, org["id"]))["sla_contract"] == "Gold"
    # Gold ended (or was deleted) and none is in force: the standard terms.
    await told(identity, org["id"], in_force=False, none_in_force=True)
    after = await shown(identity, org["id"])
    assert (after["priority_contract"], after["sla_contract"]) == (False, None)
    updates = await identity.events("identity.organization.updated")
    assert [(e["data"]["priority_contract"], e["data"]["sla_contract"]) for e in updates] == [
        (True, "Gold"),
        (False, None),
    ]


async def test_the_sla_contract_is_not_typed_in(identity: Identity) -> None:
    admin = await identity.admin()
    r = await identity.client.post(
        ORGS, json={"name": "Acme", "sla_contract": "Gold"}, headers=admin
    )
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
        ("sla_contract", "set_by_contracts")
    ]
    org = await identity.organization("Acme", priority_contract=True)
    await told(identity, org["id"], name="Gold")
    for other in ("Platinum", None):
        r = await identity.client.patch(
            f"{ORGS}/{org['id']}", json={"sla_contract": other}, headers=admin
        )
        assert r.status_code == 422, other
        assert r.json()["errors"][0]["code"] == "set_by_contracts"
    assert (await shown(identity, org["id"]))["sla_contract"] == "Gold"
    # A form that sends the name back as it is changes nothing and is no error.
    r = await identity.client.patch(
        f"{ORGS}/{org['id']}", json={"sla_contract": "Gold", "name": "Acme AG"}, headers=admin
    )
    assert r.status_code == 200 and r.json()["name"] == "Acme AG"
    # `priority_contract` stays the admin's to give (DESIGN: input and output).
    r = await identity.client.patch(
        f"{ORGS}/{org['id']}", json={"priority_contract": False}, headers=admin
    )
    assert r.status_code == 200 and r.json()["priority_contract"] is False

"""Asset rules without a database: who sees an asset, what a search compares, cursors."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput
from portal_tickets import name_cursor as cursor
from portal_tickets.assets.models import Asset, AssetStatus
from portal_tickets.assets.permissions import can_view, may_maintain, may_set_on_ticket

ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def actor(*roles: str, org: uuid.UUID | None = None) -> Actor:
    return Actor(id=uuid.uuid4(), username="x", organization_id=org, roles=frozenset(roles))


def asset(name: str = "Presse", org: uuid.UUID | None = ACME) -> Asset:
    made = Asset(
        id=uuid.uuid4(),
        organization_id=org,
        name=name,
        serial_number="SN-1",
        status=AssetStatus.ACTIVE,
        attributes={},
        created_at=AT,
        updated_at=AT,
    )
    made.refresh_search_text()
    return made


def test_customers_see_their_organizations_assets_the_desk_all() -> None:
    press = asset()
    assert can_view(actor("customer", org=ACME), press)
    assert not can_view(actor("customer_admin", org=GLOBEX), press)
    assert not can_view(actor("customer"), press)
    assert can_view(actor("agent"), press) and can_view(actor("admin"), press)
    assert not can_view(actor("customer", org=ACME), asset(org=None))
    assert may_maintain(actor("admin"))
    assert not may_maintain(actor("agent")) and not may_maintain(actor("customer_admin", org=ACME))


def test_after_opening_only_the_desk_changes_a_tickets_asset() -> None:
    customer = actor("customer", org=ACME)
    assert may_set_on_ticket(customer, opening=True)
    assert not may_set_on_ticket(customer, opening=False)
    assert may_set_on_ticket(actor("agent"), opening=False)


def test_search_text_follows_changes() -> None:
    press = asset("Große Presse")
    assert press.search_text == "grosse presse\nsn-1\n\n"
    assert not press.change(AT + timedelta(hours=1), name="Große Presse")
    assert press.updated_at == AT
    assert press.change(AT + timedelta(hours=1), location="HALLE 3", product="HP-200")
    assert press.updated_at == AT + timedelta(hours=1)
    assert press.search_text == "grosse presse\nsn-1\nhp-200\nhalle 3"


def test_cursor_round_trip_even_for_long_names() -> None:
    press = asset("Ä" * 200)
    encoded = cursor.encode(press.name, press.id)
    assert len(encoded) <= 2000
    assert cursor.decode(encoded) == (press.name, press.id)


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        json.dumps(["name"]).encode(),
        json.dumps(["name", "not-a-uuid"]).encode(),
        json.dumps([1, "9b1c2d3e-0000-4000-8000-000000000001"]).encode(),
        json.dumps(["a\u0000b", "9b1c2d3e-0000-4000-8000-000000000002"]).encode(),
    ],
)
def test_a_broken_cursor_is_a_field_error(raw: bytes) -> None:
    with pytest.raises(InvalidInput):
        cursor.decode(base64.urlsafe_b64encode(raw).decode())

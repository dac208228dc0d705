"""The customer's own first level: in an organization with internal review, its people's
new tickets start in review, visible to the organization (by the usual rule) and its
reviewers but to the service desk nowhere (404, not listed, not found, not counted)
until a reviewer hands them over; the SLA clock starts at the hand-over."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from portal_harness import Portal

pytestmark = pytest.mark.integration


def codes(r: Any) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in r.json()["errors"]}


async def _with_review(world: Portal) -> Portal:
    """Globex (no organization-wide visibility) turns its review on; Gina reviews."""
    admin = await world.admin()
    r = await world.client.patch(
        f"/api/v1/admin/organizations/{world.orgs['globex']}",
        json={"internal_review": True},
        headers=admin,
    )
    assert r.status_code == 200 and r.json()["internal_review"] is True, r.text
    world.ids["gina"] = await world.user("gina", ["customer"], world.orgs["globex"])
    r = await world.client.patch(
        f"/api/v1/admin/users/{world.ids['gina']}", json={"permissions": ["review"]}, headers=admin
    )
    assert r.status_code == 200 and r.json()["permissions"] == ["review"], r.text
    await world.settle()
    return world


async def _numbers(world: Portal, user: str, query: str = "") -> set[str]:
    r = await world.client.get(f"/api/v1/tickets?limit=100{query}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return {t["number"] for t in r.json()["items"]}


async def test_a_ticket_in_review_is_the_organizations_alone_until_handed_over(
    world: Portal,
) -> None:
    await _with_review(world)
    ticket = await world.ticket("carla", title="Label printer offline in hall 3")
    number = ticket["number"]
    assert ticket["review"] == "internal" and ticket["handed_over_at"] is None
    assert ticket["sla"]["reaction"] is None  # the clock waits for the hand-over
    erik = await world.as_("erik")

    # The service desk: not readable, listed, found, counted, exported or bulk-changed.
    assert (await world.client.get(f"/api/v1/tickets/{number}", headers=erik)).status_code == 404
    assert (
        await world.client.get(f"/api/v1/tickets/{number}/articles", headers=erik)
    ).status_code == 404
    assert number not in await _numbers(world, "erik")
    assert number not in await _numbers(world, "erik", "&q=Label+printer")
    assert number not in await _numbers(world, "erik", "&sort=due")
    summary = await world.client.get(
        f"/api/v1/tickets/summary?organization_id={world.orgs['globex']}", headers=erik
    )
    assert summary.json()["total"] == 0
    sheet = await world.client.get("/api/v1/tickets/export.xlsx", headers=erik)
    rows = load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    assert number not in {str(row[0]) for row in rows}
    bulk = await world.client.post(
        "/api/v1/tickets/bulk",
        json={"numbers": [number], "changes": {"priority": "P2"}},
        headers=erik,
    )
    assert bulk.json()["failed"] == 1 and bulk.json()["changed"] == 0
    reports = await world.client.get(
        f"/api/v1/tickets/reports?organization_id={world.orgs['globex']}", headers=erik
    )
    assert sum(w["opened"] for w in reports.json()["weeks"]) == 0

    # The organization: the creator and its reviewer; a colleague by the usual rule not.
    assert number in await _numbers(world, "gina", "&review=internal")
    assert number not in await _numbers(world, "gina", "&review=none")
    assert number in await _numbers(world, "carla")
    dan = await world.as_("dan")
    assert (await world.client.get(f"/api/v1/tickets/{number}", headers=dan)).status_code == 404

    # Only a reviewer hands over; then the desk sees it and the clock runs from then.
    r = await world.client.post(
        f"/api/v1/tickets/{number}/hand-over", headers=await world.as_("carla")
    )
    assert r.status_code == 422 and codes(r) == {("review", "reviewers_only")}
    r = await world.client.post(
        f"/api/v1/tickets/{number}/hand-over", headers=await world.as_("gina")
    )
    assert r.status_code == 200, r.text
    handed = r.json()
    assert handed["review"] is None
    handed_at = datetime.fromisoformat(handed["handed_over_at"])
    assert datetime.fromisoformat(handed["sla"]["reaction"]["due_at"]) > handed_at
    events = [
        e for e in await world.events("tickets.ticket.handed_over") if e["data"]["number"] == number
    ]
    assert len(events) == 1 and events[0]["data"]["actor_id"] == world.ids["gina"]
    assert (await world.client.get(f"/api/v1/tickets/{number}", headers=erik)).status_code == 200
    assert number in await _numbers(world, "erik", "&q=Label+printer")
    sheet = await world.client.get("/api/v1/tickets/export.xlsx", headers=erik)
    rows = load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True)
    assert number in {str(row[0]) for row in rows}
    again = await world.client.post(
        f"/api/v1/tickets/{number}/hand-over", headers=await world.as_("gina")
    )
    assert again.status_code == 409


async def test_reviewers_pass_a_ticket_to_the_requester_and_the_answer_brings_it_back(
    world: Portal,
) -> None:
    await _with_review(world)
    number = (await world.ticket("carla", title="New badge for a visitor"))["number"]
    gina, carla = await world.as_("gina"), await world.as_("carla")
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"review": "requester"}, headers=gina
    )
    assert r.status_code == 200 and r.json()["review"] == "requester", r.text
    assert number in await _numbers(world, "carla", "&review=requester")
    # The requester may not move it herself; her answer gives it back to the reviewers.
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"review": "internal"}, headers=carla
    )
    assert r.status_code == 422 and codes(r) == {("review", "reviewers_only")}
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles", json={"body": "Visitor: M. Weber"}, headers=carla
    )
    assert r.status_code == 201, r.text
    shown = await world.client.get(f"/api/v1/tickets/{number}", headers=gina)
    assert shown.json()["review"] == "internal"
    changes = [
        e["data"]["changes"]["review"]
        for e in await world.events("tickets.ticket.updated")
        if e["data"]["number"] == number and "review" in e["data"]["changes"]
    ]
    assert changes == [["internal", "requester"], ["requester", "internal"]]
    # Escalating a ticket the desk does not have yet makes no sense.
    r = await world.client.post(
        f"/api/v1/tickets/{number}/escalate", json={"body": "Urgent!"}, headers=carla
    )
    assert r.status_code == 409


async def test_who_starts_in_review(world: Portal) -> None:
    await _with_review(world)
    # A reviewer may hand over at once; others' wish is not enough.
    direct = await world.ticket("gina", title="Server room too warm", hand_over=True)
    assert direct["review"] is None and direct["handed_over_at"] is None
    assert direct["sla"]["reaction"] is not None
    wished = await world.ticket("carla", title="Mouse broken", hand_over=True)
    assert wished["review"] == "internal"
    # The service desk's own ticket for a Globex contact goes to the desk directly.
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "Called about the scanner", "contact_id": world.ids["carla"]},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 201 and r.json()["review"] is None
    # Acme has no review step.
    assert (await world.ticket("ben"))["review"] is None


async def test_customer_admins_turn_the_review_on_and_grant_the_permission(
    world: Portal,
) -> None:
    anna = await world.as_("anna")
    own = f"/api/v1/admin/organizations/{world.orgs['acme']}"
    r = await world.client.patch(own, json={"internal_review": True}, headers=anna)
    assert r.status_code == 200 and r.json()["internal_review"] is True, r.text
    r = await world.client.patch(own, json={"priority_contract": False}, headers=anna)
    assert r.status_code == 422 and codes(r) == {("priority_contract", "vendor_only")}
    other = f"/api/v1/admin/organizations/{world.orgs['globex']}"
    r = await world.client.patch(other, json={"internal_review": True}, headers=anna)
    assert r.status_code == 404
    r = await world.client.patch(
        f"/api/v1/admin/users/{world.ids['ben']}", json={"permissions": ["review"]}, headers=anna
    )
    assert r.status_code == 200 and r.json()["permissions"] == ["review"]
    r = await world.client.patch(
        f"/api/v1/admin/users/{world.ids['erik']}",
        json={"permissions": ["review"]},
        headers=await world.admin(),
    )
    assert r.status_code == 422 and codes(r) == {("permissions", "permission_customers_only")}
    # A fresh sign-in carries the permission; Ben now sees Acme's tickets in review.
    await world.settle()
    ticket = await world.ticket("anna", title="Laptop for the new apprentice")
    assert ticket["review"] == "internal"
    world._tokens.pop("ben", None)
    r = await world.client.get(
        f"/api/v1/tickets/{ticket['number']}/hand-over", headers=await world.as_("ben")
    )
    assert r.status_code == 405
    r = await world.client.post(
        f"/api/v1/tickets/{ticket['number']}/hand-over", headers=await world.as_("ben")
    )
    assert r.status_code == 200 and r.json()["review"] is None


async def test_the_clock_counts_from_the_hand_over_not_from_the_opening(world: Portal) -> None:
    """A ticket that spent a month in review is not at risk the moment it arrives."""
    from sqlalchemy import update

    from portal_tickets.ticket.models import Ticket

    await _with_review(world)
    number = (await world.ticket("carla", title="Archive share full"))["number"]
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Ticket)
            .where(Ticket.number == number)
            .values(created_at=datetime.now(UTC) - timedelta(days=30))
        )
        await s.commit()
    r = await world.client.post(
        f"/api/v1/tickets/{number}/hand-over", headers=await world.as_("gina")
    )
    assert r.status_code == 200, r.text
    assert r.json()["sla"]["reaction"]["state"] == "ok"
    assert number in await _numbers(world, "erik", "&organization_id=" + world.orgs["globex"])
    assert number not in await _numbers(world, "erik", "&sla=at_risk")
    assert number not in await _numbers(world, "erik", "&sla=breached")


async def test_the_desk_report_counts_only_what_reached_the_desk(world: Portal) -> None:
    await _with_review(world)
    carla = await world.as_("carla")
    kept = (await world.ticket("carla", title="Closed before it went anywhere"))["number"]
    assert (
        await world.client.post(f"/api/v1/tickets/{kept}/close", headers=carla)
    ).status_code == 200
    await world.ticket("carla", title="Still with our IT")
    handed = (await world.ticket("gina", title="Straight to the desk", hand_over=True))["number"]
    r = await world.client.get(
        "/api/v1/tickets/reports/desk",
        params={"by": "organization"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200, r.text
    total = r.json()["total"]
    assert (total["opened"], total["closed"], total["backlog"]) == (1, 0, 1), handed

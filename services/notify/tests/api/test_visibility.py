"""Notifications follow the tickets' visibility rule: a customer hears only about tickets
they can open, however they came to follow them."""

from __future__ import annotations

import uuid

import pytest
from portal_harness import Portal
from sqlalchemy import func, select

from portal_notify.directory.models import TicketCard, TicketFollower
from portal_notify.mail.models import OutgoingMail

pytestmark = pytest.mark.integration


async def _reply(world: Portal, user: str, number: str, body: str) -> None:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles", json={"body": body}, headers=await world.as_(user)
    )
    assert r.status_code == 201, r.text


async def _bodies(world: Portal, user: str) -> list[str]:
    r = await world.client.get("/api/v1/notifications", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [n["body"] for n in r.json()["items"] if n["kind"] == "ticket_reply"]


async def _mails(world: Portal, user: str) -> int:
    async with world.notify.session_factory() as s:
        count = await s.scalar(
            select(func.count())
            .select_from(OutgoingMail)
            .where(OutgoingMail.recipient_id == uuid.UUID(world.ids[user]))
        )
    return count or 0


async def test_a_follower_stops_hearing_once_organization_wide_visibility_ends(
    world: Portal,
) -> None:
    number = (await world.ticket("ben"))["number"]
    follow = f"/api/v1/tickets/{number}/follow"
    assert (await world.client.put(follow, headers=await world.as_("anna"))).status_code == 200
    await _reply(world, "erik", number, "First answer")
    await world.settle()
    assert await _bodies(world, "anna") == ["First answer"]
    mails_before = await _mails(world, "anna")
    assert mails_before == 1

    r = await world.client.patch(
        f"/api/v1/admin/organizations/{world.orgs['acme']}",
        json={"org_wide_visibility": False},
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    await world.settle()
    await _reply(world, "erik", number, "Second answer")
    await world.settle()

    # Anna can no longer open the ticket, so she hears nothing about it, in the app or
    # by mail; the ticket's own customer still does.
    assert await _bodies(world, "anna") == ["First answer"]
    assert await _mails(world, "anna") == mails_before
    assert await _bodies(world, "ben") == ["Second answer", "First answer"]
    assert (await world.client.get(follow, headers=await world.as_("anna"))).status_code == 404


async def test_followers_who_cannot_see_the_ticket_hear_nothing(world: Portal) -> None:
    # Globex has no organization-wide visibility. Followers the directory holds for
    # whatever reason (a follow from before a change, another organization's user)
    # are checked against the rule for every event.
    number = (await world.ticket("carla"))["number"]
    await world.settle()
    async with world.notify.session_factory() as s:
        card = await s.scalar(select(TicketCard).where(TicketCard.number == number))
        assert card is not None
        for user in ("dan", "ben", "erik"):
            s.add(TicketFollower(ticket_id=card.id, user_id=uuid.UUID(world.ids[user])))
        await s.commit()
    await _reply(world, "erik", number, "An answer")
    await _reply(world, "carla", number, "Thanks")
    await world.settle()
    assert await _bodies(world, "dan") == []
    assert await _bodies(world, "ben") == []
    assert await _bodies(world, "carla") == ["An answer"]
    assert await _bodies(world, "erik") == ["Thanks"]

"""Two agents answer the same ticket: the second to send learns of the first answer
(or of the customer's new message) before theirs goes out; internal notes warn only
those who may read them."""

from __future__ import annotations

from datetime import datetime

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def post(world: Portal, number: str, user: str, **body: object) -> object:
    return await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "On it", **body},
        headers=await world.as_(user),
    )


async def test_the_second_to_send_is_told_of_the_first_answer(world: Portal) -> None:
    await world.user("frida", ["agent"], None)
    ticket = await world.ticket("ben")
    number = ticket["number"]
    opened = ticket["updated_at"]  # both agents open the ticket now
    first = await post(world, number, "erik", seen_until=opened)
    assert first.status_code == 201  # type: ignore[attr-defined]

    second = await post(world, number, "frida", body="Looking into it", seen_until=opened)

    assert second.status_code == 409  # type: ignore[attr-defined]
    problem = second.json()  # type: ignore[attr-defined]
    assert problem["code"] == "newer_message" and problem["newer"] == 1
    thread = await world.client.get(
        f"/api/v1/tickets/{number}/articles", headers=await world.as_("erik")
    )
    assert [a["body"] for a in thread.json()["items"]] == ["On it"]  # nothing stored
    # Having read it, the agent sends.
    seen = thread.json()["items"][-1]["created_at"]
    again = await post(world, number, "frida", body="Looking into it", seen_until=seen)
    assert again.status_code == 201  # type: ignore[attr-defined]


async def test_own_messages_and_unreadable_notes_do_not_count(world: Portal) -> None:
    ticket = await world.ticket("ben")
    number, opened = ticket["number"], ticket["updated_at"]
    note = await post(world, number, "erik", body="Check the logs", internal=True)
    assert note.status_code == 201  # type: ignore[attr-defined]
    own = await post(world, number, "erik", body="Found it", seen_until=opened)
    assert own.status_code == 201  # type: ignore[attr-defined]
    # The customer cannot read the note: only the agent's public answer counts for him.
    before_answer = datetime.fromisoformat(own.json()["created_at"])  # type: ignore[attr-defined]
    ahead = await post(world, number, "ben", body="Thanks", seen_until=opened)
    assert ahead.status_code == 409  # type: ignore[attr-defined]
    after = await post(world, number, "ben", body="Thanks", seen_until=before_answer.isoformat())
    assert after.status_code == 201  # type: ignore[attr-defined]
    quiet = await world.ticket("ben")
    await post(world, quiet["number"], "erik", body="Internal only", internal=True)
    unseen = await post(
        world, quiet["number"], "ben", body="Any news?", seen_until=quiet["updated_at"]
    )
    assert unseen.status_code == 201  # type: ignore[attr-defined]

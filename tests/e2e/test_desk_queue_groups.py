"""The desk queue filters by agent group (a group, or tickets of none), and a saved view
keeps the group."""

from __future__ import annotations

import re

from portal_harness import Portal
from web_kit import browser, csrf


def rows(page: str) -> set[str]:
    return set(re.findall(r'<tr id="row-([^"]+)"', page))


async def test_the_queue_filters_by_group(sqlite_world: Portal) -> None:
    world = sqlite_world
    r = await world.client.post(
        "/api/v1/agent-groups",
        json={"name": "Robotics", "member_ids": [world.ids["erik"]]},
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    robotics = r.json()["id"]
    grouped = (await world.ticket("ben"))["number"]
    loose = (await world.ticket("ben"))["number"]
    r = await world.client.patch(
        f"/api/v1/tickets/{grouped}", json={"group_id": robotics}, headers=await world.as_("erik")
    )
    assert r.status_code == 200, r.text
    async with browser(world, "erik") as erik:
        page = await erik.get(f"/desk?group={robotics}&lang=en")
        assert page.status_code == 200
        assert rows(page.text) == {grouped}
        assert f'<option value="{robotics}" selected>Robotics</option>' in page.text
        none = await erik.get("/desk?group=none&lang=en")
        assert grouped not in rows(none.text) and loose in rows(none.text)
        r = await erik.post(
            "/desk/views",
            data={"name": "Robotics queue", "back": f"group={robotics}", "csrf_token": csrf(erik)},
        )
        assert r.status_code == 303, r.text
        saved = await erik.get("/desk?lang=en")
        assert "Robotics queue" in saved.text
    views = await world.client.get("/api/v1/ticket-views", headers=await world.as_("erik"))
    [view] = [v for v in views.json()["items"] if v["name"] == "Robotics queue"]
    assert view["query"]["group_id"] == robotics

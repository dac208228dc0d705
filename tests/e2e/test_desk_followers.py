"""The work page lists who follows a ticket; the agent adds the customer's colleague and
removes them again, is told in words when someone may not follow, and sets the product."""

from __future__ import annotations

from portal_harness import Portal
from web_kit import browser, csrf


async def test_followers_and_product_on_the_work_page(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    anna = world.ids["anna"]
    async with browser(world, "erik") as erik:
        page = await erik.get(f"/desk/{number}?lang=en")
        assert "Nobody follows this ticket." in page.text
        assert f'<option value="{anna}">Anna (anna)</option>' in page.text
        token = csrf(erik)
        r = await erik.post(f"/desk/{number}/followers", data={"add": anna, "csrf_token": token})
        assert r.status_code == 303, r.text
        page = await erik.get(f"/desk/{number}?lang=en")
        assert f'id="follower-{anna}"' in page.text
        assert f'<option value="{anna}">' not in page.text  # follows already
        # Globex's Carla may not see Acme's ticket: refused in words.
        carla = world.ids["carla"]
        r = await erik.post(
            f"/desk/{number}/followers?lang=en", data={"add": carla, "csrf_token": token}
        )
        assert r.status_code == 422 and "may not see this ticket" in r.text
        r = await erik.post(f"/desk/{number}/followers", data={"remove": anna, "csrf_token": token})
        assert r.status_code == 303
        page = await erik.get(f"/desk/{number}?lang=de")
        assert "Niemand folgt diesem Ticket." in page.text

        r = await erik.post(
            f"/desk/{number}",
            data={"product": "LaserJet 9", "current_product": "", "csrf_token": token},
        )
        assert r.status_code == 303, r.text
        shown = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_("erik"))
        assert shown.json()["product"] == "LaserJet 9"

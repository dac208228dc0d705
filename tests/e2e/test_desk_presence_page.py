"""The desk's work page shows who else of the service desk has the ticket open: the page
carries the notice (empty, with its words in the page's language) and its script, and
the browser's session may say it is there and that it left."""

from __future__ import annotations

import html
import re

from portal_harness import Portal
from web_kit import browser, csrf


def notice(page: str) -> str:
    found = re.search(r'<div class="notice presence" id="presence"[^>]*>', page)
    assert found, "no presence notice"
    return html.unescape(found.group())


async def test_the_work_page_carries_the_notice_in_both_languages(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "erik") as erik:
        english = (await erik.get(f"/desk/{number}?lang=en")).text
        german = (await erik.get(f"/desk/{number}?lang=de")).text

        for page in (english, german):
            assert '<script src="/static/presence.js" defer></script>' in page
            assert f'data-ticket="{number}"' in notice(page) and " hidden " in notice(page)
        assert 'data-viewing="{name} is also viewing this ticket"' in notice(english)
        assert 'data-typing="{name} is writing a reply"' in notice(english)
        assert 'data-viewing="{name} sieht sich dieses Ticket ebenfalls an"' in notice(german)
        assert 'data-typing="{name} schreibt gerade eine Antwort"' in notice(german)
        script = await erik.get("/static/presence.js")
        assert script.status_code == 200 and "portal:presence" in script.text

        # What the script sends, with the browser's session and its CSRF token.
        path = f"/api/v1/notifications/presence/{number}"
        token = {"X-CSRF-Token": csrf(erik)}
        r = await erik.put(path, json={"typing": True}, headers=token)
        assert r.status_code == 200, r.text
        assert r.json() == {"viewers": []}
        r = await erik.post(f"{path}/leave", headers=token)
        assert r.status_code == 204, r.text

    # A customer's ticket page has no such notice.
    async with browser(world, "ben") as ben:
        page = (await ben.get(f"/tickets/{number}?lang=en")).text
        assert 'id="presence"' not in page and "presence.js" not in page

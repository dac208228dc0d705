"""Notifications in the browser: the list in the reader's language, marking read with
the session's CSRF token, and the live script only for signed-in pages."""

from __future__ import annotations

from portal_harness import Portal
from web_kit import sign_in


async def test_notification_page_lists_and_marks_read(sqlite_world: Portal) -> None:
    world = sqlite_world
    anonymous = await world.client.get("/notifications")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")

    ticket = await world.ticket("ben")
    number = ticket["number"]
    for text in ("First answer", "Second answer"):
        r = await world.client.post(
            f"/api/v1/tickets/{number}/articles",
            json={"body": text},
            headers=await world.as_("erik"),
        )
        assert r.status_code == 201
    await world.settle()

    await sign_in(world.client, "ben")
    page = await world.client.get("/notifications?lang=de")
    assert page.status_code == 200
    assert "Benachrichtigungen" in page.text and "2 ungelesen" in page.text
    assert "Second answer" in page.text and f"/tickets/{number}" in page.text
    assert '<script src="/static/live.js"' in page.text
    assert 'id="unread-badge"' in page.text

    first = (await world.client.get("/api/v1/notifications")).json()["items"][0]
    csrf = world.client.cookies["portal_csrf"]
    # Without the CSRF token nothing changes.
    r = await world.client.post("/notifications/read", data={"id": first["id"]})
    assert r.status_code == 303
    assert (await world.client.get("/api/v1/notifications")).json()["unread_count"] == 2
    r = await world.client.post("/notifications/read", data={"id": first["id"], "csrf_token": csrf})
    assert r.status_code == 303
    assert (await world.client.get("/api/v1/notifications")).json()["unread_count"] == 1
    unread_page = await world.client.get("/notifications?unread=1&lang=en")
    assert "First answer" in unread_page.text and "Second answer" not in unread_page.text
    r = await world.client.post("/notifications/read", data={"id": "all", "csrf_token": csrf})
    assert (await world.client.get("/api/v1/notifications")).json()["unread_count"] == 0
    assert "No notifications yet." in (await world.client.get("/notifications?unread=1")).text

    script = await world.client.get("/static/live.js")
    assert script.status_code == 200 and "EventSource" in script.text


async def test_signed_out_pages_carry_no_live_script(sqlite_world: Portal) -> None:
    page = await sqlite_world.client.get("/faq")
    assert "live.js" not in page.text and 'data-signed-in="0"' in page.text

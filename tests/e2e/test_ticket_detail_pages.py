"""The ticket page in the browser: header, correspondence and forms in both languages,
replies with attachments, the customer's actions, the service desk's quick changes and
the case files, with every form refused for a stranger, without its CSRF token or with
wrong input (and what was typed kept)."""

from __future__ import annotations

import re

import httpx
from files_harness import png
from portal_harness import Portal
from web_kit import browser, csrf

POST_ROUTES = (
    "reply",
    "escalate",
    "details",
    "desk",
    "close",
    "cancel",
    "follow",
    "folders",
    "files",
    "survey",
)


async def post(
    client: httpx.AsyncClient, path: str, data: dict | None = None, **kwargs: object
) -> httpx.Response:
    return await client.post(path, data={"csrf_token": csrf(client), **(data or {})}, **kwargs)


async def api(world: Portal, username: str, method: str, path: str, **kwargs: object) -> dict:
    r = await world.client.request(method, path, headers=await world.as_(username), **kwargs)
    assert r.is_success, r.text
    return r.json()


async def test_page_shows_header_light_and_correspondence_in_both_languages(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    ticket = await world.ticket(
        "ben",
        title="Drucker <b>klemmt</b>",
        description="Line one\nLine two <script>alert(1)</script>",
        priority="P2",
        product="LaserJet 5",
    )
    number = ticket["number"]
    await api(world, "erik", "POST", f"/api/v1/tickets/{number}/articles", json={"body": "On it."})

    anonymous = await world.client.get(f"/tickets/{number}")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/login?next=/tickets/{number}"

    async with browser(world, "ben") as ben:
        page = await ben.get(f"/tickets/{number}?lang=en&created=1")
        assert page.status_code == 200
        html = page.text
        assert f'data-ticket="{number}"' in html
        assert f'<p class="ticket-number" id="ticket-number">{number}</p>' in html
        assert "Drucker &lt;b&gt;klemmt&lt;/b&gt;" in html and "<b>klemmt</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
        assert "Line one\nLine two" in html  # kept for white-space: pre-wrap
        assert 'class="light light-in_progress"' in html and "in progress" in html
        assert '<span class="priority priority-p2">P2</span>' in html
        assert "Your ticket was created." in html
        assert "LaserJet 5" in html and "Acme" in html and "Ben" in html
        # Standard terms for P2: one business day (9 hours) to react, four to resolve.
        assert "First reaction" in html and "Target: 9 business hours" in html
        assert "met: the service desk reacted in time" in html  # the agent answered
        assert "Resolution:" in html and "Target: 36 business hours" in html
        assert "Correspondence" in html and "On it." in html and "Service desk" in html
        # The description opens the correspondence, before the agent's answer.
        assert html.index("Line one") < html.index("On it.")
        for form in ("reply-form", "details-form", "escalate-form", "close-form", "cancel-form"):
            assert f'id="{form}"' in html
        assert f"/api/v1/tickets/{number}/export.pdf?lang=en" in html
        assert 'id="status-form"' not in html and 'id="assign-form"' not in html
        assert '<script src="/static/ticket-detail.js" defer></script>' in html
        assert '<script src="/static/upload.js" defer></script>' in html
        assert "onclick" not in html and "style=" not in html

        german = await ben.get(f"/tickets/{number}?lang=de")
        assert german.status_code == 200
        assert '<html lang="de">' in german.text
        for words in ("Korrespondenz", "in Bearbeitung", "Antwort senden", "Erste Reaktion"):
            assert words in german.text
        assert "Ticket schließen" in german.text and "Fallakte" in german.text

        pdf = await ben.get(f"/api/v1/tickets/{number}/export.pdf?lang=en")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

        unknown = await ben.get("/tickets/T999999?lang=en")
        assert unknown.status_code == 404
        assert "This ticket does not exist or is not available to you." in unknown.text


async def test_reply_with_attachment_and_refused_replies_keep_what_was_typed(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "ben") as ben:
        upload = await ben.post(
            "/api/v1/files",
            files={"file": ("screen <1>.png", png(300), "image/png")},
            headers={"X-CSRF-Token": csrf(ben)},
        )
        assert upload.status_code == 201, upload.text
        file_id = upload.json()["id"]
        name = upload.json()["name"]
        await world.settle()  # the tickets service learns of the file by its event

        # No message: refused, the attachment stays chosen.
        empty = await post(
            ben, f"/tickets/{number}/reply?lang=en", {"body": "  ", "attachment_ids": file_id}
        )
        assert empty.status_code == 422
        assert 'id="reply-body-error"' in empty.text and "Please write a message." in empty.text
        assert 'aria-describedby="reply-body-error"' in empty.text
        assert f'name="attachment_ids" value="{file_id}" checked' in empty.text

        # Without the CSRF token: refused, the text kept, nothing sent.
        forged = await ben.post(f"/tickets/{number}/reply", data={"body": "Forged <i>x</i>"})
        assert forged.status_code == 403
        assert "Your form expired" in forged.text
        assert "Forged &lt;i&gt;x&lt;/i&gt;</textarea>" in forged.text

        sent = await post(
            ben,
            f"/tickets/{number}/reply",
            {"body": "Here is a screenshot.\nSecond line.", "attachment_ids": file_id},
        )
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/tickets/{number}?done=replied"
        page = await ben.get(sent.headers["location"])
        assert "Your reply was sent." in page.text
        assert "Here is a screenshot.\nSecond line." in page.text
        assert f'href="/api/v1/files/{file_id}/content"' in page.text
        assert f'src="/api/v1/files/{file_id}/thumbnail"' in page.text
        assert f'alt="Preview of {name.replace("<", "&lt;").replace(">", "&gt;")}"' in page.text
        assert re.search(r"\(\d+ B\)", page.text)
        assert "Forged" not in page.text

        download = await ben.get(f"/api/v1/files/{file_id}/content")
        assert download.status_code == 200 and download.content == png(300)

    articles = await api(world, "erik", "GET", f"/api/v1/tickets/{number}/articles")
    assert [a["body"] for a in articles["items"]] == ["Here is a screenshot.\nSecond line."]
    assert articles["items"][0]["attachment_ids"] == [file_id]


async def test_escalate_needs_a_message_and_is_rate_limited(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "ben") as ben:
        empty = await post(ben, f"/tickets/{number}/escalate?lang=en", {"body": ""})
        assert empty.status_code == 422
        assert 'id="escalate-body-error"' in empty.text and "Please write a message." in empty.text
        assert '<details id="escalate" open>' in empty.text

        done = await post(ben, f"/tickets/{number}/escalate", {"body": "Production is down."})
        assert done.status_code == 303 and done.headers["location"].endswith("?done=escalated")
        page = await ben.get(done.headers["location"])
        assert "The ticket was escalated." in page.text and "Escalated" in page.text
        assert "Production is down." in page.text

        again = await post(ben, f"/tickets/{number}/escalate?lang=de", {"body": "Still down!"})
        assert again.status_code == 429
        assert "vor Kurzem eskaliert" in again.text and "Still down!</textarea>" in again.text
    ticket = await api(world, "ben", "GET", f"/api/v1/tickets/{number}")
    assert ticket["escalated_at"] is not None


async def test_close_and_cancel_with_confirmation(sqlite_world: Portal) -> None:
    world = sqlite_world
    first = (await world.ticket("ben"))["number"]
    second = (await world.ticket("ben", title="Scanner"))["number"]
    async with browser(world, "ben") as ben:
        # Without the CSRF token nothing is closed.
        assert (await ben.post(f"/tickets/{first}/close")).status_code == 403
        # Closing asks first, as cancelling does: on the page, and without script.
        page = await ben.get(f"/tickets/{first}?lang=en")
        assert '<details id="close">' in page.text
        assert 'name="confirm" value="yes"' in page.text.split('id="close-form"', 1)[1]
        ask = await post(ben, f"/tickets/{first}/close?lang=en")
        assert ask.status_code == 200
        assert f"Close ticket {first}?" in ask.text and "Yes, close this ticket" in ask.text
        assert f'href="/tickets/{first}"' in ask.text and "No, keep it open" in ask.text
        still = await api(world, "ben", "GET", f"/api/v1/tickets/{first}")
        assert still["portal_status"] == "in_progress"
        german = await post(ben, f"/tickets/{first}/close?lang=de")
        assert f"Ticket {first} schließen?" in german.text
        r = await post(ben, f"/tickets/{first}/close", {"confirm": "yes"})
        assert r.status_code == 303 and r.headers["location"].endswith("?done=closed")
        closed = await ben.get(r.headers["location"] + "&lang=en")
        assert "The ticket was closed." in closed.text
        assert 'class="light light-closed"' in closed.text
        for gone in ("reply-form", "close-form", "cancel-form", "escalate-form", "details-form"):
            assert f'id="{gone}"' not in closed.text
        assert "Open a follow-up ticket" in closed.text  # continues this one
        again = await post(ben, f"/tickets/{first}/close?lang=en", {"confirm": "yes"})
        assert again.status_code == 409 and "The ticket is closed already." in again.text

        ask = await post(ben, f"/tickets/{second}/cancel?lang=en")
        assert ask.status_code == 200
        assert "Yes, cancel this ticket" in ask.text and f"Cancel ticket {second}?" in ask.text
        still = await api(world, "ben", "GET", f"/api/v1/tickets/{second}")
        assert still["portal_status"] == "in_progress" and not still["cancelled"]
        r = await post(ben, f"/tickets/{second}/cancel", {"confirm": "yes"})
        assert r.status_code == 303 and r.headers["location"].endswith("?done=cancelled")
        page = await ben.get(r.headers["location"] + "&lang=en")
        assert "The ticket was cancelled." in page.text and "cancelled" in page.text
    cancelled = await api(world, "ben", "GET", f"/api/v1/tickets/{second}")
    assert cancelled["cancelled"] and cancelled["portal_status"] == "closed"


async def test_change_category_and_priority(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben", priority="P3"))["number"]
    async with browser(world, "ben") as ben:
        r = await post(
            ben, f"/tickets/{number}/details", {"category": "question", "priority": "P1"}
        )
        assert r.status_code == 303 and r.headers["location"].endswith("?done=saved")
        page = await ben.get(r.headers["location"] + "&lang=en")
        assert "Your changes were saved." in page.text
        assert '<option value="question" selected>Question</option>' in page.text
        assert '<option value="P1" selected>P1</option>' in page.text

        wrong = await post(ben, f"/tickets/{number}/details?lang=en", {"category": "gossip"})
        assert wrong.status_code == 422
        assert 'id="ticket-category-error"' in wrong.text
        assert '<a href="#ticket-category">' in wrong.text
    ticket = await api(world, "ben", "GET", f"/api/v1/tickets/{number}")
    assert ticket["category"] == "question" and ticket["priority"] == "P1"


async def test_follow_toggle(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "anna") as anna:
        before = await anna.get(f"/tickets/{number}?lang=en")
        assert "Follow this ticket" in before.text and 'name="follow" value="yes"' in before.text
        r = await post(anna, f"/tickets/{number}/follow", {"follow": "yes"})
        assert r.status_code == 303 and r.headers["location"].endswith("?done=followed")
        assert (await api(world, "anna", "GET", f"/api/v1/tickets/{number}/follow"))["following"]
        page = await anna.get(f"/tickets/{number}")
        assert "Stop following" in page.text and 'name="follow" value="no"' in page.text
        r = await post(anna, f"/tickets/{number}/follow", {"follow": "no"})
        assert r.headers["location"].endswith("?done=unfollowed")
    following = await api(world, "anna", "GET", f"/api/v1/tickets/{number}/follow")
    assert not following["following"]


async def test_another_organization_gets_404_everywhere(sqlite_world: Portal) -> None:
    world = sqlite_world
    acme = (await world.ticket("ben"))["number"]
    globex = (await world.ticket("carla"))["number"]
    await world.settle()
    async with browser(world, "carla") as carla:
        page = await carla.get(f"/tickets/{acme}?lang=de")
        assert page.status_code == 404
        assert "Dieses Ticket gibt es nicht" in page.text and "Printer jams" not in page.text
        for route in POST_ROUTES:
            r = await post(
                carla,
                f"/tickets/{acme}/{route}",
                {"body": "x", "name": "x", "confirm": "yes", "follow": "yes"},
            )
            assert r.status_code == 404, route
            assert "Printer jams" not in r.text
        assert (await carla.get(f"/tickets/{globex}")).status_code == 200
    # Globex keeps tickets to their people: a colleague does not see carla's either.
    async with browser(world, "dan") as dan:
        assert (await dan.get(f"/tickets/{globex}")).status_code == 404
        assert (await post(dan, f"/tickets/{globex}/folders", {"name": "x"})).status_code == 404
    ticket = await api(world, "ben", "GET", f"/api/v1/tickets/{acme}")
    assert ticket["portal_status"] == "in_progress" and ticket["escalated_at"] is None
    folders = await api(world, "ben", "GET", f"/api/v1/tickets/{acme}/folders")
    assert folders["folders"] == []


async def test_agent_sees_internal_notes_and_works_the_ticket(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "erik") as erik:
        page = await erik.get(f"/tickets/{number}?lang=en")
        assert 'id="reply-internal"' in page.text and 'id="status-form"' in page.text
        assert "Assign to me" in page.text and 'id="escalate-form"' not in page.text
        r = await post(
            erik,
            f"/tickets/{number}/reply",
            {"body": "Customer is a VIP, be quick.", "internal": "1"},
        )
        assert r.headers["location"].endswith("?done=noted")
        r = await post(erik, f"/tickets/{number}/reply", {"body": "Please restart it."})
        assert r.headers["location"].endswith("?done=replied")
        r = await post(erik, f"/tickets/{number}/desk", {"action": "assign"})
        assert r.status_code == 303
        r = await post(
            erik, f"/tickets/{number}/desk", {"action": "status", "status": "waiting_customer"}
        )
        assert r.status_code == 303
        page = await erik.get(f"/tickets/{number}?lang=en")
        assert "Customer is a VIP, be quick." in page.text and "internal note" in page.text
        assert '<option value="waiting_customer" selected>' in page.text
        assert 'id="unassign"' in page.text
    ticket = await api(world, "ben", "GET", f"/api/v1/tickets/{number}")
    assert ticket["assignee"]["id"] == world.ids["erik"]
    assert ticket["portal_status"] == "answer_expected"

    async with browser(world, "ben") as ben:
        page = await ben.get(f"/tickets/{number}?lang=en")
        assert "Please restart it." in page.text
        assert "VIP" not in page.text and "internal note" not in page.text
        assert 'class="light light-answer_expected"' in page.text
        assert 'id="reply-internal"' not in page.text
        # A customer's page cannot make a note internal or change the status.
        r = await post(ben, f"/tickets/{number}/reply", {"body": "Restarted.", "internal": "1"})
        assert r.status_code == 303
        r = await post(
            ben, f"/tickets/{number}/desk?lang=en", {"action": "status", "status": "closed"}
        )
        assert r.status_code == 403 and "Only the service desk changes this." in r.text
    articles = await api(world, "erik", "GET", f"/api/v1/tickets/{number}/articles")
    assert [a["internal"] for a in articles["items"]] == [True, False, False]


async def test_case_files_folders_and_upload(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    await world.settle()  # the files service learns of the ticket by its event
    async with browser(world, "ben") as ben:
        page = await ben.get(f"/tickets/{number}?lang=en")
        assert "No folders yet." in page.text and 'id="upload-form"' not in page.text

        assert (await ben.post(f"/tickets/{number}/folders", data={"name": "x"})).status_code == 403
        empty = await post(ben, f"/tickets/{number}/folders?lang=en", {"name": " "})
        assert empty.status_code == 422 and "Please give the folder a name." in empty.text
        r = await post(ben, f"/tickets/{number}/folders", {"name": "Logs <2024>"})
        assert r.status_code == 303
        assert r.headers["location"] == f"/tickets/{number}?done=folder#case-files"
        taken = await post(ben, f"/tickets/{number}/folders?lang=en", {"name": "Logs <2024>"})
        assert taken.status_code == 409
        assert "A folder with this name exists there already." in taken.text
        assert 'value="Logs &lt;2024&gt;"' in taken.text

        tree = await api(world, "ben", "GET", f"/api/v1/tickets/{number}/folders")
        logs = tree["folders"][0]["id"]
        r = await post(ben, f"/tickets/{number}/folders", {"name": "Day 1", "parent_id": logs})
        assert r.status_code == 303

        r = await ben.post(
            f"/tickets/{number}/files",
            data={"csrf_token": csrf(ben), "folder_id": logs},
            files={"file": ("boot.log", b"line 1\nline 2\n", "text/plain")},
        )
        assert r.status_code == 303, r.text
        assert r.headers["location"] == f"/tickets/{number}?done=uploaded#case-files"
        page = await ben.get(r.headers["location"].split("#")[0] + "&lang=en")
        assert "The file was uploaded." in page.text
        assert "Logs &lt;2024&gt;" in page.text and "Day 1" in page.text
        assert "boot.log" in page.text and "by ben" in page.text and "(14 B)" in page.text
        assert 'id="upload-form"' in page.text and "— Day 1" in page.text

        missing = await ben.post(
            f"/tickets/{number}/files?lang=en",
            data={"csrf_token": csrf(ben), "folder_id": logs},
            files={"file": ("", b"", "application/octet-stream")},
        )
        assert missing.status_code == 422 and "Please choose a file." in missing.text
        wrong = await ben.post(
            f"/tickets/{number}/files?lang=de",
            data={"csrf_token": csrf(ben), "folder_id": logs},
            files={"file": ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64), "text/plain")},
        )
        assert wrong.status_code == 415 and "Diese Dateiart ist nicht erlaubt." in wrong.text

    tree = await api(world, "erik", "GET", f"/api/v1/tickets/{number}/folders")
    by_name = {f["name"]: f for f in tree["folders"]}
    assert [f["name"] for f in by_name["Logs <2024>"]["files"]] == ["boot.log"]
    file_id = by_name["Logs <2024>"]["files"][0]["id"]
    async with browser(world, "anna") as anna:
        page = await anna.get(f"/tickets/{number}")
        assert f'href="/api/v1/files/{file_id}/content"' in page.text
        download = await anna.get(f"/api/v1/files/{file_id}/content")
        assert download.status_code == 200 and download.content == b"line 1\nline 2\n"


async def test_a_resolved_ticket_reopens_with_a_reply(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "erik") as erik:
        r = await post(erik, f"/tickets/{number}/desk", {"action": "status", "status": "resolved"})
        assert r.status_code == 303
    resolved = await api(world, "ben", "GET", f"/api/v1/tickets/{number}")
    assert resolved["portal_status"] == "closed" and resolved["reopen_until"] is not None
    async with browser(world, "ben") as ben:
        page = await ben.get(f"/tickets/{number}?lang=en")
        assert "Reply to reopen" in page.text and 'id="reply-form"' in page.text
        assert 'id="close-form"' in page.text
        for gone in ("cancel-form", "escalate-form", "details-form"):
            assert f'id="{gone}"' not in page.text
        r = await post(ben, f"/tickets/{number}/reply", {"body": "It broke again."})
        assert r.status_code == 303
    reopened = await api(world, "ben", "GET", f"/api/v1/tickets/{number}")
    assert reopened["portal_status"] == "in_progress" and reopened["reopen_until"] is None

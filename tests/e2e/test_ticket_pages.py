"""The ticket lists and the new-ticket form in the browser: rows, lights, search, filters,
sorting, counters, saved views and the export in both languages, never showing another
organization's tickets; opening a ticket from a template with its conversation guide,
attachments, deep-link prefill, and refused forms that keep what was typed."""

from __future__ import annotations

import html
import io
import re
from typing import Any

from faq_harness import Faq
from files_harness import png
from openpyxl import load_workbook
from portal_harness import Portal
from web_kit import browser, csrf


def numbers_in(page: str) -> list[str]:
    """The ticket numbers of the list's rows, in order."""
    return re.findall(r'<tr id="ticket-([A-Z]\d+)">', page)


async def api(world: Portal, username: str, method: str, path: str, **kwargs: Any) -> Any:
    r = await world.client.request(method, path, headers=await world.as_(username), **kwargs)
    assert r.is_success, r.text
    return r.json() if r.content else None


async def test_lists_rows_lights_search_filters_sort_and_isolation(sqlite_world: Portal) -> None:
    world = sqlite_world
    printer = await world.ticket(
        "ben", title="Printer jams", description="Paper stuck in tray 2\nSecond line", priority="P1"
    )
    scanner = await world.ticket("anna", title="Scanner <b>broken</b>", priority="P2")
    conveyor = await world.ticket("ben", title="Conveyor stops", priority="P3")
    globex = await world.ticket("carla", title="Globex printer offline")
    await api(
        world,
        "erik",
        "PATCH",
        f"/api/v1/tickets/{conveyor['number']}",
        json={"status": "waiting_customer"},
    )
    await api(world, "ben", "POST", f"/api/v1/tickets/{printer['number']}/close")
    await world.settle()

    anonymous = await world.client.get("/tickets")
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/tickets"

    async with browser(world, "ben") as ben:
        # My tickets (the default), newest first, with lights, priority and age.
        mine = await ben.get("/tickets?lang=en")
        assert mine.status_code == 200
        assert numbers_in(mine.text) == [conveyor["number"], printer["number"]]
        assert 'aria-current="page">My tickets</a>' in mine.text
        assert f'href="/tickets/{printer["number"]}"' in mine.text
        assert "Paper stuck in tray 2" in mine.text and "Second line" not in mine.text
        assert 'class="light light-closed"' in mine.text and ">closed</span>" in mine.text
        assert "light-answer_expected" in mine.text and "answer expected" in mine.text
        assert 'class="priority priority-p1">P1' in mine.text
        assert re.search(
            r'<time datetime="[^"]+" '
            r'title="\d{4}-\d\d-\d\d \d\d:\d\d CES?T \(Europe/Berlin\)">just now',
            mine.text,
        )
        assert "Use * as a wildcard" in mine.text  # the search hint
        assert '<script src="/static/ticket-list.js" defer></script>' in mine.text

        # The organization's tickets, titles escaped; German words.
        org = await ben.get("/tickets?scope=organization&lang=de")
        assert set(numbers_in(org.text)) == {
            printer["number"],
            scanner["number"],
            conveyor["number"],
        }
        assert "Scanner &lt;b&gt;broken&lt;/b&gt;" in org.text and "<b>broken" not in org.text
        assert "Tickets meiner Organisation" in org.text and "in Bearbeitung" in org.text
        assert "Antwort erwartet" in org.text and "Übersicht" in org.text
        # Counters for the scope, each a link filtering the list.
        assert re.search(
            r'href="/tickets\?scope=organization&amp;state=all&amp;priority=P1'
            r'&amp;sort=-created" id="count-p1">.*?<span class="count">1</span>',
            org.text,
        )
        assert re.search(r'id="count-in_progress">.*?<span class="count">1</span>', org.text)

        # Search by number, and with a wildcard.
        by_number = await ben.get(
            "/tickets", params={"scope": "organization", "q": scanner["number"]}
        )
        assert numbers_in(by_number.text) == [scanner["number"]]
        wildcard = await ben.get("/tickets", params={"scope": "organization", "q": "Scann*"})
        assert numbers_in(wildcard.text) == [scanner["number"]]
        assert 'value="Scann*"' in wildcard.text
        nothing = await ben.get("/tickets?scope=organization&q=nonexistentword&lang=en")
        assert numbers_in(nothing.text) == []
        assert "No ticket matches this search or these filters." in nothing.text
        assert 'href="/tickets/new"' in nothing.text

        # State and filters.
        closed = await ben.get("/tickets?scope=organization&state=closed")
        assert numbers_in(closed.text) == [printer["number"]]
        assert 'id="state-closed" href="/tickets?scope=organization&amp;state=closed' in closed.text
        opened = await ben.get("/tickets?scope=organization&state=open")
        assert printer["number"] not in numbers_in(opened.text)
        assert len(numbers_in(opened.text)) == 2
        p2 = await ben.get("/tickets?scope=organization&priority=P2")
        assert numbers_in(p2.text) == [scanner["number"]]
        answer = await ben.get("/tickets?scope=organization&status=answer_expected")
        assert numbers_in(answer.text) == [conveyor["number"]]
        assert '<option value="answer_expected" selected>' in answer.text
        incidents = await ben.get("/tickets?scope=organization&category=question")
        assert numbers_in(incidents.text) == []

        # Sorting: the active header says how, its link turns the order round.
        by_number_asc = await ben.get("/tickets?scope=organization&sort=number&lang=en")
        assert numbers_in(by_number_asc.text) == sorted(numbers_in(by_number_asc.text))
        assert re.search(
            r'<th scope="col" id="col-number" aria-sort="ascending">'
            r'<a href="/tickets\?scope=organization&amp;state=all&amp;sort=-number"',
            by_number_asc.text,
        )
        assert 'id="col-created" aria-sort' not in by_number_asc.text
        by_priority = await ben.get("/tickets?scope=organization&sort=priority")
        assert numbers_in(by_priority.text) == [
            printer["number"],
            scanner["number"],
            conveyor["number"],
        ]

        # Pagination by cursor: "More" carries the query and the next cursor.
        for i in range(25):
            await world.ticket("ben", title=f"Filler {i}")
        first = await ben.get("/tickets?lang=en")
        assert len(numbers_in(first.text)) == 25
        more = re.search(r'id="more-link" href="([^"]+)"', first.text)
        assert more and "cursor=" in more.group(1) and "scope=mine" in more.group(1)
        second = await ben.get(html.unescape(more.group(1)))
        assert set(numbers_in(second.text)).isdisjoint(numbers_in(first.text))
        assert len(numbers_in(second.text)) == 2
        # A cursor the API refuses: said on the page, no error page.
        broken = await ben.get("/tickets?cursor=not-a-cursor&lang=en")
        assert broken.status_code == 200 and 'id="list-error"' in broken.text
        assert 'id="empty-list"' not in broken.text

    async with browser(world, "carla") as carla:
        # Globex sees only its own: not in the list, the counters or a search.
        for scope in ("mine", "organization"):
            page = await carla.get(f"/tickets?scope={scope}")
            assert numbers_in(page.text) == [globex["number"]]
            assert "1 ticket in total" in page.text or "1 Ticket insgesamt" in page.text
        for q in (printer["number"], "Printer", "Scann*"):
            found = await carla.get("/tickets", params={"scope": "organization", "q": q})
            assert numbers_in(found.text) == ([globex["number"]] if q == "Printer" else [])
            assert "Scanner" not in found.text and "Paper stuck" not in found.text

    async with browser(world, "erik") as erik:
        # The service desk sees every organization's tickets.
        everything = await erik.get("/tickets?lang=en")
        assert (
            "All tickets" in everything.text
            and 'aria-current="page">All tickets' in everything.text
        )
        assert "29 tickets in total" in everything.text
        printers = await erik.get("/tickets?q=printer")
        assert set(numbers_in(printers.text)) == {globex["number"], printer["number"]}


async def test_saved_views_and_export_of_what_is_shown(sqlite_world: Portal) -> None:
    world = sqlite_world
    urgent = await world.ticket("ben", title="Press is down", priority="P1")
    await world.ticket("ben", title="Question about invoices", priority="P3")
    await world.ticket("carla", title="Globex urgent", priority="P1")

    async with browser(world, "ben") as ben:
        query = "scope=mine&state=open&priority=P1&q=Press&sort=-number"
        page = await ben.get(f"/tickets?{query}&lang=en")
        assert numbers_in(page.text) == [urgent["number"]]
        assert "No saved views yet." in page.text
        # The export link asks the API for exactly this list.
        export = re.search(r'id="export-link" href="([^"]+)"', page.text)
        assert export
        url = html.unescape(export.group(1))
        assert url == f"/api/v1/tickets/export.xlsx?{query}&lang=en"
        assert 'data-preparing="Preparing the Excel file…"' in page.text
        workbook = await ben.get(url)
        assert workbook.status_code == 200
        sheet = load_workbook(io.BytesIO(workbook.content), read_only=True).active
        cells = [row[0] for row in sheet.iter_rows(values_only=True)]
        assert cells == ["Number", urgent["number"]]

        # Save this view: the query comes along as hidden fields.
        hidden = dict(
            re.findall(
                r'<input type="hidden" name="(\w+)" value="([^"]*)">',
                page.text.split('id="save-view-form"')[1],
            )
        )
        assert hidden.pop("csrf_token") == csrf(ben)
        assert hidden["priority"] == "P1" and hidden["q"] == "Press"
        form = {**hidden, "csrf_token": csrf(ben), "name": "Urgent <presses>"}
        saved = await ben.post("/tickets/views", data=form)
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/tickets?{query}".replace("state=open", "state=open")
        listed = await ben.get("/tickets?lang=en")
        assert "Urgent &lt;presses&gt;" in listed.text
        view_link = re.search(r'<a href="([^"]+)">Urgent &lt;presses&gt;</a>', listed.text)
        assert view_link and html.unescape(view_link.group(1)) == f"/tickets?{query}"
        shown = await ben.get(html.unescape(view_link.group(1)))
        assert numbers_in(shown.text) == [urgent["number"]]
        assert (
            '<a href="/tickets?scope=mine' in shown.text
            and 'aria-current="page">Urgent' in shown.text
        )

        # The same name again: refused with the name kept; without a name: refused.
        again = await ben.post("/tickets/views?lang=en", data=form)
        assert again.status_code == 409
        assert "You have a view with this name already." in again.text
        assert (
            'id="view-name-error"' in again.text and 'value="Urgent &lt;presses&gt;"' in again.text
        )
        unnamed = await ben.post("/tickets/views?lang=de", data={**form, "name": " "})
        assert unnamed.status_code == 422 and "Geben Sie der Ansicht einen Namen." in unnamed.text
        # Without the CSRF token nothing is saved.
        forged = await ben.post("/tickets/views", data={**hidden, "name": "Forged"})
        assert forged.status_code == 403
        views = (await ben.get("/api/v1/ticket-views")).json()["items"]
        assert [v["name"] for v in views] == ["Urgent <presses>"]
        view_id = views[0]["id"]

    async with browser(world, "carla") as carla:
        # Someone else's view: not shown, not deletable.
        page = await carla.get("/tickets")
        assert "Urgent" not in page.text
        r = await carla.post(f"/tickets/views/{view_id}/delete", data={"csrf_token": csrf(carla)})
        assert r.status_code == 303
        # Export as Globex: never Acme's tickets.
        workbook = await carla.get("/api/v1/tickets/export.xlsx?scope=organization&lang=en")
        sheet = load_workbook(io.BytesIO(workbook.content), read_only=True).active
        titles = [row[1] for row in sheet.iter_rows(values_only=True)][1:]
        assert titles == ["Globex urgent"]

    async with browser(world, "ben") as ben:
        assert len((await ben.get("/api/v1/ticket-views")).json()["items"]) == 1
        back = "/tickets?scope=organization&state=all&sort=-created"
        no_csrf = await ben.post(f"/tickets/views/{view_id}/delete", data={"back": back})
        assert no_csrf.status_code == 303
        assert len((await ben.get("/api/v1/ticket-views")).json()["items"]) == 1
        deleted = await ben.post(
            f"/tickets/views/{view_id}/delete", data={"csrf_token": csrf(ben), "back": back}
        )
        assert deleted.status_code == 303 and deleted.headers["location"] == back
        assert (await ben.get("/api/v1/ticket-views")).json()["items"] == []
        elsewhere = await ben.post(
            f"/tickets/views/{view_id}/delete",
            data={"csrf_token": csrf(ben), "back": "https://evil.example/"},
        )
        assert elsewhere.headers["location"] == "/tickets"


GUIDE = [
    {
        "id": "machine",
        "label": "Which machine?",
        "label_de": "Welche Maschine?",
        "type": "text",
        "required": True,
        "help": "As on the type plate.",
    },
    {"id": "error", "label": "Error message", "type": "long_text"},
    {
        "id": "impact",
        "label": "Is production stopped?",
        "type": "choice",
        "required": True,
        "choices": ["yes", "partly", "no"],
    },
    {"id": "units", "label": "Units affected", "type": "number"},
    {"id": "since", "label": "Since when?", "type": "date"},
]


async def _catalog(world: Portal) -> str:
    admin = await world.admin()
    r = await world.client.put(
        "/api/v1/ticket-taxonomy/Machines",
        json={"name": "Machines", "subtypes": ["Press", "Conveyor"]},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    r = await world.client.put(
        "/api/v1/ticket-taxonomy/Software",
        json={"name": "Software", "subtypes": ["ERP"]},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    r = await world.client.post(
        "/api/v1/ticket-templates",
        json={
            "group": "incident_report",
            "name": "Machine is down",
            "description": "Something stopped in production.",
            "name_de": "Maschine steht",
            "subject_area": "Machines",
            "guide": GUIDE,
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    r2 = await world.client.post(
        "/api/v1/ticket-templates",
        json={"group": "change_request", "name": "Planned change"},
        headers=admin,
    )
    assert r2.status_code == 201, r2.text
    return r.json()["id"]


async def test_new_ticket_from_a_template_with_guide_attachments_and_errors(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    template = await _catalog(world)
    anonymous = await world.client.get(f"/tickets/new?template={template}")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/login?next=/tickets/new%3Ftemplate%3D{template}"

    async with browser(world, "ben") as ben:
        # Step 1: the templates by group.
        choose = await ben.get("/tickets/new?lang=en")
        assert choose.status_code == 200
        assert "Incident report" in choose.text and "Change request" in choose.text
        assert f'href="/tickets/new?template={template}"' in choose.text
        assert "Something stopped in production." in choose.text
        assert 'href="/tickets/new?template=none"' in choose.text
        assert "upload.js" not in choose.text
        unknown = await ben.get(
            "/tickets/new?template=00000000-0000-0000-0000-000000000000&lang=en"
        )
        assert unknown.status_code == 404
        assert "This form does not exist or is not available to you." in unknown.text
        assert f'href="/tickets/new?template={template}"' in unknown.text

        # Step 2: the form, the guide's questions as fields of their type.
        form = await ben.get(f"/tickets/new?template={template}&lang=en")
        text = form.text
        assert form.status_code == 200
        assert 'id="guide-machine" name="guide_machine" type="text"' in text
        assert 'aria-describedby="guide-machine-help"' in text and "As on the type plate." in text
        assert re.search(r'Which machine\? <span class="required">\(required\)</span>', text)
        assert '<textarea id="guide-error" name="guide_error"' in text
        assert re.search(
            r'<select id="guide-impact" name="guide_impact"[^>]*aria-required="true"', text
        )
        assert '<option value="partly">partly</option>' in text
        assert 'id="guide-units" name="guide_units" type="number"' in text
        assert 'id="guide-since" name="guide_since" type="date"' in text
        # Preset from the template: category and subject area; subtypes grouped by area.
        assert '<option value="incident" selected>Incident</option>' in text
        assert '<option value="Machines" selected>Machines</option>' in text
        assert '<optgroup label="Machines" data-area="Machines">' in text
        # Acme has a priority contract: the choice, with the reaction times of its terms
        # (the standard ones: P1 4 business hours, P2 one business day of 9 hours).
        assert 'id="priority-p1" name="priority" value="P1"' in text
        assert "first reaction within 4 business hours" in text
        assert "first reaction within 9 business hours" in text
        assert 'value="P4" checked' in text
        # The contact picker: me by default, and colleagues of my organization only.
        assert '<option value="">Me (ben)</option>' in text
        assert f'<option value="{world.ids["anna"]}">Anna (anna)</option>' in text
        assert world.ids["carla"] not in text
        # Attachments, FAQ suggestions and the scripts.
        assert 'data-upload data-name="attachment_ids" data-max="4"' in text
        assert 'id="faq-suggestions" class="suggestions" aria-live="polite"' in text
        assert "These articles might help" in text
        assert '<script src="/static/upload.js" defer></script>' in text
        assert '<script src="/static/ticket-new.js" defer></script>' in text
        assert "onclick" not in text and "style=" not in text
        german = await ben.get(f"/tickets/new?template={template}&lang=de")
        assert "Welche Maschine?" in german.text and "Pflichtfeld" in german.text
        assert "<strong>Maschine steht</strong>" in german.text
        german_choice = await ben.get("/tickets/new?lang=de")
        assert "Maschine steht</a>" in german_choice.text  # the German name
        assert "Something stopped in production." in german_choice.text  # no German text
        assert "Planned change</a>" in german_choice.text  # no German name
        assert "erste Reaktion innerhalb von 4 Geschäftsstunden" in german.text

        # An attachment, uploaded by the page's script with the session cookie and CSRF.
        refused = await ben.post("/api/v1/files", files={"file": ("a.png", png(), "image/png")})
        assert refused.status_code == 403
        upload = await ben.post(
            "/api/v1/files",
            files={"file": ("screen.png", png(200), "image/png")},
            headers={"X-CSRF-Token": csrf(ben)},
        )
        assert upload.status_code == 201, upload.text
        file_id = upload.json()["id"]
        await world.settle()  # the tickets service learns of the file by its event

        press = await world.client.post(
            "/api/v1/assets",
            json={
                "organization_id": world.orgs["acme"],
                "name": "Press 4",
                "serial_number": "A-17",
            },
            headers=await world.admin(),
        )
        assert press.status_code == 201, press.text
        await world.settle()
        typed = {
            "csrf_token": csrf(ben),
            "template_id": template,
            "title": "Press 4 <stops>",
            "description": "It stopped at 9:00.\nRestart did not help.",
            "category": "incident",
            "subject_area": "Machines",
            "subtype": "Press",
            "product": "Hydraulic press",
            "asset_id": "A-17",
            "priority": "P2",
            "contact_id": world.ids["anna"],
            "guide_machine": "",
            "guide_error": "E42 <overpressure>",
            "guide_impact": "partly",
            "guide_units": "3",
            "guide_since": "2024-05-02",
            "attachment_ids": file_id,
        }
        # A required answer missing: the field's error, everything typed kept.
        missing = await ben.post("/tickets/new?lang=en", data=typed)
        assert missing.status_code == 422
        page = missing.text
        assert '<p class="field-error" id="guide-machine-error">This needs an answer.</p>' in page
        assert 'aria-describedby="guide-machine-help guide-machine-error"' in page
        assert '<a href="#guide-machine">This needs an answer.</a>' in page
        assert 'value="Press 4 &lt;stops&gt;"' in page
        assert ">It stopped at 9:00.\nRestart did not help.</textarea>" in page
        assert ">E42 &lt;overpressure&gt;</textarea>" in page
        assert '<option value="partly" selected>' in page
        assert 'value="3"' in page and 'value="2024-05-02"' in page
        assert '<option value="Press" selected>' in page
        assert 'value="Hydraulic press"' in page and 'value="A-17"' in page
        assert 'value="P2" checked' in page
        assert f'<option value="{world.ids["anna"]}" selected>' in page
        assert f'name="attachment_ids" value="{file_id}" checked' in page
        assert "screen.png" in page and 'data-max="3"' in page
        german_missing = await ben.post("/tickets/new?lang=de", data=typed)
        assert "Das braucht eine Antwort." in german_missing.text

        # Without the CSRF token: refused, the form kept, nothing created.
        forged = await ben.post(
            "/tickets/new", data={**typed, "csrf_token": "", "guide_machine": "P4"}
        )
        assert forged.status_code == 403 and 'value="Press 4 &lt;stops&gt;"' in forged.text
        assert (await ben.get("/api/v1/tickets?scope=mine")).json()["items"] == []

        # Complete: created and on to the ticket's page.
        created = await ben.post("/tickets/new", data={**typed, "guide_machine": "Press 4"})
        assert created.status_code == 303, created.text
        location = created.headers["location"]
        number = re.fullmatch(r"/tickets/([A-Z]\d+)\?created=1", location)
        assert number
        ticket = await api(world, "ben", "GET", f"/api/v1/tickets/{number.group(1)}")
        assert ticket["title"] == "Press 4 <stops>" and ticket["priority"] == "P2"
        assert ticket["template_id"] == template and ticket["subtype"] == "Press"
        assert ticket["contact"]["id"] == world.ids["anna"]
        assert (
            ticket["asset"]["serial_number"] == "A-17" and ticket["asset_id"] == press.json()["id"]
        )
        answers = {a["id"]: a["value"] for a in ticket["guide_answers"]}
        assert answers == {
            "machine": "Press 4",
            "error": "E42 <overpressure>",
            "impact": "partly",
            "units": 3,
            "since": "2024-05-02",
        }
        articles = await api(world, "ben", "GET", f"/api/v1/tickets/{number.group(1)}/articles")
        assert [a["attachment_ids"] for a in articles["items"]] == [[file_id]]

        # A subtype of another area: that field's error.
        wrong = await ben.post(
            "/tickets/new?lang=en",
            data={**typed, "guide_machine": "x", "subject_area": "Software", "subtype": "Press"},
        )
        assert wrong.status_code == 422
        assert 'id="subtype-error">This subtype does not belong' in wrong.text
        assert 'aria-describedby="subtype-error" aria-invalid="true"' in wrong.text

    async with browser(world, "carla") as carla:
        # Globex has no priority contract: no choice, P4 explained.
        form = await carla.get(f"/tickets/new?template={template}&lang=en")
        assert "every ticket is handled as P4" in form.text
        assert 'id="priority-p1"' not in form.text
        # Dan is Carla's colleague, Ben and Anna are not.
        assert "(dan)" in form.text and "anna" not in form.text
        # A ticket without a template, as Globex: P4 whatever is posted.
        plain = await carla.get("/tickets/new?template=none&lang=en")
        assert 'name="template_id" value=""' in plain.text and "guide-" not in plain.text
        made = await carla.post(
            "/tickets/new",
            data={
                "csrf_token": csrf(carla),
                "template_id": "",
                "title": "Login fails",
                "category": "question",
                "priority": "P1",
            },
        )
        assert made.status_code == 303
        number = made.headers["location"].split("?")[0].rsplit("/", 1)[1]
        ticket = await api(world, "carla", "GET", f"/api/v1/tickets/{number}")
        assert ticket["priority"] == "P4" and ticket["category"] == "question"
        # An empty title: its error, in German.
        empty = await carla.post(
            "/tickets/new?lang=de",
            data={"csrf_token": csrf(carla), "template_id": "", "title": " ", "description": "x"},
        )
        assert empty.status_code == 422
        assert 'id="title-error">Das braucht eine Antwort.' in empty.text
        assert 'aria-describedby="title-hint title-error" aria-invalid="true"' in empty.text


async def test_new_ticket_prefilled_by_url_and_suggestions(sqlite_world: Portal) -> None:
    world = sqlite_world
    template = await _catalog(world)
    faq = Faq(world)
    category = await faq.category("Machines")
    article = await faq.article("Conveyor belt stops", category, visibility="customers")
    await faq.article("Conveyor internal checklist", category, visibility="internal")
    async with browser(world, "ben") as ben:
        params = {"title": 'Conveyor "B" <stops>', "product": "Belt 9000", "asset": "INST-5"}
        # Without a template the choice comes first, the prefill carried along.
        choose = await ben.get("/tickets/new", params=params)
        link = re.search(rf'href="(/tickets/new\?template={template}[^"]*)"', choose.text)
        assert link
        form = await ben.get(html.unescape(link.group(1)))
        for value in ("Conveyor &#34;B&#34; &lt;stops&gt;", "Belt 9000", "INST-5"):
            assert f'value="{value}"' in form.text
        assert "<stops>" not in form.text
        direct = await ben.get("/tickets/new", params={"template": template, **params})
        assert 'id="title" name="title"' in direct.text
        assert 'value="Conveyor &#34;B&#34; &lt;stops&gt;"' in direct.text
        assert 'id="product" name="product" type="text" maxlength="200" value="Belt 9000"' in (
            direct.text
        )
        assert 'value="INST-5"' in direct.text

        # What the page's script asks while the title is typed, with the session cookie.
        suggested = await ben.get("/api/v1/faq/suggest", params={"q": "conveyor sto"})
        assert suggested.status_code == 200
        assert [a["id"] for a in suggested.json()["items"]] == [article]


async def test_the_new_ticket_form_names_every_missing_field_at_once(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    template = await _catalog(world)
    async with browser(world, "ben") as ben:
        blank = {
            "csrf_token": csrf(ben),
            "template_id": template,
            "title": "",
            "category": "incident",
            "priority": "P4",
            "guide_machine": "",
            "guide_impact": "",
        }
        for lang, needed in (("en", "This needs an answer."), ("de", "Das braucht eine Antwort.")):
            refused = await ben.post(f"/tickets/new?lang={lang}", data=blank)
            assert refused.status_code == 422
            page = refused.text
            # The title and both required questions of the guide, in one answer.
            for field in ("title", "guide-machine", "guide-impact"):
                assert f'<p class="field-error" id="{field}-error">{needed}</p>' in page, field
                assert f'<a href="#{field}">{needed}</a>' in page, field
            assert "String should" not in page and "Field required" not in page
        assert (await ben.get("/api/v1/tickets?scope=mine")).json()["items"] == []


async def test_subject_areas_and_subtypes_read_in_the_pages_language(sqlite_world: Portal) -> None:
    world = sqlite_world
    admin = await world.admin()
    r = await world.client.put(
        "/api/v1/ticket-taxonomy/Machines",
        json={
            "name": "Machines",
            "name_de": "Maschinen",
            "subtypes": ["Press", "Conveyor"],
            "subtypes_de": {"Press": "Presse"},
        },
        headers=admin,
    )
    assert r.status_code == 200, r.text
    assert r.json()["name_de"] == "Maschinen" and r.json()["subtypes_de"] == {"Press": "Presse"}
    unknown = await world.client.put(
        "/api/v1/ticket-taxonomy/Machines",
        json={"name": "Machines", "subtypes": ["Press"], "subtypes_de": {"Lathe": "Drehbank"}},
        headers=admin,
    )
    assert unknown.status_code == 422
    # A save without the German wording (the admin page's form) keeps it.
    kept = await world.client.put(
        "/api/v1/ticket-taxonomy/Machines",
        json={"name": "Machines", "subtypes": ["Press", "Conveyor"]},
        headers=admin,
    )
    assert kept.json()["name_de"] == "Maschinen" and kept.json()["subtypes_de"] == {
        "Press": "Presse"
    }
    async with browser(world, "ben") as ben:
        german = (await ben.get("/tickets/new?template=none&lang=de")).text
        # The stored value stays the English key; the reader sees the German label.
        assert '<option value="Machines">Maschinen</option>' in german
        assert '<optgroup label="Maschinen" data-area="Machines">' in german
        assert '<option value="Press">Presse</option>' in german
        assert '<option value="Conveyor">Conveyor</option>' in german  # no German label
        english = (await ben.get("/tickets/new?template=none&lang=en")).text
        assert '<option value="Machines">Machines</option>' in english
        assert '<option value="Press">Press</option>' in english

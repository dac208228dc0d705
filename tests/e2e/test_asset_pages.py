"""The installed base in the browser: a customer's installations (search, status filter,
another organization's a 404), an installation's page with its tickets and the link
that opens a ticket for it, the installations the new-ticket form offers while typing,
the service levels it shows, and the administrators' form and CSV import with its
report in German and English."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

from portal_harness import Portal
from web_kit import browser, csrf


async def api(world: Portal, who: str, method: str, path: str, **kwargs: Any) -> Any:
    headers = await (world.admin() if who == "admin" else world.as_(who))
    r = await world.client.request(method, path, headers=headers, **kwargs)
    assert r.status_code < 300, r.text
    return r.json() if r.content else None


async def asset(world: Portal, org: str, name: str, serial: str, **fields: Any) -> str:
    body = {"organization_id": world.orgs[org], "name": name, "serial_number": serial, **fields}
    return str((await api(world, "admin", "POST", "/api/v1/assets", json=body))["id"])


async def installed_base(world: Portal) -> dict[str, str]:
    ids = {
        "press": await asset(
            world, "acme", "Press 4", "A-17", product="Hydraulic press", location="Hall 2"
        ),
        "robot": await asset(
            world,
            "acme",
            "Welding robot",
            "A-18",
            status="retired",
            attributes={"firmware": "3.1"},
        ),
        "lathe": await asset(world, "globex", "Globex lathe", "G-1"),
    }
    await world.settle()
    return ids


async def test_a_customer_sees_and_searches_their_installations(world: Portal) -> None:
    ids = await installed_base(world)
    async with browser(world) as nobody:
        away = await nobody.get("/assets")
        assert away.status_code == 303 and away.headers["location"] == "/login?next=/assets"
    async with browser(world, "ben") as ben:
        page = await ben.get("/assets?lang=en")
        assert page.status_code == 200
        assert '<a href="/assets">Installations</a>' in page.text
        assert f'href="/assets/{ids["press"]}">Press 4</a>' in page.text
        assert f'href="/assets/{ids["robot"]}">Welding robot</a>' in page.text
        assert "Globex lathe" not in page.text and ids["lathe"] not in page.text
        # No administration for customers, and no organization filter.
        assert 'id="new-asset"' not in page.text and 'id="organization_id"' not in page.text

        found = await ben.get("/assets", params={"q": "hydraul", "lang": "en"})
        assert "Press 4" in found.text and "Welding robot" not in found.text
        retired = await ben.get("/assets", params={"status": "retired", "lang": "en"})
        assert "Welding robot" in retired.text and "Press 4" not in retired.text
        assert '<option value="retired" selected>retired</option>' in retired.text
        none = await ben.get("/assets", params={"q": "nothing like it", "lang": "en"})
        assert 'id="no-assets"' in none.text and "No installations found." in none.text
        # Strange input is a list, never an error.
        odd = await ben.get("/assets", params={"status": "<x>", "cursor": "%%%", "q": "x" * 900})
        assert odd.status_code == 200

        german = await ben.get("/assets?lang=de")
        assert '<a href="/assets">Anlagen</a>' in german.text
        assert "<h1>Anlagen</h1>" in german.text and "Seriennummer" in german.text

        # An installation: its facts, free attributes included.
        robot = await ben.get(f"/assets/{ids['robot']}?lang=en")
        assert robot.status_code == 200
        assert "<dt>firmware</dt><dd>3.1</dd>" in robot.text
        assert '<dd id="asset-status">retired</dd>' in robot.text
        assert "No contract (standard terms)" in robot.text

    async with browser(world, "carla") as carla:
        # Another organization's installation does not exist for her: the 404 page.
        other = await carla.get(f"/assets/{ids['press']}?lang=en")
        assert other.status_code == 404 and "Press 4" not in other.text
        assert "This page does not exist, or you cannot open it." in other.text
        assert (await carla.get("/assets/not-an-id")).status_code == 404
        assert (await carla.get(f"/assets/{ids['press']}/edit")).status_code == 404
        listed = await carla.get("/assets")
        assert "Globex lathe" in listed.text and "Press 4" not in listed.text

    async with browser(world, "erik") as erik:
        # The service desk sees every organization's, and can narrow to one.
        everything = await erik.get("/assets?lang=en")
        assert "Press 4" in everything.text and "Globex lathe" in everything.text
        assert 'id="organization_id"' in everything.text
        globex = await erik.get("/assets", params={"organization_id": world.orgs["globex"]})
        assert "Globex lathe" in globex.text and "Press 4" not in globex.text


async def test_an_installation_lists_its_tickets_and_opens_one(world: Portal) -> None:
    ids = await installed_base(world)
    first = await world.ticket("ben", title="Press 4 leaks oil", asset_id="A-17")
    second = await world.ticket("ben", title="Press 4 is loud", asset_id=ids["press"])
    await api(world, "ben", "POST", f"/api/v1/tickets/{first['number']}/close")
    await world.ticket("ben", title="Unrelated printer")
    await world.settle()
    async with browser(world, "ben") as ben:
        page = await ben.get(f"/assets/{ids['press']}?lang=en")
        assert page.status_code == 200
        text = page.text
        assert '<dd id="asset-serial">A-17</dd>' in text and "Hall 2" in text
        for ticket in (first, second):
            assert f'<a href="/tickets/{ticket["number"]}">{ticket["number"]}</a>' in text
        assert "Press 4 leaks oil" in text and "Press 4 is loud" in text
        assert "Unrelated printer" not in text
        assert 'class="light light-closed"' in text  # the closed one, with its status
        link = re.search(r'<a class="button" id="open-ticket" href="([^"]+)"', text)
        assert link and html.unescape(link.group(1)) == "/tickets/new?asset=A-17"
        assert 'id="edit-asset"' not in text  # customers do not edit

        # The link pre-fills the new-ticket form and names the installation.
        form = await ben.get(html.unescape(link.group(1)) + "&template=none&lang=en")
        assert form.status_code == 200
        assert 'name="asset_id" type="text" maxlength="100" value="A-17"' in form.text
        chosen = re.search(
            r'<p class="hint chosen-asset" id="asset-chosen"[^>]*>(.*?)</p>', form.text
        )
        assert chosen and "Press 4" in chosen.group(1) and "Hydraulic press" in chosen.group(1)
        assert '<option value="A-17" data-name="Press 4">' in form.text
        assert "G-1" not in form.text  # only her organization's installations are offered
        assert '<script src="/static/assets.js" defer></script>' in form.text

        created = await ben.post(
            "/tickets/new",
            data={
                "csrf_token": csrf(ben),
                "template_id": "",
                "title": "Press 4 stops again",
                "category": "incident",
                "priority": "P4",
                "asset_id": "A-17",
            },
        )
        assert created.status_code == 303, created.text
        number = re.fullmatch(r"/tickets/([A-Z]\d+)\?created=1", created.headers["location"])
        assert number
        ticket = await api(world, "ben", "GET", f"/api/v1/tickets/{number.group(1)}")
        assert ticket["asset_id"] == ids["press"] and ticket["asset"]["name"] == "Press 4"
        again = await ben.get(f"/assets/{ids['press']}")
        assert f">{number.group(1)}</a>" in again.text

        # A serial number of another organization: a readable message at the field.
        refused = await ben.post(
            "/tickets/new?lang=en",
            data={"csrf_token": csrf(ben), "title": "Lathe", "priority": "P4", "asset_id": "G-1"},
        )
        assert refused.status_code == 422
        assert '<p class="field-error" id="asset_id-error">' in refused.text


async def test_the_suggestions_are_the_callers_organizations_installations(
    world: Portal,
) -> None:
    ids = await installed_base(world)
    await asset(world, "acme", "Spare press", "A-99", status="inactive")
    async with browser(world) as nobody:
        assert (await nobody.get("/assets/suggest?q=press")).status_code == 401
    async with browser(world, "ben") as ben:
        r = await ben.get("/assets/suggest", params={"q": "press"})
        assert r.status_code == 200
        items = r.json()["items"]
        assert {i["serial_number"] for i in items} == {"A-17", "A-99"}
        press = next(i for i in items if i["serial_number"] == "A-17")
        assert press == {
            "id": ids["press"],
            "name": "Press 4",
            "serial_number": "A-17",
            "product": "Hydraulic press",
            "location": "Hall 2",
        }
        # Everything of hers (not the retired robot), nothing of Globex.
        every = {i["serial_number"] for i in (await ben.get("/assets/suggest")).json()["items"]}
        assert every == {"A-17", "A-99"}
        # Asking for another organization changes nothing for a customer.
        other = await ben.get(
            "/assets/suggest", params={"q": "lathe", "organization_id": world.orgs["globex"]}
        )
        assert other.json()["items"] == []
    async with browser(world, "carla") as carla:
        serials = [i["serial_number"] for i in (await carla.get("/assets/suggest")).json()["items"]]
        assert serials == ["G-1"]


async def test_the_new_ticket_form_shows_the_service_levels(world: Portal) -> None:
    await installed_base(world)
    async with browser(world, "ben") as ben:
        standard = await ben.get("/tickets/new?template=none&lang=en")
        text = standard.text
        assert 'id="service-targets"' in text
        assert "Service levels of <strong>the standard terms</strong>" in text
        rows = re.findall(r'<tr id="target-(p\d)">', text)
        assert rows == ["p1", "p2", "p3", "p4"]  # Acme may choose priorities
        assert re.search(r'<tr id="target-p1">.*?\d+ business hours</td>', text)
        german = await ben.get("/tickets/new?template=none&lang=de")
        assert "Servicelevel laut <strong>den Standardbedingungen</strong>" in german.text
        assert "Geschäftsstunden" in german.text

    calendars = (await api(world, "admin", "GET", "/api/v1/business-calendars"))["items"]
    targets = {
        p: {"reaction_hours": r, "resolution_hours": r * 4}
        for p, r in {"P1": 2, "P2": 6, "P3": 12, "P4": 30}.items()
    }
    await api(
        world,
        "admin",
        "POST",
        "/api/v1/contracts",
        json={
            "organization_id": world.orgs["acme"],
            "name": "Gold Care",
            "valid_from": date(2020, 1, 1).isoformat(),
            "priorities_selectable": True,
            "calendar_id": calendars[0]["id"],
            "targets": targets,
        },
    )
    await world.settle()
    async with browser(world, "ben") as ben:
        gold = await ben.get("/tickets/new?template=none&asset=A-17&lang=en")
        text = gold.text
        assert "Service levels of <strong>Gold Care</strong>" in text
        assert re.search(
            r'<tr id="target-p1">.*?<td>2 business hours</td><td>8 business hours</td>', text
        )
        assert re.search(
            r'<tr id="target-p4">.*?<td>30 business hours</td><td>120 business hours</td>', text
        )
    async with browser(world, "carla") as carla:
        # Globex has no contract and no choice of priorities: P4 on the standard terms.
        globex = await carla.get("/tickets/new?template=none&lang=en")
        assert "Gold Care" not in globex.text and "the standard terms" in globex.text
        assert re.findall(r'<tr id="target-(p\d)">', globex.text) == ["p4"]


CSV = (
    "Name;Seriennummer;Produkt;Installationsdatum;status;room\r\n"
    "Press 4;A-17;Hydraulic press;2024-05-31;active;H2\r\n"
    "Mixer;M-1;Mixer 300;31.02.2024;active;\r\n"
    "Oven;O-1;;;broken;\r\n"
    "Dryer;D-1;;31.05.2024;;K1\r\n"
)


async def import_csv(client: Any, org: str, data: str, lang: str) -> Any:
    return await client.post(
        f"/assets/import?lang={lang}",
        data={"csrf_token": csrf(client), "organization_id": org},
        files={"file": ("base.csv", data.encode(), "text/csv")},
    )


async def test_an_admin_imports_a_csv_and_reads_the_report(world: Portal) -> None:
    await installed_base(world)
    acme = world.orgs["acme"]
    async with browser(world, "ben") as ben:
        assert (await ben.get("/assets/import")).status_code == 404
        forged = await import_csv(ben, acme, CSV, "en")
        assert forged.status_code == 404
    async with browser(world, "admin") as admin:
        page = await admin.get("/assets/import?lang=en")
        assert page.status_code == 200
        assert f'<option value="{acme}">Acme</option>' in page.text
        assert "name;serial_number;product;location;installed_on;status;contract" in page.text
        example = await admin.get("/assets/import/example.csv")
        assert example.status_code == 200 and example.headers["content-type"].startswith("text/csv")
        assert example.text.startswith("name;serial_number;")
        assert 'data-busy="Uploading …"' in page.text

        # Nothing chosen: both fields named, nothing imported.
        empty = await admin.post(
            "/assets/import?lang=en", data={"csrf_token": csrf(admin), "organization_id": ""}
        )
        assert empty.status_code == 422
        assert '<p class="field-error" id="organization_id-error">' in empty.text
        assert '<p class="field-error" id="file-error">Choose a CSV file.</p>' in empty.text

        report = await import_csv(admin, acme, CSV, "en")
        assert report.status_code == 200, report.text
        text = report.text
        assert '<dd id="import-created">1</dd>' in text  # the dryer
        assert '<dd id="import-updated">1</dd>' in text  # A-17 was known
        assert '<dd id="import-refused">2</dd>' in text
        rows = re.findall(
            r"<tr>\s*<th scope=\"row\">(\d+)</th>\s*<td>([^<]*)</td>\s*<td><ul>(.*?)</ul>",
            text,
            re.S,
        )
        assert [(line, serial) for line, serial, _ in rows] == [("3", "M-1"), ("4", "O-1")]
        assert "Not a date" in rows[0][2] and "Unknown status" in rows[1][2]

        german = await import_csv(admin, acme, CSV, "de")
        assert "Importbericht" in german.text and "Abgewiesene Zeilen" in german.text
        assert '<dd id="import-created">0</dd>' in german.text
        assert '<dd id="import-updated">2</dd>' in german.text  # now both are known
        assert "Kein Datum" in german.text and "Unbekannter Status" in german.text
        assert "Not a date" not in german.text

        # A file that is no CSV at all: the reason at the file field.
        broken = await import_csv(admin, acme, "", "en")
        assert broken.status_code == 422
        assert '<p class="field-error" id="file-error">' in broken.text

    listed = await api(world, "ben", "GET", "/api/v1/assets", params={"q": "dryer"})
    (dryer,) = listed["items"]
    assert dryer["installed_on"] == "2024-05-31" and dryer["attributes"] == {"room": "K1"}


async def test_an_admin_creates_and_edits_an_installation(world: Portal) -> None:
    ids = await installed_base(world)
    acme = world.orgs["acme"]
    async with browser(world, "ben") as ben:
        assert (await ben.get("/assets/new")).status_code == 404
    async with browser(world, "admin") as admin:
        form = await admin.get("/assets/new?lang=en")
        assert form.status_code == 200 and 'id="asset-form"' in form.text
        typed = {
            "csrf_token": csrf(admin),
            "organization_id": acme,
            "name": "",
            "serial_number": "A-17",
            "product": "Press <XL>",
            "installed_on": "2024-13-45",
            "attributes": "voltage: 400 V\nno colon here",
        }
        missing = await admin.post("/assets/new?lang=en", data=typed)
        assert missing.status_code == 422
        assert '<p class="field-error" id="name-error">This field is required.</p>' in (
            missing.text
        )
        assert 'id="attributes-error">Write each line as “name: value” (line 2).' in missing.text
        assert 'value="Press &lt;XL&gt;"' in missing.text

        valid = {**typed, "name": "Press 5", "installed_on": "2024-06-01", "attributes": ""}
        taken = await admin.post("/assets/new?lang=de", data=valid)
        assert taken.status_code == 422
        assert (
            '<p class="field-error" id="serial_number-error">Die Organisation hat schon eine '
            "Anlage mit dieser Seriennummer.</p>"
        ) in taken.text
        bad_date = await admin.post(
            "/assets/new?lang=de",
            data={**valid, "serial_number": "A-21", "installed_on": "2024-13-45"},
        )
        assert bad_date.status_code == 422
        assert 'id="installed_on-error">Bitte ein Datum eingeben (JJJJ-MM-TT).</p>' in bad_date.text
        assert 'value="A-21"' in bad_date.text

        created = await admin.post(
            "/assets/new",
            data={
                **typed,
                "name": "Press 5",
                "serial_number": "A-20",
                "installed_on": "2024-06-01",
                "attributes": "voltage: 400 V",
            },
        )
        assert created.status_code == 303, created.text
        location = created.headers["location"]
        assert location.endswith("?saved=1")
        shown = await admin.get(location + "&lang=en")
        assert "The installation was saved." in shown.text
        assert "<dt>voltage</dt><dd>400 V</dd>" in shown.text and 'id="edit-asset"' in shown.text

        edit = await admin.get(f"/assets/{ids['press']}/edit?lang=en")
        assert 'value="Hydraulic press"' in edit.text
        changed = await admin.post(
            f"/assets/{ids['press']}/edit",
            data={
                "csrf_token": csrf(admin),
                "name": "Press 4b",
                "serial_number": "A-17",
                "product": "",
                "location": "Hall 3",
                "status": "inactive",
            },
        )
        assert changed.status_code == 303
        press = await api(world, "admin", "GET", f"/api/v1/assets/{ids['press']}")
        assert press["name"] == "Press 4b" and press["location"] == "Hall 3"
        assert press["product"] is None and press["status"] == "inactive"
        forged = await admin.post(
            f"/assets/{ids['press']}/edit", data={"name": "X", "serial_number": "A-17"}
        )
        assert forged.status_code == 403

"""Contracts and business calendars in the browser: the vendor's admin keeps calendars
(opening hours, time zone, holidays, the default) and contracts (validity, priorities,
targets per priority) in German and English, sees the service's refusals next to the
fields with what was typed kept; a customer reads their own organization's contract in
force, another organization's customer the standard terms, and neither reaches the
administration."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from portal_harness import Portal
from web_kit import browser, csrf

WEEKDAYS = {f"day{d}_{part}": "" for d in range(7) for part in ("opens", "closes")}


async def api(world: Portal, method: str, path: str, **kwargs: Any) -> Any:
    r = await world.client.request(method, path, headers=await world.admin(), **kwargs)
    assert r.is_success, r.text
    return r.json() if r.content else None


def calendar_form(token: str, **fields: str) -> dict[str, str]:
    week = {f"day{d}_opens": "07:00" for d in range(5)} | {
        f"day{d}_closes": "19:00" for d in range(5)
    }
    return {**WEEKDAYS, **week, "time_zone": "America/New_York", "csrf_token": token, **fields}


def contract_form(token: str, **fields: str) -> dict[str, str]:
    targets = {
        "p1_reaction": "2",
        "p1_resolution": "8",
        "p2_reaction": "6",
        "p2_resolution": "24",
        "p3_reaction": "16",
        "p3_resolution": "60",
        "p4_reaction": "40",
        "p4_resolution": "160",
    }
    return {"priorities_selectable": "1", "csrf_token": token, **targets, **fields}


async def test_admin_keeps_calendars_and_contracts(world: Portal) -> None:
    acme = world.orgs["acme"]
    begins = (date.today() - timedelta(days=30)).isoformat()
    async with browser(world, "admin", lang="de") as admin:
        listed = await admin.get("/admin/calendars?lang=de")
        assert listed.status_code == 200 and "Geschäftskalender" in listed.text
        assert 'href="/admin/contracts"' in listed.text and "Standard" in listed.text

        # A day with one time only: the message sits at the day, everything stays typed.
        half = await admin.post(
            "/admin/calendars/new",
            data=calendar_form(csrf(admin), name="Support 24/5", day5_opens="09:00"),
        )
        assert half.status_code == 422
        assert 'id="day5_closes-error"' in half.text
        assert "Bitte Öffnungs- und Schließzeit angeben" in half.text
        assert 'value="Support 24/5"' in half.text and 'value="07:00"' in half.text
        assert '<option value="America/New_York" selected>' in half.text

        # The service's own check, worded in German at the weekday it is about.
        backwards = await admin.post(
            "/admin/calendars/new",
            data=calendar_form(
                csrf(admin), name="Support 24/5", day1_opens="18:00", day1_closes="08:00"
            ),
        )
        assert backwards.status_code == 422, backwards.text
        assert 'id="day1_closes-error"' in backwards.text
        assert "Die Schließzeit 08:00 liegt nicht nach der Öffnungszeit." in backwards.text

        created = await admin.post(
            "/admin/calendars/new",
            data=calendar_form(csrf(admin), name="Support 24/5", holidays="24.12.2030\n2030-12-31"),
        )
        assert created.status_code == 303, created.text
        assert created.headers["location"].startswith("/admin/calendars?done=calendar_created")
        shown = await admin.get(created.headers["location"])
        assert "Der Geschäftskalender Support 24/5 wurde angelegt." in shown.text
        calendars = (await api(world, "GET", "/api/v1/business-calendars"))["items"]
        support = next(c for c in calendars if c["name"] == "Support 24/5")
        standard = next(c for c in calendars if c["is_default"])
        assert support["time_zone"] == "America/New_York" and not support["is_default"]
        assert support["weekly"] == {str(d): ["07:00", "19:00"] for d in range(5)}
        assert support["holidays"] == ["2030-12-24", "2030-12-31"]

        edit = await admin.get(f"/admin/calendars/{support['id']}")
        assert ">2030-12-24\n2030-12-31</textarea>" in edit.text and 'id="day6_opens"' in edit.text

        # The default calendar is not deleted: the service's reason, in German.
        refused = await admin.post(
            f"/admin/calendars/{standard['id']}/delete",
            data={"csrf_token": csrf(admin), "name": standard["name"]},
        )
        assert refused.status_code == 409
        assert "Das ist der Standard-Geschäftskalender" in refused.text

    async with browser(world, "admin", lang="en") as admin:
        organizations = await admin.get("/admin/organizations?lang=en")
        assert f'href="/admin/contracts?organization={acme}"' in organizations.text
        new = await admin.get(f"/admin/contracts/new?organization={acme}")
        assert new.status_code == 200
        assert f'<option value="{acme}" selected>' in new.text
        assert f'<option value="{support["id"]}">Support 24/5</option>' in new.text

        # Until before from, and a resolution shorter than its reaction: both at their
        # fields, in words, with what was typed kept.
        bad = await admin.post(
            "/admin/contracts/new",
            data=contract_form(
                csrf(admin),
                organization_id=acme,
                name="Gold",
                valid_from="2027-03-01",
                valid_until="2027-01-31",
                calendar_id=support["id"],
                p2_resolution="3",
            ),
        )
        assert bad.status_code == 422, bad.text
        assert 'id="valid_until-error"' in bad.text
        assert "The contract cannot end before it begins." in bad.text
        assert 'id="p2_resolution-error"' in bad.text
        assert "The resolution target cannot be shorter than the reaction target." in bad.text
        assert 'value="Gold"' in bad.text and 'value="2027-01-31"' in bad.text
        assert 'value="3"' in bad.text and f'<option value="{support["id"]}" selected>' in bad.text

        unnamed = await admin.post(
            "/admin/contracts/new",
            data=contract_form(csrf(admin), name="Gold", valid_from="", calendar_id=support["id"]),
        )
        assert unnamed.status_code == 422
        assert (
            'id="organization_id-error"' in unnamed.text
            and "Choose an organization." in unnamed.text
        )
        assert 'id="valid_from-error"' in unnamed.text

        saved = await admin.post(
            "/admin/contracts/new",
            data=contract_form(
                csrf(admin),
                organization_id=acme,
                name="Gold",
                valid_from=begins,
                calendar_id=support["id"],
                default_priority="P2",
            ),
        )
        assert saved.status_code == 303, saved.text
        assert saved.headers["location"].startswith(f"/admin/contracts?organization={acme}")
        listing = await admin.get(saved.headers["location"])
        assert "The contract Gold was created." in listing.text
        assert "Gold" in listing.text and "Support 24/5" in listing.text
        assert "valid now" in listing.text
        (gold,) = (await api(world, "GET", f"/api/v1/contracts?organization_id={acme}"))["items"]
        assert gold["targets"]["P1"] == {"reaction_hours": 2.0, "resolution_hours": 8.0}
        assert gold["priorities_selectable"] is True and gold["valid_until"] is None
        assert gold["default_priority"] == "P2"

        overall = await admin.get("/admin/contracts")
        assert "Acme" in overall.text and f"/admin/contracts/{gold['id']}" in overall.text

        # Editing: the stored values in the form, a decimal comma understood.
        edit = await admin.get(f"/admin/contracts/{gold['id']}")
        assert 'value="Gold"' in edit.text and f'value="{begins}"' in edit.text
        assert '<option value="P2" selected>P2</option>' in edit.text
        assert '<option value="">P4 (standard)</option>' in edit.text
        german = await admin.get(f"/admin/contracts/{gold['id']}?lang=de")
        assert "Standardpriorität" in german.text and "P4 (Standard)" in german.text
        await admin.get(f"/admin/contracts/{gold['id']}?lang=en")  # back to English
        changed = await admin.post(
            f"/admin/contracts/{gold['id']}",
            data=contract_form(
                csrf(admin),
                name="Gold Plus",
                valid_from=begins,
                calendar_id=support["id"],
                p1_reaction="1,5",
            ),
        )
        assert changed.status_code == 303, changed.text
        gold = await api(world, "GET", f"/api/v1/contracts/{gold['id']}")
        assert gold["name"] == "Gold Plus" and gold["targets"]["P1"]["reaction_hours"] == 1.5
        assert gold["default_priority"] is None  # the form sent the standard: P4

        # A calendar that contracts count in is not deleted; the reason is shown.
        in_use = await admin.post(
            f"/admin/calendars/{support['id']}/delete",
            data={"csrf_token": csrf(admin), "name": "Support 24/5"},
        )
        assert in_use.status_code == 409
        assert "Contracts count their targets in this business calendar" in in_use.text

        # The organization's SLA contract follows the contract: shown, not typed.
        await world.settle()
        org_page = await admin.get(f"/admin/organizations/{acme}")
        assert "Gold Plus" in org_page.text
        assert f'href="/admin/contracts?organization={acme}"' in org_page.text
        assert 'id="sla_contract" name="sla_contract" type="text"' not in org_page.text

        gone = await admin.post(
            f"/admin/contracts/{gold['id']}/delete", data={"csrf_token": csrf(admin)}
        )
        assert gone.status_code == 303
        assert (
            "The contract Gold Plus was deleted."
            in (await admin.get(gone.headers["location"])).text
        )
        assert (await api(world, "GET", f"/api/v1/contracts?organization_id={acme}"))["items"] == []
        deleted = await admin.post(
            f"/admin/calendars/{support['id']}/delete",
            data={"csrf_token": csrf(admin), "name": "Support 24/5"},
        )
        assert deleted.status_code == 303

        # Nothing odd in an address is a server error.
        for path in (
            "/admin/contracts/not-an-id",
            f"/admin/contracts/{uuid.uuid4()}",
            "/admin/contracts?organization=nope",
            f"/admin/contracts?organization={uuid.uuid4()}",
            f"/admin/calendars/{uuid.uuid4()}",
            f"/admin/calendars/{support['id']}",
        ):
            assert (await admin.get(path)).status_code == 404, path


async def test_customers_read_their_own_contract_only(world: Portal) -> None:
    acme = world.orgs["acme"]
    calendar = await api(
        world,
        "POST",
        "/api/v1/business-calendars",
        json={
            "name": "Acme hours",
            "time_zone": "Europe/Vienna",
            "weekly": {"0": ["06:30", "15:00"], "4": ["06:30", "12:00"]},
            "holidays": ["2031-01-06", "2020-01-01"],
        },
    )
    targets = {
        p: {"reaction_hours": h, "resolution_hours": 4 * h}
        for p, h in (("P1", 1), ("P2", 3), ("P3", 7.5), ("P4", 20))
    }
    await api(
        world,
        "POST",
        "/api/v1/contracts",
        json={
            "organization_id": acme,
            "name": "Platinum",
            "valid_from": (date.today() - timedelta(days=1)).isoformat(),
            "valid_until": "2099-12-31",
            "priorities_selectable": True,
            "calendar_id": calendar["id"],
            "targets": targets,
        },
    )

    async with browser(world, "anna", lang="en") as anna:
        profile = await anna.get("/profile")
        assert 'href="/contract"' in profile.text
        page = await anna.get("/contract?lang=en")
        assert page.status_code == 200
        assert "Platinum" in page.text and "until 2099-12-31" in page.text
        assert "1 business hour<" in page.text and "7.5 business hours" in page.text
        assert "30 business hours" in page.text  # P3's resolution
        assert "Time zone: Europe/Vienna" in page.text and "06:30\u201315:00" in page.text
        assert "2031-01-06" in page.text and "2020-01-01" not in page.text
        assert "You choose the priority of your tickets." in page.text
        # A customer's admin manages users, but contracts and calendars are the vendor's.
        for path in ("/admin/contracts", "/admin/calendars", "/admin/calendars/new"):
            assert (await anna.get(path)).status_code == 404, path

    async with browser(world, "ben", lang="de") as ben:
        page = await ben.get("/contract?lang=de")
        assert "Platinum" in page.text and "7,5 Geschäftsstunden" in page.text
        assert "06.01.2031" in page.text and "Montag" in page.text
        assert (await ben.get("/admin/contracts")).status_code == 404

    async with browser(world, "carla", lang="en") as carla:
        page = await carla.get("/contract")
        assert page.status_code == 200
        assert "Standard terms" in page.text and "Platinum" not in page.text
        assert "Acme hours" not in page.text and "Europe/Vienna" not in page.text
        assert (await carla.get(f"/admin/contracts?organization={acme}")).status_code == 404

    async with browser(world, "erik", lang="en") as erik:
        page = await erik.get("/contract")
        assert page.status_code == 200
        assert "belongs to no customer organization" in page.text

    async with browser(world) as anonymous:
        r = await anonymous.get("/contract")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")

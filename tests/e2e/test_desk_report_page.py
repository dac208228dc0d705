"""The service desk report page: figures per organization, agent group or agent for a
period, in both languages, with the workbook link; customers find no such page."""

from __future__ import annotations

import html
import re

from portal_harness import Portal
from web_kit import browser


async def test_the_desk_report_per_organization_and_agent(sqlite_world: Portal) -> None:
    world = sqlite_world
    answered = (await world.ticket("ben"))["number"]
    await world.ticket("carla")
    erik = await world.as_("erik")
    await world.client.patch(
        f"/api/v1/tickets/{answered}", json={"assignee_id": world.ids["erik"]}, headers=erik
    )
    await world.client.post(
        f"/api/v1/tickets/{answered}/articles", json={"body": "On it."}, headers=erik
    )
    async with browser(world, "erik") as agent:
        page = await agent.get("/reports/desk?lang=en")
        assert page.status_code == 200
        table = page.text[page.text.index('id="desk-report-table"') :]
        acme = re.search(r"<th scope=\"row\">Acme</th>\s*<td>(\d+)</td>", table)
        assert acme and acme.group(1) == "1"
        assert "Globex" in table and "100%" in table  # Acme answered in time
        found = re.search(r'href="(/api/v1/tickets/reports/desk\.xlsx[^"]*)"', page.text)
        assert found, "the workbook link"
        href = html.unescape(found.group(1))
        workbook = await agent.get(href)
        assert workbook.status_code == 200
        assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
        by_agent = await agent.get("/reports/desk?by=agent&lang=de")
        assert "Erik" in by_agent.text and "(nicht zugewiesen)" in by_agent.text
        assert "Bericht des Service Desks" in by_agent.text
        wrong = await agent.get("/reports/desk?since=2026-12-31&until=2026-01-01&lang=en")
        assert wrong.status_code == 422 and 'id="desk-report-errors"' in wrong.text
        weekly = await agent.get("/reports?lang=en")
        assert 'href="/reports/desk"' in weekly.text
    async with browser(world, "anna") as customer:
        assert (await customer.get("/reports/desk")).status_code == 404

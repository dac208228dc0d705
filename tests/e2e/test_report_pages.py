"""The reports page: its tables hold the numbers of the tickets made here, its charts are
SVG images with a text alternative, and each organization sees its own tickets only (the
service desk: all, or one organization)."""

from __future__ import annotations

import re
import uuid

import httpx
from portal_harness import Portal
from web_kit import browser


def _table(page: str, table_id: str) -> dict[str, list[str]]:
    """A table's body rows: row header -> the cells after it."""
    body = page.split(f'id="{table_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        header = re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1))
        rows[header.strip()] = re.findall(r"<td>(.*?)</td>", row, re.S)
    return rows


async def _report(client: httpx.AsyncClient, query: str = "") -> str:
    r = await client.get(f"/reports{query}")
    assert r.status_code == 200, r.text
    return r.text


async def test_report_tables_hold_the_tickets_of_ones_organization(sqlite_world: Portal) -> None:
    world = sqlite_world
    answered = await world.ticket("ben", priority="P1", category="incident")
    await world.ticket("ben", priority="P2", category="question")
    await world.ticket("anna", priority="P2", category="change_request")
    closed = await world.ticket("ben", priority="P3", category="incident")
    await world.ticket("carla", priority="P1", category="service_request")  # Globex: P4
    r = await world.client.post(
        f"/api/v1/tickets/{answered['number']}/articles",
        json={"body": "On it"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 201
    r = await world.client.post(
        f"/api/v1/tickets/{closed['number']}/close", headers=await world.as_("ben")
    )
    assert r.status_code == 200

    anonymous = await world.client.get("/reports")
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/reports"

    async with browser(world, "ben", lang="en") as ben:
        page = await _report(ben)
        assert "Acme" in page and 'id="report-filter"' not in page
        assert _table(page, "table-priority") == {
            "P1": ["1"],
            "P2": ["2"],
            "P3": ["1"],
            "P4": ["0"],
        }
        assert _table(page, "table-category") == {
            "Incident": ["2"],
            "Service request": ["0"],
            "Change request": ["1"],
            "Question": ["1"],
        }
        weeks = _table(page, "table-weeks")
        assert len(weeks) == 12 and list(weeks.values())[-1] == ["4", "1"]
        assert all(cells == ["0", "0"] for cells in list(weeks.values())[:-1])
        reaction = _table(page, "table-reaction")
        assert reaction["P1"][:3] == ["1", "0", "0"] and reaction["P1"][3] == "100%"
        assert reaction["P1"][4].endswith("min")
        assert reaction["P2"] == ["0", "0", "2", "no data", "no data"]
        # Charts: images with a name and a description, drawn without script or styles.
        for chart in ("chart-weeks", "chart-priority", "chart-category", "chart-reaction"):
            assert re.search(
                rf'<svg class="chart" id="{chart}" role="img" '
                rf'aria-labelledby="{chart}-title {chart}-desc"',
                page,
            )
        assert '<desc id="chart-weeks-desc">4 tickets opened and 1 closed' in page
        assert '<desc id="chart-priority-desc">P1: 1, P2: 2, P3: 1, P4: 0</desc>' in page
        assert " style=" not in page and "<script>" not in page
        german = await _report(ben, "?lang=de")
        assert "Berichte" in german and "Störung" in german and "100 %" in german
        # A customer cannot choose another organization.
        again = await _report(ben, f"?organization_id={world.orgs['globex']}&lang=en")
        assert _table(again, "table-priority")["P4"] == ["0"] and "Globex" not in again

    async with browser(world, "carla", lang="en") as carla:
        page = await _report(carla)
        assert "Globex" in page and "Acme" not in page
        assert _table(page, "table-priority") == {
            "P1": ["0"],
            "P2": ["0"],
            "P3": ["0"],
            "P4": ["1"],
        }
        assert _table(page, "table-category")["Service request"] == ["1"]
        assert list(_table(page, "table-weeks").values())[-1] == ["1", "0"]

    async with browser(world, "erik", lang="en") as erik:
        page = await _report(erik)
        assert 'id="report-filter"' in page and "All organizations" in page
        assert list(_table(page, "table-weeks").values())[-1] == ["5", "1"]
        globex = await _report(erik, f"?organization_id={world.orgs['globex']}")
        assert f'value="{world.orgs["globex"]}" selected' in globex
        assert _table(globex, "table-priority")["P4"] == ["1"]
        assert sum(int(c[0]) for c in _table(globex, "table-priority").values()) == 1
        for wrong in ("not-an-id", str(uuid.uuid4())):
            missing = await erik.get(f"/reports?organization_id={wrong}")
            assert missing.status_code == 404
            assert "There is no report for this organization." in missing.text

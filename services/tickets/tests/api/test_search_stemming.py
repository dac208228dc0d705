"""German and English stemming give the same answers on both database backends: the
all-in-one mode (SQLite FTS5, stemmed by Snowball in Python) finds what PostgreSQL's
`german` and `english` text-search configurations find, no more and no less."""

from __future__ import annotations

import pytest
from portal_harness import Portal

TITLES = {
    "printer": "Drucker im Lager druckt nicht",
    "connections": "Verbindungen zum Server brechen ab",
    "dropout": "Verbindungsabbruch beim VPN",
    "printers_en": "Printers in hall 3 are offline",
    "connection_en": "Connections time out",
    "street": "Lieferung an die Hauptstraße",
}

# query -> the tickets it finds, as PostgreSQL's configurations decide (a compound is
# one word to them: "Verbindung" finds "Verbindungen" but not "Verbindungsabbruch",
# unless typed as a prefix).
EXPECTED = {
    "Druckern": {"printer"},
    "Drucker": {"printer"},
    "Verbindung": {"connections"},
    "Verbindung*": {"connections", "dropout"},
    "Verbindungsabbrüche": {"dropout"},
    "printer": {"printers_en"},
    "connection": {"connection_en"},
    "connecting": {"connection_en"},
    "Hauptstrasse": {"street"},
    "druck* lager": {"printer"},
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend_world(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "world")


async def test_stemmed_search_finds_the_same_tickets_on_both_backends(
    backend_world: Portal,
) -> None:
    world = backend_world
    numbers = {
        key: (await world.ticket("ben", title=title, description=""))["number"]
        for key, title in TITLES.items()
    }
    headers = await world.as_("ben")
    found: dict[str, set[str]] = {}
    for q in EXPECTED:
        r = await world.client.get(
            "/api/v1/tickets", params={"q": q, "scope": "organization"}, headers=headers
        )
        assert r.status_code == 200, r.text
        by_number = {n: k for k, n in numbers.items()}
        found[q] = {by_number[t["number"]] for t in r.json()["items"]}
    assert found == EXPECTED


async def test_public_replies_are_stemmed_and_internal_notes_stay_internal(
    backend_world: Portal,
) -> None:
    world = backend_world
    t = await world.ticket("ben", title="Roboter steht", description="")
    erik = await world.as_("erik")
    path = f"/api/v1/tickets/{t['number']}/articles"
    await world.client.post(path, json={"body": "Die Kabelverbindungen prüfen"}, headers=erik)
    await world.client.post(path, json={"body": "Gewährleistungen", "internal": True}, headers=erik)

    async def found(user: str, q: str) -> bool:
        r = await world.client.get(
            "/api/v1/tickets",
            params={"q": q, "scope": "organization"},
            headers=await world.as_(user),
        )
        return t["number"] in {x["number"] for x in r.json()["items"]}

    assert await found("ben", "Kabelverbindung")
    assert await found("ben", "prüfe")
    assert not await found("ben", "Gewährleistung")
    assert await found("erik", "Gewährleistung")

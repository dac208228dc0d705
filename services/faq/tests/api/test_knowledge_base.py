"""The knowledge base through the gateway, on PostgreSQL and on the SQLite databases
of the all-in-one mode: authoring, visibility, the explorer, votes and events."""

from __future__ import annotations

from typing import Any

import pytest
from faq_harness import Faq
from portal_harness import Portal


async def _authoring_and_visibility(world: Portal) -> None:
    faq = Faq(world)
    category = await faq.category("Zugang")
    sub = await faq.category("Passwörter", parent_id=category)
    public = await faq.article("Passwort zurücksetzen", sub, visibility="public")
    customers = await faq.article("VPN einrichten", category, visibility="customers")
    internal = await faq.article("Druckserver neu starten", category, visibility="internal")
    draft = await faq.article("Entwurf zur Anmeldung", category, state="draft")

    # Anonymous readers see public articles only; customers also theirs; agents all.
    assert await faq.ids(None) == {public}
    assert await faq.ids("ben") == {public, customers}
    assert await faq.ids("erik") == {public, customers, internal}
    assert await faq.ids("erik", state="all") == {public, customers, internal, draft}
    assert await faq.ids("ben", state="all") == {public, customers}  # no drafts for customers
    for reader, hidden in ((None, customers), (None, internal), ("ben", internal), ("ben", draft)):
        r = await faq.get(f"/api/v1/faq/articles/{hidden}", reader)
        assert r.status_code == 404, (reader, r.text)
    # Nothing of an internal article leaks through search, counts or suggestions.
    assert await faq.search_ids("ben", "Druckserver") == set()
    assert await faq.search_ids("erik", "Druckserver") == {internal}
    assert await faq.suggest_ids("ben", "Druckserv") == set()
    tree = {c["id"]: c for c in (await faq.get("/api/v1/faq/categories", "ben")).json()["items"]}
    assert tree[category]["article_count"] == 1 and tree[category]["total_count"] == 2
    assert tree[sub]["total_count"] == 1
    anonymous_tree = (await faq.get("/api/v1/faq/categories", None)).json()["items"]
    assert {c["id"]: c["total_count"] for c in anonymous_tree}[category] == 1
    # Browsing a category includes its subcategories.
    assert await faq.ids("ben", category=category) == {public, customers}
    assert await faq.ids("ben", category=sub) == {public}

    # Only the service desk writes.
    r = await world.client.post(
        "/api/v1/faq/categories", json={"name": "Nope"}, headers=await world.as_("ben")
    )
    assert r.status_code == 404
    r = await world.client.post(
        "/api/v1/faq/articles", json=faq.body("Nope", category), headers=await world.as_("ben")
    )
    assert r.status_code == 404

    # Publishing, unpublishing and deleting change who finds it, at once.
    erik = await world.as_("erik")
    r = await world.client.post(f"/api/v1/faq/articles/{draft}/publish", headers=erik)
    assert r.status_code == 200 and r.json()["state"] == "published"
    assert draft in await faq.search_ids("ben", "Anmeldung")
    await world.client.post(f"/api/v1/faq/articles/{draft}/unpublish", headers=erik)
    assert draft not in await faq.search_ids("ben", "Anmeldung")
    assert (
        await world.client.delete(f"/api/v1/faq/articles/{draft}", headers=erik)
    ).status_code == 204
    assert await faq.search_ids("erik", "Entwurf") == set()
    assert (await faq.get(f"/api/v1/faq/articles/{draft}", "erik")).status_code == 404


async def _translations_revisions_and_rendering(world: Portal) -> None:
    faq = Faq(world)
    erik = await world.as_("erik")
    category = await faq.category("Drucker")
    article = await faq.article(
        "Druckertreiber installieren",
        category,
        body="Laden Sie den **Treiber**.\n\n<script>alert(1)</script> [x](javascript:alert(1))",
    )
    r = await world.client.patch(
        f"/api/v1/faq/articles/{article}",
        json={"language": "en", "title": "Installing the printer driver", "body": "Get it."},
        headers=erik,
    )
    assert r.status_code == 200, r.text
    de = (await faq.get(f"/api/v1/faq/articles/{article}?language=de", "ben")).json()
    en = (await faq.get(f"/api/v1/faq/articles/{article}?language=en", "ben")).json()
    assert de["title"] == "Druckertreiber installieren" and en["title"].startswith("Installing")
    assert sorted(de["languages"]) == ["de", "en"]
    assert "<strong>Treiber</strong>" in de["body_html"]
    # Raw HTML stays text and a script link stays unlinked.
    assert "<script>" not in de["body_html"] and "&lt;script&gt;" in de["body_html"]
    assert "href" not in de["body_html"]
    assert de["body"] is None  # the Markdown source is for authors
    # Both languages are found, each by its own words.
    assert await faq.search_ids("ben", "printer driver") == {article}
    assert await faq.search_ids("ben", "Treiber", language="de") == {article}
    assert await faq.search_ids("ben", "printer", language="de") == set()
    revisions = (
        await world.client.get(f"/api/v1/faq/articles/{article}/revisions", headers=erik)
    ).json()["items"]
    assert [r["language"] for r in revisions] == ["en", "de"]
    assert all(r["author_id"] == world.ids["erik"] for r in revisions)
    # Unknown categories and incomplete new texts are 422s naming the field.
    r = await world.client.post(
        "/api/v1/faq/articles",
        json=faq.body("Ein Titel", "00000000-0000-0000-0000-000000000000"),
        headers=erik,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "category_id"
    r = await world.client.patch(
        f"/api/v1/faq/articles/{article}", json={"language": "en", "body": "x"}, headers=erik
    )
    assert r.status_code == 200  # an existing translation may change one field
    other = await faq.article("Nur Deutsch", category)
    r = await world.client.patch(
        f"/api/v1/faq/articles/{other}", json={"language": "en", "body": "x"}, headers=erik
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "title"


async def _explorer_views_and_votes(world: Portal) -> None:
    faq = Faq(world)
    category = await faq.category("Tickets")
    first = await faq.article("Priorität wählen", category)
    second = await faq.article("Ticket schließen", category, related_ids=[first])
    for _ in range(3):
        r = await faq.get(f"/api/v1/faq/articles/{first}", "ben")
    assert r.json()["views"] == 3
    popular = await faq.get("/api/v1/faq/articles?sort=popular", "ben")
    assert [a["id"] for a in popular.json()["items"]][:2] == [first, second]
    newest = await faq.get("/api/v1/faq/articles?sort=newest", "ben")
    assert [a["id"] for a in newest.json()["items"]][:2] == [second, first]
    related = (await faq.get(f"/api/v1/faq/articles/{second}", "ben")).json()["related"]
    assert [r["id"] for r in related] == [first]

    # One vote per user and article; voting again changes it.
    ben, anna = await world.as_("ben"), await world.as_("anna")
    url = f"/api/v1/faq/articles/{first}/vote"
    assert (await world.client.put(url, json={"helpful": True}, headers=ben)).json() == {
        "helpful": 1,
        "not_helpful": 0,
        "my_vote": True,
    }
    await world.client.put(url, json={"helpful": True}, headers=ben)
    votes = (await world.client.put(url, json={"helpful": False}, headers=anna)).json()
    assert votes == {"helpful": 1, "not_helpful": 1, "my_vote": False}
    votes = (await world.client.put(url, json={"helpful": False}, headers=ben)).json()
    assert votes["helpful"] == 0 and votes["not_helpful"] == 2
    assert (await faq.get(f"/api/v1/faq/articles/{first}", "ben")).json()["my_vote"] is False
    assert (await world.client.put(url, json={"helpful": True})).status_code == 401

    # Pages of the explorer follow the cursor without repeats.
    for n in range(5):
        await faq.article(f"Artikel Nummer {n}", category)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, "category": category}
        if cursor:
            params["cursor"] = cursor
        page = (await faq.get("/api/v1/faq/articles", "ben", params=params)).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7 and page["total"] == 7
    bad = await faq.get("/api/v1/faq/articles", "ben", params={"cursor": "nonsense"})
    assert bad.status_code == 422


async def _events(world: Portal) -> None:
    faq = Faq(world)
    category = await faq.category("Ereignisse")
    published = await faq.article("Veröffentlicht", category)
    await faq.article("Nur ein Entwurf", category, state="draft")
    await world.settle()
    events = await world.events("faq.article.published", service="faq")
    assert [e["data"]["id"] for e in events] == [published]
    assert events[0]["data"]["language"] == "de" and events[0]["data"]["visibility"] == "public"


CHECKS = [_authoring_and_visibility, _translations_revisions_and_rendering,
          _explorer_views_and_votes, _events]  # fmt: skip


@pytest.mark.integration
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.strip("_"))
async def test_on_postgresql(world: Portal, check: Any) -> None:
    await check(world)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.strip("_"))
async def test_in_all_in_one_mode(sqlite_world: Portal, check: Any) -> None:
    await check(sqlite_world)

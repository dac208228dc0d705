"""Articles in the reader's language: with `prefer`, the explorer, search, suggestions
and related articles give each article's text in that language when it has one, and its
other language otherwise (the answer's `language` says which); nothing is left out."""

from __future__ import annotations

from faq_harness import Faq
from portal_harness import Portal


async def _bilingual(world: Portal, faq: Faq, category: str) -> tuple[str, str]:
    both = await faq.article(
        "Drucker einrichten", category, body="Den Drucker im Netzwerk einrichten."
    )
    r = await world.client.patch(
        f"/api/v1/faq/articles/{both}",
        json={"language": "en", "title": "Setting up a printer", "body": "Set the printer up."},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200, r.text
    german_only = await faq.article(
        "Druckerwarteschlange leeren",
        category,
        body="Die Warteschlange des Druckers leeren.",
        related_ids=[both],
    )
    return both, german_only


async def test_every_list_gives_the_readers_language_and_falls_back(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    faq = Faq(world)
    category = await faq.category("Drucker")
    both, german_only = await _bilingual(world, faq, category)

    def shown(items: list[dict]) -> dict[str, tuple[str, str]]:
        return {a["id"]: (a["language"], a["title"]) for a in items}

    listing = await faq.get("/api/v1/faq/articles", "ben", params={"prefer": "en"})
    assert shown(listing.json()["items"]) == {
        both: ("en", "Setting up a printer"),
        german_only: ("de", "Druckerwarteschlange leeren"),
    }
    german = await faq.get("/api/v1/faq/articles", "ben", params={"prefer": "de"})
    assert shown(german.json()["items"])[both] == ("de", "Drucker einrichten")

    # A search found through the German words still shows the English text.
    found = await faq.search("ben", "Drucker", prefer="en")
    assert shown(found) == {
        both: ("en", "Setting up a printer"),
        german_only: ("de", "Druckerwarteschlange leeren"),
    }
    # `language` stays a filter: only articles with an English text.
    assert await faq.search_ids("ben", "printer", language="en", prefer="en") == {both}

    r = await faq.get("/api/v1/faq/suggest", "ben", params={"q": "Drucker", "prefer": "en"})
    assert shown(r.json()["items"]) == {
        both: ("en", "Setting up a printer"),
        german_only: ("de", "Druckerwarteschlange leeren"),
    }

    # The article itself, and its related articles, in the reader's language.
    r = await faq.get(f"/api/v1/faq/articles/{german_only}", "ben", params={"language": "en"})
    article = r.json()
    assert article["language"] == "de" and article["languages"] == ["de"]
    assert article["related"] == [{"id": both, "title": "Setting up a printer", "language": "en"}]

"""Authoring input that must never reach an internal error: keywords of the wrong type,
and an article edited while another author deletes it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from faq_harness import Faq
from portal_harness import Portal

PROBLEM = "application/problem+json"


async def _keywords_of_the_wrong_type(world: Portal) -> None:
    faq = Faq(world)
    category = await faq.category("Schlagworte")
    article = await faq.article("Drucker einrichten", category, keywords=["drucker", "netz"])
    erik = await world.as_("erik")
    for keywords in ([1, {"a": 2}], 5, {"a": "b"}, [["x"]], True):
        created = await world.client.post(
            "/api/v1/faq/articles",
            json=faq.body("Falsche Schlagworte", category, keywords=keywords),
            headers=erik,
        )
        updated = await world.client.patch(
            f"/api/v1/faq/articles/{article}", json={"keywords": keywords}, headers=erik
        )
        for r in (created, updated):
            assert r.status_code == 422, (keywords, r.status_code, r.text)
            assert r.headers["content-type"] == PROBLEM
            assert any(e["field"].startswith("keywords") for e in r.json()["errors"]), r.text
    # Both documented forms still work: a list, and one comma-separated string.
    r = await world.client.patch(
        f"/api/v1/faq/articles/{article}", json={"keywords": "a, b,,a"}, headers=erik
    )
    assert r.status_code == 200 and r.json()["keywords"] == "a, b"
    r = await faq.get(f"/api/v1/faq/articles/{article}", "erik")
    assert r.json()["keywords"] == "a, b"


async def _edit_and_delete_at_once(world: Portal) -> None:
    """Whichever wins, the other gets an answer about the article, never a 500."""
    faq = Faq(world)
    category = await faq.category("Gleichzeitig")
    erik = await world.as_("erik")
    for round_ in range(15):
        article = await faq.article(f"Artikel {round_}", category, keywords="eins")

        async def edit(article: str = article, round_: int = round_) -> Any:
            return await world.client.patch(
                f"/api/v1/faq/articles/{article}",
                json={"title": f"Neuer Titel {round_}", "keywords": ["zwei"], "body": "Neu."},
                headers=erik,
            )

        async def remove(article: str = article) -> Any:
            return await world.client.delete(f"/api/v1/faq/articles/{article}", headers=erik)

        async def publish(article: str = article) -> Any:
            return await world.client.post(
                f"/api/v1/faq/articles/{article}/unpublish", headers=erik
            )

        answers = await asyncio.gather(edit(), remove(), edit(), publish())
        statuses = [r.status_code for r in answers]
        assert all(s in (200, 204, 404, 409) for s in statuses), [
            (r.status_code, r.text) for r in answers
        ]
        assert answers[1].status_code == 204, answers[1].text  # the delete always wins
        for r in answers:
            if r.status_code >= 400:
                assert r.headers["content-type"] == PROBLEM
        gone = await faq.get(f"/api/v1/faq/articles/{article}", "erik")
        assert gone.status_code == 404
        revisions = await faq.get(f"/api/v1/faq/articles/{article}/revisions", "erik")
        assert revisions.status_code == 404


CHECKS = [_keywords_of_the_wrong_type, _edit_and_delete_at_once]


@pytest.mark.integration
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.strip("_"))
async def test_on_postgresql(world: Portal, check: Any) -> None:
    await check(world)


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__.strip("_"))
async def test_in_all_in_one_mode(sqlite_world: Portal, check: Any) -> None:
    await check(sqlite_world)

"""The search index of each database on its own (PostgreSQL full text with pg_trgm;
SQLite FTS5 with Snowball stems), fed through the content repository: a saved article
is found by an inflected word, its words become known, and a typo finds its correction."""

from __future__ import annotations

import uuid
from typing import Any, cast

import pytest
from portal_harness import Portal
from sqlalchemy import event

from portal_chassis.auth import Actor
from portal_faq.content import service as content
from portal_faq.content.models import Category, State, Visibility
from portal_faq.content.schemas import ArticleCreate
from portal_faq.search import service as search
from portal_faq.uow import FaqUoW

pytestmark = pytest.mark.integration

AGENT = Actor(id=uuid.uuid4(), username="agent", organization_id=None, roles=frozenset({"agent"}))


async def _published(portal: Portal) -> uuid.UUID:
    uow = cast(FaqUoW, portal.faq.uow())
    async with uow:
        category = Category(id=uuid.uuid4(), name=f"Access {uuid.uuid4().hex[:6]}", position=0)
        uow.content.add(category)
        await uow.commit()
    data = ArticleCreate(
        title="Resetting a forgotten password",
        body="Open the sign-in page and choose *Forgot password*.",
        category_id=category.id,
        language="en",
        visibility=Visibility.PUBLIC,
        state=State.PUBLISHED,
    )
    return (await content.create_article(uow=uow, actor=AGENT, data=data)).id


async def _check(portal: Portal) -> None:
    article_id = await _published(portal)
    uow = cast(FaqUoW, portal.faq.uow())
    async with uow:
        assert {"password", "forgotten"} <= await uow.search.known(["password", "forgotten"])
        assert "password" in [word for word, _ in await uow.search.similar("pasword")]
    found = await search.search(uow=uow, actor=None, q="passwords", sort="newest")
    assert article_id in [r.article.id for r in found.items]


async def test_on_postgresql(portal: Portal) -> None:
    await _check(portal)


async def test_in_all_in_one_mode(sqlite_portal: Portal) -> None:
    await _check(sqlite_portal)


async def test_every_keystroke_runs_the_same_statements_on_postgresql(portal: Portal) -> None:
    """Queries of any shape (one word, several, corrections, a split compound) are
    parameters of the same few statements, so each is prepared and planned once per
    connection instead of built and planned anew for every keystroke."""
    article_id = await _published(portal)
    seen: dict[str, set[str]] = {}

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "outbox_message" not in statement:  # the relay shares the engine
            seen.setdefault(typed, set()).add(statement)

    engine = portal.faq.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for typed in ("pass", "forgotten pasword", "open the sign page and choose forg"):
            uow = cast(FaqUoW, portal.faq.uow())
            found = await search.suggest(uow=uow, actor=None, q=typed)
            assert article_id in [r.article.id for r in found], typed
    finally:
        event.remove(engine, "before_cursor_execute", record)
    ranking = [{s for s in statements if "ts_rank_cd" in s} for statements in seen.values()]
    assert all(ranking) and len(set().union(*ranking)) <= 2  # every word; failing that, any
    # Known words, corrections, lexemes, two rankings, the articles and their texts.
    shapes = set().union(*seen.values())
    assert len(shapes) <= 7, sorted(shapes)

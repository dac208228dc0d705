"""The explorer's lists, ranked search with snippets, and suggestions while typing."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput
from portal_faq.content.models import Article, Translation
from portal_faq.content.permissions import reader_filter
from portal_faq.content.service import subtree
from portal_faq.search.query import Plan, plan
from portal_faq.search.text import highlight, snippet
from portal_faq.uow import FaqUoW

SORTS = {
    "newest": (Article.published_at.desc(), Article.updated_at.desc()),
    "popular": (Article.views.desc(), Article.published_at.desc()),
    "helpful": (Article.helpful.desc(), Article.views.desc()),
    "updated": (Article.updated_at.desc(),),
}
MAX_RESULTS = 200  # search answers are ranked; nobody pages past this
SUGGESTIONS = 5


@dataclass
class Result:
    article: Article
    translation: Translation
    title_html: str | None = None
    snippet: str | None = None


@dataclass
class ResultPage:
    items: list[Result]
    total: int
    next_cursor: str | None


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def decode_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o") or not raw[1:].isdigit():
            raise ValueError
        return min(int(raw[1:]), MAX_RESULTS)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            [{"field": "cursor", "message": "Invalid cursor.", "code": "cursor"}]
        ) from exc


async def _filters(
    uow: FaqUoW,
    actor: Actor | None,
    *,
    category: uuid.UUID | None,
    language: str | None,
    state: str,
) -> list[ColumnElement[bool]]:
    where = reader_filter(actor, state)
    if category is not None:
        where.append(Article.category_id.in_(subtree(await uow.content.categories(), category)))
    if language is not None:
        where.append(Article.translations.any(Translation.language == language))
    return where


async def _plan(uow: FaqUoW, text: str, *, prefix_last: bool) -> Plan:
    return await plan(
        text, known=uow.search.known, similar=uow.search.similar, prefix_last=prefix_last
    )


def in_language(article: Article, prefer: str | None, found: Translation) -> Translation:
    """The text to show: in the reader's language when the article has one, else the
    one found (its other language)."""
    if prefer is None or found.language == prefer:
        return found
    return next((t for t in article.translations if t.language == prefer), found)


async def _ranked(
    uow: FaqUoW,
    the_plan: Plan,
    where: list[ColumnElement[bool]],
    language: str | None,
    limit: int,
    prefer: str | None = None,
) -> list[tuple[Article, Translation]]:
    """The best translations, one per article (only the caller's `language` when asked),
    each shown in the reader's language `prefer` when the article has that text."""
    if language is not None:
        where = [*where, Translation.language == language]
    hits = await uow.search.ranked(the_plan, where, limit=limit * 2)
    best: dict[uuid.UUID, int] = {}
    for hit in hits:
        best.setdefault(hit.article_id, hit.translation_id)
    chosen = list(best.items())[:limit]
    articles = await uow.content.articles([a for a, _ in chosen])  # with their translations
    return [
        (
            articles[a],
            in_language(
                articles[a], prefer, next(x for x in articles[a].translations if x.id == t)
            ),
        )
        for a, t in chosen
    ]


async def search(
    *,
    uow: FaqUoW,
    actor: Actor | None,
    q: str | None,
    category: uuid.UUID | None = None,
    language: str | None = None,
    prefer: str | None = None,
    state: str = "published",
    sort: str = "newest",
    cursor: str | None = None,
    limit: int = 20,
) -> ResultPage:
    """Articles the reader may see; `language` keeps those with a text in it, `prefer`
    (the reader's language) chooses which text each article is shown in."""
    offset = decode_offset(cursor)
    async with uow:
        where = await _filters(uow, actor, category=category, language=language, state=state)
        the_plan = await _plan(uow, q, prefix_last=False) if q else None
        if the_plan is None or not the_plan.groups:
            total = await uow.content.count(where)
            articles = await uow.content.page(where, order=SORTS[sort], offset=offset, limit=limit)
            items = [Result(a, a.translation(language or prefer)) for a in articles]
        else:
            ranked = await _ranked(uow, the_plan, where, language, MAX_RESULTS, prefer)
            total = len(ranked)
            stems, prefixes = the_plan.stems(), the_plan.prefixes()
            items = [
                Result(
                    a,
                    t,
                    title_html=highlight(t.title, stems, prefixes),
                    snippet=snippet(t.body_text, stems, prefixes),
                )
                for a, t in ranked[offset : offset + limit]
            ]
    more = offset + len(items) < total
    return ResultPage(items, total, encode_offset(offset + len(items)) if more else None)


async def suggest(
    *,
    uow: FaqUoW,
    actor: Actor | None,
    q: str,
    language: str | None = None,
    prefer: str | None = None,
) -> list[Result]:
    """The best published articles for a title being typed (the last word may be
    unfinished, so it matches as a prefix), in `language` only when one is given."""
    async with uow:
        the_plan = await _plan(uow, q, prefix_last=not q.endswith(" "))
        if not the_plan.groups:
            return []
        where = await _filters(uow, actor, category=None, language=None, state="published")
        ranked = await _ranked(uow, the_plan, where, language, SUGGESTIONS, prefer)
    stems, prefixes = the_plan.stems(), the_plan.prefixes()
    return [
        Result(a, t, title_html=highlight(t.title, stems, prefixes))
        for a, t in ranked[:SUGGESTIONS]
    ]

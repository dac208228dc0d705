"""Authoring and reading the knowledge base."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.orm.attributes import set_committed_value

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_faq.content import markdown
from portal_faq.content.events import ArticlePublished
from portal_faq.content.models import Article, Category, Revision, State, Translation
from portal_faq.content.permissions import can_read, reader_filter
from portal_faq.content.schemas import (
    ArticleCreate,
    ArticleUpdate,
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
)
from portal_faq.uow import FaqUoW


def _now() -> datetime:
    return datetime.now(UTC)


def _invalid(field: str, message: str, code: str) -> InvalidInput:
    return InvalidInput([{"field": field, "message": message, "code": code}])


# -- categories -------------------------------------------------------------------


def subtree(categories: Iterable[Category], root: uuid.UUID) -> set[uuid.UUID]:
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for c in categories:
        children.setdefault(c.parent_id, []).append(c.id)
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


async def category_tree(*, uow: FaqUoW, actor: Actor | None) -> list[CategoryRead]:
    async with uow:
        categories = await uow.content.categories()
        counts = await uow.content.counts_by_category(reader_filter(actor))
    return [
        CategoryRead(
            id=c.id,
            name=c.name,
            parent_id=c.parent_id,
            position=c.position,
            article_count=counts.get(c.id, 0),
            total_count=sum(counts.get(i, 0) for i in subtree(categories, c.id)),
        )
        for c in categories
    ]


async def create_category(*, uow: FaqUoW, data: CategoryCreate) -> Category:
    async with uow:
        if data.parent_id is not None and await uow.content.category(data.parent_id) is None:
            raise _invalid("parent_id", "No such category.", "unknown")
        category = Category(name=data.name, parent_id=data.parent_id, position=data.position)
        uow.content.add(category)
        await uow.commit()
    return category


async def update_category(*, uow: FaqUoW, category_id: uuid.UUID, data: CategoryUpdate) -> Category:
    async with uow:
        category = await uow.content.category(category_id, lock=True)
        if category is None:
            raise NotFound("No such category.")
        changes = data.model_dump(exclude_unset=True)
        if "parent_id" in changes and changes["parent_id"] is not None:
            parent = changes["parent_id"]
            if await uow.content.category(parent) is None:
                raise _invalid("parent_id", "No such category.", "unknown")
            if parent in subtree(await uow.content.categories(), category.id):
                raise _invalid("parent_id", "A category cannot move below itself.", "cycle")
        for name, value in changes.items():
            if name != "name" or value is not None:
                setattr(category, name, value)
        await uow.commit()
    return category


async def delete_category(*, uow: FaqUoW, category_id: uuid.UUID) -> None:
    async with uow:
        category = await uow.content.category(category_id, lock=True)
        if category is None:
            raise NotFound("No such category.")
        if await uow.content.category_in_use(category_id):
            raise Conflict("Move or delete its articles and subcategories first.")
        await uow.content.delete_category(category)
        await uow.commit()


# -- articles ---------------------------------------------------------------------


async def _check_references(
    uow: FaqUoW, category_id: uuid.UUID | None, related: list[uuid.UUID] | None
) -> None:
    if category_id is not None and await uow.content.category(category_id) is None:
        raise _invalid("category_id", "No such category.", "unknown")
    if related:
        found = await uow.content.articles(related)
        missing = [str(r) for r in related if r not in found]
        if missing:
            raise _invalid("related_ids", f"No such article: {', '.join(missing)}.", "unknown")


async def _write_text(
    uow: FaqUoW,
    article: Article,
    actor: Actor,
    *,
    language: str,
    title: str | None,
    body: str | None,
    keywords: str | None,
) -> Translation:
    """Save the article's text in `language` as a new revision and index it."""
    translation = next((t for t in article.translations if t.language == language), None)
    if translation is None:
        if title is None or body is None:
            raise _invalid(
                "title" if title is None else "body",
                f"A new {language} text needs a title and a body.",
                "missing",
            )
        translation = Translation(language=language, title=title, body=body, keywords="")
        article.translations.append(translation)
    if title is not None:
        translation.title = title
    if body is not None:
        translation.body = body
    if keywords is not None:
        translation.keywords = keywords
    translation.body_html = markdown.render(translation.body)
    translation.body_text = markdown.plain_text(translation.body_html)
    translation.updated_at = _now()
    uow.content.add(
        Revision(
            article_id=article.id,
            language=language,
            title=translation.title,
            body=translation.body,
            keywords=translation.keywords,
            author_id=actor.id,
        )
    )
    await uow.content.flush()
    await uow.search.index(translation)
    return translation


def _joined(keywords: str | list[str] | None) -> str | None:
    """Keywords as the schema's validator left them: one comma-separated string."""
    return keywords if keywords is None or isinstance(keywords, str) else ", ".join(keywords)


def _announce(article: Article, translation: Translation) -> None:
    assert article.published_at is not None
    article.record(
        ArticlePublished(
            id=article.id,
            title=translation.title,
            category_id=article.category_id,
            language=translation.language,
            visibility=article.visibility.value,
            published_at=article.published_at,
        )
    )


async def create_article(*, uow: FaqUoW, actor: Actor, data: ArticleCreate) -> Article:
    async with uow:
        await _check_references(uow, data.category_id, data.related_ids)
        now = _now()
        article = Article(
            id=uuid.uuid4(),
            category_id=data.category_id,
            visibility=data.visibility,
            state=data.state,
            created_by=actor.id,
            created_at=now,
            updated_at=now,
            published_at=now if data.state == State.PUBLISHED else None,
            translations=[],
        )
        uow.content.add(article)
        translation = await _write_text(
            uow,
            article,
            actor,
            language=data.language,
            title=data.title,
            body=data.body,
            keywords=_joined(data.keywords) or "",
        )
        await uow.content.set_related(article.id, data.related_ids)
        if article.state == State.PUBLISHED:
            _announce(article, translation)
        await uow.commit()
    return article


async def _staff_article(uow: FaqUoW, article_id: uuid.UUID, *, lock: bool = True) -> Article:
    """The article an author works on, locked against concurrent changes and deletion
    (one that is deleted meanwhile is not found)."""
    article = await uow.content.article(article_id, lock=lock)
    if article is None:
        raise NotFound("No such article.")
    return article


async def update_article(
    *, uow: FaqUoW, actor: Actor, article_id: uuid.UUID, data: ArticleUpdate
) -> Article:
    async with uow:
        article = await _staff_article(uow, article_id)
        await _check_references(uow, data.category_id, data.related_ids)
        if data.category_id is not None:
            article.category_id = data.category_id
        if data.visibility is not None:
            article.visibility = data.visibility
        if data.related_ids is not None:
            await uow.content.set_related(article.id, data.related_ids)
        texts = (data.title, data.body, data.keywords)
        translation = article.translation(data.language)
        if any(t is not None for t in texts):
            translation = await _write_text(
                uow,
                article,
                actor,
                language=data.language or translation.language,
                title=data.title,
                body=data.body,
                keywords=_joined(data.keywords),
            )
        article.updated_at = _now()
        if article.state == State.PUBLISHED:
            _announce(article, translation)  # republished: readers may want to know
        await uow.commit()
    return article


async def set_state(*, uow: FaqUoW, article_id: uuid.UUID, state: State) -> Article:
    async with uow:
        article = await _staff_article(uow, article_id)
        if article.state != state:
            article.state = state
            article.updated_at = _now()
            if state == State.PUBLISHED:
                article.published_at = article.updated_at
                _announce(article, article.translation(None))
        await uow.commit()
    return article


async def delete_article(*, uow: FaqUoW, article_id: uuid.UUID) -> None:
    async with uow:
        article = await _staff_article(uow, article_id)
        await uow.search.unindex(await uow.content.delete_article(article))
        await uow.commit()


async def revisions(*, uow: FaqUoW, article_id: uuid.UUID) -> list[Revision]:
    async with uow:
        await _staff_article(uow, article_id, lock=False)
        return await uow.content.revisions(article_id)


# -- reading ----------------------------------------------------------------------


async def readable_article(
    uow: FaqUoW, actor: Actor | None, article_id: uuid.UUID, *, lock: bool = False
) -> Article:
    """The article if the caller may read it; otherwise it does not exist for them."""
    article = await uow.content.article(article_id, lock=lock)
    if article is None or not can_read(actor, article):
        raise NotFound("No such article.")
    return article


async def read_article(
    *, uow: FaqUoW, actor: Actor | None, article_id: uuid.UUID
) -> tuple[Article, list[Article], bool | None]:
    """The article (its view counted), the related ones the caller may read, and the
    caller's vote."""
    async with uow:
        article = await readable_article(uow, actor, article_id)
        views = await uow.content.count_view(article.id)
        if views is None:
            raise NotFound("No such article.")  # deleted while it was being read
        await uow.commit()
        set_committed_value(article, "views", views)
        related = await uow.content.articles(await uow.content.related_ids(article.id))
        vote = await uow.content.vote(article.id, actor.id) if actor else None
    visible = [r for r in related.values() if can_read(actor, r) and r.state == State.PUBLISHED]
    return article, visible, vote.helpful if vote else None


async def vote(*, uow: FaqUoW, actor: Actor, article_id: uuid.UUID, helpful: bool) -> Article:
    async with uow:
        # Locked: the recount sees every other vote, and a deletion meanwhile is a 404.
        article = await readable_article(uow, actor, article_id, lock=True)
        await uow.content.put_vote(article.id, actor.id, helpful)
        await uow.content.recount_votes(article)
        await uow.commit()
    return article

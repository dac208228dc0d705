from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_faq.content.models import Article, Category, Related, Revision, Vote


class ContentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, obj: object) -> None:
        self.session.add(obj)

    async def flush(self) -> None:
        await self.session.flush()

    # -- categories ---------------------------------------------------------------

    async def categories(self) -> list[Category]:
        rows = await self.session.scalars(
            select(Category).order_by(Category.position, Category.name)
        )
        return list(rows)

    async def category(self, category_id: uuid.UUID, *, lock: bool = False) -> Category | None:
        if lock and not await self._lock(Category, Category.position, category_id):
            return None
        return await self.session.get(Category, category_id, populate_existing=lock)

    async def delete_category(self, category: Category) -> None:
        await self.session.delete(category)

    async def category_in_use(self, category_id: uuid.UUID) -> bool:
        child = await self.session.scalar(
            select(Category.id).where(Category.parent_id == category_id).limit(1)
        )
        article = await self.session.scalar(
            select(Article.id).where(Article.category_id == category_id).limit(1)
        )
        return child is not None or article is not None

    async def counts_by_category(self, where: list[ColumnElement[bool]]) -> dict[uuid.UUID, int]:
        rows = await self.session.execute(
            select(Article.category_id, func.count()).where(*where).group_by(Article.category_id)
        )
        return {c: n for c, n in rows.all()}

    # -- articles -----------------------------------------------------------------

    async def article(self, article_id: uuid.UUID, *, lock: bool = False) -> Article | None:
        """The article; with `lock`, held until the unit ends, so that authors' changes
        to it (and its deletion) run one after the other instead of one writing into a
        row another has just removed."""
        if lock and not await self._lock(Article, Article.updated_at, article_id):
            return None
        return await self.session.get(Article, article_id, populate_existing=lock)

    async def _lock(
        self, model: type[Article] | type[Category], column: Any, row_id: uuid.UUID
    ) -> bool:
        """Lock one row for the rest of the transaction; False when it does not exist.
        An UPDATE that changes nothing locks on both backends: the row on PostgreSQL,
        the one writer's slot on SQLite (which has no SELECT ... FOR UPDATE)."""
        result = await self.session.execute(
            update(model)
            .where(model.id == row_id)
            .values({column: column})
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def articles(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Article]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Article).where(Article.id.in_(ids)))
        return {a.id: a for a in rows}

    async def page(
        self, where: list[ColumnElement[bool]], *, order: Sequence[Any], offset: int, limit: int
    ) -> list[Article]:
        rows = await self.session.scalars(
            select(Article).where(*where).order_by(*order, Article.id).offset(offset).limit(limit)
        )
        return list(rows)

    async def count(self, where: list[ColumnElement[bool]]) -> int:
        return (
            await self.session.scalar(select(func.count()).select_from(Article).where(*where)) or 0
        )

    async def delete_article(self, article: Article) -> list[int]:
        translation_ids = [t.id for t in article.translations]
        await self.session.delete(article)
        return translation_ids

    async def count_view(self, article_id: uuid.UUID) -> int | None:
        """The views after counting this one (None when the article was deleted
        meanwhile). One UPDATE, so that concurrent readers never lose each other's views."""
        return await self.session.scalar(
            update(Article)
            .where(Article.id == article_id)
            .values(views=Article.views + 1)
            .returning(Article.views)
            .execution_options(synchronize_session=False)
        )

    # -- translations and revisions -----------------------------------------------

    async def revisions(self, article_id: uuid.UUID) -> list[Revision]:
        rows = await self.session.scalars(
            select(Revision)
            .where(Revision.article_id == article_id)
            .order_by(Revision.created_at.desc(), Revision.id)
        )
        return list(rows)

    # -- related articles ---------------------------------------------------------

    async def related_ids(self, article_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.session.scalars(
            select(Related.related_id).where(Related.article_id == article_id)
        )
        return list(rows)

    async def set_related(self, article_id: uuid.UUID, related: Sequence[uuid.UUID]) -> None:
        await self.session.execute(delete(Related).where(Related.article_id == article_id))
        for other in dict.fromkeys(related):
            if other != article_id:
                self.session.add(Related(article_id=article_id, related_id=other))

    # -- votes --------------------------------------------------------------------

    async def vote(self, article_id: uuid.UUID, user_id: uuid.UUID) -> Vote | None:
        return await self.session.get(Vote, (article_id, user_id))

    async def put_vote(self, article_id: uuid.UUID, user_id: uuid.UUID, helpful: bool) -> None:
        """Record or change the user's answer in one statement, so that two clicks at
        once cannot both insert."""
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(Vote).values(article_id=article_id, user_id=user_id, helpful=helpful)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["article_id", "user_id"], set_={"helpful": helpful}
            )
        )

    async def recount_votes(self, article: Article) -> None:
        rows = await self.session.execute(
            select(Vote.helpful, func.count())
            .where(Vote.article_id == article.id)
            .group_by(Vote.helpful)
        )
        counts = dict(rows.all())
        article.helpful = counts.get(True, 0)
        article.not_helpful = counts.get(False, 0)

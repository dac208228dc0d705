"""The faq service as the pages use it: categories, the article list and search, one
article, and a reader's vote."""

from __future__ import annotations

from portal_gateway.web.clients.base import Page, Result, ServiceClient


class Category(Result):
    id: str
    parent_id: str | None = None
    # Where the explorer shows it in the tree (0: a top category); the service sends none.
    depth: int = 0


class Categories(Result):
    items: list[Category] = []


class ArticleSummary(Result):
    id: str


class Articles(Page):
    items: list[ArticleSummary] = []


class Article(Result):
    id: str
    language: str | None = None


class FaqClient(ServiceClient):
    service = "faq"

    async def categories(self) -> list[Category]:
        return (await self.get(Categories, "/api/v1/faq/categories")).items

    async def articles(
        self,
        *,
        sort: str,
        prefer: str,
        limit: int = 20,
        q: str | None = None,
        category: str | None = None,
        cursor: str | None = None,
    ) -> Articles:
        """One page of articles, each in `prefer` where it has that text."""
        params = {"sort": sort, "limit": str(limit), "prefer": prefer}
        if q:
            params["q"] = q
        if category:
            params["category"] = category
        if cursor:
            params["cursor"] = cursor
        return await self.get(Articles, "/api/v1/faq/articles", params=params)

    async def article(self, article_id: str, *, language: str) -> Article:
        path = f"/api/v1/faq/articles/{article_id}"
        return await self.get(Article, path, params={"language": language})

    async def vote(self, article_id: str, *, helpful: bool) -> None:
        path = f"/api/v1/faq/articles/{article_id}/vote"
        await self.act("PUT", path, json={"helpful": helpful})

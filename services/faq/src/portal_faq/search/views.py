from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from portal_chassis.auth import OptionalActorDep
from portal_chassis.scopes import area_scope
from portal_faq.content.schemas import ArticleList, ArticleSummary, Suggestion, SuggestionList
from portal_faq.deps import LanguageQuery, PreferQuery, UoWDep
from portal_faq.search import service
from portal_faq.search.service import Result

router = APIRouter(prefix="/api/v1/faq", tags=["faq"], dependencies=[Depends(area_scope("faq"))])


def _summary(result: Result) -> ArticleSummary:
    a, t = result.article, result.translation
    return ArticleSummary(
        id=a.id,
        category_id=a.category_id,
        language=t.language,
        languages=a.languages,
        title=t.title,
        title_html=result.title_html,
        snippet=result.snippet,
        visibility=a.visibility,
        state=a.state,
        views=a.views,
        helpful=a.helpful,
        published_at=a.published_at,
        updated_at=a.updated_at,
    )


@router.get("/articles", response_model=ArticleList)
async def list_articles(
    actor: OptionalActorDep,
    uow: UoWDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    category: uuid.UUID | None = None,
    language: LanguageQuery = None,
    prefer: PreferQuery = None,
    sort: Literal["newest", "popular", "helpful", "updated"] = "newest",
    state: Annotated[
        Literal["published", "draft", "all"],
        Query(description="drafts are listed for the service desk only"),
    ] = "published",
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> ArticleList:
    """The explorer: articles the caller may read, in a category (and its subcategories),
    newest or most viewed first; with `q`, ranked full-text search with marked snippets."""
    page = await service.search(
        uow=uow,
        actor=actor,
        q=q,
        category=category,
        language=language,
        prefer=prefer,
        state=state,
        sort=sort,
        cursor=cursor,
        limit=limit,
    )
    return ArticleList(
        items=[_summary(r) for r in page.items], total=page.total, next_cursor=page.next_cursor
    )


@router.get("/suggest", response_model=SuggestionList)
async def suggest(
    actor: OptionalActorDep,
    uow: UoWDep,
    q: Annotated[str, Query(max_length=200)],
    language: LanguageQuery = None,
    prefer: PreferQuery = None,
) -> SuggestionList:
    """Up to five published articles for a ticket title being typed."""
    results = await service.suggest(uow=uow, actor=actor, q=q, language=language, prefer=prefer)
    return SuggestionList(
        items=[
            Suggestion(
                id=r.article.id,
                title=r.translation.title,
                title_html=r.title_html or "",
                language=r.translation.language,
            )
            for r in results
        ]
    )

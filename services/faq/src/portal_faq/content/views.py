from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Response

from portal_chassis.auth import ActorDep, OptionalActorDep, StaffDep
from portal_chassis.scopes import area_scope
from portal_faq.content import service
from portal_faq.content.models import Article, State
from portal_faq.content.schemas import (
    ArticleCreate,
    ArticleRead,
    ArticleUpdate,
    CategoryCreate,
    CategoryList,
    CategoryRead,
    CategoryUpdate,
    RelatedRead,
    RevisionList,
    RevisionRead,
    VoteCreate,
    VoteRead,
)
from portal_faq.deps import LanguageQuery, UoWDep

router = APIRouter(prefix="/api/v1/faq", tags=["faq"], dependencies=[Depends(area_scope("faq"))])


def article_read(
    article: Article,
    *,
    language: str | None = None,
    related: list[Article] = (),  # type: ignore[assignment]
    my_vote: bool | None = None,
    for_author: bool = False,
) -> ArticleRead:
    text = article.translation(language)
    return ArticleRead(
        id=article.id,
        category_id=article.category_id,
        visibility=article.visibility,
        state=article.state,
        language=text.language,
        languages=article.languages,
        title=text.title,
        body_html=text.body_html,
        body=text.body if for_author else None,
        keywords=text.keywords,
        created_at=article.created_at,
        updated_at=article.updated_at,
        published_at=article.published_at,
        views=article.views,
        helpful=article.helpful,
        not_helpful=article.not_helpful,
        my_vote=my_vote,
        related=[_related(r, language) for r in related],
    )


def _related(article: Article, language: str | None) -> RelatedRead:
    text = article.translation(language)
    return RelatedRead(id=article.id, title=text.title, language=text.language)


@router.get("/categories", response_model=CategoryList)
async def list_categories(actor: OptionalActorDep, uow: UoWDep) -> CategoryList:
    """The category tree (flat, with `parent_id`) and how many articles the caller may
    read in each."""
    return CategoryList(items=await service.category_tree(uow=uow, actor=actor))


@router.post("/categories", status_code=201, response_model=CategoryRead)
async def create_category(data: CategoryCreate, actor: StaffDep, uow: UoWDep) -> CategoryRead:
    c = await service.create_category(uow=uow, data=data)
    return CategoryRead(
        id=c.id,
        name=c.name,
        parent_id=c.parent_id,
        position=c.position,
        article_count=0,
        total_count=0,
    )


@router.patch("/categories/{category_id}", response_model=CategoryRead)
async def update_category(
    category_id: uuid.UUID, data: CategoryUpdate, actor: StaffDep, uow: UoWDep
) -> CategoryRead:
    await service.update_category(uow=uow, category_id=category_id, data=data)
    tree = await service.category_tree(uow=uow, actor=actor)
    return next(c for c in tree if c.id == category_id)


@router.delete("/categories/{category_id}", status_code=204)
async def delete_category(category_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> Response:
    await service.delete_category(uow=uow, category_id=category_id)
    return Response(status_code=204)


@router.post("/articles", status_code=201, response_model=ArticleRead)
async def create_article(data: ArticleCreate, actor: StaffDep, uow: UoWDep) -> ArticleRead:
    article = await service.create_article(uow=uow, actor=actor, data=data)
    return article_read(article, for_author=True)


@router.get("/articles/{article_id}", response_model=ArticleRead)
async def read_article(
    article_id: uuid.UUID, actor: OptionalActorDep, uow: UoWDep, language: LanguageQuery = None
) -> ArticleRead:
    """One article in `language` (else its first language); counts a view. Articles the
    caller may not read do not exist for them (404)."""
    article, related, vote = await service.read_article(uow=uow, actor=actor, article_id=article_id)
    return article_read(
        article,
        language=language,
        related=related,
        my_vote=vote,
        for_author=actor is not None and actor.is_staff,
    )


@router.patch("/articles/{article_id}", response_model=ArticleRead)
async def update_article(
    article_id: uuid.UUID, data: ArticleUpdate, actor: StaffDep, uow: UoWDep
) -> ArticleRead:
    article = await service.update_article(uow=uow, actor=actor, article_id=article_id, data=data)
    return article_read(article, language=data.language, for_author=True)


@router.post("/articles/{article_id}/publish", response_model=ArticleRead)
async def publish(article_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> ArticleRead:
    article = await service.set_state(uow=uow, article_id=article_id, state=State.PUBLISHED)
    return article_read(article, for_author=True)


@router.post("/articles/{article_id}/unpublish", response_model=ArticleRead)
async def unpublish(article_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> ArticleRead:
    article = await service.set_state(uow=uow, article_id=article_id, state=State.DRAFT)
    return article_read(article, for_author=True)


@router.delete("/articles/{article_id}", status_code=204)
async def delete_article(article_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> Response:
    await service.delete_article(uow=uow, article_id=article_id)
    return Response(status_code=204)


@router.get("/articles/{article_id}/revisions", response_model=RevisionList)
async def list_revisions(article_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> RevisionList:
    revisions = await service.revisions(uow=uow, article_id=article_id)
    return RevisionList(items=[RevisionRead.model_validate(r) for r in revisions])


@router.put("/articles/{article_id}/vote", response_model=VoteRead)
async def vote(article_id: uuid.UUID, data: VoteCreate, actor: ActorDep, uow: UoWDep) -> VoteRead:
    """ "Was this helpful?": one answer per user; answering again changes it."""
    article = await service.vote(uow=uow, actor=actor, article_id=article_id, helpful=data.helpful)
    return VoteRead(helpful=article.helpful, not_helpful=article.not_helpful, my_vote=data.helpful)

"""The knowledge base in the browser: explorer, search and article pages."""

from __future__ import annotations

from contextlib import suppress
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.faq import Articles, Category, FaqClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import LANGUAGES, language

SORTS = ("newest", "popular", "helpful")

router = APIRouter(include_in_schema=False)


def _article_language(value: object) -> str | None:
    """An article text the reader chose on purpose (`?language=`), if it is one."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def _tree(categories: list[Category]) -> list[Category]:
    """Categories in display order with their depth, children after their parent."""
    children: dict[str | None, list[Category]] = {}
    for c in categories:
        children.setdefault(c.parent_id, []).append(c)
    ordered: list[Category] = []

    def walk(parent: str | None, depth: int) -> None:
        for c in children.get(parent, []):
            ordered.append(c.model_copy(update={"depth": depth}))
            walk(c.id, depth + 1)

    walk(None, 0)
    return ordered


@router.get("/faq")
async def explorer(request: Request, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    faq = web.client(FaqClient, viewer)
    query = request.query_params
    q = query.get("q", "").strip()[:200]
    sort = query.get("sort") if query.get("sort") in SORTS else "newest"
    category = query.get("category")
    category = category if category and is_uuid(category) else None
    cursor = query.get("cursor")
    try:
        tree = _tree(await faq.categories())
    except ServiceError:
        tree = []
    try:
        # Each article in the page's language, else in its other one (marked on the page).
        page = await faq.articles(
            sort=str(sort),
            prefer=language(request),
            q=q or None,
            category=category,
            cursor=cursor[:100] if cursor else None,
        )
    except ServiceError:
        page = Articles(items=[], total=0)
    return web.render(
        request,
        "faq/explorer.html",
        viewer=viewer,
        q=q,
        sort=sort,
        category=category,
        categories=tree,
        current=next((c for c in tree if c.id == category), None),
        page=page,
    )


@router.get("/faq/{article_id}")
async def article(request: Request, article_id: str, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    if not is_uuid(article_id):
        return web.render(request, "faq/missing.html", 404, viewer=viewer)
    chosen = _article_language(request.query_params.get("language"))
    try:
        found = await web.client(FaqClient, viewer).article(
            article_id, language=chosen or language(request)
        )
    except ServiceError:
        return web.render(request, "faq/missing.html", 404, viewer=viewer)
    return web.render(
        request,
        "faq/article.html",
        viewer=viewer,
        article=found,
        chosen=chosen,
        voted=request.query_params.get("voted") == "1",
    )


@router.post("/faq/{article_id}/vote")
async def vote(request: Request, article_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    form = await request.form()
    target = f"/faq/{article_id}" if is_uuid(article_id) else "/faq"
    # Back to the same page: its language, and the article text chosen on purpose.
    lang = form.get("lang")
    back = {"lang": lang if lang in LANGUAGES else language(request)}
    if chosen := _article_language(form.get("language")):
        back["language"] = chosen
    if viewer.actor is None:
        return RedirectResponse(f"/login?next={target}", status_code=303)
    if not web.sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
        return RedirectResponse(target, status_code=303)
    # A vote that fails leaves the article's votes as they were; the page shows them.
    with suppress(ServiceError):
        await web.client(FaqClient, viewer).vote(article_id, helpful=form.get("helpful") == "yes")
    response = RedirectResponse(f"{target}?{urlencode({'voted': '1', **back})}", status_code=303)
    web.keep_session(request, response, viewer)
    return response

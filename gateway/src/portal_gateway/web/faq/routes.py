"""The knowledge base in the browser: explorer, search and article pages."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_gateway.web.base import Web, is_uuid
from portal_gateway.web.i18n import language

SORTS = ("newest", "popular", "helpful")
LANGUAGES = ("de", "en")


def _article_language(value: object) -> str | None:
    """An article text the reader chose on purpose (`?language=`), if it is one."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def _tree(categories: list[dict]) -> list[dict]:
    """Categories in display order with their depth, children after their parent."""
    children: dict[str | None, list[dict]] = {}
    for c in categories:
        children.setdefault(c["parent_id"], []).append(c)
    ordered: list[dict] = []

    def walk(parent: str | None, depth: int) -> None:
        for c in children.get(parent, []):
            ordered.append({**c, "depth": depth})
            walk(c["id"], depth + 1)

    walk(None, 0)
    return ordered


def faq_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/faq")
    async def explorer(request: Request) -> HTMLResponse:
        viewer = await web.viewer(request)
        query = request.query_params
        q = query.get("q", "").strip()[:200]
        sort = query.get("sort") if query.get("sort") in SORTS else "newest"
        # Each article in the page's language, else in its other one (marked on the page).
        params: dict[str, str] = {"sort": sort, "limit": "20", "prefer": language(request)}
        if q:
            params["q"] = q
        category = query.get("category")
        if category and is_uuid(category):
            params["category"] = category
        if cursor := query.get("cursor"):
            params["cursor"] = cursor[:100]
        categories = await web.api(viewer, "faq", "GET", "/api/v1/faq/categories")
        articles = await web.api(viewer, "faq", "GET", "/api/v1/faq/articles", params=params)
        page = articles.json() if articles.status_code == 200 else {"items": [], "total": 0}
        tree = _tree(categories.json()["items"]) if categories.status_code == 200 else []
        return web.render(
            request,
            "faq/explorer.html",
            viewer=viewer,
            q=q,
            sort=sort,
            category=params.get("category"),
            categories=tree,
            current=next((c for c in tree if c["id"] == params.get("category")), None),
            page=page,
        )

    @router.get("/faq/{article_id}")
    async def article(request: Request, article_id: str) -> HTMLResponse:
        viewer = await web.viewer(request)
        if not is_uuid(article_id):
            return web.render(request, "faq/missing.html", 404, viewer=viewer)
        chosen = _article_language(request.query_params.get("language"))
        r = await web.api(
            viewer,
            "faq",
            "GET",
            f"/api/v1/faq/articles/{article_id}",
            params={"language": chosen or language(request)},
        )
        if r.status_code != 200:
            return web.render(request, "faq/missing.html", 404, viewer=viewer)
        return web.render(
            request,
            "faq/article.html",
            viewer=viewer,
            article=r.json(),
            chosen=chosen,
            voted=request.query_params.get("voted") == "1",
        )

    @router.post("/faq/{article_id}/vote")
    async def vote(request: Request, article_id: str) -> Response:
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
        await web.api(
            viewer,
            "faq",
            "PUT",
            f"/api/v1/faq/articles/{article_id}/vote",
            json={"helpful": form.get("helpful") == "yes"},
        )
        response = RedirectResponse(
            f"{target}?{urlencode({'voted': '1', **back})}", status_code=303
        )
        web.keep_session(request, response, viewer)
        return response

    return router

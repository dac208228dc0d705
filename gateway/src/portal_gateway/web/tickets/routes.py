"""The ticket lists (scopes, filters, search, counters, saved views, Excel export) and the
new-ticket form (templates, conversation guide, taxonomy, contact, attachments)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_gateway.web.base import (
    Submission,
    Viewer,
    Web,
    is_uuid,
    sign_in_first,
)
from portal_gateway.web.clients.base import problem_messages
from portal_gateway.web.i18n import TEXTS, field_message, language, plural

SCOPES = ("mine", "organization")
STATES = ("all", "open", "closed")
# The first click on a column sorts newest (or most urgent) first.
FIRST_SORT = {"number": "-number", "priority": "priority", "created": "-created"}
SORTS = {f"{sign}{key}" for key in (*FIRST_SORT, "updated") for sign in ("", "-")}
PORTAL_STATUSES = ("in_progress", "answer_expected", "closed", "postponed")
PRIORITIES = ("P1", "P2", "P3", "P4")
CATEGORIES = ("incident", "service_request", "change_request", "question")
GROUPS = ("incident_report", "service_request", "change_request")
PAGE_SIZE = 25
MAX_ATTACHMENTS = 4
MAX_QUERY = 200
AGE_UNITS = (
    (365 * 86400, "year"),
    (30 * 86400, "month"),
    (86400, "day"),
    (3600, "hour"),
    (60, "minute"),
)


class MultiMapping(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


def _pick(values: Iterable[Any], allowed: tuple[str, ...]) -> tuple[str, ...]:
    chosen = {str(v) for v in values}
    return tuple(a for a in allowed if a in chosen)


@dataclass(frozen=True)
class ListQuery:
    """What a ticket list shows; the same names as the API's query (and a saved view's)."""

    scope: str
    state: str = "all"
    status: tuple[str, ...] = ()
    priority: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    q: str = ""
    sort: str = "-created"

    @classmethod
    def read(cls, source: MultiMapping, default_scope: str) -> ListQuery:
        return cls.of(
            {
                "scope": source.get("scope"),
                "state": source.get("state"),
                "status": source.getlist("status"),
                "priority": source.getlist("priority"),
                "category": source.getlist("category"),
                "q": source.get("q"),
                "sort": source.get("sort"),
            },
            default_scope,
        )

    @classmethod
    def of(cls, data: dict[str, Any], default_scope: str) -> ListQuery:
        q = data.get("q")
        return cls(
            scope=data.get("scope") if data.get("scope") in SCOPES else default_scope,
            state=data.get("state") if data.get("state") in STATES else "all",
            status=_pick(data.get("status") or (), PORTAL_STATUSES),
            priority=_pick(data.get("priority") or (), PRIORITIES),
            category=_pick(data.get("category") or (), CATEGORIES),
            q=q.strip()[:MAX_QUERY] if isinstance(q, str) else "",
            sort=data.get("sort") if data.get("sort") in SORTS else "-created",
        )

    def pairs(self) -> list[tuple[str, str]]:
        pairs = [("scope", self.scope), ("state", self.state)]
        pairs += [("status", s) for s in self.status]
        pairs += [("priority", p) for p in self.priority]
        pairs += [("category", c) for c in self.category]
        if self.q:
            pairs.append(("q", self.q))
        pairs.append(("sort", self.sort))
        return pairs

    def url(self, **changes: Any) -> str:
        return "/tickets?" + urlencode(replace(self, **changes).pairs())

    def saved(self) -> dict[str, Any]:
        """The query as a saved view stores it."""
        return {
            "scope": self.scope,
            "state": self.state,
            "status": list(self.status),
            "priority": list(self.priority),
            "category": list(self.category),
            "q": self.q or None,
            "sort": self.sort,
        }

    def sort_url(self, key: str) -> str:
        if self.sort.lstrip("-") == key:
            return self.url(sort=key if self.sort.startswith("-") else f"-{key}")
        return self.url(sort=FIRST_SORT[key])

    def aria_sort(self, key: str) -> str | None:
        if self.sort.lstrip("-") != key:
            return None
        return "descending" if self.sort.startswith("-") else "ascending"

    @property
    def narrowed(self) -> bool:
        return bool(self.status or self.priority or self.category or self.q)


def age(created_at: str, now: datetime, words: dict[str, str]) -> str:
    """How long ago, in the largest whole unit ("3 days")."""
    try:
        then = datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    seconds = max(0.0, (now - then).total_seconds())
    for size, unit in AGE_UNITS:
        n = int(seconds // size)
        if n >= 1:
            return plural(words, f"tickets_age_{unit}", n)
    return words["tickets_age_now"]


def _json(answer: httpx.Response, default: Any) -> Any:
    if answer.status_code != 200:
        return default
    try:
        return answer.json()
    except ValueError:
        return default


def _problem_errors(answer: httpx.Response) -> list[dict[str, Any]]:
    try:
        body = answer.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    return [e for e in errors or [] if isinstance(e, dict)]


def _failure_status(answer: httpx.Response) -> int:
    return answer.status_code if 400 <= answer.status_code < 500 else 503


# --- The new-ticket form ---------------------------------------------------------------

FORM_FIELDS = (
    "title",
    "description",
    "category",
    "subject_area",
    "subtype",
    "product",
    "asset_id",
    "priority",
    "contact_id",
)
LIMITS = {"title": 200, "description": 100_000, "product": 200, "asset_id": 100}
# What other systems may put into a deep link: query parameter -> form field.
PREFILL = {
    "title": "title",
    "description": "description",
    "product": "product",
    "asset": "asset_id",
}
# The API's field-error codes (and a few guide messages) in the reader's words.
ERROR_CODES = {
    "required": "tickets_err_required",
    "missing": "tickets_err_required",
    "string_too_short": "tickets_err_required",
    "string_too_long": "tickets_err_too_long",
    "enum": "tickets_err_choice",
    "literal_error": "tickets_err_choice",
    "unknown_file": "tickets_err_file",
    "unknown_contact": "tickets_err_contact",
    "unknown_template": "tickets_err_template",
    "no_area": "tickets_err_no_area",
    "unknown_area": "tickets_err_area",
    "unknown_subtype": "tickets_err_subtype",
    "too_many": "tickets_err_too_many",
}
GUIDE_MESSAGES = {
    "Enter a number.": "tickets_err_number",
    "Enter a date as YYYY-MM-DD.": "tickets_err_date",
    "Enter text.": "tickets_err_text",
    "Choose one of": "tickets_err_choice",
    "At most": "tickets_err_too_long",
}


def _field_id(path: str) -> str:
    """The id of the form control an API field error belongs to ("" = the whole form)."""
    head, _, rest = path.partition(".")
    if head == "guide_answers" and rest:
        return f"guide-{rest}"
    if head == "attachment_ids":
        return "attachments"
    return head if head in FORM_FIELDS else ""


def _error_text(error: dict[str, Any], lang: str) -> str:
    words = TEXTS[lang]
    message = str(error.get("message", ""))
    key = ERROR_CODES.get(str(error.get("code", "")))
    if key is None:
        key = next((k for start, k in GUIDE_MESSAGES.items() if message.startswith(start)), None)
    return words[key] if key else field_message(error, lang)


def form_errors(
    answer: httpx.Response, lang: str, *, missing: Iterable[str] = ()
) -> dict[str, str]:
    """A refused ticket as messages by form control, with the general one under "";
    `missing` names controls the page found empty, for those the service did not name."""
    errors: dict[str, str] = {}
    for error in _problem_errors(answer):
        errors.setdefault(_field_id(str(error.get("field", ""))), _error_text(error, lang))
    if answer.status_code == 422:
        for control in missing:
            errors.setdefault(control, TEXTS[lang]["tickets_err_required"])
    errors.setdefault("", problem_messages(answer, lang)[""])
    return errors


@dataclass
class Draft:
    """What the new-ticket form holds: typed values, guide answers and stored files."""

    values: dict[str, str]
    answers: dict[str, str] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)

    def body(self, template: dict[str, Any] | None, template_id: str) -> dict[str, Any]:
        """The API's request body for this draft."""
        v = self.values
        body: dict[str, Any] = {"title": v["title"], "description": v["description"]}
        if v["category"] in CATEGORIES:
            body["category"] = v["category"]
        if v["priority"] in PRIORITIES:
            body["priority"] = v["priority"]
        for name in ("subject_area", "subtype", "product", "asset_id"):
            if v[name]:
                body[name] = v[name]
        if is_uuid(v["contact_id"]):
            body["contact_id"] = v["contact_id"]
        if is_uuid(template_id):
            body["template_id"] = template_id
        if template is not None:
            known = {q["id"] for q in template["guide"]}
            body["guide_answers"] = {k: a for k, a in self.answers.items() if a and k in known}
        body["attachment_ids"] = [a["id"] for a in self.attachments]
        return body

    def missing(self, template: dict[str, Any] | None) -> list[str]:
        """The form controls left empty that must be filled. The service checks the
        guide's answers only once the rest of the body is valid, so a missing title would
        hide them until the next round: the page names them all together."""
        fields = [] if self.values["title"] else ["title"]
        for question in template["guide"] if template else []:
            if question.get("required") and not self.answers.get(question["id"]):
                fields.append(f"guide-{question['id']}")
        return fields


def _guide(template: dict[str, Any] | None, lang: str) -> list[dict[str, Any]]:
    """The template's questions as form fields, labelled in the reader's language."""
    if template is None:
        return []
    return [
        {
            **q,
            "text": (q.get("label_de") if lang == "de" else None) or q["label"],
            "field": f"guide-{q['id']}",
            "name": f"guide_{q['id']}",
        }
        for q in template["guide"]
    ]


def _grouped(templates: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [
        (group, [t for t in templates if t["group"] == group])
        for group in GROUPS
        if any(t["group"] == group for t in templates)
    ]


def ticket_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def default_scope(viewer: Viewer) -> str:
        # The service desk starts with every ticket, customers with their own.
        return "organization" if viewer.is_staff else "mine"

    # --- Lists ---------------------------------------------------------------------

    async def list_page(
        request: Request,
        viewer: Viewer,
        query: ListQuery,
        *,
        cursor: str = "",
        status: int = 200,
        view_errors: dict[str, str] | None = None,
        view_name: str = "",
    ) -> HTMLResponse:
        lang = language(request)
        params = query.pairs()
        page_params = [*params, ("limit", str(PAGE_SIZE))]
        if cursor:
            page_params.append(("cursor", cursor))
        listing, summary, views = await asyncio.gather(
            web.api(viewer, "tickets", "GET", "/api/v1/tickets", params=page_params),
            web.api(
                viewer, "tickets", "GET", "/api/v1/tickets/summary", params={"scope": query.scope}
            ),
            web.api(viewer, "tickets", "GET", "/api/v1/ticket-views"),
        )
        page = _json(listing, {"items": [], "next_cursor": None})
        now = datetime.now(UTC)
        rows = [{**t, "age": age(t["created_at"], now, TEXTS[lang])} for t in page["items"]]
        saved = [
            {**v, "url": ListQuery.of(v["query"], default_scope(viewer)).url()}
            for v in _json(views, {"items": []})["items"]
        ]
        return web.render(
            request,
            "tickets/list.html",
            status,
            viewer=viewer,
            query=query,
            here=query.url(),
            rows=rows,
            next_url=query.url() + "&" + urlencode({"cursor": page["next_cursor"]})
            if page.get("next_cursor")
            else None,
            list_error=None if listing.status_code == 200 else problem_messages(listing, lang)[""],
            summary=_json(summary, None),
            blank=ListQuery(scope=query.scope),
            views=saved,
            view_errors=view_errors or {},
            view_name=view_name,
            export_url="/api/v1/tickets/export.xlsx?" + urlencode([*params, ("lang", lang)]),
            statuses=PORTAL_STATUSES,
            priorities=PRIORITIES,
            categories=CATEGORIES,
        )

    @router.get("/tickets")
    async def tickets(request: Request) -> Response:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return sign_in_first(request)
        query = ListQuery.read(request.query_params, default_scope(viewer))
        cursor = request.query_params.get("cursor", "")[:200]
        return await list_page(request, viewer, query, cursor=cursor)

    @router.post("/tickets/views")
    async def save_view(request: Request) -> Response:
        sub = await web.submission(request)
        viewer = sub.viewer
        if viewer.actor is None:
            return RedirectResponse("/login?next=/tickets", status_code=303)
        query = ListQuery.read(sub.form, default_scope(viewer))
        name = sub.text("name", 100)
        lang = language(request)
        if not sub.csrf_ok:
            errors = {"": TEXTS[lang]["session_expired"]}
            return await list_page(
                request, viewer, query, status=403, view_errors=errors, view_name=name
            )
        answer = await web.api(
            viewer,
            "tickets",
            "POST",
            "/api/v1/ticket-views",
            json={"name": name, "query": query.saved()},
        )
        if answer.status_code == 201:
            return web.redirect(request, viewer, query.url())
        errors = _view_errors(answer, lang)
        return await list_page(
            request,
            viewer,
            query,
            status=_failure_status(answer),
            view_errors=errors,
            view_name=name,
        )

    @router.post("/tickets/views/{view_id}/delete")
    async def delete_view(request: Request, view_id: str) -> Response:
        sub = await web.submission(request)
        if sub.viewer.actor is None:
            return RedirectResponse("/login?next=/tickets", status_code=303)
        if sub.csrf_ok and is_uuid(view_id):
            await web.api(sub.viewer, "tickets", "DELETE", f"/api/v1/ticket-views/{view_id}")
        back = sub.text("back", 2000)
        # Only back to a list of this site, never elsewhere.
        target = back if back.startswith("/tickets?") else "/tickets"
        return web.redirect(request, sub.viewer, target)

    # --- New ticket ----------------------------------------------------------------

    async def templates_of(viewer: Viewer) -> list[dict[str, Any]]:
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-templates")
        return [t for t in _json(answer, {"items": []})["items"] if t.get("active", True)]

    async def taxonomy(viewer: Viewer) -> list[dict[str, Any]]:
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-taxonomy")
        return [a for a in _json(answer, {"items": []})["items"] if a.get("active", True)]

    async def colleagues(viewer: Viewer) -> list[dict[str, Any]]:
        if viewer.actor is None or viewer.is_staff:
            return []
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-contacts")
        me = str(viewer.actor.id)
        return [c for c in _json(answer, {"items": []})["items"] if c["id"] != me]

    async def priority_choice(viewer: Viewer) -> bool:
        """Whether the viewer may choose a priority: the tickets service's rule (only P4
        without a contract for priorities). When in doubt, offer the choice and let the
        tickets service decide on creation."""
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/tickets/priorities")
        return len(_json(answer, {"items": PRIORITIES}).get("items") or PRIORITIES) > 1

    async def stored_files(viewer: Viewer, ids: list[str]) -> list[dict[str, Any]]:
        answers = await asyncio.gather(
            *(web.api(viewer, "files", "GET", f"/api/v1/files/{i}") for i in ids)
        )
        found = [_json(a, {}) for a in answers]
        return [
            {"id": i, "name": f.get("name"), "size": f.get("size")}
            for i, f in zip(ids, found, strict=True)
        ]

    async def read_draft(sub: Submission, template: dict[str, Any] | None) -> Draft:
        values = {name: sub.text(name, LIMITS.get(name, 200)) for name in FORM_FIELDS}
        answers = {
            q["id"]: sub.text(f"guide_{q['id']}", 20_000)
            for q in (template["guide"] if template else [])
        }
        ids = [str(i) for i in sub.form.getlist("attachment_ids") if isinstance(i, str)]
        unique = list(dict.fromkeys(i for i in ids if is_uuid(i)))[:20]
        return Draft(values, answers, await stored_files(sub.viewer, unique))

    async def form_page(
        request: Request,
        viewer: Viewer,
        template: dict[str, Any] | None,
        draft: Draft,
        *,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        areas, contacts, choice = await asyncio.gather(
            taxonomy(viewer), colleagues(viewer), priority_choice(viewer)
        )
        return web.render(
            request,
            "tickets/new.html",
            status,
            viewer=viewer,
            template=template,
            guide=_guide(template, language(request)),
            draft=draft,
            errors=errors or {},
            areas=areas,
            contacts=contacts,
            priority_choice=choice,
            priorities=PRIORITIES,
            categories=CATEGORIES,
            slots=max(0, MAX_ATTACHMENTS - len(draft.attachments)),
        )

    def choose_page(
        request: Request,
        viewer: Viewer,
        templates: list[dict[str, Any]],
        prefill: dict[str, str],
        *,
        unknown: bool = False,
    ) -> HTMLResponse:
        carried = {param: prefill[name] for param, name in PREFILL.items() if prefill[name]}
        return web.render(
            request,
            "tickets/new.html",
            404 if unknown else 200,
            viewer=viewer,
            step=1,
            groups=_grouped(templates),
            carry=("&" + urlencode(carried)) if carried else "",
            unknown=unknown,
        )

    @router.get("/tickets/new")
    async def new_ticket(request: Request) -> Response:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return sign_in_first(request)
        query = request.query_params
        prefill = {
            name: (query.get(param) or "").strip()[: LIMITS[name]]
            for param, name in PREFILL.items()
        }
        templates = await templates_of(viewer)
        chosen = query.get("template")
        if chosen is None and templates:
            return choose_page(request, viewer, templates, prefill)
        template = next((t for t in templates if t["id"] == chosen), None)
        if chosen not in (None, "none") and template is None:
            return choose_page(request, viewer, templates, prefill, unknown=True)
        values = dict.fromkeys(FORM_FIELDS, "")
        values.update(prefill, priority="P4")
        if template is not None:
            values["category"] = template["category"]
            values["subject_area"] = template.get("subject_area") or ""
        return await form_page(request, viewer, template, Draft(values))

    @router.post("/tickets/new")
    async def create_ticket(request: Request) -> Response:
        sub = await web.submission(request)
        viewer = sub.viewer
        if viewer.actor is None:
            return RedirectResponse("/login?next=/tickets/new", status_code=303)
        lang = language(request)
        template_id = sub.text("template_id", 100)
        templates = await templates_of(viewer) if template_id else []
        template = next((t for t in templates if t["id"] == template_id), None)
        draft = await read_draft(sub, template)
        if not sub.csrf_ok:
            errors = {"": TEXTS[lang]["session_expired"]}
            return await form_page(request, viewer, template, draft, errors=errors, status=403)
        answer = await web.api(
            viewer, "tickets", "POST", "/api/v1/tickets", json=draft.body(template, template_id)
        )
        if answer.status_code == 201:
            number = quote(str(answer.json()["number"]), safe="")
            return web.redirect(request, viewer, f"/tickets/{number}?created=1")
        return await form_page(
            request,
            viewer,
            template,
            draft,
            errors=form_errors(answer, lang, missing=draft.missing(template)),
            status=_failure_status(answer),
        )

    return router


def _view_errors(answer: httpx.Response, lang: str) -> dict[str, str]:
    """A refused saved view as messages; its only field is the name."""
    words = TEXTS[lang]
    if answer.status_code == 409:
        return {"": words["tickets_view_exists"], "view-name": words["tickets_view_exists"]}
    messages = {"": problem_messages(answer, lang)[""]}
    for error in _problem_errors(answer):
        if str(error.get("field", "")) == "name":
            too_many = error.get("code") == "too_many"
            key = "tickets_view_too_many" if too_many else "tickets_view_name_needed"
            messages.setdefault("view-name", words[key])
    return messages

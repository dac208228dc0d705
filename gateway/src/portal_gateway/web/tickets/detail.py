"""The ticket page: header, correspondence, reply, the customer's actions, the service
desk's quick changes and the case files. Every form posts to a route of its own, which
redirects back to the page when the service agrees and shows the form again, with what was
typed and the service's messages, when it does not."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from portal_gateway.web.base import (
    Submission,
    Viewer,
    Web,
    is_uuid,
    sign_in_first,
)
from portal_gateway.web.clients.base import problem_messages
from portal_gateway.web.i18n import TEXTS, language

NUMBER = re.compile(r"[A-Za-z0-9_-]{1,32}")
CATEGORIES = ("incident", "service_request", "change_request", "question")
PRIORITIES = ("P1", "P2", "P3", "P4")
STATUSES = (
    "new",
    "open",
    "waiting_internal",
    "waiting_customer",
    "postponed",
    "resolved",
    "closed",
    "cancelled",
)
FINAL_STATUSES = frozenset({"closed", "cancelled"})
NOTICES = frozenset(
    {
        "replied",
        "noted",
        "escalated",
        "closed",
        "cancelled",
        "saved",
        "followed",
        "unfollowed",
        "folder",
        "uploaded",
    }
)
CASE_NOTICES = frozenset({"folder", "uploaded"})
LONG_TEXT = 100_000
MAX_ATTACHMENTS = 20
MAX_FILE_LOOKUPS = 200
# The files service enforces the real limit; this only keeps a huge body from being
# spooled at the edge before the service can refuse it.
UPLOAD_BODY_LIMIT = 11 * 1024 * 1024

# Where each form's fields are on the page: the API's field name -> the input's id.
FIELDS: dict[str, dict[str, str]] = {
    "reply": {"body": "reply-body", "attachment_ids": "attachments", "internal": "reply-internal"},
    "escalate": {"body": "escalate-body"},
    "details": {"category": "ticket-category", "priority": "ticket-priority"},
    "desk": {"status": "ticket-status"},
    "actions": {},
    "folder": {"name": "folder-name", "parent_id": "folder-parent"},
    "upload": {"file": "upload-file"},
}

# The services answer in English; these are the messages the page can say in both.
API_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"The ticket is closed\. Open a new ticket.*"), "td_api_closed_reply"),
    (re.compile(r"The ticket is closed already\."), "td_api_closed_already"),
    (re.compile(r"A closed ticket cannot be escalated\."), "td_api_closed_escalate"),
    (re.compile(r"The ticket is closed; reply to reopen.*"), "td_api_closed_change"),
    (re.compile(r"This ticket was escalated a short while ago.*"), "td_api_escalated_lately"),
    (re.compile(r"No such file\."), "td_api_no_file"),
    (re.compile(r"At most (?P<n>\d+) attachments\."), "td_api_too_many"),
    (re.compile(r"A folder named .* exists there already\."), "td_api_folder_taken"),
    (re.compile(r"No such folder\."), "td_api_no_folder"),
    (re.compile(r"No ticket .*"), "td_api_case_unknown"),
    (re.compile(r"Only the service desk changes this\."), "td_api_staff_only"),
    (
        re.compile(r"Your organization has no priority contract; priority stays P4\."),
        "td_api_no_priority_contract",
    ),
)


@dataclass
class FormState:
    """A form shown again to its writer: which one, what was typed, what went wrong
    (input id -> message, "" for the general message)."""

    name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def values_of(self, name: str) -> dict[str, Any]:
        return self.values if self.name == name else {}

    def errors_of(self, name: str) -> dict[str, str]:
        return self.errors if self.name == name else {}


@dataclass
class Posted:
    """A form posted for a ticket the viewer may see, with a matching CSRF token."""

    request: Request
    submission: Submission
    ticket: dict[str, Any]
    form: str
    values: dict[str, Any]
    lang: str

    @property
    def viewer(self) -> Viewer:
        return self.submission.viewer

    @property
    def number(self) -> str:
        return str(self.ticket["number"])

    @property
    def words(self) -> dict[str, str]:
        return TEXTS[self.lang]


def _say(message: str, lang: str) -> str:
    for pattern, key in API_MESSAGES:
        if found := pattern.fullmatch(message):
            return TEXTS[lang][key].format(**found.groupdict())
    return message


def _messages(answer: httpx.Response, lang: str, fields: dict[str, str]) -> dict[str, str]:
    """The service's refusal as messages for the form's inputs."""
    words = TEXTS[lang]
    if answer.status_code in (413, 415):
        text = words["td_err_too_large" if answer.status_code == 413 else "td_err_type"]
        return {"": text, fields.get("file", ""): text}
    messages: dict[str, str] = {}
    for name, message in problem_messages(answer, lang).items():
        api_field = "attachment_ids" if name.isdigit() else name
        messages.setdefault(fields.get(api_field, "") if name else "", _say(message, lang))
    return messages


def _size(size: int, lang: str) -> str:
    if size < 1024:
        text = f"{size} B"
    elif size < 1024 * 1024:
        text = f"{size / 1024:.0f} KB"
    else:
        text = f"{size / (1024 * 1024):.1f} MB"
    return text.replace(".", ",") if lang == "de" else text


def _file(meta: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "id": meta["id"],
        "name": meta["name"],
        "size": _size(int(meta["size"]), lang),
        "image": str(meta["content_type"]).startswith("image/"),
    }


def _entries(
    ticket: dict[str, Any], articles: list[dict[str, Any]], files: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The correspondence, opened by the ticket's description unless an article carries it
    already (a ticket opened with attachments starts with one)."""
    entries = [
        {
            **a,
            "attachments": [
                files.get(str(i)) or {"id": str(i), "missing": True} for i in a["attachment_ids"]
            ],
        }
        for a in articles
    ]
    first = articles[0] if articles else None
    carried = (
        first is not None
        and first["created_at"] == ticket["created_at"]
        and first["body"] == (ticket["description"] or ticket["title"])
    )
    if ticket["description"] and not carried:
        opening = {
            "id": None,
            "kind": "message",
            "internal": False,
            "body": ticket["description"],
            "author": ticket["creator"],
            "author_organization": ticket["organization"],
            "created_at": ticket["created_at"],
            "attachments": [],
        }
        entries.insert(0, opening)
    return entries


def _tree(folders: list[dict[str, Any]], lang: str) -> tuple[list[dict], list[dict]]:
    """The case-file folders as a tree, and flat in the same order with their depth (for
    the folder choices of the forms)."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    for folder in folders:
        children.setdefault(folder["parent_id"], []).append(folder)
    flat: list[dict[str, Any]] = []

    def build(parent: str | None, depth: int) -> list[dict[str, Any]]:
        nodes = []
        for folder in sorted(children.get(parent, []), key=lambda f: f["name"].lower()):
            flat.append({"id": folder["id"], "name": folder["name"], "depth": depth})
            files = [{**f, "size_text": _size(int(f["size"]), lang)} for f in folder["files"]]
            nodes.append({**folder, "files": files, "children": build(folder["id"], depth + 1)})
        return nodes

    return build(None, 0), flat


def _can(ticket: dict[str, Any], viewer: Viewer) -> dict[str, bool]:
    """Which forms apply to the ticket in its state (the API refuses the others)."""
    closed = ticket["portal_status"] == "closed"
    if viewer.is_staff:
        final = ticket.get("status") in FINAL_STATUSES
        return {
            "reply": True,
            "reopen": False,
            "change": True,
            "escalate": False,
            "close": not final,
            "cancel": not final,
        }
    # A resolved ticket reopens with a reply for a few days; the API says until when.
    reopenable = closed and bool(ticket.get("reopen_until"))
    return {
        "reply": not closed,
        "reopen": reopenable,
        "change": not closed,
        "escalate": not closed,
        "close": not closed or reopenable,
        "cancel": not closed,
    }


def _notice(request: Request) -> str | None:
    if request.query_params.get("created") == "1":
        return "created"
    done = request.query_params.get("done", "")
    return done if done in NOTICES else None


def _reply_values(submission: Submission) -> dict[str, Any]:
    ids = [i for i in submission.form.getlist("attachment_ids") if isinstance(i, str)]
    return {
        "body": submission.text("body", LONG_TEXT),
        "attachment_ids": list(dict.fromkeys(i for i in ids if is_uuid(i)))[:MAX_ATTACHMENTS],
        "internal": submission.form.get("internal") == "1",
    }


def _fields(*names: str, limit: int = 200) -> Callable[[Submission], dict[str, Any]]:
    def read(submission: Submission) -> dict[str, Any]:
        return {name: submission.text(name, limit) for name in names}

    return read


class TicketPages:
    def __init__(self, web: Web) -> None:
        self.web = web

    async def api(
        self, viewer: Viewer, service: str, method: str, path: str, **kwargs: Any
    ) -> httpx.Response:
        return await self.web.api(viewer, service, method, path, **kwargs)

    async def ticket(self, viewer: Viewer, number: str) -> dict[str, Any] | None:
        if not NUMBER.fullmatch(number):
            return None
        answer = await self.api(viewer, "tickets", "GET", f"/api/v1/tickets/{number}")
        return answer.json() if answer.status_code == 200 else None

    def missing(self, request: Request, viewer: Viewer) -> HTMLResponse:
        return self.web.render(request, "tickets/missing.html", 404, viewer=viewer)

    async def files(self, viewer: Viewer, ids: list[str], lang: str) -> dict[str, dict]:
        wanted = list(dict.fromkeys(ids))[:MAX_FILE_LOOKUPS]
        answers = await asyncio.gather(
            *(self.api(viewer, "files", "GET", f"/api/v1/files/{i}") for i in wanted)
        )
        return {
            i: _file(a.json(), lang)
            for i, a in zip(wanted, answers, strict=True)
            if a.status_code == 200
        }

    async def show(
        self,
        request: Request,
        viewer: Viewer,
        ticket: dict[str, Any],
        *,
        status: int = 200,
        form: FormState | None = None,
    ) -> HTMLResponse:
        lang = language(request)
        number = ticket["number"]
        form = form or FormState()
        articles, following, folders = await asyncio.gather(
            self.api(viewer, "tickets", "GET", f"/api/v1/tickets/{number}/articles"),
            self.api(viewer, "tickets", "GET", f"/api/v1/tickets/{number}/follow"),
            self.api(viewer, "files", "GET", f"/api/v1/tickets/{number}/folders"),
        )
        items = articles.json()["items"] if articles.status_code == 200 else []
        kept_ids = form.values_of("reply").get("attachment_ids", [])
        attached = [str(i) for a in items for i in a["attachment_ids"]]
        files = await self.files(viewer, [*attached, *kept_ids], lang)
        tree, choices = _tree(folders.json()["folders"] if folders.is_success else [], lang)
        notice = _notice(request)
        assignee = ticket.get("assignee")
        return self.web.render(
            request,
            "tickets/detail.html",
            status,
            viewer=viewer,
            ticket=ticket,
            entries=_entries(ticket, items, files),
            kept=[files[i] for i in kept_ids if i in files],
            following=following.is_success and following.json()["following"],
            folders=tree,
            folder_choices=choices,
            case_files_ok=folders.is_success or folders.status_code == 404,
            can=_can(ticket, viewer),
            mine=bool(viewer.actor and assignee and assignee["id"] == str(viewer.actor.id)),
            form=form,
            notice=None if notice in CASE_NOTICES else notice,
            case_notice=notice if notice in CASE_NOTICES else None,
            categories=CATEGORIES,
            priorities=PRIORITIES,
            statuses=STATUSES,
        )

    async def accept(
        self,
        request: Request,
        number: str,
        form: str,
        read: Callable[[Submission], dict[str, Any]],
    ) -> Posted | Response:
        """The posted form, or the answer for a stranger, a ticket out of sight or a form
        without the session's CSRF token (shown again, nothing done)."""
        submission = await self.web.submission(request)
        viewer = submission.viewer
        if viewer.actor is None:
            target = quote(f"/tickets/{number}", safe="/")
            return self.web.redirect(request, None, f"/login?next={target}")
        ticket = await self.ticket(viewer, number)
        if ticket is None:
            return self.missing(request, viewer)
        posted = Posted(request, submission, ticket, form, read(submission), language(request))
        if not submission.csrf_ok:
            return await self.refuse(posted, {"": posted.words["session_expired"]}, status=403)
        return posted

    async def refuse(
        self, posted: Posted, errors: dict[str, str], *, status: int = 422, form: str = ""
    ) -> HTMLResponse:
        """The page again, with the form's values and messages (`form`: show them with
        another form, when the posted one is not on the viewer's page)."""
        state = FormState(form or posted.form, posted.values, errors)
        return await self.show(
            posted.request, posted.viewer, posted.ticket, status=status, form=state
        )

    async def finish(
        self,
        posted: Posted,
        answer: httpx.Response,
        done: str,
        *,
        anchor: str = "",
        missing_on_404: bool = True,
    ) -> Response:
        if answer.is_success:
            target = f"/tickets/{posted.number}?done={done}{anchor}"
            return self.web.redirect(posted.request, posted.viewer, target)
        if answer.status_code == 404 and missing_on_404:
            return self.missing(posted.request, posted.viewer)
        status = answer.status_code if 400 <= answer.status_code < 500 else 503
        errors = _messages(answer, posted.lang, FIELDS[posted.form])
        return await self.refuse(posted, errors, status=status)

    async def oversized(self, request: Request, number: str) -> Response:
        """An upload too large to take in: refused before reading it (so without its
        CSRF token, which changes nothing here)."""
        viewer = await self.web.viewer(request)
        if viewer.actor is None:
            return sign_in_first(request)
        ticket = await self.ticket(viewer, number)
        if ticket is None:
            return self.missing(request, viewer)
        text = TEXTS[language(request)]["td_err_too_large"]
        state = FormState("upload", {}, {"": text, "upload-file": text})
        return await self.show(request, viewer, ticket, status=413, form=state)


def ticket_detail_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    pages = TicketPages(web)

    @router.get("/tickets/{number}")
    async def detail(request: Request, number: str) -> Response:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return sign_in_first(request)
        ticket = await pages.ticket(viewer, number)
        if ticket is None:
            return pages.missing(request, viewer)
        return await pages.show(request, viewer, ticket)

    @router.post("/tickets/{number}/reply")
    async def reply(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "reply", _reply_values)
        if isinstance(posted, Response):
            return posted
        values = posted.values
        if not values["body"]:
            return await pages.refuse(posted, {"reply-body": posted.words["td_err_body"]})
        body: dict[str, Any] = {"body": values["body"], "attachment_ids": values["attachment_ids"]}
        internal = posted.viewer.is_staff and values["internal"]
        if internal:
            body["internal"] = True
        answer = await pages.api(
            posted.viewer, "tickets", "POST", f"/api/v1/tickets/{number}/articles", json=body
        )
        return await pages.finish(posted, answer, "noted" if internal else "replied")

    @router.post("/tickets/{number}/escalate")
    async def escalate(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "escalate", _fields("body", limit=LONG_TEXT))
        if isinstance(posted, Response):
            return posted
        if not posted.values["body"]:
            return await pages.refuse(posted, {"escalate-body": posted.words["td_err_body"]})
        answer = await pages.api(
            posted.viewer,
            "tickets",
            "POST",
            f"/api/v1/tickets/{number}/escalate",
            json={"body": posted.values["body"]},
        )
        return await pages.finish(posted, answer, "escalated")

    @router.post("/tickets/{number}/details")
    async def change(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "details", _fields("category", "priority"))
        if isinstance(posted, Response):
            return posted
        changes = {k: v for k, v in posted.values.items() if v}
        answer = await pages.api(
            posted.viewer, "tickets", "PATCH", f"/api/v1/tickets/{number}", json=changes
        )
        return await pages.finish(posted, answer, "saved")

    @router.post("/tickets/{number}/desk")
    async def desk(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "desk", _fields("action", "status"))
        if isinstance(posted, Response):
            return posted
        action, me = posted.values["action"], posted.viewer.actor
        if not posted.viewer.is_staff:
            message = {"": posted.words["td_api_staff_only"]}
            return await pages.refuse(posted, message, status=403, form="actions")
        if action == "assign" and me is not None:
            changes: dict[str, Any] = {"assignee_id": str(me.id)}
        elif action == "unassign":
            changes = {"assignee_id": None}
        else:
            changes = {"status": posted.values["status"]}
        answer = await pages.api(
            posted.viewer, "tickets", "PATCH", f"/api/v1/tickets/{number}", json=changes
        )
        return await pages.finish(posted, answer, "saved")

    @router.post("/tickets/{number}/close")
    async def close(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "actions", _fields("confirm"))
        if isinstance(posted, Response):
            return posted
        # Closing cannot be undone by the customer: without the answer, ask first.
        if posted.values["confirm"] != "yes":
            return web.render(
                request, "tickets/close.html", viewer=posted.viewer, ticket=posted.ticket
            )
        answer = await pages.api(
            posted.viewer, "tickets", "POST", f"/api/v1/tickets/{number}/close"
        )
        return await pages.finish(posted, answer, "closed")

    @router.post("/tickets/{number}/cancel")
    async def cancel(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "actions", _fields("confirm"))
        if isinstance(posted, Response):
            return posted
        if posted.values["confirm"] != "yes":
            return web.render(
                request, "tickets/cancel.html", viewer=posted.viewer, ticket=posted.ticket
            )
        answer = await pages.api(
            posted.viewer, "tickets", "POST", f"/api/v1/tickets/{number}/cancel"
        )
        return await pages.finish(posted, answer, "cancelled")

    @router.post("/tickets/{number}/follow")
    async def follow(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "actions", _fields("follow"))
        if isinstance(posted, Response):
            return posted
        wanted = posted.values["follow"] == "yes"
        answer = await pages.api(
            posted.viewer,
            "tickets",
            "PUT" if wanted else "DELETE",
            f"/api/v1/tickets/{number}/follow",
        )
        return await pages.finish(posted, answer, "followed" if wanted else "unfollowed")

    @router.post("/tickets/{number}/folders")
    async def create_folder(request: Request, number: str) -> Response:
        posted = await pages.accept(request, number, "folder", _fields("name", "parent_id"))
        if isinstance(posted, Response):
            return posted
        name, parent = posted.values["name"], posted.values["parent_id"]
        if not name:
            return await pages.refuse(posted, {"folder-name": posted.words["td_err_folder_name"]})
        body = {"name": name, **({"parent_id": parent} if is_uuid(parent) else {})}
        answer = await pages.api(
            posted.viewer, "files", "POST", f"/api/v1/tickets/{number}/folders", json=body
        )
        return await pages.finish(
            posted, answer, "folder", anchor="#case-files", missing_on_404=False
        )

    @router.post("/tickets/{number}/files")
    async def upload(request: Request, number: str) -> Response:
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > UPLOAD_BODY_LIMIT:
            return await pages.oversized(request, number)
        posted = await pages.accept(request, number, "upload", _fields("folder_id"))
        if isinstance(posted, Response):
            return posted
        try:
            return await _upload(pages, posted)
        finally:
            await posted.submission.form.close()

    return router


async def _upload(pages: TicketPages, posted: Posted) -> Response:
    """Hand the posted file on to the folder it was meant for."""
    folder = posted.values["folder_id"]
    upload = posted.submission.form.get("file")
    errors: dict[str, str] = {}
    if not is_uuid(folder):
        errors["upload-folder"] = posted.words["td_err_choose_folder"]
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["upload-file"] = posted.words["td_err_no_file"]
    if errors or not isinstance(upload, UploadFile):
        return await pages.refuse(posted, errors)
    content_type = upload.content_type or "application/octet-stream"
    answer = await pages.api(
        posted.viewer,
        "files",
        "POST",
        f"/api/v1/tickets/{posted.number}/folders/{folder}/files",
        files={"file": (upload.filename, upload.file, content_type)},
    )
    return await pages.finish(
        posted, answer, "uploaded", anchor="#case-files", missing_on_404=False
    )

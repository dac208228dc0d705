"""The ticket page's parts: what it shows (correspondence, case folders, the forms that
apply), and the steps every form of it takes: accept the post, then finish (back to the
page) or refuse (the page again, with what was typed and the service's messages)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.files import CaseFolders, FilesClient, Folder, StoredFile
from portal_gateway.web.clients.tickets import (
    CATEGORIES,
    PRIORITIES,
    STATUSES,
    Article,
    Articles,
    Ticket,
    TicketsClient,
)
from portal_gateway.web.i18n import TEXTS, language
from portal_gateway.web.sla_view import sla_view
from portal_gateway.web.tickets.review import reviews

NUMBER = re.compile(r"[A-Za-z0-9_-]{1,32}")
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
        # The organization's internal review: handed over, passed to the requester, back.
        "handed_over",
        "review_requester",
        "review_internal",
        "survey",  # the creator rated the closed ticket (`surveys/routes.py`)
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
    "review": {},
    "survey": {"rating": "survey-rating", "comment": "survey-comment"},
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
    ticket: Ticket
    form: str
    values: dict[str, Any]
    lang: str

    @property
    def viewer(self) -> Viewer:
        return self.submission.viewer

    @property
    def number(self) -> str:
        return self.ticket.number

    @property
    def words(self) -> dict[str, str]:
        return TEXTS[self.lang]


def _say(message: str, lang: str) -> str:
    for pattern, key in API_MESSAGES:
        if found := pattern.fullmatch(message):
            return TEXTS[lang][key].format(**found.groupdict())
    return message


def messages(error: ServiceError, lang: str, fields: dict[str, str]) -> dict[str, str]:
    """The service's refusal as messages for the form's inputs."""
    words = TEXTS[lang]
    if error.status in (413, 415):
        text = words["td_err_too_large" if error.status == 413 else "td_err_type"]
        return {"": text, fields.get("file", ""): text}
    messages: dict[str, str] = {}
    for name, message in error.messages(lang).items():
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


def _file(meta: StoredFile, lang: str) -> dict[str, Any]:
    return {
        "id": meta.id,
        "name": meta.name,
        "size": _size(meta.size or 0, lang),
        "image": meta.content_type.startswith("image/"),
    }


def entries(
    ticket: Ticket, articles: list[Article], files: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """The correspondence, opened by the ticket's description unless an article carries it
    already (a ticket opened with attachments starts with one)."""
    shown: list[dict[str, Any]] = [
        {
            **a.model_dump(),
            "attachments": [files.get(i) or {"id": i, "missing": True} for i in a.attachment_ids],
        }
        for a in articles
    ]
    first = articles[0] if articles else None
    carried = (
        first is not None
        and first.created_at == ticket.created_at
        and first.body == (ticket.description or ticket.title)
    )
    if ticket.description and not carried:
        opening: dict[str, Any] = {
            "id": None,
            "kind": "message",
            "internal": False,
            "body": ticket.description,
            "author": ticket.creator,
            "author_organization": ticket.organization,
            "created_at": ticket.created_at,
            "attachments": [],
        }
        shown.insert(0, opening)
    return shown


def tree(folders: list[Folder], lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The case-file folders as a tree, and flat in the same order with their depth (for
    the folder choices of the forms)."""
    children: dict[str | None, list[Folder]] = {}
    for folder in folders:
        children.setdefault(folder.parent_id, []).append(folder)
    flat: list[dict[str, Any]] = []

    def build(parent: str | None, depth: int) -> list[dict[str, Any]]:
        nodes = []
        for folder in sorted(children.get(parent, []), key=lambda f: f.name.lower()):
            flat.append({"id": folder.id, "name": folder.name, "depth": depth})
            files = [{**f.model_dump(), "size_text": _size(f.size, lang)} for f in folder.files]
            node = {**folder.model_dump(), "files": files}
            nodes.append({**node, "children": build(folder.id, depth + 1)})
        return nodes

    return build(None, 0), flat


def can(ticket: Ticket, viewer: Viewer) -> dict[str, bool]:
    """Which forms apply to the ticket in its state (the API refuses the others)."""
    closed = ticket.portal_status == "closed"
    # A merged duplicate takes no messages: its conversation continues in the other one.
    merged = bool(ticket.merged_into)
    if viewer.is_staff:
        final = ticket.status in FINAL_STATUSES
        return {
            "reply": not merged,
            "reopen": False,
            "change": True,
            "escalate": False,
            "close": not final,
            "cancel": not final,
            "review": False,
        }
    # A resolved ticket reopens with a reply for a few days; the API says until when.
    reopenable = closed and bool(ticket.reopen_until) and not merged
    return {
        "reply": not closed,
        "reopen": reopenable,
        "change": not closed,
        # The service desk does not have a ticket in its organization's review yet.
        "escalate": not closed and ticket.review is None,
        "close": not closed or reopenable,
        "cancel": not closed,
        "review": not closed and reviews(viewer, ticket),
    }


def notice_of(request: Request) -> str | None:
    if request.query_params.get("created") == "1":
        return "created"
    done = request.query_params.get("done", "")
    return done if done in NOTICES else None


def reply_values(submission: Submission) -> dict[str, Any]:
    ids = [i for i in submission.form.getlist("attachment_ids") if isinstance(i, str)]
    return {
        "body": submission.text("body", LONG_TEXT),
        "attachment_ids": list(dict.fromkeys(i for i in ids if is_uuid(i)))[:MAX_ATTACHMENTS],
        "internal": submission.form.get("internal") == "1",
    }


def fields(*names: str, limit: int = 200) -> Callable[[Submission], dict[str, Any]]:
    def read(submission: Submission) -> dict[str, Any]:
        return {name: submission.text(name, limit) for name in names}

    return read


# --- Steps of the page -------------------------------------------------------------------


async def load_ticket(web: Web, viewer: Viewer, number: str) -> Ticket | None:
    """The ticket, or None when it does not exist or is out of the viewer's sight."""
    if not NUMBER.fullmatch(number):
        return None
    try:
        return await web.client(TicketsClient, viewer).ticket(number)
    except ServiceError:
        return None


def missing(web: Web, request: Request, viewer: Viewer) -> HTMLResponse:
    return web.render(request, "tickets/missing.html", 404, viewer=viewer)


async def show(
    web: Web,
    request: Request,
    viewer: Viewer,
    ticket: Ticket,
    *,
    status: int = 200,
    form: FormState | None = None,
) -> HTMLResponse:
    lang = language(request)
    form = form or FormState()
    tickets, case = web.client(TicketsClient, viewer), web.client(FilesClient, viewer)
    articles, following, folders = await asyncio.gather(
        settle(tickets.articles(ticket.number)),
        settle(tickets.following(ticket.number)),
        settle(case.case_folders(ticket.number)),
    )
    items = articles.items if isinstance(articles, Articles) else []
    kept_ids = form.values_of("reply").get("attachment_ids", [])
    attached = [i for a in items for i in a.attachment_ids]
    files = await _files(case, [*attached, *kept_ids], lang)
    found = isinstance(folders, CaseFolders)
    folder_tree, choices = tree(folders.folders if isinstance(folders, CaseFolders) else [], lang)
    notice = notice_of(request)
    assignee = ticket.assignee
    return web.render(
        request,
        "tickets/detail.html",
        status,
        viewer=viewer,
        ticket=ticket,
        sla=sla_view(ticket.sla, lang),
        entries=entries(ticket, items, files),
        kept=[files[i] for i in kept_ids if i in files],
        following=following is True,
        folders=folder_tree,
        folder_choices=choices,
        case_files_ok=found or (isinstance(folders, ServiceError) and folders.missing),
        can=can(ticket, viewer),
        mine=bool(viewer.actor and assignee and assignee.id == str(viewer.actor.id)),
        form=form,
        notice=None if notice in CASE_NOTICES else notice,
        case_notice=notice if notice in CASE_NOTICES else None,
        categories=CATEGORIES,
        priorities=PRIORITIES,
        statuses=STATUSES,
    )


async def _files(case: FilesClient, ids: list[str], lang: str) -> dict[str, dict[str, Any]]:
    found = await case.files(list(dict.fromkeys(ids))[:MAX_FILE_LOOKUPS])
    return {i: _file(meta, lang) for i, meta in found.items()}


async def accept(
    web: Web,
    request: Request,
    number: str,
    form: str,
    read: Callable[[Submission], dict[str, Any]],
) -> Posted | Response:
    """The posted form, or the answer for a stranger, a ticket out of sight or a form
    without the session's CSRF token (shown again, nothing done)."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if viewer.actor is None:
        target = quote(f"/tickets/{number}", safe="/")
        return web.redirect(request, None, f"/login?next={target}")
    ticket = await load_ticket(web, viewer, number)
    if ticket is None:
        return missing(web, request, viewer)
    posted = Posted(request, submission, ticket, form, read(submission), language(request))
    if not submission.csrf_ok:
        return await refuse(web, posted, {"": posted.words["session_expired"]}, status=403)
    return posted


async def refuse(
    web: Web, posted: Posted, errors: dict[str, str], *, status: int = 422, form: str = ""
) -> HTMLResponse:
    """The page again, with the form's values and messages (`form`: show them with
    another form, when the posted one is not on the viewer's page)."""
    state = FormState(form or posted.form, posted.values, errors)
    return await show(web, posted.request, posted.viewer, posted.ticket, status=status, form=state)


async def finish(
    web: Web,
    posted: Posted,
    call: Awaitable[None],
    done: str,
    *,
    anchor: str = "",
    missing_on_404: bool = True,
) -> Response:
    """Make the form's call: back to the page when the service agrees, the form again
    with the service's messages when it refuses."""
    try:
        await call
    except ServiceError as error:
        if error.missing and missing_on_404:
            return missing(web, posted.request, posted.viewer)
        status = error.status if 400 <= error.status < 500 else 503
        errors = messages(error, posted.lang, FIELDS[posted.form])
        return await refuse(web, posted, errors, status=status)
    target = f"/tickets/{posted.number}?done={done}{anchor}"
    return web.redirect(posted.request, posted.viewer, target)


async def oversized(web: Web, request: Request, number: str) -> Response:
    """An upload too large to take in: refused before reading it (so without its
    CSRF token, which changes nothing here)."""
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    ticket = await load_ticket(web, viewer, number)
    if ticket is None:
        return missing(web, request, viewer)
    text = TEXTS[language(request)]["td_err_too_large"]
    state = FormState("upload", {}, {"": text, "upload-file": text})
    return await show(web, request, viewer, ticket, status=413, form=state)

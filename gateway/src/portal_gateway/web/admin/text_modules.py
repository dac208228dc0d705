"""Administration of text modules: ready answers in German or English with placeholders
that are filled in for the ticket they are inserted into, keywords to find them by, and
the status and priority inserting them sets. The vendor's admins search, create, change
and delete them, and preview one filled in for a ticket."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import kit
from portal_gateway.web.admin.desk_forms import (
    MODULE_LANGUAGES,
    Deletion,
    TextModuleForm,
    deletion_page,
    module_messages,
    notice,
)
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.desk import DeskClient, Rendered, TextModule, TextModules
from portal_gateway.web.clients.tickets import PRIORITIES, STATUSES
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

router = APIRouter(include_in_schema=False)
LIST = "/admin/text-modules"
# The placeholders the tickets service fills in, as the help box lists them.
PLACEHOLDERS = (
    "customer.name",
    "customer.first_name",
    "customer.email",
    "organization.name",
    "ticket.number",
    "ticket.title",
    "ticket.priority",
    "ticket.status",
    "ticket.asset",
    "agent.name",
    "agent.first_name",
)
Options = list[tuple[str, str]]


@dataclass(frozen=True)
class Preview:
    """A module filled in for one ticket, or why it could not be."""

    ticket: str
    rendered: Rendered | None = None
    error: str | None = None


def done(web: Web, request: Request, viewer: Viewer, what: str, subject: str) -> Response:
    query = urlencode({"done": what, "subject": subject[:100]})
    return web.redirect(request, viewer, f"{LIST}?{query}")


def language_options(words: Mapping[str, str]) -> Options:
    return [(code, words[f"language_{code}"]) for code in MODULE_LANGUAGES]


@router.get(LIST)
async def module_list(request: Request, web: WebDep) -> Response:
    """The modules by name: `q` searches, `language` keeps one language, `cursor` pages."""
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    params = request.query_params
    text = params.get("q", "").strip()[:200]
    wanted = params.get("language", "")
    chosen = wanted if wanted in MODULE_LANGUAGES else ""
    cursor = params.get("cursor", "")[:2000]
    try:
        page = await web.client(DeskClient, viewer).text_modules(
            text=text, language=chosen or None, cursor=cursor or None
        )
        failed = False
    except ServiceError:
        page, failed = TextModules(), True
    words = TEXTS[language(request)]
    return web.render(
        request,
        "admin/text_module_list.html",
        viewer=viewer,
        page=page,
        failed=failed,
        q=text,
        chosen=chosen,
        filtered=bool(text or chosen),
        next_query=urlencode({"q": text, "language": chosen, "cursor": page.next_cursor or ""}),
        language_filter=[("", words["modules_all_languages"]), *language_options(words)],
        notice=notice(request),
    )


async def _preview(web: Web, viewer: Viewer, module_id: str, ticket: str, lang: str) -> Preview:
    words = TEXTS[lang]
    try:
        rendered = await web.client(DeskClient, viewer).render_text_module(module_id, ticket)
    except ServiceError as error:
        if error.missing:
            return Preview(ticket, error=words["modules_preview_no_ticket"].format(number=ticket))
        found = module_messages(error, lang)
        return Preview(ticket, error=found.get("body") or found.get("") or error.message(lang))
    return Preview(ticket, rendered=rendered)


def _form_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: TextModuleForm,
    module: TextModule | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    preview: Preview | None = None,
) -> Response:
    words = TEXTS[language(request)]
    unchanged = ("", words["modules_unchanged"])
    return web.render(
        request,
        "admin/text_module_form.html",
        status,
        viewer=viewer,
        form=form,
        module=module,
        errors=errors or {},
        preview=preview,
        language_options=language_options(words),
        status_options=[unchanged, *((s, words[f"desk_status_{s}"]) for s in STATUSES)],
        priority_options=[unchanged, *((p, p) for p in PRIORITIES)],
        placeholders=[
            ("{{" + p + "}}", words[f"modules_ph_{p.replace('.', '_')}"]) for p in PLACEHOLDERS
        ],
    )


async def _module(web: Web, viewer: Viewer, module_id: str) -> TextModule | None:
    """The module, or None when there is none of that id (other failures raise)."""
    if not is_uuid(module_id):
        return None
    try:
        return await web.client(DeskClient, viewer).text_module(module_id)
    except ServiceError as error:
        if error.missing:
            return None
        raise


@router.get(LIST + "/new")
async def new_module(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return _form_page(web, request, viewer, TextModuleForm(language=language(request)))


@router.get(LIST + "/{module_id}")
async def edit_module(request: Request, module_id: str, web: WebDep) -> Response:
    """The module's form; with `?ticket=<number>` also the saved text filled in for
    that ticket."""
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (module := await _module(web, viewer, module_id)) is None:
        return kit.missing(web, request, viewer)
    ticket = request.query_params.get("ticket", "").strip()[:32]
    lang = language(request)
    preview = await _preview(web, viewer, module.id, ticket, lang) if ticket else None
    form = TextModuleForm.of(module)
    return _form_page(web, request, viewer, form, module, preview=preview)


@router.post(LIST + "/{module_id}")
async def save_module(request: Request, module_id: str, web: WebDep) -> Response:
    """Creates (`new`) or changes a module."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    creating = module_id == "new"
    module = None if creating else await _module(web, viewer, module_id)
    if not creating and module is None:
        return kit.missing(web, request, viewer)
    form = TextModuleForm.posted(submission)
    desk = web.client(DeskClient, viewer)

    async def send() -> TextModule:
        if module is None:
            return await desk.create_text_module(form.payload())
        return await desk.update_text_module(module.id, form.payload())

    what = "module_created" if creating else "module_saved"
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _form_page(web, request, viewer, form, module, errors, status),
        send=send,
        messages=lambda error: module_messages(error, language(request)),
        finish=lambda saved: done(web, request, viewer, what, saved.name),
    )


def _deletion(request: Request, module: TextModule) -> Deletion:
    words = TEXTS[language(request)]
    return Deletion(
        section="text_modules",
        heading=words["modules_delete_title"].format(name=module.name),
        question=words["modules_delete_question"],
        action=f"{LIST}/{module.id}/delete",
        back=LIST,
    )


@router.get(LIST + "/{module_id}/delete")
async def confirm_delete(request: Request, module_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (module := await _module(web, viewer, module_id)) is None:
        return kit.missing(web, request, viewer)
    return deletion_page(web, request, viewer, _deletion(request, module))


@router.post(LIST + "/{module_id}/delete")
async def delete_module(request: Request, module_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (module := await _module(web, viewer, module_id)) is None:
        return kit.missing(web, request, viewer)
    lang = language(request)
    deletion = _deletion(request, module)
    if not submission.csrf_ok:
        alert = TEXTS[lang]["session_expired"]
        return deletion_page(web, request, viewer, deletion, alert=alert, status=403)
    try:
        await web.client(DeskClient, viewer).delete_text_module(module.id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        alert, status = error.message(lang), form_status(error)
        return deletion_page(web, request, viewer, deletion, alert=alert, status=status)
    return done(web, request, viewer, "module_deleted", module.name)

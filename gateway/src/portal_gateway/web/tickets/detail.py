"""The ticket page: header, correspondence, reply, the customer's actions, the service
desk's quick changes and the case files. Every form posts to a route of its own, which
redirects back to the page when the service agrees and shows the form again, with what was
typed and the service's messages, when it does not (the steps: `ticket_page.py`)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from portal_gateway.web.base import Web, is_uuid, sign_in_first
from portal_gateway.web.clients.files import FilesClient
from portal_gateway.web.clients.tickets import REVIEWS, TicketsClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.tickets.ticket_page import (
    LONG_TEXT,
    UPLOAD_BODY_LIMIT,
    Posted,
    accept,
    fields,
    finish,
    load_ticket,
    missing,
    oversized,
    refuse,
    reply_values,
    show,
)

router = APIRouter(include_in_schema=False)


@router.get("/tickets/{number}")
async def detail(request: Request, number: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    ticket = await load_ticket(web, viewer, number)
    if ticket is None:
        return missing(web, request, viewer)
    return await show(web, request, viewer, ticket)


@router.post("/tickets/{number}/reply")
async def reply(request: Request, number: str, web: WebDep) -> Response:
    posted = await accept(web, request, number, "reply", reply_values)
    if isinstance(posted, Response):
        return posted
    values = posted.values
    if not values["body"]:
        return await refuse(web, posted, {"reply-body": posted.words["td_err_body"]})
    internal = posted.viewer.is_staff and values["internal"]
    tickets = web.client(TicketsClient, posted.viewer)
    call = tickets.add_article(
        number, values["body"], values["attachment_ids"], internal=True if internal else None
    )
    return await finish(web, posted, call, "noted" if internal else "replied")


@router.post("/tickets/{number}/escalate")
async def escalate(request: Request, number: str, web: WebDep) -> Response:
    posted = await accept(web, request, number, "escalate", fields("body", limit=LONG_TEXT))
    if isinstance(posted, Response):
        return posted
    if not posted.values["body"]:
        return await refuse(web, posted, {"escalate-body": posted.words["td_err_body"]})
    call = web.client(TicketsClient, posted.viewer).escalate(number, posted.values["body"])
    return await finish(web, posted, call, "escalated")


@router.post("/tickets/{number}/details")
async def change(request: Request, number: str, web: WebDep) -> Response:
    posted = await accept(web, request, number, "details", fields("category", "priority"))
    if isinstance(posted, Response):
        return posted
    changes = {k: v for k, v in posted.values.items() if v}
    call = web.client(TicketsClient, posted.viewer).change(number, changes)
    return await finish(web, posted, call, "saved")


@router.post("/tickets/{number}/desk")
async def desk(request: Request, number: str, web: WebDep) -> Response:
    posted = await accept(web, request, number, "desk", fields("action", "status"))
    if isinstance(posted, Response):
        return posted
    action, me = posted.values["action"], posted.viewer.actor
    if not posted.viewer.is_staff:
        message = {"": posted.words["td_api_staff_only"]}
        return await refuse(web, posted, message, status=403, form="actions")
    if action == "assign" and me is not None:
        changes: dict[str, Any] = {"assignee_id": str(me.id)}
    elif action == "unassign":
        changes = {"assignee_id": None}
    else:
        changes = {"status": posted.values["status"]}
    call = web.client(TicketsClient, posted.viewer).change(number, changes)
    return await finish(web, posted, call, "saved")


@router.post("/tickets/{number}/hand-over")
async def hand_over(request: Request, number: str, web: WebDep) -> Response:
    """A reviewer of the ticket's organization sends it to the service desk."""
    posted = await accept(web, request, number, "review", fields())
    if isinstance(posted, Response):
        return posted
    call = web.client(TicketsClient, posted.viewer).hand_over(number)
    return await finish(web, posted, call, "handed_over")


@router.post("/tickets/{number}/review")
async def pass_review(request: Request, number: str, web: WebDep) -> Response:
    """A reviewer asks the requester (`requester`) or takes the ticket back (`internal`)."""
    posted = await accept(web, request, number, "review", fields("review"))
    if isinstance(posted, Response):
        return posted
    review = posted.values["review"]
    if review not in REVIEWS:
        return await refuse(web, posted, {"": posted.words["review_err_choice"]})
    call = web.client(TicketsClient, posted.viewer).change(number, {"review": review})
    return await finish(web, posted, call, f"review_{review}")


@router.post("/tickets/{number}/close")
async def close(request: Request, number: str, web: WebDep) -> Response:
    return await confirmed(request, number, web, "close")


@router.post("/tickets/{number}/cancel")
async def cancel(request: Request, number: str, web: WebDep) -> Response:
    return await confirmed(request, number, web, "cancel")


async def confirmed(
    request: Request, number: str, web: Web, action: Literal["close", "cancel"]
) -> Response:
    """Closing or cancelling, which the customer cannot undo: without the form's answer,
    the page asks first."""
    posted = await accept(web, request, number, "actions", fields("confirm"))
    if isinstance(posted, Response):
        return posted
    if posted.values["confirm"] != "yes":
        return web.render(
            request,
            "tickets/confirm.html",
            viewer=posted.viewer,
            ticket=posted.ticket,
            action=action,
        )
    tickets = web.client(TicketsClient, posted.viewer)
    call = tickets.close(number) if action == "close" else tickets.cancel(number)
    return await finish(web, posted, call, "closed" if action == "close" else "cancelled")


@router.post("/tickets/{number}/follow")
async def follow(request: Request, number: str, web: WebDep) -> Response:
    posted = await accept(web, request, number, "actions", fields("follow"))
    if isinstance(posted, Response):
        return posted
    wanted = posted.values["follow"] == "yes"
    tickets = web.client(TicketsClient, posted.viewer)
    call = tickets.follow(number) if wanted else tickets.unfollow(number)
    return await finish(web, posted, call, "followed" if wanted else "unfollowed")


@router.post("/tickets/{number}/folders")
async def create_folder(request: Request, number: str, web: WebDep) -> Response:
    posted = await accept(web, request, number, "folder", fields("name", "parent_id"))
    if isinstance(posted, Response):
        return posted
    name, parent = posted.values["name"], posted.values["parent_id"]
    if not name:
        return await refuse(web, posted, {"folder-name": posted.words["td_err_folder_name"]})
    case = web.client(FilesClient, posted.viewer)
    call = case.add_folder(number, name, parent if is_uuid(parent) else None)
    return await finish(web, posted, call, "folder", anchor="#case-files", missing_on_404=False)


@router.post("/tickets/{number}/files")
async def upload(request: Request, number: str, web: WebDep) -> Response:
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > UPLOAD_BODY_LIMIT:
        return await oversized(web, request, number)
    posted = await accept(web, request, number, "upload", fields("folder_id"))
    if isinstance(posted, Response):
        return posted
    try:
        return await _upload(web, posted)
    finally:
        await posted.submission.form.close()


async def _upload(web: Web, posted: Posted) -> Response:
    """Hand the posted file on to the folder it was meant for."""
    folder = posted.values["folder_id"]
    upload = posted.submission.form.get("file")
    errors: dict[str, str] = {}
    if not is_uuid(folder):
        errors["upload-folder"] = posted.words["td_err_choose_folder"]
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["upload-file"] = posted.words["td_err_no_file"]
    if errors or not isinstance(upload, UploadFile):
        return await refuse(web, posted, errors)
    content_type = upload.content_type or "application/octet-stream"
    case = web.client(FilesClient, posted.viewer)
    call = case.upload(posted.number, folder, upload.filename or "", upload.file, content_type)
    return await finish(web, posted, call, "uploaded", anchor="#case-files", missing_on_404=False)

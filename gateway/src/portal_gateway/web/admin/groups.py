"""Administration of agent groups: a name, a lead, the members in the order the round
robin hands out tickets, and whether it does. The vendor's admins list, create, change
and delete them (a group's routing rules go with it)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import kit
from portal_gateway.web.admin.desk_forms import (
    Deletion,
    GroupForm,
    deletion_page,
    group_messages,
    notice,
)
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.desk import AgentGroup, DeskClient
from portal_gateway.web.clients.identity import IdentityClient, User
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language, plural

router = APIRouter(include_in_schema=False)
LIST = "/admin/groups"
MAX_PEOPLE = 200


@dataclass(frozen=True)
class Person:
    """Someone who can be chosen as lead or member."""

    id: str
    name: str
    inactive: bool = False


def done(web: Web, request: Request, viewer: Viewer, what: str, subject: str) -> Response:
    query = urlencode({"done": what, "subject": subject[:100]})
    return web.redirect(request, viewer, f"{LIST}?{query}")


def _label(user: User) -> str:
    name = user.display_name or user.username
    return name if name == user.username else f"{name} ({user.username})"


async def people(web: Web, viewer: Viewer, group: AgentGroup | None) -> list[Person]:
    """The active agents and administrators by name, and the group's own members and
    lead who are no longer (they may stay; the round robin skips them)."""
    try:
        found = await web.client(IdentityClient, viewer).users(
            limit=MAX_PEOPLE, roles=("agent", "admin")
        )
        users = [u for u in found.items if getattr(u, "active", False)]
    except ServiceError:
        users = []
    offered = sorted((Person(u.id, _label(u)) for u in users), key=lambda p: p.name.casefold())
    if group is None:
        return offered
    known = {p.id for p in offered}
    kept = [Person(m.id, m.name or m.id, True) for m in group.members if m.id not in known]
    if group.lead and group.lead.id not in known | {p.id for p in kept}:
        kept.append(Person(group.lead.id, group.lead.name or group.lead.id, True))
    return offered + kept


def member_rows(form: GroupForm, everybody: list[Person]) -> list[Person]:
    """The members chosen first, in their order, then everybody else by name."""
    by_id = {p.id: p for p in everybody}
    chosen = [by_id[m] for m in form.ordered() if m in by_id]
    return chosen + [p for p in everybody if p.id not in set(form.members)]


async def _list_page(web: Web, request: Request, viewer: Viewer) -> Response:
    desk = web.client(DeskClient, viewer)
    groups, rules = await asyncio.gather(settle(desk.groups()), settle(desk.rules()))
    failed = isinstance(groups, ServiceError)
    counts: dict[str, int] = {}
    for rule in [] if isinstance(rules, ServiceError) else rules:
        counts[rule.group.id] = counts.get(rule.group.id, 0) + 1
    return web.render(
        request,
        "admin/group_list.html",
        viewer=viewer,
        groups=[] if isinstance(groups, ServiceError) else groups,
        rule_counts=counts,
        failed=failed,
        notice=notice(request),
    )


@router.get(LIST)
async def group_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return await _list_page(web, request, viewer)


async def _form_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: GroupForm,
    group: AgentGroup | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    everybody = await people(web, viewer, group)
    return web.render(
        request,
        "admin/group_form.html",
        status,
        viewer=viewer,
        form=form,
        group=group,
        errors=errors or {},
        rows=member_rows(form, everybody),
        lead_options=[("", TEXTS[language(request)]["groups_no_lead"])]
        + [(p.id, p.name) for p in everybody],
    )


async def _group(web: Web, viewer: Viewer, group_id: str) -> AgentGroup | None:
    """The group, or None when there is none of that id (other failures raise)."""
    if not is_uuid(group_id):
        return None
    try:
        return await web.client(DeskClient, viewer).group(group_id)
    except ServiceError as error:
        if error.missing:
            return None
        raise


@router.get(LIST + "/new")
async def new_group(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return await _form_page(web, request, viewer, GroupForm())


@router.get(LIST + "/{group_id}")
async def edit_group(request: Request, group_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (group := await _group(web, viewer, group_id)) is None:
        return kit.missing(web, request, viewer)
    return await _form_page(web, request, viewer, GroupForm.of(group), group)


@router.post(LIST + "/{group_id}")
async def save_group(request: Request, group_id: str, web: WebDep) -> Response:
    """Creates (`new`) or changes a group."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    creating = group_id == "new"
    group = None if creating else await _group(web, viewer, group_id)
    if not creating and group is None:
        return kit.missing(web, request, viewer)
    known = {p.id for p in await people(web, viewer, group)}
    form = GroupForm.posted(submission, known)
    desk = web.client(DeskClient, viewer)

    async def send() -> AgentGroup:
        if group is None:
            return await desk.create_group(form.body())
        return await desk.update_group(group.id, form.body())

    what = "group_created" if creating else "group_saved"
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _form_page(web, request, viewer, form, group, errors, status),
        send=send,
        messages=lambda error: group_messages(error, language(request)),
        finish=lambda saved: done(web, request, viewer, what, saved.name),
    )


async def _deletion(web: Web, request: Request, viewer: Viewer, group: AgentGroup) -> Deletion:
    """The question before deleting, naming how many routing rules go with the group."""
    words = TEXTS[language(request)]
    try:
        rules = await web.client(DeskClient, viewer).rules()
        count = sum(1 for r in rules if r.group.id == group.id)
    except ServiceError:
        count = 0
    return Deletion(
        section="groups",
        heading=words["groups_delete_title"].format(name=group.name),
        question=words["groups_delete_question"],
        consequence=plural(words, "groups_delete_rules", count) if count else "",
        action=f"{LIST}/{group.id}/delete",
        back=LIST,
    )


@router.get(LIST + "/{group_id}/delete")
async def confirm_delete(request: Request, group_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (group := await _group(web, viewer, group_id)) is None:
        return kit.missing(web, request, viewer)
    return deletion_page(web, request, viewer, await _deletion(web, request, viewer, group))


@router.post(LIST + "/{group_id}/delete")
async def delete_group(request: Request, group_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (group := await _group(web, viewer, group_id)) is None:
        return kit.missing(web, request, viewer)
    lang = language(request)
    if not submission.csrf_ok:
        deletion = await _deletion(web, request, viewer, group)
        alert = TEXTS[lang]["session_expired"]
        return deletion_page(web, request, viewer, deletion, alert=alert, status=403)
    try:
        await web.client(DeskClient, viewer).delete_group(group.id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        deletion = await _deletion(web, request, viewer, group)
        alert, status = error.message(lang), form_status(error)
        return deletion_page(web, request, viewer, deletion, alert=alert, status=status)
    return done(web, request, viewer, "group_deleted", group.name)

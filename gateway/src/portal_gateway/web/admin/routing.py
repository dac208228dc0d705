"""Administration of routing rules: which agent group a new ticket goes to, by its subject
area, category, organization and product. The rules are tried in their order, the
first match wins; the vendor's admins add, change, move and delete them."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import kit
from portal_gateway.web.admin.desk_forms import (
    Deletion,
    RuleForm,
    deletion_page,
    notice,
    order_message,
    rule_messages,
)
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.catalog import CatalogClient
from portal_gateway.web.clients.desk import DeskClient, RoutingRule
from portal_gateway.web.clients.tickets import CATEGORIES
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

router = APIRouter(include_in_schema=False)
LIST = "/admin/routing"
Options = list[tuple[str, str]]


def done(web: Web, request: Request, viewer: Viewer, what: str, subject: str) -> Response:
    query = urlencode({"done": what, "subject": subject[:100]})
    return web.redirect(request, viewer, f"{LIST}?{query}")


def conditions(rule: RoutingRule, words: Mapping[str, str]) -> str:
    """The rule's conditions in words: "Subject area is Robotics and organization is
    Acme"."""
    parts = []
    if rule.subject_area:
        parts.append(words["routing_if_subject_area"].format(value=rule.subject_area))
    if rule.category:
        category = words.get(f"tickets_category_{rule.category}", rule.category)
        parts.append(words["routing_if_category"].format(value=category))
    if rule.organization:
        name = rule.organization.name or rule.organization.id
        parts.append(words["routing_if_organization"].format(value=name))
    if rule.product:
        parts.append(words["routing_if_product"].format(value=rule.product))
    if not parts:
        return ""
    text = (
        parts[-1]
        if len(parts) == 1
        else f"{', '.join(parts[:-1])} {words['routing_and']} {parts[-1]}"
    )
    return text[0].upper() + text[1:]


async def _list_page(
    web: Web, request: Request, viewer: Viewer, *, alert: str | None = None, status: int = 200
) -> Response:
    desk = web.client(DeskClient, viewer)
    rules, groups = await asyncio.gather(settle(desk.rules()), settle(desk.groups()))
    words = TEXTS[language(request)]
    failed = isinstance(rules, ServiceError)
    shown = [] if isinstance(rules, ServiceError) else rules
    return web.render(
        request,
        "admin/routing_list.html",
        status,
        viewer=viewer,
        rules=[(rule, conditions(rule, words)) for rule in shown],
        has_groups=isinstance(groups, ServiceError) or bool(groups),
        failed=failed,
        notice=None if alert else notice(request),
        alert=alert,
    )


@router.get(LIST)
async def rule_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return await _list_page(web, request, viewer)


async def _choices(web: Web, viewer: Viewer, form: RuleForm, any_: str) -> dict[str, Options]:
    """The options of the rule form's selects (the rule's own value kept when the
    catalog no longer offers it)."""
    desk, catalog = web.client(DeskClient, viewer), web.client(CatalogClient, viewer)
    groups, areas = await asyncio.gather(settle(desk.groups()), settle(catalog.subject_areas()))
    organizations = await kit.organizations(web, viewer)
    names = [] if isinstance(areas, ServiceError) else [a.name for a in areas if a.active]
    if form.subject_area and form.subject_area not in names:
        names.append(form.subject_area)
    org_options = [(o.id, o.name) for o in organizations]
    if form.organization_id and form.organization_id not in {o.id for o in organizations}:
        org_options.append((form.organization_id, form.organization_id))
    return {
        "groups": [] if isinstance(groups, ServiceError) else [(g.id, g.name) for g in groups],
        "subject_areas": [("", any_), *((n, n) for n in names)],
        "organizations": [("", any_), *org_options],
    }


async def _form_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: RuleForm,
    rule: RoutingRule | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    words = TEXTS[language(request)]
    choices = await _choices(web, viewer, form, words["routing_any"])
    categories = [(c, words[f"tickets_category_{c}"]) for c in CATEGORIES]
    return web.render(
        request,
        "admin/rule_form.html",
        status,
        viewer=viewer,
        form=form,
        rule=rule,
        errors=errors or {},
        group_options=[("", words["routing_group_choose"]), *choices["groups"]],
        subject_area_options=choices["subject_areas"],
        category_options=[("", words["routing_any"]), *categories],
        organization_options=choices["organizations"],
    )


async def _rule(web: Web, viewer: Viewer, rule_id: str) -> RoutingRule | None:
    """The rule of that id (the service lists rules, it has no page for one)."""
    if not is_uuid(rule_id):
        return None
    rules = await web.client(DeskClient, viewer).rules()
    return next((r for r in rules if r.id == rule_id), None)


@router.get(LIST + "/new")
async def new_rule(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    wanted = request.query_params.get("group", "")[:100]
    return await _form_page(web, request, viewer, RuleForm(group_id=wanted))


@router.get(LIST + "/{rule_id}")
async def edit_rule(request: Request, rule_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (rule := await _rule(web, viewer, rule_id)) is None:
        return kit.missing(web, request, viewer)
    return await _form_page(web, request, viewer, RuleForm.of(rule), rule)


@router.post(LIST + "/{rule_id}")
async def save_rule(request: Request, rule_id: str, web: WebDep) -> Response:
    """Creates (`new`, placed last) or changes a rule."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    creating = rule_id == "new"
    rule = None if creating else await _rule(web, viewer, rule_id)
    if not creating and rule is None:
        return kit.missing(web, request, viewer)
    form = RuleForm.posted(submission)
    desk = web.client(DeskClient, viewer)

    async def send() -> RoutingRule:
        if rule is None:
            return await desk.create_rule(form.body(editing=False))
        return await desk.update_rule(rule.id, form.body(editing=True))

    what = "rule_created" if creating else "rule_saved"
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _form_page(web, request, viewer, form, rule, errors, status),
        send=send,
        messages=lambda error: rule_messages(error, language(request)),
        finish=lambda saved: done(web, request, viewer, what, saved.group.name),
    )


def _moved(rules: list[RoutingRule], rule_id: str, direction: str) -> list[str] | None:
    """Every rule's id with one moved a place up or down (None: it stays where it is)."""
    ids = [r.id for r in rules]
    index = ids.index(rule_id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(ids):
        return None
    ids[index], ids[other] = ids[other], ids[index]
    return ids


@router.post(LIST + "/{rule_id}/move")
async def move_rule(request: Request, rule_id: str, web: WebDep) -> Response:
    """One place up or down (`direction`), sent as the whole new order."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    lang = language(request)
    if not submission.csrf_ok:
        alert = TEXTS[lang]["session_expired"]
        return await _list_page(web, request, viewer, alert=alert, status=403)
    desk = web.client(DeskClient, viewer)
    rules = await desk.rules() if is_uuid(rule_id) else []
    if rule_id not in {r.id for r in rules}:
        return kit.missing(web, request, viewer)
    order = _moved(rules, rule_id, submission.text("direction", 10))
    if order is None:
        return web.redirect(request, viewer, LIST)
    try:
        await desk.reorder_rules(order)
    except ServiceError as error:
        alert = order_message(error, lang)
        return await _list_page(web, request, viewer, alert=alert, status=form_status(error))
    return done(web, request, viewer, "rule_moved", str(order.index(rule_id) + 1))


def _deletion(request: Request, rule: RoutingRule) -> Deletion:
    words = TEXTS[language(request)]
    return Deletion(
        section="routing",
        heading=words["routing_delete_title"].format(n=rule.position),
        question=words["routing_delete_question"],
        consequence=f"{conditions(rule, words)} → {rule.group.name}",
        action=f"{LIST}/{rule.id}/delete",
        back=LIST,
    )


@router.get(LIST + "/{rule_id}/delete")
async def confirm_delete(request: Request, rule_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (rule := await _rule(web, viewer, rule_id)) is None:
        return kit.missing(web, request, viewer)
    return deletion_page(web, request, viewer, _deletion(request, rule))


@router.post(LIST + "/{rule_id}/delete")
async def delete_rule(request: Request, rule_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if (rule := await _rule(web, viewer, rule_id)) is None:
        return kit.missing(web, request, viewer)
    lang = language(request)
    if not submission.csrf_ok:
        alert = TEXTS[lang]["session_expired"]
        return deletion_page(
            web, request, viewer, _deletion(request, rule), alert=alert, status=403
        )
    try:
        await web.client(DeskClient, viewer).delete_rule(rule.id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        alert, status = error.message(lang), form_status(error)
        return deletion_page(
            web, request, viewer, _deletion(request, rule), alert=alert, status=status
        )
    return done(web, request, viewer, "rule_deleted", rule.group.name)

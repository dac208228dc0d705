"""Administration of contracts: an organization's service levels for a time (valid from,
until), whether its people may choose priorities, the business calendar its targets
count in, the reaction and resolution targets per priority, and the products and
assets it covers. The vendor's admins list them (all, or one organization's), create,
change and delete them."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import kit
from portal_gateway.web.admin.contract_forms import ContractForm, notice
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.contracts import Calendar, Contract, ContractsClient
from portal_gateway.web.clients.identity import IdentityClient, Organization
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import field_messages
from portal_gateway.web.i18n import TEXTS, language

router = APIRouter(include_in_schema=False)
LIST = "/admin/contracts"


def done(
    web: Web, request: Request, viewer: Viewer, organization_id: str, what: str, subject: str
) -> Response:
    query = urlencode({"organization": organization_id, "done": what, "subject": subject[:100]})
    return web.redirect(request, viewer, f"{LIST}?{query}")


async def _organization(web: Web, viewer: Viewer, organization_id: str) -> Organization | None:
    if not is_uuid(organization_id):
        return None
    try:
        return await web.client(IdentityClient, viewer).organization(organization_id)
    except ServiceError:
        return None


async def _list_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    organization: Organization | None,
    *,
    alert: str | None = None,
    status: int = 200,
) -> Response:
    named = organization.id if organization else None
    try:
        contracts, failed = await web.client(ContractsClient, viewer).contracts(named), False
    except ServiceError:
        contracts, failed = [], True
    names = (
        {organization.id: organization.name}
        if organization
        else {o.id: o.name for o in await kit.organizations(web, viewer)}
    )
    return web.render(
        request,
        "admin/contract_list.html",
        status,
        viewer=viewer,
        organization=organization,
        contracts=sorted(contracts, key=lambda c: (names.get(c.organization_id, ""), c.valid_from)),
        names=names,
        failed=failed,
        today=date.today(),
        notice=None if alert else notice(request),
        alert=alert,
    )


@router.get(LIST)
async def contract_list(request: Request, web: WebDep) -> Response:
    """Every contract, or one organization's (`?organization=`)."""
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    wanted = request.query_params.get("organization", "")
    organization = await _organization(web, viewer, wanted) if wanted else None
    if wanted and organization is None:
        return kit.missing(web, request, viewer)
    return await _list_page(web, request, viewer, organization)


async def _form_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: ContractForm,
    contract_id: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    organizations = await kit.organizations(web, viewer)
    try:
        calendars: list[Calendar] = await web.client(ContractsClient, viewer).calendars()
    except ServiceError:
        calendars = []
    if not form.calendar_id and calendars:
        form.calendar_id = next((c.id for c in calendars if c.is_default), calendars[0].id)
    return web.render(
        request,
        "admin/contract_form.html",
        status,
        viewer=viewer,
        form=form,
        contract_id=contract_id,
        errors=errors or {},
        organization_options=[(o.id, o.name) for o in organizations],
        organization_name={o.id: o.name for o in organizations}.get(form.organization_id, ""),
        calendar_options=[(c.id, c.name) for c in calendars],
    )


@router.get(LIST + "/new")
async def new_contract(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    wanted = request.query_params.get("organization", "")[:100]
    form = ContractForm(organization_id=wanted if is_uuid(wanted) else "")
    form.valid_from = date.today().isoformat()
    return await _form_page(web, request, viewer, form)


@router.get(LIST + "/{contract_id}")
async def edit_contract(request: Request, contract_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if not is_uuid(contract_id):
        return kit.missing(web, request, viewer)
    try:
        found = await web.client(ContractsClient, viewer).contract(contract_id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        raise
    return await _form_page(web, request, viewer, ContractForm.of(found), contract_id)


def _unfilled(form: ContractForm, lang: str) -> dict[str, str]:
    """What the form needs before it goes to the service (which would only say that a
    value is missing, not which one to choose)."""
    words = TEXTS[lang]
    errors = {}
    if not is_uuid(form.organization_id):
        errors["organization_id"] = words["contract_organization_choose"] + "."
    if not form.valid_from:
        errors["valid_from"] = words["contract_from_missing"]
    return {"": words["form_has_errors"], **errors} if errors else {}


@router.post(LIST + "/{contract_id}")
async def save_contract(request: Request, contract_id: str, web: WebDep) -> Response:
    """Creates (`new`) or changes a contract."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    creating = contract_id == "new"
    if not creating and not is_uuid(contract_id):
        return kit.missing(web, request, viewer)
    lang = language(request)
    form = ContractForm.posted(submission)
    shown_id = None if creating else contract_id
    client = web.client(ContractsClient, viewer)
    if not creating:  # the organization is the stored contract's, whatever was posted
        try:
            form.organization_id = (await client.contract(contract_id)).organization_id
        except ServiceError as error:
            if error.missing:
                return kit.missing(web, request, viewer)
            raise
    if submission.csrf_ok and (errors := _unfilled(form, lang)):
        return await _form_page(web, request, viewer, form, shown_id, errors, 422)

    async def send() -> Contract:
        if creating:
            return await client.create_contract(form.body(editing=False))
        return await client.update_contract(contract_id, form.body(editing=True))

    what = "contract_created" if creating else "contract_saved"
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _form_page(
            web, request, viewer, form, shown_id, errors, status
        ),
        send=send,
        messages=lambda error: field_messages(error, lang, form.locate, conflict="name"),
        finish=lambda saved: done(web, request, viewer, saved.organization_id, what, saved.name),
    )


@router.post(LIST + "/{contract_id}/delete")
async def delete_contract(request: Request, contract_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if not is_uuid(contract_id):
        return kit.missing(web, request, viewer)
    client = web.client(ContractsClient, viewer)
    try:
        found = await client.contract(contract_id)
        if submission.csrf_ok:
            await client.delete_contract(contract_id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        raise
    organization = await _organization(web, viewer, found.organization_id)
    if not submission.csrf_ok:
        alert = TEXTS[language(request)]["session_expired"]
        return await _list_page(web, request, viewer, organization, alert=alert, status=403)
    return done(web, request, viewer, found.organization_id, "contract_deleted", found.name)

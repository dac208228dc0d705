"""An organization's own first level in the administration: the customer admin's page
"Our organization" (the internal review switch, the one setting they may change), and the
messages of the e-mail domains on the vendor's organization form."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import kit
from portal_gateway.web.base import Viewer, Web
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient, Organization
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import checked, field_messages, first_part
from portal_gateway.web.i18n import TEXTS, language

router = APIRouter(include_in_schema=False)
PATH = "/admin/organization"
DONE = ("review_on", "review_off")


def domain_messages(
    error: ServiceError, lang: str, fields: tuple[str, ...], domains: list[str]
) -> dict[str, str]:
    """The organization form's messages; a domain not written as one is named."""
    messages = field_messages(error, lang, first_part({f: f for f in fields}), conflict="name")
    for found in error.errors:
        path = str(found.get("field", "")).split(".")
        wrong_form = found.get("code") == "string_pattern_mismatch"
        if path[0] == "email_domains" and wrong_form and path[-1].isdigit():
            index = int(path[-1])
            named = domains[index] if index < len(domains) else ""
            messages["email_domains"] = TEXTS[lang]["admin_err_domain"].format(domain=named)
            break  # the first one wrong is named; the others follow once it is right
    return messages


def _customer_admin(viewer: Viewer) -> bool:
    actor = viewer.actor
    return (
        actor is not None
        and actor.has_role("customer_admin")
        and not viewer.is_staff
        and actor.organization_id is not None
    )


def _page(
    web: Web,
    request: Request,
    viewer: Viewer,
    organization: Organization,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    done = request.query_params.get("done", "")
    return web.render(
        request,
        "admin/own_organization.html",
        status,
        viewer=viewer,
        organization=organization,
        errors=errors or {},
        notice=TEXTS[language(request)][f"own_org_done_{done}"] if done in DONE else None,
    )


async def _own(web: Web, request: Request, viewer: Viewer) -> Organization | Response:
    """The customer admin's organization, or the answer for everybody else (the vendor's
    admins keep their organization form)."""
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    if viewer.is_admin:
        return web.redirect(request, viewer, "/admin/organizations")
    if not _customer_admin(viewer) or viewer.actor is None:
        return kit.missing(web, request, viewer)
    identity = web.client(IdentityClient, viewer)
    try:
        return await identity.organization(str(viewer.actor.organization_id))
    except ServiceError:
        return kit.missing(web, request, viewer)


@router.get(PATH)
async def own_organization(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    found = await _own(web, request, viewer)
    if isinstance(found, Response):
        return found
    return _page(web, request, viewer, found)


@router.post(PATH)
async def save_own_organization(request: Request, web: WebDep) -> Response:
    """The customer admin switches the internal review on or off."""
    submission = await web.submission(request)
    viewer = submission.viewer
    found = await _own(web, request, viewer)
    if isinstance(found, Response):
        return found
    wanted = checked(submission.form, "internal_review")
    shown = found.model_copy(update={"internal_review": wanted})
    identity = web.client(IdentityClient, viewer)
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _page(
            web, request, viewer, shown, errors=errors, status=status
        ),
        send=lambda: identity.update_organization(found.id, {"internal_review": wanted}),
        messages=lambda error: field_messages(
            error, language(request), first_part({"internal_review": "internal_review"})
        ),
        finish=lambda saved: web.redirect(
            request, viewer, f"{PATH}?done=review_{'on' if saved.internal_review else 'off'}"
        ),
    )

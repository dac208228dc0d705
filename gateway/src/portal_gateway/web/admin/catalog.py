"""Administration of what customers choose from: ticket templates with their
conversation guides, and the taxonomy of subject areas (the vendor's admins only)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.admin import kit
from portal_gateway.web.base import Submission, Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.catalog import GROUPS, CatalogClient, SubjectArea, TicketTemplate
from portal_gateway.web.clients.tickets import CATEGORIES
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import (
    QUESTION_TYPES,
    TemplateForm,
    checked,
    field_messages,
    first_part,
    form_status,
)
from portal_gateway.web.i18n import TEXTS, language

BLANK_QUESTION_ROWS = 2

router = APIRouter(include_in_schema=False)


# --- templates and conversation guides --------------------------------------------------


@router.get("/admin/templates")
async def template_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    try:
        templates, failed = await web.client(CatalogClient, viewer).templates(), False
    except ServiceError:
        templates, failed = [], True
    return web.render(
        request,
        "admin/templates.html",
        viewer=viewer,
        templates=templates,
        failed=failed,
        notice=kit.notice(request),
    )


def _template_form(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: TemplateForm,
    template_id: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    blank = BLANK_QUESTION_ROWS if form.rows else BLANK_QUESTION_ROWS + 1
    return web.render(
        request,
        "admin/template_form.html",
        status,
        viewer=viewer,
        form=form,
        rows=form.with_blank_rows(blank),
        next_index=form.next_index() + blank,
        template_id=template_id,
        groups=GROUPS,
        categories=CATEGORIES,
        question_types=QUESTION_TYPES,
        errors=errors or {},
    )


@router.get("/admin/templates/new")
async def new_template(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return _template_form(web, request, viewer, TemplateForm())


@router.get("/admin/templates/{template_id}")
async def edit_template(request: Request, template_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    try:
        found = await web.client(CatalogClient, viewer).template(template_id)
    except ServiceError:
        found = None
    if found is None:
        return kit.missing(web, request, viewer)
    return _template_form(web, request, viewer, TemplateForm.of(found), template_id)


@router.post("/admin/templates/{template_id}")
async def save_template(request: Request, template_id: str, web: WebDep) -> Response:
    """Creates (`new`) or changes a template."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    creating = template_id == "new"
    if not creating and not is_uuid(template_id):
        return kit.missing(web, request, viewer)
    form = TemplateForm.posted(submission)
    shown_id = None if creating else template_id
    catalog = web.client(CatalogClient, viewer)

    async def send() -> TicketTemplate:
        if creating:
            return await catalog.create_template(form.body())
        return await catalog.update_template(template_id, form.body())

    what = "template_created" if creating else "template_saved"
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _template_form(
            web, request, viewer, form, shown_id, errors, status
        ),
        send=send,
        messages=lambda error: field_messages(error, language(request), form.locate),
        finish=lambda _saved: kit.done(web, request, viewer, "/admin/templates", what, form.name),
    )


# --- taxonomy ---------------------------------------------------------------------------


@dataclass
class AreaForm:
    """One subject area as edited on the taxonomy page (`slot`: its row there)."""

    new: bool
    name: str
    subtypes: str
    active: bool
    slot: str

    @classmethod
    def posted(cls, submission: Submission) -> AreaForm:
        slot = submission.text("slot", 6)
        return cls(
            new=submission.text("new") == "1",
            name=submission.text("name", 200),
            subtypes=submission.text("subtypes", 20_000),
            active=checked(submission.form, "active"),
            slot=slot if slot.isdigit() else "0",
        )

    @property
    def prefix(self) -> str:
        """Where the page's fields for this area begin: `new-name`, `area-3-name`."""
        return "new-" if self.new else f"area-{self.slot}-"

    def subtype_list(self) -> list[str]:
        return [s.strip() for s in self.subtypes.splitlines() if s.strip()]


async def _areas(web: Web, viewer: Viewer) -> list[SubjectArea] | None:
    try:
        return await web.client(CatalogClient, viewer).subject_areas()
    except ServiceError:
        return None


async def _taxonomy_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    *,
    edited: AreaForm | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    areas = await _areas(web, viewer)
    return web.render(
        request,
        "admin/taxonomy.html",
        status,
        viewer=viewer,
        areas=areas or [],
        failed=areas is None,
        edited=edited or {},
        errors=errors or {},
        notice=None if errors else kit.notice(request),
    )


@router.get("/admin/taxonomy")
async def taxonomy(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return await _taxonomy_page(web, request, viewer)


async def _area_problem(web: Web, viewer: Viewer, edited: AreaForm, lang: str) -> str | None:
    """What is wrong with the area before it goes to the service."""
    t = TEXTS[lang]
    if not edited.name:
        return t["admin_area_name_needed"]
    if "/" in edited.name or "\\" in edited.name:
        return t["admin_area_name_chars"]
    if edited.new and any(a.name == edited.name for a in await _areas(web, viewer) or []):
        return t["admin_area_exists"]
    return None


@router.post("/admin/taxonomy")
async def save_area(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    edited = AreaForm.posted(submission)
    lang = language(request)
    if not submission.csrf_ok:
        errors = kit.expired(request)
        return await _taxonomy_page(web, request, viewer, edited=edited, errors=errors, status=403)
    if problem := await _area_problem(web, viewer, edited, lang):
        errors = {f"{edited.prefix}name": problem, "": TEXTS[lang]["form_has_errors"]}
        return await _taxonomy_page(web, request, viewer, edited=edited, errors=errors, status=422)
    catalog = web.client(CatalogClient, viewer)
    try:
        await catalog.save_subject_area(edited.name, edited.subtype_list(), edited.active)
    except ServiceError as error:
        prefix = edited.prefix
        locate = first_part({"name": f"{prefix}name", "subtypes": f"{prefix}subtypes"})
        errors = field_messages(error, lang, locate)
        status = form_status(error)
        return await _taxonomy_page(
            web, request, viewer, edited=edited, errors=errors, status=status
        )
    return kit.done(web, request, viewer, "/admin/taxonomy", "area_saved", edited.name)

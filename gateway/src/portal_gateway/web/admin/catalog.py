"""Administration of what customers choose from: ticket templates with their
conversation guides, and the taxonomy of subject areas (the vendor's admins only)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.admin.kit import AdminKit, items, notice
from portal_gateway.web.base import Viewer, is_uuid
from portal_gateway.web.forms import (
    QUESTION_TYPES,
    TemplateForm,
    checked,
    field_messages,
    first_part,
    form_status,
)
from portal_gateway.web.i18n import TEXTS, language

GROUPS = ("incident_report", "service_request", "change_request")
CATEGORIES = ("incident", "service_request", "change_request", "question")
BLANK_QUESTION_ROWS = 2


def catalog_admin_router(kit: AdminKit) -> APIRouter:
    web = kit.web
    router = APIRouter(include_in_schema=False)

    # --- templates and conversation guides ------------------------------------------

    @router.get("/admin/templates")
    async def template_list(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-templates")
        return web.render(
            request,
            "admin/templates.html",
            viewer=viewer,
            templates=items(answer),
            failed=answer.status_code != 200,
            notice=notice(request),
        )

    def template_form(
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
    async def new_template(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        return template_form(request, viewer, TemplateForm())

    @router.get("/admin/templates/{template_id}")
    async def edit_template(request: Request, template_id: str) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-templates")
        found = next((t for t in items(answer) if t["id"] == template_id), None)
        if found is None:
            return kit.missing(request, viewer)
        return template_form(request, viewer, TemplateForm.of(found), template_id)

    @router.post("/admin/templates/{template_id}")
    async def save_template(request: Request, template_id: str) -> Response:
        """Creates (`new`) or changes a template."""
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        creating = template_id == "new"
        if not creating and not is_uuid(template_id):
            return kit.missing(request, viewer)
        form = TemplateForm.posted(submission)
        shown_id = None if creating else template_id

        def send() -> Any:
            if creating:
                return web.api(
                    viewer, "tickets", "POST", "/api/v1/ticket-templates", json=form.body()
                )
            path = f"/api/v1/ticket-templates/{template_id}"
            return web.api(viewer, "tickets", "PATCH", path, json=form.body())

        what = "template_created" if creating else "template_saved"
        return await kit.submit(
            request,
            submission,
            show=lambda errors, status: template_form(
                request, viewer, form, shown_id, errors, status
            ),
            send=send,
            messages=lambda answer: field_messages(answer, language(request), form.locate),
            success=201 if creating else 200,
            finish=lambda _answer: kit.done(request, viewer, "/admin/templates", what, form.name),
        )

    # --- taxonomy -------------------------------------------------------------------

    async def taxonomy_page(
        request: Request,
        viewer: Viewer,
        *,
        edited: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-taxonomy")
        return web.render(
            request,
            "admin/taxonomy.html",
            status,
            viewer=viewer,
            areas=items(answer),
            failed=answer.status_code != 200,
            edited=edited or {},
            errors=errors or {},
            notice=None if errors else notice(request),
        )

    @router.get("/admin/taxonomy")
    async def taxonomy(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        return await taxonomy_page(request, viewer)

    @router.post("/admin/taxonomy")
    async def save_area(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        edited = {
            "new": submission.text("new") == "1",
            "name": submission.text("name", 200),
            "subtypes": submission.text("subtypes", 20_000),
            "active": checked(submission.form, "active"),
            "slot": submission.text("slot", 6) if submission.text("slot", 6).isdigit() else "0",
        }
        prefix = "new-" if edited["new"] else f"area-{edited['slot']}-"
        lang = language(request)
        if not submission.csrf_ok:
            return await taxonomy_page(
                request, viewer, edited=edited, errors=kit.expired(request), status=403
            )
        if problem := await area_problem(viewer, edited, lang):
            errors = {f"{prefix}name": problem, "": TEXTS[lang]["form_has_errors"]}
            return await taxonomy_page(request, viewer, edited=edited, errors=errors, status=422)
        subtypes = [s.strip() for s in str(edited["subtypes"]).splitlines() if s.strip()]
        answer = await web.api(
            viewer,
            "tickets",
            "PUT",
            f"/api/v1/ticket-taxonomy/{quote(str(edited['name']), safe='')}",
            json={"name": edited["name"], "subtypes": subtypes, "active": edited["active"]},
        )
        if answer.status_code != 200:
            locate = first_part({"name": f"{prefix}name", "subtypes": f"{prefix}subtypes"})
            errors = field_messages(answer, lang, locate)
            return await taxonomy_page(
                request, viewer, edited=edited, errors=errors, status=form_status(answer)
            )
        return kit.done(request, viewer, "/admin/taxonomy", "area_saved", str(edited["name"]))

    async def area_problem(viewer: Viewer, edited: dict[str, Any], lang: str) -> str | None:
        name = str(edited["name"])
        t = TEXTS[lang]
        if not name:
            return t["admin_area_name_needed"]
        if "/" in name or "\\" in name:
            return t["admin_area_name_chars"]
        if edited["new"]:
            answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-taxonomy")
            if any(a["name"] == name for a in items(answer)):
                return t["admin_area_exists"]
        return None

    return router

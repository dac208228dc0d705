"""The administrators' CSV import of an organization's installations: choose the
organization, upload the file, read the report (created, updated, and the refused rows
with their line, serial number and reasons in the reader's language)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from portal_gateway.web.assets.forms import import_errors, reasons
from portal_gateway.web.assets.kit import missing, organizations
from portal_gateway.web.base import Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.assets import AssetsClient, ImportReport
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

router = APIRouter(include_in_schema=False)

# What the page reads of a file: the gateway takes no larger form body.
MAX_BYTES = 1024 * 1024
HEADER = "name;serial_number;product;location;installed_on;status;contract"
EXAMPLE = (
    f"{HEADER};room\r\n"
    "Printer floor 2;SN-1001;LaserJet 500;Berlin, floor 2;2024-03-01;active;;201\r\n"
    "Scanner lobby;SN-1002;ScanPro;Berlin, lobby;;active;;\r\n"
)


async def import_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    *,
    chosen: str = "",
    report: ImportReport | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    lang = language(request)
    refused = [
        {"line": row.line, "serial": row.serial_number or "", "reasons": reasons(row.errors, lang)}
        for row in (report.refused if report else [])
    ]
    return web.render(
        request,
        "assets/import.html",
        status,
        viewer=viewer,
        organizations=await organizations(web, viewer),
        chosen=chosen,
        report=report,
        refused=refused,
        header=HEADER,
        errors=errors or {},
    )


@router.get("/assets/import")
async def import_form(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_admin:
        return missing(request, web, viewer)
    chosen = request.query_params.get("organization_id", "")
    return await import_page(request, web, viewer, chosen=chosen if is_uuid(chosen) else "")


@router.get("/assets/import/example.csv")
async def example(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    return Response(
        EXAMPLE.encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="installations.csv"'},
    )


@router.post("/assets/import")
async def import_file(request: Request, web: WebDep) -> Response:
    sub = await web.submission(request)
    viewer = sub.viewer
    if viewer.actor is None:
        return RedirectResponse("/login?next=/assets/import", status_code=303)
    if not viewer.is_admin:
        return missing(request, web, viewer)
    lang = language(request)
    words = TEXTS[lang]
    chosen = sub.text("organization_id", 40)
    upload = sub.form.get("file")
    errors: dict[str, str] = {}
    if not is_uuid(chosen):
        errors["organization_id"] = words["assets_choose_org"]
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = words["assets_import_no_file"]
    if not sub.csrf_ok:
        errors = {"": words["session_expired"]}
    if errors or not isinstance(upload, UploadFile):
        errors.setdefault("", words["form_has_errors"])
        status = 403 if not sub.csrf_ok else 422
        return await import_page(request, web, viewer, chosen=chosen, errors=errors, status=status)
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        errors = {"file": words["assets_import_too_large"], "": words["form_has_errors"]}
        return await import_page(request, web, viewer, chosen=chosen, errors=errors, status=413)
    try:
        report = await web.client(AssetsClient, viewer).import_assets(
            chosen, upload.filename or "assets.csv", data
        )
    except ServiceError as error:
        errors = import_errors(error, lang)
        return await import_page(
            request, web, viewer, chosen=chosen, errors=errors, status=form_status(error)
        )
    return await import_page(request, web, viewer, chosen=chosen, report=report)

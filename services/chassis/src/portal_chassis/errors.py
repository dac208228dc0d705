"""Domain errors and their RFC 9457 problem+json answers.

Service code raises the domain errors below (never `HTTPException`); the handlers
installed by `install_problem_handlers` turn every error, including unknown paths,
validation failures and bugs, into `application/problem+json` without internals.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal_chassis import context

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://portal.example/problems/"
QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement timeout


class DomainError(Exception):
    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}


class NotFound(DomainError):
    """Also the answer for anything outside the caller's organization (never 403)."""

    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.headers["WWW-Authenticate"] = "Bearer"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Not allowed"


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a rule; `errors` name each field."""

    status, slug, title = 422, "validation-error", "Invalid input"

    def __init__(self, errors: list[dict[str, str]], detail: str | None = None) -> None:
        super().__init__(detail or "One or more fields are invalid.", errors=errors)


class TooManyRequests(DomainError):
    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: int) -> None:
        super().__init__(detail)
        self.headers["Retry-After"] = str(retry_after)


class ServiceUnavailable(DomainError):
    status, slug, title = 503, "service-unavailable", "Service unavailable"


def problem(
    status: int,
    *,
    slug: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or phrase.lower().replace(" ", "-")),
        "title": title or phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    headers = dict(headers or {})
    if rid := context.request_id.get():
        body["request_id"] = rid
        # Also set here: a 500 is rendered outside the middleware that echoes ids.
        headers.setdefault(context.REQUEST_ID_HEADER, rid)
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if part not in ("body",)]
        errors.append(
            {"field": ".".join(loc) or "body", "message": err["msg"], "code": err["type"]}
        )
    return errors


async def _on_domain_error(request: Request, exc: DomainError) -> JSONResponse:
    return problem(
        exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        instance=request.url.path,
        headers=exc.headers or None,
        **exc.extra,
    )


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return problem(
        422,
        slug="validation-error",
        title="Invalid input",
        detail="One or more fields are invalid.",
        instance=request.url.path,
        errors=field_errors(exc),
    )


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else None
    if exc.status_code == 404:
        detail = "No resource at this address."
    return problem(
        exc.status_code,
        detail=detail,
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
    )


async def _on_database_error(request: Request, exc: DBAPIError) -> JSONResponse:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate == QUERY_CANCELED:
        log.warning("statement timeout", extra={"path": request.url.path})
        return problem(
            503,
            slug="query-timeout",
            title="Service unavailable",
            detail="The request took too long. Narrow the filter or try again.",
            instance=request.url.path,
            headers={"Retry-After": "5"},
        )
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return await _on_unreachable(request, exc)
    return await _on_unhandled(request, exc)


async def _on_stale_row(request: Request, exc: StaleDataError) -> JSONResponse:
    # A row changed or removed by a concurrent request between reading and writing
    # it: the caller's view is out of date, not our code broken. Use cases lock what
    # they change; this is the answer where one does not.
    log.warning("stale row on write", extra={"path": request.url.path})
    return problem(
        409,
        slug="conflict",
        title="Conflict",
        detail="It was changed at the same time by someone else. Load it again and retry.",
        instance=request.url.path,
    )


async def _on_unreachable(request: Request, exc: Exception) -> JSONResponse:
    # A database or broker that refuses connections: the caller may retry shortly.
    log.warning("backing service unreachable: %s", type(exc).__name__)
    return problem(
        503,
        slug="service-unavailable",
        title="Service unavailable",
        detail="The service cannot reach what it depends on. Try again shortly.",
        instance=request.url.path,
        headers={"Retry-After": "5"},
    )


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return problem(
        500,
        slug="internal-error",
        title="Internal error",
        detail="Something went wrong on our side. The request id identifies it in our logs.",
        instance=request.url.path,
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _on_validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _on_http_error)  # type: ignore[arg-type]
    app.add_exception_handler(DBAPIError, _on_database_error)  # type: ignore[arg-type]
    app.add_exception_handler(StaleDataError, _on_stale_row)  # type: ignore[arg-type]
    app.add_exception_handler(ConnectionError, _on_unreachable)
    app.add_exception_handler(Exception, _on_unhandled)

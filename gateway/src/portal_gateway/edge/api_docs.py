"""The public API description: every service's OpenAPI merged into one document at
`/api/v1/openapi.json`, and Swagger UI at `/api/docs` (Swagger UI 5, whose files ship
with the fastapi-offline package; nothing comes from a CDN)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from portal_gateway.edge.problem_docs import document_problems
from portal_gateway.edge.proxy import Upstreams
from portal_gateway.edge.routes import SERVICES, route

CACHE_SECONDS = 60.0
REF = "#/components/schemas/"
PROBLEM = {"application/problem+json": {"schema": {"$ref": f"{REF}ProblemDetails"}}}
# What the edge itself may answer on any operation, besides what the service declares.
EDGE_ANSWERS = {
    "429": "Too many requests from this address or user (`Retry-After` says when to retry).",
    "503": "The service is unavailable for the moment (`Retry-After` when known).",
}
BODY_TOO_LARGE = "The request body is larger than the edge accepts."

DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Customer Service Portal API</title>
  <link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
</head>
<body>
  <main id="swagger-ui"></main>
  <script src="/static/swagger-ui/swagger-ui-bundle.js" defer></script>
  <script src="/static/api-docs.js" defer></script>
</body>
</html>
"""


def merge(specs: dict[str, dict[str, Any]], *, version: str = "1") -> dict[str, Any]:
    """One document from the services' own: each path where the gateway routes it to
        that service, each operation tagged with its service and given its problem answers
    (`problem_docs`), and schema names made unique
        (a name two services use differently gets the service's name in front)."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for service, spec in specs.items():
        document_problems(spec)
        own = spec.get("components", {}).get("schemas", {})
        renames = {
            name: f"{service.capitalize()}{name}"
            for name, schema in own.items()
            if name in schemas and schemas[name] != schema
        }
        if renames:
            text = json.dumps(spec)
            for old, new in renames.items():
                text = text.replace(f'"{REF}{old}"', f'"{REF}{new}"')
            spec = json.loads(text)
            own = {renames.get(name, name): schema for name, schema in own.items()}
        schemas.update(own)
        for path, operations in spec.get("paths", {}).items():
            owner = route(path)
            if owner is None or owner[0] != service:
                continue
            for operation in operations.values():
                if isinstance(operation, dict):
                    operation.setdefault("tags", [service])
                    _edge_answers(operation)
            paths[path] = operations
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Customer Service Portal API",
            "version": version,
            "description": (
                "The public API behind the gateway. Authenticate with "
                "`Authorization: Bearer <access token>` from `POST /api/v1/auth/login` "
                "(or the OpenID Connect token endpoint). Errors are RFC 9457 problem "
                "documents."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
        "security": [{"bearer": []}],
    }


def _edge_answers(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    answers = dict(EDGE_ANSWERS)
    if "requestBody" in operation:
        answers["413"] = BODY_TOO_LARGE
    for status, description in answers.items():
        responses.setdefault(status, {"description": description, "content": PROBLEM})
    operation["responses"] = dict(sorted(responses.items()))


class MergedSpec:
    def __init__(self, upstreams: Upstreams) -> None:
        self.upstreams = upstreams
        self._cached: dict[str, Any] | None = None
        self._at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> tuple[dict[str, Any], bool]:
        """The merged document and whether every service contributed."""
        async with self._lock:
            if self._cached is not None and time.monotonic() - self._at < CACHE_SECONDS:
                return self._cached, True
            answers = await asyncio.gather(
                *(
                    self.upstreams.call(service, "GET", "/openapi.json", headers={})
                    for service in SERVICES
                )
            )
            specs = {s: a.json() for s, a in zip(SERVICES, answers, strict=True) if a.is_success}
            merged = merge(specs)
            complete = len(specs) == len(SERVICES)
            if complete:  # a partial document is served but not kept
                self._cached, self._at = merged, time.monotonic()
            return merged, complete


def api_docs_router(upstreams: Upstreams) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    spec = MergedSpec(upstreams)

    @router.get("/api/v1/openapi.json")
    async def openapi() -> JSONResponse:
        document, complete = await spec.get()
        headers = {"Cache-Control": "public, max-age=60"} if complete else {}
        return JSONResponse(document, headers=headers)

    @router.get("/api/docs")
    async def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    return router


def swagger_ui_files() -> StaticFiles:
    spec = importlib.util.find_spec("fastapi_offline")
    assert spec is not None and spec.origin is not None, "fastapi-offline is not installed"
    return StaticFiles(directory=Path(spec.origin).parent / "static")

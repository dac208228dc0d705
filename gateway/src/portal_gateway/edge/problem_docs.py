"""The error answers in each service's part of the public OpenAPI document.

Services publish FastAPI's own document; the edge decorates each once, before the merge
(`api_docs.merge`). FastAPI describes the success answer and its own 422 shape; the
portal answers every error as an RFC 9457 problem document (`portal_chassis.errors`).
This declares those answers on every operation, from what the operation shows: an
access token (401, 403), a role check (the roles are the bearer requirement's scopes, as
OpenAPI 3.1 allows), a path parameter or an id in the query (404), a state-changing
method (409), parameters or a body (422, with field errors; 400 for a body that cannot
be read at all). FastAPI's `HTTPValidationError` is replaced by `ProblemDetails`.
"""

from __future__ import annotations

from typing import Any

from portal_chassis.auth import BEARER, OPTIONAL_BEARER
from portal_chassis.errors import PROBLEM_JSON

REF = "#/components/schemas/"
PROBLEM_REF = {"$ref": f"{REF}ProblemDetails"}

PROBLEM_SCHEMAS: dict[str, Any] = {
    "ProblemDetails": {
        "title": "ProblemDetails",
        "description": "An RFC 9457 problem document, the body of every error answer.",
        "type": "object",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "description": "Identifies the kind of problem."},
            "title": {"type": "string", "description": "Short, the same for every instance."},
            "status": {"type": "integer", "description": "The HTTP status code."},
            "detail": {"type": "string", "description": "What went wrong this time."},
            "instance": {"type": "string", "description": "The path that was requested."},
            "request_id": {"type": "string", "description": "Names the request in our logs."},
            "errors": {
                "type": "array",
                "description": "With 422: each invalid field.",
                "items": {"$ref": f"{REF}FieldError"},
            },
        },
        "additionalProperties": True,
    },
    "FieldError": {
        "title": "FieldError",
        "type": "object",
        "required": ["field", "message"],
        "properties": {
            "field": {"type": "string", "description": "Dotted path of the field."},
            "message": {"type": "string"},
            "code": {"type": "string", "description": "A stable code for the rule broken."},
        },
    },
}

DESCRIPTIONS = {
    400: "The body could not be read as the media type it was sent as.",
    401: "No valid access token (missing, expired or revoked).",
    403: "Not allowed (a token without the scope, a browser session without its CSRF token).",
    404: "Not found, or not visible to the caller.",
    409: "Conflicts with the current state of the resource.",
    422: "Invalid input: `errors` names each field.",
}
WRITES = frozenset({"post", "put", "patch", "delete"})
METHODS = frozenset({"get", "head", "options", *WRITES})
FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
SCHEME = BEARER.scheme_name
OPTIONAL_SCHEME = OPTIONAL_BEARER.scheme_name


def _security(operation: dict[str, Any]) -> tuple[str | None, list[str]]:
    """How the operation authenticates ("required", "optional" or None), and the roles
    it admits (none named: any)."""
    requirements = operation.get("security", [])
    required = [r[SCHEME] for r in requirements if SCHEME in r]
    if required:
        roles = [set(scopes) for scopes in required if scopes]
        # Several role checks on one route: a caller must pass each of them.
        admitted = set.intersection(*roles) if roles else set()
        return "required", sorted(admitted)
    if any(OPTIONAL_SCHEME in r for r in requirements):
        return "optional", []
    return None, []


def _answers(operation: dict[str, Any], method: str) -> dict[int, str]:
    """The problem statuses an operation can answer."""
    auth, roles = _security(operation)
    parameters = operation.get("parameters", [])
    has_path = any(p.get("in") == "path" for p in parameters)
    # An id in the query (an organization, a category) may name nothing visible too.
    names_a_thing = has_path or any(p.get("name", "").endswith("_id") for p in parameters)
    statuses: set[int] = set()
    if auth is not None:
        statuses |= {401, 403}  # a bad token is refused even where one is optional
    if names_a_thing or roles:
        statuses.add(404)
    if method in WRITES:
        statuses.add(409)
    if parameters or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses.add(400)
    return {s: DESCRIPTIONS[s] for s in sorted(statuses)}


def _as_problem(response: dict[str, Any]) -> None:
    """An error answer's body is a problem document, whatever a route declared loosely."""
    content = response.setdefault("content", {})
    loose = content.get("application/json")
    if loose is not None and (not loose.get("schema") or "ValidationError" in str(loose)):
        del content["application/json"]
    if not content or PROBLEM_JSON in content:
        content.setdefault(PROBLEM_JSON, {}).setdefault("schema", dict(PROBLEM_REF))


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the problem answers to a generated document, and state each operation's
    security plainly (required, optional, or none), in place."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.update(PROBLEM_SCHEMAS)
    schemes = components.setdefault("securitySchemes", {})
    schemes.pop(OPTIONAL_SCHEME, None)
    schemes[SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": BEARER.model.description,
    }
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in _answers(operation, method).items():
                declared = responses.setdefault(str(status), {"description": description})
                if status == 422 and "ValidationError" in str(declared.get("content")):
                    declared["description"] = description
            for status, response in responses.items():
                if status[:1] in ("4", "5"):
                    _as_problem(response)
            operation["responses"] = dict(sorted(responses.items()))
            auth, roles = _security(operation)
            if auth == "required":
                operation["security"] = [{SCHEME: roles}]
            elif auth == "optional":
                operation["security"] = [{}, {SCHEME: []}]  # anonymous, or with a token
            else:
                operation["security"] = []
    for name in FASTAPI_VALIDATION:
        schemas.pop(name, None)
    return schema

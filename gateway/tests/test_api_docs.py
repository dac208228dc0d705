"""The merged public OpenAPI document and the API docs page."""

from __future__ import annotations

import json

import httpx
from portal_harness import Portal

from portal_gateway.edge.api_docs import merge
from portal_gateway.edge.problem_docs import document_problems
from portal_gateway.web.texts import TEXTS


async def test_the_merged_document_holds_every_service_and_resolves(sqlite_portal: Portal) -> None:
    r = await sqlite_portal.client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/auth/login",
        "/api/v1/me",
        "/api/v1/tickets",
        "/api/v1/tickets/{number}",
        "/api/v1/files",
        "/api/v1/exchanges",
        "/api/v1/faq/articles",
        "/api/v1/notifications",
    ):
        assert path in paths, path
    assert "/healthz" not in paths and "/metrics" not in paths
    assert paths["/api/v1/tickets"]["post"]["tags"]
    # Every reference points at a schema the document holds.
    schemas = spec["components"]["schemas"]
    text = json.dumps(spec)
    refs = {part.split('"')[0] for part in text.split('"#/components/schemas/')[1:]}
    assert refs and refs <= schemas.keys()


def test_schema_names_two_services_use_differently_are_kept_apart() -> None:
    def spec(path: str, field: str) -> dict:
        return {
            "paths": {path: {"get": {"responses": {"200": {"$ref": "#/components/schemas/Page"}}}}},
            "components": {"schemas": {"Page": {"properties": {field: {"type": "string"}}}}},
        }

    merged = merge({"tickets": spec("/api/v1/tickets", "a"), "faq": spec("/api/v1/faq/x", "b")})
    schemas = merged["components"]["schemas"]
    assert schemas["Page"]["properties"] == {"a": {"type": "string"}}
    assert schemas["FaqPage"]["properties"] == {"b": {"type": "string"}}
    faq_ref = merged["paths"]["/api/v1/faq/x"]["get"]["responses"]["200"]["$ref"]
    assert faq_ref == "#/components/schemas/FaqPage"


async def test_docs_page_loads_swagger_ui_from_the_portal(sqlite_portal: Portal) -> None:
    client = sqlite_portal.client
    page = await client.get("/api/docs")
    assert page.status_code == 200
    assert "/static/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "http" not in page.text.split("<body>")[1]  # nothing from another host
    bundle = await client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000


def test_every_word_exists_in_both_languages() -> None:
    assert TEXTS["en"].keys() == TEXTS["de"].keys()
    assert all(TEXTS["de"].values()) and all(TEXTS["en"].values())


PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}


def _operations(spec: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


async def test_every_operation_declares_its_problem_answers(sqlite_portal: Portal) -> None:
    spec = (await sqlite_portal.client.get("/api/v1/openapi.json")).json()
    problem = spec["components"]["schemas"]["ProblemDetails"]
    assert {"type", "title", "status", "detail", "instance", "errors"} <= problem[
        "properties"
    ].keys()
    assert problem["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/FieldError"}
    assert "HTTPValidationError" not in json.dumps(spec)
    missing = []
    for path, method, operation in _operations(spec):
        responses = operation["responses"]
        for status, response in responses.items():
            if status[0] in "45":
                schema = response["content"].get("application/problem+json", {}).get("schema")
                if schema != PROBLEM_REF:
                    missing.append((method, path, status, "not a problem"))
        expected = {"429", "503"}
        security = operation["security"]
        if any("bearer" in requirement for requirement in security):
            expected |= {"401", "403"}
        if operation.get("parameters") or "requestBody" in operation:
            expected.add("422")
        if "requestBody" in operation:
            expected |= {"400", "413"}
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            expected.add("404")
        if method in ("post", "put", "patch", "delete"):
            expected.add("409")
        if security and security[0].get("bearer"):  # a role check
            expected.add("404")
        missing += [(method, path, s) for s in sorted(expected - responses.keys())]
    assert missing == []

    paths = spec["paths"]
    # Security as each route has it: roles named, optional tokens, public routes.
    assert paths["/api/v1/admin/organizations"]["post"]["security"] == [{"bearer": ["admin"]}]
    assert paths["/api/v1/faq/articles"]["post"]["security"] == [{"bearer": ["admin", "agent"]}]
    assert paths["/api/v1/tickets"]["get"]["security"] == [{"bearer": []}]
    assert paths["/api/v1/faq/articles"]["get"]["security"] == [{}, {"bearer": []}]
    assert paths["/api/v1/auth/login"]["post"]["security"] == []
    assert "404" in paths["/api/v1/admin/signing-keys"]["get"]["responses"]
    assert "422" not in paths["/api/v1/admin/signing-keys"]["get"]["responses"]
    assert "413" in paths["/api/v1/tickets"]["post"]["responses"]


async def test_each_service_document_gets_the_problem_answers(sqlite_portal: Portal) -> None:
    for name, app in sqlite_portal.app.state.gateway["platform"].embedded.items():
        r = document_problems(await _own_document(app))
        assert "ProblemDetails" in r["components"]["schemas"], name
        assert "HTTPValidationError" not in json.dumps(r), name
        for _, _, operation in _operations(r):
            for status, response in operation["responses"].items():
                if status[0] in "45":
                    assert "application/problem+json" in response["content"], (name, status)


async def _own_document(app: object) -> dict:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        r = await client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()

"""The merged public OpenAPI document and the API docs page."""

from __future__ import annotations

import json

from portal_harness import Portal

from portal_gateway.api_docs import merge
from portal_gateway.texts import TEXTS


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

"""`/readyz` keeps a server out of traffic until its database has the code's migrations."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from portal_harness import Portal
from sqlalchemy import text

from portal_chassis import migrations, registry, schema_state
from portal_chassis.runtime import Runtime

pytestmark = pytest.mark.integration

# The FAQ service: two revisions, and nothing at start that needs its tables.
FIRST_REVISION = "202611231121"


@pytest.fixture
async def faq(pg_url: str) -> AsyncIterator[FastAPI]:
    """The FAQ server, started on an empty PostgreSQL database."""
    module = registry.load("faq")
    app = module.create_app(module.settings_cls(database_url=pg_url))
    async with app.router.lifespan_context(app):
        yield app


async def _readyz(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://faq") as client:
        return await client.get("/readyz")


async def _migrate(app: FastAPI, revision: str = "head") -> None:
    runtime: Runtime = app.state.portal
    await migrations.upgrade(runtime.alembic_config(), revision)


async def test_a_server_on_an_unmigrated_database_is_not_ready_until_migrated(
    faq: FastAPI,
) -> None:
    empty = await _readyz(faq)
    assert empty.status_code == 503
    assert empty.headers["content-type"] == "application/problem+json"
    problem = empty.json()
    assert problem["type"].endswith("/not-ready") and problem["status"] == 503
    assert problem["checks"] == {"database": True, "migrations": False, "bus": True}
    assert "migrations: the database lacks this version's migrations" in problem["detail"]

    await _migrate(faq, FIRST_REVISION)
    behind = await _readyz(faq)
    assert behind.status_code == 503 and behind.json()["checks"]["migrations"] is False

    await _migrate(faq)
    ready = await _readyz(faq)
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "checks": {"database": True, "migrations": True, "bus": True},
    }


async def test_readiness_remembers_the_database_was_migrated(faq: FastAPI) -> None:
    await _migrate(faq)
    assert (await _readyz(faq)).status_code == 200
    # Were the revision read again, a database without its version table would be empty.
    runtime: Runtime = faq.state.portal
    async with runtime.engine.begin() as conn:
        await conn.execute(text("DROP TABLE alembic_version"))
    assert (await _readyz(faq)).status_code == 200


async def test_a_database_migrated_by_a_newer_version_keeps_the_server_ready(
    faq: FastAPI,
) -> None:
    await _migrate(faq)
    runtime: Runtime = faq.state.portal
    async with runtime.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '209901010000'"))
    assert (await _readyz(faq)).status_code == 200


async def test_every_module_of_the_all_in_one_process_is_ready_after_migrating_itself(
    sqlite_portal: Portal,
) -> None:
    ready = await sqlite_portal.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    services = ("identity", "tickets", "files", "faq", "notify")
    assert all(checks[f"{service}.migrations"] for service in services), checks


def test_only_a_database_short_of_the_heads_is_behind() -> None:
    scripts = schema_state.Scripts(heads=frozenset({"b"}), known=frozenset({"a", "b"}))
    assert scripts.behind([])
    assert scripts.behind(["a"])
    assert not scripts.behind(["b"])
    assert not scripts.behind(["c"])  # applied by a newer version


def test_reading_the_scripts_as_source_finds_what_alembic_finds() -> None:
    from alembic.script import ScriptDirectory

    for module in registry.services():
        cfg = migrations.alembic_config(
            versions=module.versions, metadata=module.metadata, url="sqlite://"
        )
        alembic = ScriptDirectory.from_config(cfg)
        read = schema_state.Scripts.read(module.versions)
        assert read.heads == frozenset(alembic.get_heads()), module.name
        assert read.known == {r.revision for r in alembic.walk_revisions()}, module.name

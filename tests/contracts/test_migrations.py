"""Each service's migrations build exactly the schema its models describe, on SQLite
and on PostgreSQL, and can be rolled back to nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from portal_chassis import migrations, registry
from portal_chassis.db import create_engine
from portal_chassis.migrations import include_object_for

SERVICES = [m.name for m in registry.services()]


async def _diff_after_upgrade(name: str, url: str) -> list:
    module = registry.load(name)
    cfg = migrations.alembic_config(versions=module.versions, metadata=module.metadata, url=url)
    await migrations.upgrade(cfg)
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(
                        sync, opts={"include_object": include_object_for(module.metadata)}
                    ),
                    module.metadata,
                )
            )
    finally:
        await engine.dispose()


@pytest.mark.parametrize("name", SERVICES)
async def test_migrations_match_models_on_sqlite(name: str, tmp_path: Path) -> None:
    diff = await _diff_after_upgrade(name, f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    assert diff == []


@pytest.mark.integration
@pytest.mark.parametrize("name", SERVICES)
async def test_migrations_match_models_and_downgrade_on_postgres(name: str, pg_url: str) -> None:
    assert await _diff_after_upgrade(name, pg_url) == []
    module = registry.load(name)
    cfg = migrations.alembic_config(versions=module.versions, metadata=module.metadata, url=pg_url)
    await migrations.downgrade(cfg, "base")
    engine = create_engine(pg_url)
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
    await engine.dispose()
    assert tables == ["alembic_version"]

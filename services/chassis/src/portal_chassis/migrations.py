"""Alembic, driven from code: one migration tree per service, one shared environment.

`script_location` is the chassis' `alembic/` folder (env.py and the revision template);
`version_locations` is the service's own `migrations/versions`. The URL and metadata
travel in `Config.attributes`, so no ini file is needed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection

from portal_chassis.db import create_engine, is_sqlite


def alembic_config(*, versions: Path, metadata: MetaData, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("portal_chassis") / "alembic"))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(versions))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["metadata"] = metadata
    cfg.attributes["url"] = url
    return cfg


async def upgrade(cfg: Config, revision: str = "head") -> None:
    """Apply migrations from inside a running event loop."""
    await _run(cfg, command.upgrade, revision)


async def downgrade(cfg: Config, revision: str) -> None:
    await _run(cfg, command.downgrade, revision)


async def _run(cfg: Config, fn: Callable[[Config, str], None], revision: str) -> None:
    engine = create_engine(cfg.attributes["url"], poolclass=pool.NullPool)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_on_connection, cfg, fn, revision)
    finally:
        await engine.dispose()


def autogenerate(cfg: Config, message: str) -> None:
    """A new revision, from comparing the models with a database at the heads."""
    asyncio.run(upgrade(cfg))
    rev_id = datetime.now(UTC).strftime("%Y%m%d%H%M")
    engine = create_engine(cfg.attributes["url"], poolclass=pool.NullPool)

    async def run() -> None:
        async with engine.begin() as conn:
            await conn.run_sync(_revision_on, cfg, message, rev_id)
        await engine.dispose()

    asyncio.run(run())


def _revision_on(connection: Connection, cfg: Config, message: str, rev_id: str) -> None:
    cfg.attributes["connection"] = connection
    command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


def _on_connection(
    connection: Connection, cfg: Config, fn: Callable[[Config, str], None], revision: str
) -> None:
    # env.py picks the connection up from here instead of making its own engine.
    cfg.attributes["connection"] = connection
    try:
        fn(cfg, revision)
    finally:
        cfg.attributes.pop("connection", None)


# The chassis' own tables are created by `migration_ops` helpers that every service's
# first migration calls; autogenerate leaves them alone.
CHASSIS_TABLES = frozenset({"outbox_message", "inbox_message"})


def include_object_for(metadata: MetaData) -> Callable[..., bool]:
    """Autogenerate's filter: leave out the chassis' tables and the database-specific
    objects a service builds by hand (named in `metadata.info["unmanaged"]`)."""
    unmanaged: tuple[str, ...] = tuple(metadata.info.get("unmanaged", ()))

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        table = obj if type_ == "table" else getattr(obj, "table", None)
        table_name = getattr(table, "name", name) or ""
        if table_name in CHASSIS_TABLES:
            return False
        return not any(n.startswith(unmanaged) for n in (name or "", table_name) if unmanaged)

    return include


def _configure(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object_for(metadata),
        render_as_batch=is_sqlite(str(connection.engine.url)),  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_env() -> None:
    """Body of the shared env.py."""
    attrs: dict[str, Any] = context.config.attributes
    metadata: MetaData = attrs["metadata"]
    if context.is_offline_mode():
        context.configure(url=attrs["url"], target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = attrs.get("connection")
    if connection is not None:
        _configure(connection, metadata)
        return

    async def _online() -> None:
        engine = create_engine(attrs["url"], poolclass=pool.NullPool)
        async with engine.begin() as conn:
            await conn.run_sync(_configure, metadata)
        await engine.dispose()

    asyncio.run(_online())

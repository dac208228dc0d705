"""Where a database stands against the code's migrations, told without Alembic.

A serving process asks this when it starts and in its readiness check; Alembic (with
Mako and Pygments, about 11 MB of every process) is loaded only to migrate. The scripts
are read as source, their `revision` and `down_revision` assignments, not run; the
database's revisions come from Alembic's own version table.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

# Alembic's default name, which the shared migration environment keeps.
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class Scripts:
    """The revisions a service's migration scripts know, and their heads."""

    heads: frozenset[str]
    known: frozenset[str]

    @classmethod
    def read(cls, versions: Path) -> Scripts:
        """Read once per process: the scripts are part of the code that is running."""
        found = _READ.get(versions)
        if found is None:
            read = (_revision_of(path) for path in sorted(versions.glob("*.py")))
            # A file without a revision is no migration script.
            parents = {revision: downs for revision, downs in read if revision is not None}
            replaced = {down for downs in parents.values() for down in downs}
            found = _READ[versions] = cls(
                heads=frozenset(r for r in parents if r not in replaced),
                known=frozenset(parents),
            )
        return found

    def behind(self, current: Iterable[str]) -> bool:
        """Whether a database at `current` lacks migrations of this code: empty, or at an
        older revision. A revision the scripts do not know was applied by a newer version
        (an upgrade migrates before it replaces the running servers): not behind."""
        applied = frozenset(current)
        return applied != self.heads and applied <= self.known


_READ: dict[Path, Scripts] = {}


def _revision_of(path: Path) -> tuple[str | None, tuple[str, ...]]:
    """A script's revision and the revisions it follows (several for a merge)."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        names = ("revision", "down_revision")
        if isinstance(target, ast.Name) and target.id in names and value is not None:
            found[target.id] = ast.literal_eval(value)
    down = found.get("down_revision")
    downs = () if down is None else (down,) if isinstance(down, str) else tuple(down)  # type: ignore[arg-type]
    revision = found.get("revision")
    return (revision if isinstance(revision, str) else None), downs


async def current_revisions(engine: AsyncEngine) -> frozenset[str]:
    """The revisions the database is at (none before the first migration)."""
    async with engine.connect() as conn:
        return await conn.run_sync(_current_revisions)


def _current_revisions(connection: Connection) -> frozenset[str]:
    if not inspect(connection).has_table(VERSION_TABLE):
        return frozenset()
    return frozenset(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))

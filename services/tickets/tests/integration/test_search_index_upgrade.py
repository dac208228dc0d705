"""The search index of older releases is rebuilt with German and English stems when the
database is upgraded (SQLite FTS5, the all-in-one mode)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from portal_tickets import migrations


async def test_upgrade_reindexes_tickets_indexed_before_stemming(tmp_path: Path) -> None:
    from portal_chassis.migrations import alembic_config, downgrade, upgrade
    from portal_tickets.base import Base

    versions = Path(migrations.__file__).parent / "versions"
    url = f"sqlite+aiosqlite:///{tmp_path / 'tickets.db'}"
    cfg = alembic_config(versions=versions, metadata=Base.metadata, url=url)
    await upgrade(cfg, "202612051400")  # the porter-stemmed index of older releases
    with sqlite3.connect(tmp_path / "tickets.db") as db:
        db.execute("PRAGMA foreign_keys = OFF")
        db.execute(
            "INSERT INTO ticket_search(id, ticket_id, public_text, internal_text) "
            "VALUES (7, 'x', 'T-0007 Drucker druckt nicht', 'Gewährleistungen')"
        )
    await upgrade(cfg)
    with sqlite3.connect(tmp_path / "tickets.db") as db:

        def match(expression: str) -> list[int]:
            rows = db.execute(
                "SELECT rowid FROM ticket_search_fts WHERE ticket_search_fts MATCH ?",
                (expression,),
            )
            return [r[0] for r in rows]

        assert match('"druck"') == [7]  # "Druckern" asks for this stem
        assert match('{internal_text} : "gewahrleist"') == [7]
        db.execute("DELETE FROM ticket_search WHERE id = 7")
        assert match('"druck"') == []  # a deleted ticket leaves no entry behind
    await downgrade(cfg, "202612051400")

"""German and English stemming in the SQLite search index

The FTS5 table of the all-in-one mode held the raw text (porter stemming, English only),
so "Druckern" did not find "Drucker". It now holds every word's German and English
Snowball stem, written by the service (SQLite has no German stemmer); existing tickets
are reindexed here. PostgreSQL is unchanged: its stored vectors already stem both.

Revision ID: 202612100900
Revises: 202612051400
Create Date: 2026-12-10 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_chassis.stemming import bilingual_text

revision: str = "202612100900"
down_revision: str | None = "202612051400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_TRIGGERS = ("ticket_search_ai", "ticket_search_ad", "ticket_search_au")
BATCH = 1000


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        return
    for trigger in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS ticket_search_fts")
    # Diacritics are kept, as PostgreSQL keeps them (the German stems have none).
    op.execute(
        "CREATE VIRTUAL TABLE ticket_search_fts USING fts5(public_text, internal_text, "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    # A deleted ticket's entry goes with it (a later row may reuse the id).
    op.execute(
        "CREATE TRIGGER ticket_search_ad AFTER DELETE ON ticket_search BEGIN "
        "DELETE FROM ticket_search_fts WHERE rowid = old.id; END"
    )
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, public_text, internal_text FROM ticket_search "
                "WHERE id > :last ORDER BY id LIMIT :batch"
            ),
            {"last": last, "batch": BATCH},
        ).all()
        if not rows:
            break
        bind.execute(
            sa.text(
                "INSERT INTO ticket_search_fts(rowid, public_text, internal_text) "
                "VALUES (:id, :public, :internal)"
            ),
            [
                {"id": r[0], "public": bilingual_text(r[1]), "internal": bilingual_text(r[2])}
                for r in rows
            ],
        )
        last = rows[-1][0]


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS ticket_search_ad")
    op.execute("DROP TABLE IF EXISTS ticket_search_fts")
    op.execute(
        "CREATE VIRTUAL TABLE ticket_search_fts USING fts5(public_text, internal_text, "
        "content='ticket_search', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)
    op.execute("INSERT INTO ticket_search_fts(ticket_search_fts) VALUES ('rebuild')")


# The triggers of revision 202611231158, restored on downgrade.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER ticket_search_ai AFTER INSERT ON ticket_search BEGIN
        INSERT INTO ticket_search_fts(rowid, public_text, internal_text)
        VALUES (new.id, new.public_text, new.internal_text);
    END""",
    """CREATE TRIGGER ticket_search_ad AFTER DELETE ON ticket_search BEGIN
        INSERT INTO ticket_search_fts(ticket_search_fts, rowid, public_text, internal_text)
        VALUES ('delete', old.id, old.public_text, old.internal_text);
    END""",
    """CREATE TRIGGER ticket_search_au AFTER UPDATE ON ticket_search BEGIN
        INSERT INTO ticket_search_fts(ticket_search_fts, rowid, public_text, internal_text)
        VALUES ('delete', old.id, old.public_text, old.internal_text);
        INSERT INTO ticket_search_fts(rowid, public_text, internal_text)
        VALUES (new.id, new.public_text, new.internal_text);
    END""",
]

"""The e-mail channel: a received mail is claimed before its attachments are stored

`inbound_mail.claimed_until`: while one intake worker takes a mail in, until when the
others leave it to that worker.

Revision ID: 202612171000
Revises: 202612161000
Create Date: 2026-12-17 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612171000"
down_revision: str | None = "202612161000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_mail", schema=None) as batch_op:
        batch_op.drop_column("claimed_until")

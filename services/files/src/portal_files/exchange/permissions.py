"""Who may do what with a file exchange. A share is its creator's (and the admins'); its
files, once uploaded, are stored files like any other and read by the service's one rule
(`attachments/permissions.py`: the organization that made the link reads them)."""

from __future__ import annotations

from portal_chassis.auth import Actor
from portal_files.exchange.models import Share


def can_manage_share(actor: Actor, share: Share) -> bool:
    return share.created_by == actor.id or actor.is_admin

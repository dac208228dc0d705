"""Who sees which saved views and whom the contact picker offers."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor


def contact_organization(actor: Actor, requested: uuid.UUID | None) -> uuid.UUID | None:
    """The organization whose people the contact picker lists: the service desk picks
    any organization, a customer only ever gets their own."""
    return requested if actor.is_staff else actor.organization_id

"""Consumers that keep a plain copy of another service's facts (a read model, see
`portal_chassis.readmodel`): newest wins by `as_of`.

Most copies are plain: one row per user, organization or file, its columns named as
the event's fields. `copier` makes the consumer for such a table::

    on_user = copier(
        "identity.user.created", "identity.user.updated", "identity.user.deactivated",
        name="tickets.directory.user", model=KnownUser, reads=UserFacts,
    )

Every column of `model` but `as_of` takes the facts' field of its name (`rename` maps
a column to another field, e.g. `{"preferences": "notification_preferences"}`); `as_of`
is the event's `occurred_at`. `UserFacts` and `OrganizationFacts` are identity's
`identity.user.*` and `identity.organization.*` events, as far as other services copy
them; a service with other needs declares facts of its own (see consumers.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import inspect

from portal_chassis.consumers import Consumer, EventFacts, consumer
from portal_chassis.envelope import Envelope
from portal_chassis.readmodel import upsert_latest
from portal_chassis.uow import UnitOfWork


class UserFacts(EventFacts):
    """`identity.user.created`, `.updated`, `.deactivated`: the account after the change."""

    id: uuid.UUID
    username: str
    display_name: str
    email: str
    language: str
    organization_id: uuid.UUID | None = None  # None: vendor staff
    roles: list[str]
    # Granted one by one beside the roles (`review`); older events carry none.
    permissions: list[str] = []
    active: bool
    notification_preferences: dict[str, bool] = {}


class OrganizationFacts(EventFacts):
    """`identity.organization.created`, `.updated`: the organization after the change."""

    id: uuid.UUID
    name: str
    priority_contract: bool
    org_wide_visibility: bool
    sla_contract: str | None = None  # None: the default targets
    # New tickets of its people are reviewed by its reviewers first (older events: off).
    internal_review: bool = False
    active: bool


def copier(
    *patterns: str,
    name: str,
    model: type[Any],
    reads: type[EventFacts],
    key: str = "id",
    rename: Mapping[str, str] | None = None,
) -> Consumer:
    """A consumer of `patterns` that keeps `model`'s row `key` as the newest event told.

    Fails at import, not at the first event, when a column has no field to come from."""
    source = {
        column: (rename or {}).get(column, column)
        for column in inspect(model).columns.keys()  # noqa: SIM118 (a column collection)
        if column != "as_of"
    }
    missing = sorted(f for f in source.values() if f not in reads.model_fields)
    if missing:
        raise TypeError(f"{name}: {reads.__name__} has no field {', '.join(missing)}")

    async def copy(event: Envelope, uow: UnitOfWork, facts: EventFacts) -> None:
        fields = {column: getattr(facts, field) for column, field in source.items()}
        async with uow:
            await upsert_latest(uow.session, model, key=key, as_of=event.occurred_at, **fields)
            await uow.commit()

    return consumer(*patterns, name=name, reads=reads)(copy)

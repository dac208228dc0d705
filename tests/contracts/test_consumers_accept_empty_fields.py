"""Every consumer of every service takes every event it subscribes to with each field the
producer may leave empty (nullable: null; optional: absent). A consumer that crashes on
such an event sends it to the dead-letter queue however often it is retried.

The events are built from the producers' event classes (which docs/asyncapi.yaml
documents field for field, see test_asyncapi.py) and delivered in a plausible order,
on each service's own database (SQLite, created from its models)."""

from __future__ import annotations

import types
import typing
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from portal_chassis import registry
from portal_chassis.consumers import Dispatcher
from portal_chassis.db import make_session_factory
from portal_chassis.envelope import Envelope, Event

ORG, USER, TICKET, FILE = (uuid.uuid4() for _ in range(4))
NUMBER = "T000001"

# The order a real deployment sees them in: people before their tickets, tickets before
# what happens to them.
ORDER = [
    "identity.organization.created",
    "identity.organization.updated",
    "identity.user.created",
    "identity.user.updated",
    "identity.user.invited",
    "identity.password_reset.requested",
    "identity.access_request.confirmation_requested",
    "identity.access_request.account_exists",
    "identity.access_request.submitted",
    "identity.access_request.approved",
    "identity.access_request.rejected",
    "identity.user.mfa_reset",
    "identity.session.started_on_new_device",
    "tickets.ticket.created",
    "tickets.ticket.handed_over",
    "tickets.ticket.updated",
    "tickets.ticket.status_changed",
    "tickets.article.added",
    "tickets.ticket.escalated",
    "tickets.ticket.followed",
    "tickets.sla.breached",
    "files.file.stored",
    "files.folder.changed",
    "faq.article.published",
    "tickets.ticket.unfollowed",
    "tickets.ticket.closed",
    "tickets.ticket.cancelled",
    "tickets.ticket.merged",
    "tickets.mail.rejected",
    "tickets.survey.requested",
    "tickets.survey.answered",
    "tickets.contract.changed",
    "identity.user.deactivated",
    "notify.notification.created",
]

# Plausible values for fields whose meaning the type alone does not give.
BY_NAME: dict[str, Any] = {
    "number": NUMBER,
    "ticket_number": NUMBER,
    "ticket_id": TICKET,
    "user_id": USER,
    "author_id": USER,
    "creator_id": USER,
    "contact_id": USER,
    "status": "open",
    "previous_status": "new",
    "portal_status": "in_progress",
    "previous_portal_status": "in_progress",
    "priority": "P4",
    "category": "incident",
    "kind": "message",
    "purpose": "attachment",
    "language": "en",
    "email": "someone@example.com",
    "username": "someone",
    "display_name": "Someone",
    "link": "https://portal.example/reset#token",
    "sha256": "0" * 64,
    "content_type": "text/plain",
    "active": True,
}
IDS = {
    "identity.organization": ORG,
    "identity.user": USER,
    "tickets.ticket": TICKET,
    "tickets.sla": TICKET,
    "files.file": FILE,
}


def _event_classes() -> dict[str, type[Event]]:
    registry.services()
    packages = {ep.module.split(".")[0] for ep in entry_points(group="portal.modules")}
    found: dict[str, type[Event]] = {}
    todo = list(Event.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        if "event_type" in cls.__dict__ and cls.__module__.split(".")[0] in packages:
            found[cls.event_type] = cls
    return found


def _nullable(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation) and (
        typing.get_origin(annotation) in (typing.Union, types.UnionType)
    )


def _sample(annotation: Any) -> Any:
    origin = typing.get_origin(annotation) or annotation
    if origin is uuid.UUID:
        return uuid.uuid4()
    if origin is datetime:
        return datetime.now(UTC) + timedelta(hours=4)
    if origin is bool:
        return False
    if origin is int:
        return 1
    if origin is list:
        return []
    if origin is dict:
        return {}
    return "x"


def _emptiest(event_type: str, cls: type[Event]) -> dict[str, Any]:
    """The event's data with every nullable field null and every optional one absent."""
    data: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if not field.is_required():
            continue
        if _nullable(field.annotation):
            data[name] = None
        elif name == "id":
            data[name] = IDS.get(event_type.rsplit(".", 1)[0], uuid.uuid4())
        elif name in BY_NAME:
            data[name] = BY_NAME[name]
        else:
            data[name] = _sample(field.annotation)
    # Typed like the producer would have it, serialized like the bus carries it.
    return cls.model_construct(**data).model_dump(mode="json", exclude_unset=True)


class _Hub:
    async def publish(self, users: list[uuid.UUID]) -> None:
        self.users = users


class _Tasks:
    def __init__(self) -> None:
        self.enqueued: list[tuple[str, dict[str, Any]]] = []

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        self.enqueued.append((name, kwargs))


def _runtime(module: Any) -> Any:
    """What consumers reach for in their runtime: settings, state, tasks."""
    return types.SimpleNamespace(
        settings=module.settings_cls(),
        state={"hub": _Hub()},
        tasks=_Tasks(),
    )


EVENTS = _event_classes()
MODULES = {m.name: m for m in registry.services() if m.consumers}


def test_the_order_covers_every_event() -> None:
    assert sorted(ORDER) == sorted(EVENTS)


@pytest.fixture(params=sorted(MODULES))
async def dispatcher(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    module = MODULES[request.param]
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'service.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(module.metadata.create_all)
    factory = make_session_factory(engine)
    runtime = _runtime(module)
    yield Dispatcher(
        service=module.name,
        consumers=module.consumers,
        uow=lambda: module.uow_cls(factory, producer=module.name, tables=module.tables),
        runtime=runtime,
    )
    await engine.dispose()


async def test_consumers_take_events_with_every_optional_field_empty(dispatcher: Any) -> None:
    wanted = [t for t in ORDER if any(c.wants(t) for c in dispatcher.consumers)]
    assert wanted, f"{dispatcher.service} consumes nothing"
    for event_type in wanted:
        envelope = Envelope(
            type=event_type,
            producer=event_type.split(".")[0],
            data=_emptiest(event_type, EVENTS[event_type]),
        )
        # Raises (and so fails the test) where the consumer would dead-letter the event.
        await dispatcher(envelope)

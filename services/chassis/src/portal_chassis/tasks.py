"""Background tasks: async functions run by a service's Celery worker in distributed
mode and inline, on the running event loop, in all-in-one mode.

A task is `async def fn(runtime, **kwargs)`, declared with `@task(...)` and listed in the
service's `ServiceModule.tasks`. Use cases enqueue with `await runtime.tasks.enqueue(name,
**kwargs)`; no business code asks which mode it runs in. Every service also gets the
chassis' housekeeping job (pruning delivered outbox rows and old inbox marks).

Celery itself (`celery_app`, about 12 MB) is loaded only where a task is first sent to a
worker, or by the worker: a served process that sends none never holds it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_chassis.messaging import MessagingTables
from portal_chassis.settings import ServiceSettings
from portal_chassis.stopping import cancel_and_wait

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger(__name__)

TaskFn = Callable[..., Awaitable[Any]]

OUTBOX_KEEP = timedelta(days=7)
# An event redelivered later than this would be applied again; brokers redeliver within
# minutes, so a month is far beyond any real duplicate.
INBOX_KEEP = timedelta(days=30)


@dataclass(frozen=True)
class TaskDef:
    name: str
    fn: TaskFn
    # Seconds between scheduled runs (Celery beat); None: only when enqueued.
    every: float | None = None


def task(name: str, *, every: float | None = None) -> Callable[[TaskFn], TaskDef]:
    def wrap(fn: TaskFn) -> TaskDef:
        return TaskDef(name=name, fn=fn, every=every)

    return wrap


class DeclaresTasks(Protocol):
    """A service as Celery sees it (a `ServiceModule`): its name, its tasks and the
    long-running jobs of its worker."""

    @property
    def name(self) -> str: ...

    @property
    def tasks(self) -> Sequence[TaskDef]: ...

    @property
    def worker_jobs(self) -> Sequence[Callable[[Any], Awaitable[None]]]: ...


class HoldsMessaging(Protocol):
    """What the chassis' own task reads of the running service (a `Runtime`)."""

    @property
    def engine(self) -> AsyncEngine: ...

    @property
    def tables(self) -> MessagingTables: ...


@task("prune_messaging", every=3600)
async def prune_messaging(runtime: HoldsMessaging) -> dict[str, int]:
    now = datetime.now(UTC)
    outbox, inbox = runtime.tables.outbox, runtime.tables.inbox
    async with runtime.engine.begin() as conn:
        published = await conn.execute(
            delete(outbox).where(
                outbox.c.published_at.is_not(None), outbox.c.published_at < now - OUTBOX_KEEP
            )
        )
        seen = await conn.execute(delete(inbox).where(inbox.c.processed_at < now - INBOX_KEEP))
    return {"outbox": published.rowcount, "inbox": seen.rowcount}


CHASSIS_TASKS = (prune_messaging,)


def all_tasks(module: DeclaresTasks) -> dict[str, TaskDef]:
    return {t.name: t for t in (*CHASSIS_TASKS, *module.tasks)}


def celery_name(module: DeclaresTasks, name: str) -> str:
    return f"{module.name}.{name}"


class TaskRunner:
    """Enqueues a service's tasks: on Celery, or inline when `tasks_eager` (all-in-one),
    where `runtime` (the running service) is the tasks' first argument."""

    def __init__(self, runtime: Any, module: DeclaresTasks, settings: ServiceSettings) -> None:
        self.runtime = runtime
        self.module = module
        self.settings = settings
        self.tasks = all_tasks(module)
        self.eager = settings.portal.tasks_eager
        self._celery: Celery | None = None
        self._inflight: set[asyncio.Task[Any]] = set()

    async def enqueue(self, name: str, *, countdown: float = 0, **kwargs: Any) -> None:
        """Run task `name` with `kwargs`, at the earliest `countdown` seconds from now."""
        definition = self.tasks[name]
        if self.eager:
            job = asyncio.create_task(self._run_inline(definition, kwargs, delay=countdown))
            self._inflight.add(job)
            job.add_done_callback(self._inflight.discard)
            return
        if self._celery is None:
            from portal_chassis.celery_app import make_celery

            self._celery = make_celery(self.module, self.settings)
        # Publishing to the broker is blocking network I/O: keep it off the event loop.
        await asyncio.to_thread(
            self._celery.send_task,
            celery_name(self.module, name),
            kwargs=kwargs,
            countdown=countdown or None,
            # Nobody here waits for the outcome: no result subscription per task.
            ignore_result=True,
        )

    def start_schedule(self) -> list[asyncio.Task[None]]:
        """In eager mode there is no Celery beat: run the scheduled tasks on this loop."""
        if not self.eager:
            return []
        return [
            asyncio.create_task(self._every(d), name=f"{self.module.name}-{d.name}")
            for d in self.tasks.values()
            if d.every
        ]

    async def _every(self, definition: TaskDef) -> None:
        assert definition.every is not None
        while True:
            await asyncio.sleep(definition.every)
            await self._run_inline(definition, {})

    async def _run_inline(
        self, definition: TaskDef, kwargs: dict[str, Any], *, delay: float = 0
    ) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            await definition.fn(self.runtime, **kwargs)
        except Exception:
            log.exception("task failed", extra={"task": definition.name})

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for inline tasks still running (shutdown, tests); with a `timeout`, those
        still running after it are cancelled (a stopping process must end)."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while self._inflight:
            left = None if deadline is None else deadline - loop.time()
            if left is not None and left <= 0:
                await cancel_and_wait(list(self._inflight), what=f"{self.module.name} tasks")
                return
            await asyncio.wait(list(self._inflight), timeout=left)

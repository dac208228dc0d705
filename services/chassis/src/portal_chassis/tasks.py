"""Background tasks: async functions run by a service's Celery worker in distributed
mode and inline, on the running event loop, in all-in-one mode.

A task is `async def fn(runtime, **kwargs)`, declared with `@task(...)` and listed in the
service's `ServiceModule.tasks`. Use cases enqueue with `await runtime.tasks.enqueue(name,
**kwargs)`; no business code asks which mode it runs in. Every service also gets the
chassis' housekeeping job (pruning delivered outbox rows and old inbox marks).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from celery import Celery
from celery.signals import (
    worker_init,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
)
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_chassis.messaging import MessagingTables
from portal_chassis.metrics import serve_on_own_port
from portal_chassis.settings import ServiceSettings
from portal_chassis.stopping import cancel_and_wait

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


def make_celery(
    module: DeclaresTasks,
    settings: ServiceSettings,
    *,
    runtime: Callable[[], Any] | None = None,
) -> Celery:
    """The service's Celery app. Where tasks run (`portal worker`), `runtime` makes the
    running service they get as first argument, once per worker process; where they are
    only sent, it is not needed."""
    portal = settings.portal
    app = Celery(
        f"portal_{module.name}",
        broker=portal.amqp_url or "memory://",
        backend=portal.redis_url or None,
    )
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # More than one: with late acks the solo pool sends an ack only on its next loop
        # turn, and with a single unacked message the broker sends nothing until then.
        worker_prefetch_multiplier=4,
        task_default_queue=f"{portal.event_namespace}.{module.name}.tasks",
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        result_expires=3600,
        # Read by the worker at start (see _serve_metrics); unused where tasks are sent.
        portal_worker_metrics_port=portal.worker_metrics_port,
        beat_schedule={
            t.name: {"task": celery_name(module, t.name), "schedule": t.every}
            for t in all_tasks(module).values()
            if t.every
        },
    )
    for definition in all_tasks(module).values():
        _register(app, celery_name(module, definition.name), definition, runtime)
    if runtime is not None and module.worker_jobs:
        app.portal_worker_jobs = (module.worker_jobs, runtime)
    return app


# One runtime and one event loop per worker process: database pools belong to a loop,
# so tasks must not each make their own with asyncio.run().
_worker: dict[str, Any] = {}


def _worker_runtime(make: Callable[[], Any] | None) -> tuple[asyncio.AbstractEventLoop, Any]:
    if "runtime" not in _worker:
        if make is None:
            raise RuntimeError("this Celery app only sends tasks; `portal worker` runs them")
        _worker["loop"] = asyncio.new_event_loop()
        _worker["runtime"] = make()
    return _worker["loop"], _worker["runtime"]


@worker_process_shutdown.connect  # type: ignore[untyped-decorator]
def _dispose(**_: Any) -> None:
    if "runtime" in _worker:
        _worker["loop"].run_until_complete(_worker["runtime"].engine.dispose())


@worker_process_init.connect  # type: ignore[untyped-decorator]
def _reset(**_: Any) -> None:
    _worker.clear()  # a forked child must not reuse its parent's loop or connections


@worker_init.connect  # type: ignore[untyped-decorator]
def _serve_metrics(sender: Any = None, **_: Any) -> None:
    """Serve the worker's metrics on a port of its own: the counters its tasks increment
    (SLA breaches, mails sent) exist only in this process, which has no HTTP server.
    Tasks run in this process with the solo pool, `portal worker`'s default."""
    port = sender.app.conf.get("portal_worker_metrics_port") if sender is not None else None
    if port:
        serve_on_own_port(port)


@worker_ready.connect  # type: ignore[untyped-decorator]
def _start_worker_jobs(sender: Any = None, **_: Any) -> None:
    """Run the service's long-running worker jobs (e.g. the mail intake) beside the task
    pool, on a loop and runtime of their own; they end with the worker process."""
    jobs, make = getattr(getattr(sender, "app", None), "portal_worker_jobs", ((), None))
    if not jobs or make is None:
        return

    def run() -> None:
        async def all_jobs() -> None:
            runtime = make()
            await asyncio.gather(*(job(runtime) for job in jobs))

        asyncio.run(all_jobs())

    threading.Thread(target=run, name="portal-worker-jobs", daemon=True).start()


def _register(app: Celery, name: str, d: TaskDef, make: Callable[[], Any] | None) -> None:
    @app.task(name=name, bind=False)  # type: ignore[untyped-decorator]
    def run(**kwargs: Any) -> Any:
        loop, runtime = _worker_runtime(make)
        return loop.run_until_complete(d.fn(runtime, **kwargs))


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

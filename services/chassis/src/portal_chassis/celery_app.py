"""A service's Celery app: where its tasks are sent from a served process, and where
`portal worker` runs them (one runtime and event loop per worker process, the worker's
metrics on a port of its own, the service's long-running worker jobs beside the pool)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from celery import Celery
from celery.signals import (
    worker_init,
    worker_process_init,
    worker_process_shutdown,
    worker_ready,
)

from portal_chassis.metrics import serve_on_own_port
from portal_chassis.settings import ServiceSettings
from portal_chassis.tasks import DeclaresTasks, TaskDef, all_tasks, celery_name


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

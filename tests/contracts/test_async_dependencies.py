"""Every FastAPI dependency of every route is a coroutine. FastAPI runs a plain function
(or a class) in a worker thread: a thread hop on every request that costs more than
what such a dependency does (`portal_chassis.app.built_in_loop` builds a class of query
parameters on the event loop instead)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from portal_chassis import registry


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # An included router keeps its routes behind it (FastAPI ≥ 0.16x).
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None and hasattr(inner, "routes"):
            yield from _routes(inner.routes)


def _runs_on_the_loop(call: Any) -> bool:
    if inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call):
        return True
    # A security scheme or other instance with an async __call__.
    method = getattr(call, "__call__", None)  # noqa: B004
    return (
        not inspect.isfunction(call)
        and not inspect.isclass(call)
        and (inspect.iscoroutinefunction(method))
    )


def _plain(dependant: Dependant) -> Iterator[str]:
    for sub in dependant.dependencies:
        if sub.call is not None and not _runs_on_the_loop(sub.call):
            yield f"{sub.call.__module__}.{getattr(sub.call, '__qualname__', sub.call)}"
        yield from _plain(sub)


def test_no_route_waits_for_a_worker_thread_to_resolve_its_dependencies() -> None:
    found: set[str] = set()
    routes = 0
    for name in registry.available():
        app = registry.load(name).create_app()
        for route in _routes(app.router.routes):
            routes += 1
            found |= {f"{name} {route.path}: {call}" for call in _plain(route.dependant)}
    assert routes > 300  # every service's routes were walked
    assert not found, sorted(found)

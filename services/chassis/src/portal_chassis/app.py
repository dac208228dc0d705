"""Builds a service's FastAPI app from its module declaration."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request

from portal_chassis.errors import install_problem_handlers
from portal_chassis.health import ops_router
from portal_chassis.metrics import MetricsMiddleware
from portal_chassis.platform import Platform
from portal_chassis.requestlog import RequestContextMiddleware
from portal_chassis.runtime import Runtime, ServiceSpec
from portal_chassis.serving import CloseWhenDraining
from portal_chassis.settings import ServiceSettings
from portal_chassis.uow import UnitOfWork


class AppSpec(ServiceSpec, Protocol):
    """What the app of a service adds to its runtime's view (`module.ServiceModule`)."""

    @property
    def summary(self) -> str: ...
    @property
    def routers(self) -> Sequence[APIRouter]: ...


def apply_common(app: FastAPI, *, service: str) -> None:
    """Error handlers and middleware every app of the portal has, gateway included."""
    install_problem_handlers(app)
    app.add_middleware(MetricsMiddleware, service=service)
    app.add_middleware(RequestContextMiddleware, service=service)
    app.add_middleware(CloseWhenDraining)


def build_service_app(
    module: AppSpec, settings: ServiceSettings, *, platform: Platform | None = None
) -> FastAPI:
    runtime = Runtime(module, settings, platform)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=f"Customer Service Portal: {module.name}",
        summary=module.summary or None,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.portal = runtime
    apply_common(app, service=module.name)
    app.include_router(ops_router(runtime.readiness))
    for router in module.routers:
        app.include_router(router)
    return app


# Dependencies are coroutines even where they await nothing: FastAPI runs a plain
# function in a worker thread, a hop that costs more than the function itself.


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.portal
    return runtime


async def get_runtime(request: Request) -> Runtime:
    return runtime_of(request)


async def get_uow(request: Request) -> UnitOfWork:
    return runtime_of(request).uow()


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]

T = TypeVar("T")


def built_in_loop(cls: type[T]) -> Callable[..., Awaitable[T]]:
    """`Depends(built_in_loop(Cls))` for a class whose parameters FastAPI reads from
    the request (e.g. a list's filters): the same parameters, built on the event loop
    instead of in a worker thread, where FastAPI calls any plain callable."""

    async def build(**values: Any) -> T:
        return cls(**values)

    # Annotations resolved here, in the class's module: FastAPI would look them up
    # in this one.
    build.__signature__ = inspect.signature(cls, eval_str=True)  # type: ignore[attr-defined]
    build.__name__ = build.__qualname__ = cls.__name__
    return build


S = TypeVar("S", bound=ServiceSettings)


def settings_of(cls: type[S]) -> Callable[[Request], Awaitable[S]]:
    """A dependency giving the service's own, typed settings."""

    async def get(request: Request) -> S:
        settings = request.app.state.portal.settings
        if not isinstance(settings, cls):
            raise TypeError(f"this app runs with {type(settings).__name__}, not {cls.__name__}")
        return settings

    return get

"""`/healthz` (the process is alive) and `/readyz` (it can do its work)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from portal_chassis.metrics import metrics_response

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]


def ops_router(readiness: ReadinessCheck) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        checks = await readiness()
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    router.add_api_route("/metrics", metrics_response, methods=["GET"])
    return router

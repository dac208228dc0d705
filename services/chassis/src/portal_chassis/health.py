"""`/healthz` (the process is alive) and `/readyz` (it can do its work)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from portal_chassis.errors import problem
from portal_chassis.metrics import metrics_response
from portal_chassis.serving import DRAINING

ReadinessCheck = Callable[[], Awaitable[dict[str, bool]]]

# What a failing check means, for whoever reads a 503 (in all-in-one mode the checks are
# named `<service>.<check>`).
WHY = {
    "database": "the database does not answer",
    "migrations": "the database lacks this version's migrations (run `portal migrate`)",
    "bus": "the broker connection is not up",
    "accepting": "shutting down; requests still arriving are served",
}


def ops_router(readiness: ReadinessCheck) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        checks = await readiness()
        if DRAINING.active:
            checks["accepting"] = False
        failing = [name for name, ok in checks.items() if not ok]
        if not failing:
            return JSONResponse({"status": "ready", "checks": checks})
        reasons = [f"{n}: {WHY.get(n.rsplit('.', 1)[-1], 'failing')}" for n in failing]
        return problem(
            503,
            slug="not-ready",
            title="Not ready",
            detail="Not ready: " + "; ".join(reasons) + ".",
            checks=checks,
        )

    router.add_api_route("/metrics", metrics_response, methods=["GET"])
    return router

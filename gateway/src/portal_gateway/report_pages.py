"""The report pages."""

from __future__ import annotations

from fastapi import APIRouter

from portal_gateway.web import Web


def report_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    return router

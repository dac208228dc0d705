from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from portal_chassis.auth import AdminDep
from portal_chassis.scopes import area_scope
from portal_identity.keys.service import KeyRing

# The key set is public; the key administration needs the `admin` scope.
router = APIRouter(tags=["keys"], dependencies=[Depends(area_scope(None))])


class SigningKeyRead(BaseModel):
    kid: str
    created_at: datetime
    active: bool


def _keys(request: Request) -> KeyRing:
    return request.app.state.portal.state["keys"]


@router.get("/.well-known/jwks.json")
async def jwks(request: Request, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "public, max-age=300"
    return await _keys(request).jwks()


@router.get("/api/v1/admin/signing-keys", response_model=list[SigningKeyRead])
async def list_keys(request: Request, actor: AdminDep) -> list[SigningKeyRead]:
    ring = _keys(request)
    return [
        SigningKeyRead(kid=k.kid, created_at=k.created_at, active=k.kid == ring.active_kid)
        for k in await ring.published()
    ]


@router.post("/api/v1/admin/signing-keys/rotate", status_code=201, response_model=SigningKeyRead)
async def rotate(request: Request, actor: AdminDep) -> SigningKeyRead:
    key = await _keys(request).rotate()
    return SigningKeyRead(kid=key.kid, created_at=key.created_at, active=True)

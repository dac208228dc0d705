from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from portal_chassis.auth import AdminDep
from portal_chassis.scopes import area_scope
from portal_identity.deps import KeyRingDep

# The key set is public; the key administration needs the `admin` scope.
router = APIRouter(tags=["keys"], dependencies=[Depends(area_scope(None))])


class SigningKeyRead(BaseModel):
    kid: str
    created_at: datetime
    active: bool


@router.get("/.well-known/jwks.json")
async def jwks(keys: KeyRingDep, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "public, max-age=300"
    return await keys.jwks()


@router.get("/api/v1/admin/signing-keys", response_model=list[SigningKeyRead])
async def list_keys(keys: KeyRingDep, actor: AdminDep) -> list[SigningKeyRead]:
    return [
        SigningKeyRead(kid=k.kid, created_at=k.created_at, active=k.kid == keys.active_kid)
        for k in await keys.published()
    ]


@router.post("/api/v1/admin/signing-keys/rotate", status_code=201, response_model=SigningKeyRead)
async def rotate(keys: KeyRingDep, actor: AdminDep) -> SigningKeyRead:
    key = await keys.rotate()
    return SigningKeyRead(kid=key.kid, created_at=key.created_at, active=True)

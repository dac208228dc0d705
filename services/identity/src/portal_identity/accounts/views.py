from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from portal_chassis.auth import ActorDep, UserAdminDep, UserReaderDep
from portal_chassis.scopes import area_scope
from portal_identity.accounts import service
from portal_identity.accounts.schemas import (
    ProfileRead,
    ProfileUpdate,
    Role,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)
from portal_identity.deps import CursorQuery, LimitQuery, SettingsDep, UoWDep

router = APIRouter(
    prefix="/api/v1", tags=["accounts"], dependencies=[Depends(area_scope("profile"))]
)


@router.get("/me", response_model=ProfileRead)
async def me(actor: ActorDep, uow: UoWDep) -> ProfileRead:
    return await service.get_profile(uow=uow, actor=actor)


@router.patch("/me", response_model=ProfileRead)
async def update_me(data: ProfileUpdate, actor: ActorDep, uow: UoWDep) -> ProfileRead:
    return await service.update_profile(uow=uow, data=data, actor=actor)


@router.post("/admin/users", status_code=201, response_model=UserRead)
async def create_user(
    data: UserCreate, actor: UserAdminDep, uow: UoWDep, settings: SettingsDep
) -> UserRead:
    user = await service.create_user(uow=uow, settings=settings, data=data, actor=actor)
    return service.to_read(user)


@router.get("/admin/users", response_model=UserPage)
async def list_users(
    actor: UserReaderDep,
    uow: UoWDep,
    organization_id: uuid.UUID | None = None,
    role: Annotated[
        list[Role], Query(max_length=4, description="Users with any of these roles.")
    ] = [],  # noqa: B006
    q: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Users whose username, display name, e-mail address or "
            "organization's name contains this text (any case).",
        ),
    ] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> UserPage:
    users = await service.list_users(
        uow=uow,
        actor=actor,
        organization_id=organization_id,
        after=cursor,
        limit=limit,
        roles=set(role) or None,
        text=(q or "").strip() or None,
    )
    return UserPage(
        items=[service.to_read(u) for u in users],
        next_cursor=users[-1].username if len(users) == limit else None,
    )


@router.get("/admin/users/{user_id}", response_model=UserRead)
async def get_user(user_id: uuid.UUID, actor: UserReaderDep, uow: UoWDep) -> UserRead:
    return service.to_read(await service.get_user(uow=uow, user_id=user_id, actor=actor))


@router.patch("/admin/users/{user_id}", response_model=UserRead)
async def update_user(
    user_id: uuid.UUID, data: UserUpdate, actor: UserAdminDep, uow: UoWDep
) -> UserRead:
    user = await service.update_user(uow=uow, user_id=user_id, data=data, actor=actor)
    return service.to_read(user)


@router.post("/admin/users/{user_id}/invitation", status_code=204)
async def resend_invitation(
    user_id: uuid.UUID, actor: UserAdminDep, uow: UoWDep, settings: SettingsDep
) -> Response:
    await service.resend_invitation(uow=uow, settings=settings, user_id=user_id, actor=actor)
    return Response(status_code=204)

"""Access requests: customer admins ask, vendor staff approve (creating the invited
user) or reject."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, NotFound
from portal_identity.access_requests.models import AccessRequest, RequestState
from portal_identity.access_requests.schemas import AccessRequestCreate
from portal_identity.accounts.models import User
from portal_identity.accounts.permissions import require_staff
from portal_identity.accounts.service import USERNAME_UNAVAILABLE
from portal_identity.sessions.models import LinkPurpose
from portal_identity.sessions.service import issue_link
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW


async def request_access(
    *, uow: IdentityUoW, data: AccessRequestCreate, actor: Actor
) -> AccessRequest:
    if not actor.has_role("customer_admin") or actor.organization_id is None:
        raise NotFound()
    async with uow:
        if await uow.users.get_by_username(data.username) or await uow.access_requests.pending_for(
            data.username
        ):
            raise Conflict(USERNAME_UNAVAILABLE)  # the same answer as creating the user
        request = AccessRequest(
            id=uuid.uuid4(),
            organization_id=actor.organization_id,
            requested_by=actor.id,
            username=data.username,
            email=data.email,
            display_name=data.display_name or data.username,
            language=data.language,
            role=data.role,
            note=data.note,
            state=RequestState.PENDING,
            reason="",
            created_at=datetime.now(UTC),
        )
        uow.access_requests.add(request)
        await uow.commit()
    return request


async def list_requests(
    *, uow: IdentityUoW, actor: Actor, state: RequestState | None, limit: int
) -> list[AccessRequest]:
    if actor.is_staff:
        organization_id = None
    elif actor.has_role("customer_admin"):
        organization_id = actor.organization_id
    else:
        raise NotFound()
    async with uow:
        return await uow.access_requests.list(
            organization_id=organization_id, state=state, limit=limit
        )


async def _pending(uow: IdentityUoW, request_id: uuid.UUID) -> AccessRequest:
    request = await uow.access_requests.get(request_id)
    if request is None:
        raise NotFound("No such access request.")
    if request.state is not RequestState.PENDING:
        raise Conflict(f"The request was {request.state.value} already.")
    return request


async def approve(
    *, uow: IdentityUoW, settings: IdentitySettings, request_id: uuid.UUID, actor: Actor
) -> AccessRequest:
    require_staff(actor)
    async with uow:
        request = await _pending(uow, request_id)
        if await uow.users.get_by_username(request.username):
            raise Conflict(f'The user name "{request.username}" was taken meanwhile.')
        organization = await uow.organizations.get(request.organization_id)
        if organization is None or not organization.active:
            raise Conflict("The organization is no longer active.")
        user = User.register(
            username=request.username,
            email=request.email,
            roles=[request.role],
            password_hash=None,
            organization=organization,
            display_name=request.display_name,
            language=request.language,
        )
        uow.users.add(user)
        await issue_link(uow, settings, user, LinkPurpose.INVITE)
        request.state, request.user_id = RequestState.APPROVED, user.id
        request.decided_by, request.decided_at = actor.id, datetime.now(UTC)
        await uow.commit()
    return request


async def reject(
    *, uow: IdentityUoW, request_id: uuid.UUID, reason: str, actor: Actor
) -> AccessRequest:
    require_staff(actor)
    async with uow:
        request = await _pending(uow, request_id)
        request.state, request.reason = RequestState.REJECTED, reason
        request.decided_by, request.decided_at = actor.id, datetime.now(UTC)
        await uow.commit()
    return request

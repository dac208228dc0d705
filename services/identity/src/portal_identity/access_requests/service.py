"""Access requests: customer admins ask for colleagues, people without an account ask on
the sign-in page (sign_in.py); vendor staff approve (creating the invited user) or
reject any of them, and a customer admin those from the sign-in page that were matched
to their own organization."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_identity.access_requests import naming
from portal_identity.access_requests.events import AccessRequestApproved, AccessRequestRejected
from portal_identity.access_requests.models import AccessRequest, RequestOrigin, RequestState
from portal_identity.access_requests.schemas import (
    AccessRequestApproval,
    AccessRequestCreate,
    AccessRequestRead,
)
from portal_identity.accounts.models import User
from portal_identity.accounts.permissions import (
    STAFF_ROLES,
    can_grant,
    can_manage_users_of,
)
from portal_identity.accounts.service import USERNAME_UNAVAILABLE
from portal_identity.organizations.models import Organization
from portal_identity.sessions.models import LinkPurpose
from portal_identity.sessions.service import issue_link
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW


def _field_error(field: str, message: str, code: str) -> InvalidInput:
    return InvalidInput([{"field": field, "message": message, "code": code}])


def _decider(actor: Actor) -> None:
    # Everybody else finds no such thing (404, never 403).
    if not (actor.is_staff or actor.has_role("customer_admin")):
        raise NotFound()


def may_decide(actor: Actor, request: AccessRequest) -> bool:
    """Vendor staff decide every request; a customer admin those from the sign-in page
    matched to their own organization (never their own requests for colleagues)."""
    if actor.is_staff:
        return True
    return request.origin is RequestOrigin.SIGN_IN and can_manage_users_of(
        actor, request.organization_id
    )


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
            origin=RequestOrigin.COLLEAGUE,
            organization_id=actor.organization_id,
            requested_by=actor.id,
            username=data.username,
            email=data.email,
            display_name=data.display_name or data.username,
            company="",
            phone="",
            function="",
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


def _scope(actor: Actor) -> uuid.UUID | None:
    """The organization whose requests the caller sees (None: every one)."""
    if actor.is_staff:
        return None
    if actor.has_role("customer_admin") and actor.organization_id is not None:
        return actor.organization_id
    raise NotFound()


async def list_requests(
    *, uow: IdentityUoW, actor: Actor, state: RequestState | None, limit: int
) -> list[AccessRequestRead]:
    organization_id = _scope(actor)
    async with uow:
        rows = await uow.access_requests.list(
            organization_id=organization_id, state=state, limit=limit
        )
        found = []
        for row in rows:
            read = AccessRequestRead.model_validate(row)
            if row.state is RequestState.PENDING and not row.username and may_decide(actor, row):
                read.suggested_username = await naming.free_username(
                    uow, row.display_name, row.email
                )
            found.append(read)
    return found


async def pending_count(*, uow: IdentityUoW, actor: Actor) -> int:
    """The pending requests the caller may decide."""
    organization_id = _scope(actor)
    async with uow:
        return await uow.access_requests.pending_count(
            organization_id=organization_id,
            origin=None if actor.is_staff else RequestOrigin.SIGN_IN,
        )


async def _decidable(uow: IdentityUoW, request_id: uuid.UUID, actor: Actor) -> AccessRequest:
    request = await uow.access_requests.get(request_id)
    if (
        request is None
        or request.state is RequestState.UNCONFIRMED
        or not may_decide(actor, request)
    ):
        raise NotFound("No such access request.")
    if request.state is not RequestState.PENDING:
        raise Conflict(f"The request was {request.state.value} already.")
    return request


@dataclass(frozen=True)
class Grant:
    """What an approval creates: the account's organization, roles and user name."""

    organization: Organization
    roles: list[str]
    username: str


async def _organization(
    uow: IdentityUoW, request: AccessRequest, data: AccessRequestApproval, actor: Actor
) -> Organization:
    organization_id = data.organization_id or request.organization_id
    if organization_id is None:
        raise _field_error(
            "organization_id",
            "Choose the organization the person belongs to.",
            "organization_required",
        )
    if not actor.is_staff and organization_id != actor.organization_id:
        raise _field_error(
            "organization_id", "You can only add users to your own organization.", "foreign_org"
        )
    organization = await uow.organizations.get(organization_id)
    if organization is None or not organization.active:
        raise _field_error("organization_id", "There is no such organization.", "unknown_org")
    return organization


def _roles(request: AccessRequest, data: AccessRequestApproval, actor: Actor) -> list[str]:
    roles: set[str] = set(data.roles) if data.roles else {request.role or "customer"}
    if not can_grant(actor, roles):
        raise _field_error("roles", "You can only give customer roles.", "role_not_allowed")
    if roles & STAFF_ROLES:
        # The account belongs to a customer organization: vendor staff belong to none.
        raise _field_error(
            "roles", "An access request is answered with customer roles only.", "staff_role"
        )
    return sorted(roles)


async def _grant(
    uow: IdentityUoW, request: AccessRequest, data: AccessRequestApproval, actor: Actor
) -> Grant:
    organization = await _organization(uow, request, data, actor)
    roles = _roles(request, data, actor)
    username = (
        data.username
        or request.username
        or await naming.free_username(uow, request.display_name, request.email)
    )
    other = await uow.access_requests.pending_for(username)
    if await uow.users.get_by_username(username) or (other is not None and other.id != request.id):
        raise Conflict(USERNAME_UNAVAILABLE)
    return Grant(organization=organization, roles=roles, username=username)


async def approve(
    *,
    uow: IdentityUoW,
    settings: IdentitySettings,
    request_id: uuid.UUID,
    data: AccessRequestApproval,
    actor: Actor,
) -> AccessRequest:
    _decider(actor)
    try:
        async with uow:
            request = await _decidable(uow, request_id, actor)
            grant = await _grant(uow, request, data, actor)
            user = User.register(
                username=grant.username,
                email=request.email,
                roles=grant.roles,
                password_hash=None,
                organization=grant.organization,
                display_name=request.display_name,
                language=request.language,
            )
            uow.users.add(user)
            await issue_link(uow, settings, user, LinkPurpose.INVITE)
            _decided(request, actor, RequestState.APPROVED)
            request.user_id, request.username = user.id, user.username
            request.organization_id = grant.organization.id
            request.role = "customer_admin" if "customer_admin" in grant.roles else "customer"
            uow.emit(
                AccessRequestApproved(
                    request_id=request.id,
                    origin=request.origin.value,
                    user_id=user.id,
                    username=user.username,
                    email=user.email,
                    name=user.display_name,
                    organization_id=grant.organization.id,
                    roles=grant.roles,
                    language=user.language,
                    decided_by=actor.id,
                )
            )
            await uow.commit()
    except IntegrityError as exc:
        # The name was taken by a parallel approval or a new user in between.
        raise Conflict(USERNAME_UNAVAILABLE) from exc
    return request


def _decided(request: AccessRequest, actor: Actor, state: RequestState) -> None:
    request.state = state
    request.decided_by, request.decided_at = actor.id, datetime.now(UTC)


async def reject(
    *, uow: IdentityUoW, request_id: uuid.UUID, reason: str, actor: Actor
) -> AccessRequest:
    _decider(actor)
    async with uow:
        request = await _decidable(uow, request_id, actor)
        _decided(request, actor, RequestState.REJECTED)
        request.reason = reason
        uow.emit(
            AccessRequestRejected(
                request_id=request.id,
                origin=request.origin.value,
                email=request.email,
                name=request.display_name,
                language=request.language,
                reason=reason,
                decided_by=actor.id,
            )
        )
        await uow.commit()
    return request

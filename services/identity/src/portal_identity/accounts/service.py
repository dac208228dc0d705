"""Account use cases: administration of users, the caller's own profile, the bootstrap
admin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound, Unauthorized
from portal_identity.accounts.models import User
from portal_identity.accounts.passwords import hash_password, verify_password
from portal_identity.accounts.permissions import (
    CUSTOMER_ROLES,
    STAFF_ROLES,
    can_grant,
    can_manage_users_of,
)
from portal_identity.accounts.policy import password_problem
from portal_identity.accounts.schemas import (
    DEFAULT_TIME_ZONE,
    KINDS_FOR_ROLES,
    NOTIFICATION_KINDS,
    OrganizationRef,
    ProfileRead,
    ProfileUpdate,
    UserCreate,
    UserRead,
    UserUpdate,
)
from portal_identity.organizations.models import Organization
from portal_identity.sessions.models import LinkPurpose
from portal_identity.sessions.service import (
    end_all_sign_ins,
    end_other_sign_ins,
    issue_link,
    renew_access_tokens,
)
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

USERNAME_UNAVAILABLE = "This user name is not available. Choose another one."


def _field_error(field: str, message: str, code: str) -> InvalidInput:
    return InvalidInput([{"field": field, "message": message, "code": code}])


def _check_roles(roles: set[str], organization: Organization | None) -> None:
    if roles & CUSTOMER_ROLES and roles & STAFF_ROLES:
        raise _field_error(
            "roles", "A user is either a customer or vendor staff, not both.", "roles_mixed"
        )
    if roles & CUSTOMER_ROLES and organization is None:
        raise _field_error(
            "organization_id", "Customers belong to an organization.", "organization_required"
        )
    if roles & STAFF_ROLES and organization is not None:
        raise _field_error(
            "organization_id", "Vendor staff belong to no customer organization.", "staff_org"
        )


def _check_permissions(permissions: set[str], roles: set[str]) -> None:
    if permissions and not roles & CUSTOMER_ROLES:
        raise _field_error(
            "permissions",
            "Only customers review their organization's tickets; the vendor's staff see them "
            "once handed over.",
            "permission_customers_only",
        )


def _org_ref(org: Organization | None) -> OrganizationRef | None:
    return OrganizationRef(id=org.id, name=org.name) if org else None


def to_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        username=user.username,
        email=user.email,
        display_name=user.display_name,
        language=user.language,
        organization=_org_ref(user.organization),
        roles=user.roles,
        permissions=sorted(user.permissions or []),
        active=user.active,
        created_at=user.created_at,
    )


async def create_user(
    *, uow: IdentityUoW, settings: IdentitySettings, data: UserCreate, actor: Actor
) -> User:
    organization_id = data.organization_id
    if actor.has_role("customer_admin") and not actor.is_admin:
        organization_id = organization_id or actor.organization_id
    if not can_manage_users_of(actor, organization_id):
        if not (actor.is_admin or actor.has_role("customer_admin")):
            raise NotFound()
        raise _field_error(
            "organization_id", "You can only add users to your own organization.", "foreign_org"
        )
    roles: set[str] = set(data.roles)
    if not can_grant(actor, roles):
        raise _field_error("roles", "You can only give customer roles.", "role_not_allowed")
    if data.password is not None and (
        problem := password_problem(data.password, username=data.username)
    ):
        raise _field_error("password", problem, "password_policy")
    async with uow:
        organization = None
        if organization_id is not None:
            organization = await uow.organizations.get(organization_id)
            if organization is None or not organization.active:
                raise _field_error(
                    "organization_id", "There is no such organization.", "unknown_org"
                )
        _check_roles(roles, organization)
        _check_permissions(set(data.permissions), roles)
        if await uow.users.get_by_username(data.username):
            # User names are unique across organizations; the answer is the same
            # wherever the name is in use and names no owner.
            raise Conflict(USERNAME_UNAVAILABLE)
        user = User.register(
            username=data.username,
            email=data.email,
            roles=sorted(roles),
            password_hash=await hash_password(data.password) if data.password else None,
            organization=organization,
            display_name=data.display_name or data.username,
            language=data.language,
            permissions=list(data.permissions),
        )
        uow.users.add(user)
        if data.password is None:
            await issue_link(uow, settings, user, LinkPurpose.INVITE)
        await uow.commit()
    return user


async def _managed_user(uow: IdentityUoW, user_id: uuid.UUID, actor: Actor) -> User:
    user = await uow.users.get(user_id)
    if user is None:
        raise NotFound("No such user.")
    visible = actor.is_staff or can_manage_users_of(actor, user.organization_id)
    if not visible:
        raise NotFound("No such user.")
    return user


async def get_user(*, uow: IdentityUoW, user_id: uuid.UUID, actor: Actor) -> User:
    async with uow:
        return await _managed_user(uow, user_id, actor)


async def list_users(
    *,
    uow: IdentityUoW,
    actor: Actor,
    organization_id: uuid.UUID | None,
    after: str | None,
    limit: int,
    roles: set[str] | None = None,
    text: str | None = None,
) -> list[User]:
    if not actor.is_staff:
        if not actor.has_role("customer_admin"):
            raise NotFound()
        organization_id = actor.organization_id  # customer admins see their own people only
    async with uow:
        return await uow.users.list(
            organization_id=organization_id, after=after, limit=limit, roles=roles, text=text
        )


async def update_user(
    *, uow: IdentityUoW, user_id: uuid.UUID, data: UserUpdate, actor: Actor
) -> User:
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    async with uow:
        user = await _managed_user(uow, user_id, actor)
        if not can_manage_users_of(actor, user.organization_id):
            raise NotFound("No such user.")  # agents read but do not administer users
        if "roles" in changes:
            roles = set(changes["roles"])
            if not can_grant(actor, roles):
                raise _field_error("roles", "You can only give customer roles.", "role_not_allowed")
            _check_roles(roles, user.organization)
            changes["roles"] = sorted(roles)
        if "permissions" in changes:
            changes["permissions"] = sorted(set(changes["permissions"]))
        _check_permissions(
            set(changes.get("permissions", user.permissions or [])),
            set(changes.get("roles", user.roles)),
        )
        if user.id == actor.id and changes.get("active") is False:
            raise _field_error("active", "You cannot deactivate yourself.", "self_deactivation")
        was_active, had = user.active, sorted(user.permissions or [])
        if user.change(**changes):
            now = datetime.now(UTC)
            if was_active and not user.active:
                # Deactivation ends every sign-in, the access tokens already out included.
                await end_all_sign_ins(uow, user_id=user.id, at=now)
            elif sorted(user.permissions or []) != had:
                # Tokens name the permissions: the ones out are renewed at once.
                await renew_access_tokens(uow, user_id=user.id, at=now)
            await uow.commit()
    return user


async def resend_invitation(
    *, uow: IdentityUoW, settings: IdentitySettings, user_id: uuid.UUID, actor: Actor
) -> None:
    async with uow:
        user = await _managed_user(uow, user_id, actor)
        if not can_manage_users_of(actor, user.organization_id):
            raise NotFound("No such user.")
        if not user.active:
            raise Conflict("The user is deactivated.")
        await uow.sessions.use_all_links_of(user.id, datetime.now(UTC))
        await issue_link(uow, settings, user, LinkPurpose.INVITE)
        await uow.commit()


def _profile(user: User) -> ProfileRead:
    roles = set(user.roles)
    kinds = [
        k for k in NOTIFICATION_KINDS if k not in KINDS_FOR_ROLES or KINDS_FOR_ROLES[k] & roles
    ]
    preferences = {kind: True for kind in kinds}
    preferences.update(
        {k: on for k, on in (user.notification_preferences or {}).items() if k in preferences}
    )
    return ProfileRead(
        id=user.id,
        username=user.username,
        email=user.email,
        display_name=user.display_name,
        language=user.language,
        organization=_org_ref(user.organization),
        roles=user.roles,
        permissions=sorted(user.permissions or []),
        notification_preferences=preferences,
        time_zone=user.time_zone or DEFAULT_TIME_ZONE,
    )


async def _active_self(uow: IdentityUoW, actor: Actor) -> User:
    user = await uow.users.get(actor.id)
    if user is None or not user.active:
        raise Unauthorized("This account is no longer active.")
    return user


async def get_profile(*, uow: IdentityUoW, actor: Actor) -> ProfileRead:
    async with uow:
        return _profile(await _active_self(uow, actor))


async def update_profile(*, uow: IdentityUoW, data: ProfileUpdate, actor: Actor) -> ProfileRead:
    changes = data.model_dump(
        exclude_unset=True, exclude_none=True, exclude={"current_password", "new_password"}
    )
    async with uow:
        user = await _active_self(uow, actor)
        sensitive = ("email" in changes and changes["email"] != user.email) or data.new_password
        if sensitive and not (
            data.current_password
            and await verify_password(user.password_hash, data.current_password)
        ):
            raise _field_error(
                "current_password",
                "Enter your current password to change your e-mail address or password.",
                "current_password_required",
            )
        if "notification_preferences" in changes:
            changes["notification_preferences"] = {
                **(user.notification_preferences or {}),
                **changes["notification_preferences"],
            }
        if data.new_password:
            if problem := password_problem(data.new_password, username=user.username):
                raise _field_error("new_password", problem, "password_policy")
            user.set_password_hash(await hash_password(data.new_password))
            await end_other_sign_ins(
                uow, user_id=user.id, keep=actor.session_id, at=datetime.now(UTC)
            )
        user.change(**changes)
        await uow.commit()
        return _profile(user)


async def ensure_bootstrap_admin(*, uow: IdentityUoW, password: str) -> bool:
    """Create the user `admin` when no active admin exists; True if it was created.

    Replicas start side by side: when another one created `admin` first, its unique
    name refuses this one's, and the admin it made stands."""
    try:
        return await _bootstrap_admin(uow, password)
    except IntegrityError:
        return False


async def _bootstrap_admin(uow: IdentityUoW, password: str) -> bool:
    async with uow:
        if await uow.users.any_admin():
            return False
        existing = await uow.users.get_by_username("admin")
        if existing is not None:
            existing.set_password_hash(await hash_password(password))
            existing.change(roles=["admin"], active=True, organization_id=None)
        else:
            uow.users.add(
                User.register(
                    username="admin",
                    email="admin@localhost",
                    roles=["admin"],
                    password_hash=await hash_password(password),
                    display_name="Administrator",
                )
            )
        await uow.commit()
        return True

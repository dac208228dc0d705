"""The identity service: people, organizations, sign-in and the token keys."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

from portal_chassis.module import ServiceModule
from portal_chassis.runtime import Runtime
from portal_identity.access_requests import sign_in as access_sign_in
from portal_identity.access_requests.views import public_router as access_public_router
from portal_identity.access_requests.views import router as access_requests_router
from portal_identity.accounts import service as accounts
from portal_identity.accounts.views import router as accounts_router
from portal_identity.base import Base, messaging
from portal_identity.demo import seed_demo
from portal_identity.keys.ring import KeyRing, keep_keyring, keyring
from portal_identity.keys.views import router as keys_router
from portal_identity.mfa import challenges as mfa_challenges
from portal_identity.mfa.cli import RESET_MFA_COMMAND
from portal_identity.mfa.passkey_views import auth_router as passkey_auth_router
from portal_identity.mfa.passkey_views import router as passkey_router
from portal_identity.mfa.views import auth_router as mfa_auth_router
from portal_identity.mfa.views import router as mfa_router
from portal_identity.oidc.views import clients_router as oauth_clients_router
from portal_identity.oidc.views import router as oidc_router
from portal_identity.organizations.handlers import HANDLERS as ORGANIZATION_HANDLERS
from portal_identity.organizations.views import router as organizations_router
from portal_identity.sessions import service as sessions
from portal_identity.sessions.views import internal_router as sessions_internal_router
from portal_identity.sessions.views import me_router as own_sessions_router
from portal_identity.sessions.views import router as sessions_router
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW


async def load_keys(runtime: Runtime) -> None:
    settings = cast(IdentitySettings, runtime.settings)
    keys = KeyRing(
        runtime.session_factory, grace=timedelta(minutes=settings.key_retirement_grace_minutes)
    )
    await keys.load()
    keep_keyring(runtime, keys)


async def reload_keys(runtime: Runtime) -> None:
    await keyring(runtime).reload_forever()


async def own_revocations(runtime: Runtime, cursor: str | None) -> dict[str, Any]:
    """Identity's own verifier reads the revocations from its database, not over HTTP."""
    found = await sessions.revocations(
        uow=cast(IdentityUoW, runtime.uow()),
        settings=cast(IdentitySettings, runtime.settings),
        since=cursor,
    )
    return found.model_dump(mode="json")


async def forget_old_revocations(runtime: Runtime) -> None:
    while True:
        try:
            await sessions.forget_revocations(
                uow=cast(IdentityUoW, runtime.uow()),
                settings=cast(IdentitySettings, runtime.settings),
            )
        except Exception:
            logging.getLogger(__name__).warning("old revocations not pruned", exc_info=True)
        await asyncio.sleep(600)


async def forget_unconfirmed_access_requests(runtime: Runtime) -> None:
    while True:
        try:
            await access_sign_in.forget_unconfirmed(uow=cast(IdentityUoW, runtime.uow()))
        except Exception:
            logging.getLogger(__name__).warning(
                "unconfirmed access requests not pruned", exc_info=True
            )
        await asyncio.sleep(3600)


async def forget_expired_mfa_steps(runtime: Runtime) -> None:
    while True:
        try:
            await mfa_challenges.forget_expired(cast(IdentityUoW, runtime.uow()))
        except Exception:
            logging.getLogger(__name__).warning("expired second steps not pruned", exc_info=True)
        await asyncio.sleep(600)


async def bootstrap_admin(runtime: Runtime) -> None:
    if password := runtime.settings.portal.bootstrap_admin_password:
        await accounts.ensure_bootstrap_admin(
            uow=cast(IdentityUoW, runtime.uow()), password=password
        )


module = ServiceModule(
    name="identity",
    summary="People, organizations, sign-in and token keys.",
    default_port=8001,
    settings_cls=IdentitySettings,
    metadata=Base.metadata,
    tables=messaging,
    uow_cls=IdentityUoW,
    versions=Path(__file__).parent / "migrations" / "versions",
    routers=[
        sessions_router,
        mfa_auth_router,
        passkey_auth_router,
        access_public_router,
        accounts_router,
        mfa_router,
        passkey_router,
        own_sessions_router,
        organizations_router,
        access_requests_router,
        keys_router,
        oidc_router,
        oauth_clients_router,
        sessions_internal_router,
    ],
    consumers=ORGANIZATION_HANDLERS,
    on_startup=[load_keys, bootstrap_admin],
    background=[
        reload_keys,
        forget_old_revocations,
        forget_unconfirmed_access_requests,
        forget_expired_mfa_steps,
    ],
    seed_demo=seed_demo,
    commands=[RESET_MFA_COMMAND],
    local_jwks=lambda runtime: lambda: keyring(runtime).jwks(),
    local_revocations=lambda runtime: lambda cursor: own_revocations(runtime, cursor),
)

"""What the identity service's endpoints are given: the unit of work, the settings, the
key ring, the token issuer and sign-in throttle, role checks and shared parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from portal_chassis.app import RuntimeDep, get_uow, settings_of
from portal_chassis.auth import Actor, client_address, roles
from portal_identity.keys.ring import KeyRing, keyring
from portal_identity.sessions.clients import DEVICE_COOKIE_MAX, DEVICE_HEADER, ClientInfo
from portal_identity.sessions.service import Issuer
from portal_identity.sessions.throttle import LoginThrottle
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

UoWDep = Annotated[IdentityUoW, Depends(get_uow)]
SettingsDep = Annotated[IdentitySettings, Depends(settings_of(IdentitySettings))]


async def get_keyring(runtime: RuntimeDep) -> KeyRing:
    return keyring(runtime)


async def get_issuer(runtime: RuntimeDep, settings: SettingsDep) -> Issuer:
    return Issuer(keys=keyring(runtime), settings=settings)


async def get_throttle(runtime: RuntimeDep, settings: SettingsDep) -> LoginThrottle:
    return LoginThrottle(runtime.limiter, settings)


async def get_client(request: Request) -> ClientInfo:
    """Who signs in: the user agent, the address the gateway saw and the browser's
    device cookie, which the gateway passes in a header of its own."""
    device = request.headers.get(DEVICE_HEADER, "")[:DEVICE_COOKIE_MAX]
    return ClientInfo(
        user_agent=request.headers.get("user-agent", ""),
        address=client_address(request),
        device_cookie=device or None,
    )


KeyRingDep = Annotated[KeyRing, Depends(get_keyring)]
IssuerDep = Annotated[Issuer, Depends(get_issuer)]
ThrottleDep = Annotated[LoginThrottle, Depends(get_throttle)]
ClientDep = Annotated[ClientInfo, Depends(get_client)]

CustomerAdminDep = Annotated[Actor, Depends(roles("customer_admin"))]

# Pages of a list: a cursor from the previous page and how many to give.
CursorQuery = Annotated[str | None, Query(max_length=64)]
LimitQuery = Annotated[int, Query(ge=1, le=200)]

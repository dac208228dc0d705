"""What the identity service's endpoints are given: the unit of work, the settings, the
key ring, the token issuer and sign-in throttle, role checks and shared parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from portal_chassis.app import RuntimeDep, get_uow, settings_of
from portal_chassis.auth import Actor, roles
from portal_identity.keys.ring import KeyRing, keyring
from portal_identity.sessions.service import Issuer
from portal_identity.sessions.throttle import LoginThrottle
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

UoWDep = Annotated[IdentityUoW, Depends(get_uow)]
SettingsDep = Annotated[IdentitySettings, Depends(settings_of(IdentitySettings))]


def get_keyring(runtime: RuntimeDep) -> KeyRing:
    return keyring(runtime)


def get_issuer(runtime: RuntimeDep, settings: SettingsDep) -> Issuer:
    return Issuer(keys=keyring(runtime), settings=settings)


def get_throttle(runtime: RuntimeDep, settings: SettingsDep) -> LoginThrottle:
    return LoginThrottle(runtime.limiter, settings)


KeyRingDep = Annotated[KeyRing, Depends(get_keyring)]
IssuerDep = Annotated[Issuer, Depends(get_issuer)]
ThrottleDep = Annotated[LoginThrottle, Depends(get_throttle)]

CustomerAdminDep = Annotated[Actor, Depends(roles("customer_admin"))]

# Pages of a list: a cursor from the previous page and how many to give.
CursorQuery = Annotated[str | None, Query(max_length=64)]
LimitQuery = Annotated[int, Query(ge=1, le=200)]

"""Test harness for two-factor sign-in: a clock the TOTP check reads, and the steps of
enrolment and sign-in through the identity service's HTTP API."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pyotp
import pytest
from identity_harness import PASSWORD, Identity

from portal_identity.mfa import challenges

PROBLEMS = "https://portal.example/problems/"
ACR_MFA = "urn:portal:acr:mfa"
ACR_PASSWORD = "urn:portal:acr:pwd"
ENROL = "/api/v1/me/mfa/totp"
CONFIRM = "/api/v1/me/mfa/totp/confirm"
SECOND_STEP = "/api/v1/auth/login/mfa"


class Clock:
    """The instant TOTP codes are checked at: the middle of a time step, moved by hand
    (a code is then never checked a step later than it was made)."""

    def __init__(self) -> None:
        self.now = (time.time() // 30) * 30 + 15

    def __call__(self) -> float:
        return self.now

    def step(self, steps: int = 1) -> None:
        self.now += 30 * steps

    @classmethod
    def install(cls, monkeypatch: pytest.MonkeyPatch) -> Clock:
        clock = cls()
        monkeypatch.setattr(challenges, "clock", clock)
        return clock


def wrong(right: str) -> str:
    """A well-formed code that is not `right`."""
    return "123456" if right != "123456" else "654321"


async def enrol(identity: Identity, clock: Clock, username: str) -> tuple[pyotp.TOTP, list[str]]:
    """Turns the user's factor on; the app and the recovery codes. The clock moves on a
    step, since the confirming code's step is used up."""
    headers = await identity.auth(username)
    r = await identity.client.post(ENROL, json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 200, r.text
    totp = pyotp.TOTP(r.json()["secret"])
    r = await identity.client.post(CONFIRM, json={"code": totp.at(clock.now)}, headers=headers)
    assert r.status_code == 200, r.text
    clock.step()
    return totp, r.json()["recovery_codes"]


async def first_step(identity: Identity, username: str, **extra: Any) -> str:
    r = await identity.login(username, **extra)
    assert r.status_code == 401, r.text
    assert r.json()["type"] == PROBLEMS + "mfa-required"
    return str(r.json()["mfa_token"])


async def second_step(
    identity: Identity, mfa_token: str, code: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return await identity.client.post(
        SECOND_STEP, json={"mfa_token": mfa_token, "code": code}, headers=headers
    )

"""The sign-in's second step at the edge.

When identity answers a password with `mfa-required`, its `mfa_token` waits here, on
the server, until the code arrives: the browser holds only a random handle in an
HttpOnly cookie (`portal_signin`, sent to `/login…` only), never the token itself, so
a page or a script cannot read it. One process keeps the steps in memory; replicas
share them in Redis (`PORTAL_REDIS_URL`), each for as long as the token is valid.
"""

from __future__ import annotations

import hashlib
import json
import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from portal_chassis.errors import PROBLEM_BASE

PENDING_COOKIE = "portal_signin"
# As long as identity's mfa_token is valid: a step kept longer could never complete.
PENDING_SECONDS = 300
MFA_REQUIRED = PROBLEM_BASE + "mfa-required"
# The problems of a code that does not complete the sign-in (`type` of the answer).
INVALID_CODE = PROBLEM_BASE + "invalid-code"
TOKEN_INVALID = PROBLEM_BASE + "mfa-token-invalid"
# The problems of a passkey's answer: an expired or used challenge (ask again), and a
# passkey that is refused (wrong one, or its counter went back).
PASSKEY_CHALLENGE_INVALID = PROBLEM_BASE + "passkey-challenge-invalid"
PASSKEY_REFUSED = (PROBLEM_BASE + "passkey-invalid", PROBLEM_BASE + "passkey-cloned")
# A user's second factors, as identity names them.
FACTORS = ("totp", "passkey")


@dataclass(frozen=True)
class PendingSignIn:
    """A password accepted, its second factor still to come."""

    mfa_token: str
    username: str
    remember: bool
    # Where the browser goes once signed in (a same-site path, checked before).
    target: str
    # The user's second factors: what the step offers (the app's code, a passkey).
    factors: tuple[str, ...] = ("totp",)

    def dumps(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def loads(cls, text: str | bytes) -> PendingSignIn | None:
        try:
            data = json.loads(text)
            return cls(
                mfa_token=str(data["mfa_token"]),
                username=str(data["username"]),
                remember=bool(data["remember"]),
                target=str(data["target"]),
                # A step kept before passkeys existed knew only the app.
                factors=tuple(f for f in data.get("factors", ["totp"]) if f in FACTORS),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def problem_type(answer: httpx.Response) -> str:
    """The `type` of a problem answer ("" for any other answer)."""
    try:
        body = answer.json()
    except ValueError:
        return ""
    return str(body.get("type", "")) if isinstance(body, dict) else ""


def mfa_token_of(answer: httpx.Response) -> str | None:
    """The token of a password sign-in that needs its second factor, else None."""
    if answer.status_code != 401 or problem_type(answer) != MFA_REQUIRED:
        return None
    token: Any = answer.json().get("mfa_token")
    return token if isinstance(token, str) and token else None


def factors_of(answer: httpx.Response) -> tuple[str, ...]:
    """The second factors an `mfa-required` answer names (the app alone when it names
    none)."""
    found: Any = answer.json().get("factors")
    if not isinstance(found, list):
        return ("totp",)
    return tuple(f for f in FACTORS if f in found) or ("totp",)


def key_of(handle: str) -> str:
    # The store is keyed by the handle's digest: what it holds names no usable cookie.
    return hashlib.sha256(handle.encode()).hexdigest()


class PendingSignIns(ABC):
    """Second steps by the digest of their browser's handle, each for `seconds`."""

    @abstractmethod
    async def put(self, key: str, pending: PendingSignIn, seconds: int) -> None: ...

    @abstractmethod
    async def get(self, key: str) -> PendingSignIn | None: ...

    @abstractmethod
    async def drop(self, key: str) -> None: ...

    async def close(self) -> None:
        return None


class MemoryPendingSignIns(PendingSignIns):
    # Beyond this many waiting steps the expired ones are swept out on the next put.
    SWEEP_ABOVE = 10_000

    def __init__(self) -> None:
        self._steps: dict[str, tuple[float, PendingSignIn]] = {}

    async def put(self, key: str, pending: PendingSignIn, seconds: int) -> None:
        now = time.monotonic()
        if len(self._steps) >= self.SWEEP_ABOVE:
            self._steps = {k: v for k, v in self._steps.items() if v[0] > now}
        self._steps[key] = (now + seconds, pending)

    async def get(self, key: str) -> PendingSignIn | None:
        found = self._steps.get(key)
        if found is None or found[0] <= time.monotonic():
            self._steps.pop(key, None)
            return None
        return found[1]

    async def drop(self, key: str) -> None:
        self._steps.pop(key, None)


class RedisPendingSignIns(PendingSignIns):
    def __init__(self, url: str, *, prefix: str = "portal:gw:signin:") -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)
        self._prefix = prefix

    async def put(self, key: str, pending: PendingSignIn, seconds: int) -> None:
        await self._redis.set(self._prefix + key, pending.dumps(), ex=seconds)

    async def get(self, key: str) -> PendingSignIn | None:
        found = await self._redis.get(self._prefix + key)
        return PendingSignIn.loads(found) if found is not None else None

    async def drop(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def close(self) -> None:
        await self._redis.aclose()


def pending_sign_ins_from_url(url: str | None) -> PendingSignIns:
    return RedisPendingSignIns(url) if url else MemoryPendingSignIns()

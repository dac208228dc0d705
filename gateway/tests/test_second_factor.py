"""The sign-in's second step at the edge: the step kept on the server under the digest
of the browser's handle, in memory for one process and in Redis for replicas; and how
identity's answer to a password is told apart."""

from __future__ import annotations

import dataclasses
import uuid

import httpx
import pytest

from portal_gateway.edge import second_factor
from portal_gateway.edge.second_factor import (
    MFA_REQUIRED,
    MemoryPendingSignIns,
    PendingSignIn,
    RedisPendingSignIns,
    factors_of,
    key_of,
    mfa_token_of,
)

STEP = PendingSignIn(mfa_token="t0ken", username="ben", remember=True, target="/tickets?x=1")


def _answer(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


def test_only_an_mfa_required_problem_with_a_token_starts_the_second_step() -> None:
    assert mfa_token_of(_answer(401, {"type": MFA_REQUIRED, "mfa_token": "abc"})) == "abc"
    wrong_password = {"type": "https://portal.example/problems/unauthorized"}
    assert mfa_token_of(_answer(401, {**wrong_password, "mfa_token": "abc"})) is None
    assert mfa_token_of(_answer(401, {"type": MFA_REQUIRED})) is None
    assert mfa_token_of(_answer(401, {"type": MFA_REQUIRED, "mfa_token": ""})) is None
    assert mfa_token_of(_answer(429, {"type": MFA_REQUIRED, "mfa_token": "abc"})) is None
    assert mfa_token_of(httpx.Response(401, text="not json")) is None


def test_a_step_survives_its_round_trip_and_garbage_is_no_step() -> None:
    assert PendingSignIn.loads(STEP.dumps()) == STEP
    assert PendingSignIn.loads("{") is None
    assert PendingSignIn.loads('{"mfa_token": "x"}') is None
    assert PendingSignIn.loads("[]") is None


def test_a_step_knows_the_users_factors_and_an_older_one_the_app_alone() -> None:
    both = dataclasses.replace(STEP, factors=("totp", "passkey"))
    assert PendingSignIn.loads(both.dumps()) == both
    older = '{"mfa_token": "t", "username": "ben", "remember": false, "target": "/"}'
    assert PendingSignIn.loads(older) == PendingSignIn("t", "ben", False, "/", ("totp",))
    assert factors_of(_answer(401, {"type": MFA_REQUIRED, "factors": ["passkey"]})) == ("passkey",)
    assert factors_of(_answer(401, {"factors": ["passkey", "totp", "sms"]})) == (
        "totp",
        "passkey",
    )
    assert factors_of(_answer(401, {"type": MFA_REQUIRED})) == ("totp",)


async def test_memory_steps_end_with_their_time(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(second_factor.time, "monotonic", lambda: now[0])
    store = MemoryPendingSignIns()
    await store.put("k", STEP, 300)
    now[0] += 299
    assert await store.get("k") == STEP
    now[0] += 2
    assert await store.get("k") is None
    await store.put("k", STEP, 300)
    await store.drop("k")
    assert await store.get("k") is None


async def test_replicas_share_steps_in_redis_under_the_handles_digest(redis_url: str) -> None:
    from redis.asyncio import Redis

    prefix = f"test:signin:{uuid.uuid4().hex[:8]}:"
    first = RedisPendingSignIns(redis_url, prefix=prefix)
    second = RedisPendingSignIns(redis_url, prefix=prefix)
    raw = Redis.from_url(redis_url)
    try:
        handle = "browser-handle"
        await first.put(key_of(handle), STEP, 300)
        # The code may reach another replica than the password did.
        assert await second.get(key_of(handle)) == STEP
        # What the store holds names no usable cookie, and it ends with the token.
        assert await raw.exists(prefix + handle) == 0
        assert 295 <= await raw.ttl(prefix + key_of(handle)) <= 300
        await second.drop(key_of(handle))
        assert await first.get(key_of(handle)) is None
    finally:
        await raw.aclose()
        await first.close()
        await second.close()

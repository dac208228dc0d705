"""What a second factor adds to a sign-in: the identity service as its own process on
PostgreSQL (the set-up of identity_login.py), TOTP secrets encrypted at rest.

* password sign-in: `POST /api/v1/auth/login` of a user without a second factor (200);
* password step: the same request of a user with one (401 `mfa-required`);
* code step: `POST /api/v1/auth/login/mfa` with the app's current code (200);
* two steps: both, one after the other, as a client waits for them.

Each user's TOTP code works once per 30-second step, so every sign-in of the two-step
kind is a different user (`--users`, enrolled before the measurement). Reports p50/p95
of each and the time the second factor adds (two steps minus a password sign-in;
target p95 < 100 ms) as one JSON summary on stdout. Needs PostgreSQL
(PORTAL_TEST_POSTGRES_URL, default local).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Awaitable
from typing import Any

import httpx
import pyotp
from identity_login import PASSWORD, _pct, served_identity

USER_PASSWORD = "benchmark-user-secret-1"
TARGET_ADDED_P95_MS = 100.0


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--users", type=int, default=100, help="sign-ins of each kind (one user each; 100)"
    )
    return parser.parse_args(argv)


async def _admin(client: httpx.AsyncClient) -> dict[str, str]:
    r = await client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _user(client: httpx.AsyncClient, admin: dict[str, str], username: str) -> None:
    r = await client.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "email": f"{username}@example.com",
            "roles": ["agent"],
            "password": USER_PASSWORD,
        },
        headers=admin,
    )
    r.raise_for_status()


async def _enrolled(client: httpx.AsyncClient, username: str) -> pyotp.TOTP:
    r = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": USER_PASSWORD}
    )
    r.raise_for_status()
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    r = await client.post("/api/v1/me/mfa/totp", json={"password": USER_PASSWORD}, headers=headers)
    r.raise_for_status()
    totp = pyotp.TOTP(r.json()["secret"])
    r = await client.post("/api/v1/me/mfa/totp/confirm", json={"code": totp.now()}, headers=headers)
    r.raise_for_status()
    return totp


async def _timed(request: Awaitable[httpx.Response]) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = await request
    return time.perf_counter() - start, response


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50_ms": _pct(values, 0.5), "p95_ms": _pct(values, 0.95)}


async def measure(base: str, users: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        admin = await _admin(client)
        await _user(client, admin, "plain")
        names = [f"twofactor{i}" for i in range(users)]
        for name in names:
            await _user(client, admin, name)
        # Enrolment uses each app's current code: the sign-ins below wait for the next.
        apps = [await _enrolled(client, name) for name in names]
        await asyncio.sleep(30 - time.time() % 30 + 0.5)

        plain: list[float] = []
        for _ in range(5 + users):  # the first five warm up pools and caches
            took, r = await _timed(
                client.post(
                    "/api/v1/auth/login", json={"username": "plain", "password": USER_PASSWORD}
                )
            )
            r.raise_for_status()
            plain.append(took)
        plain = plain[5:]

        first: list[float] = []
        second: list[float] = []
        for name, app in zip(names, apps, strict=True):
            took, r = await _timed(
                client.post(
                    "/api/v1/auth/login", json={"username": name, "password": USER_PASSWORD}
                )
            )
            assert r.status_code == 401 and r.json()["mfa_token"], r.text
            first.append(took)
            took, r = await _timed(
                client.post(
                    "/api/v1/auth/login/mfa",
                    json={"mfa_token": r.json()["mfa_token"], "code": app.now()},
                )
            )
            r.raise_for_status()
            second.append(took)
    both = [a + b for a, b in zip(first, second, strict=True)]
    added = {
        "p50_ms": round(_pct(both, 0.5) - _pct(plain, 0.5), 2),
        "p95_ms": round(_pct(both, 0.95) - _pct(plain, 0.95), 2),
    }
    return {
        "users": users,
        "password_sign_in": _summary(plain),
        "password_step": _summary(first),
        "code_step": _summary(second),
        "two_steps": _summary(both),
        "added_by_second_factor": added,
        "targets": {"added_p95_ms": TARGET_ADDED_P95_MS},
        "target_met": added["p95_ms"] < TARGET_ADDED_P95_MS,
    }


async def main(args: argparse.Namespace) -> None:
    async with served_identity(IDENTITY_MFA_SECRET_KEYS="benchmark-key") as base:
        result = await measure(base, args.users)
    print(json.dumps({"benchmark": "mfa_login", **result}, indent=2))


if __name__ == "__main__":
    asyncio.run(main(arguments()))

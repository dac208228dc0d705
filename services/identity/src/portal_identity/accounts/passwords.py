"""Password hashing: argon2id with OWASP's minimum (19 MiB, t=2, p=1).

Hashing takes ~20 ms of CPU on purpose; it runs in a worker thread (argon2 releases the
GIL) so sign-ins use every core and never stall the event loop for other requests.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_hasher = PasswordHasher(
    time_cost=PARAMETERS["time_cost"],
    memory_cost=PARAMETERS["memory_cost"],
    parallelism=PARAMETERS["parallelism"],
)
# Verified against when the user does not exist, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("no such user: constant-time filler")


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(_verify, password_hash, password)

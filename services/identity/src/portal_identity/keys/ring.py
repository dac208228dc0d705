"""Signing keys and their rotation.

The newest key that is not retired signs. After a rotation the previous keys stay in the
JWKS for the grace period (longer than an access token lives), so tokens signed just
before the rotation keep verifying everywhere; then they are retired and unpublished.
Every replica re-reads the keys once a minute, so a rotation reaches all of them.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

from joserfc import jwt
from joserfc.jwk import Key, KeySet, RSAKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_identity.keys.models import SigningKey
from portal_identity.keys.repository import SigningKeyRepository

if TYPE_CHECKING:
    from portal_chassis.runtime import Runtime

ALGORITHM = "RS256"
RELOAD_SECONDS = 60.0


def _generate() -> SigningKey:
    kid = f"k{int(time.time())}-{secrets.token_hex(4)}"
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": ALGORITHM})
    return SigningKey(
        kid=kid, private_jwk=json.dumps(key.as_dict(private=True)), created_at=datetime.now(UTC)
    )


@lru_cache(maxsize=16)
def _imported(private_jwk: str) -> RSAKey:
    # Importing checks the RSA key's numbers (a good part of a CPU second); keys never
    # change, and the ring reloads every minute and serves the JWKS on every request.
    return RSAKey.import_key(json.loads(private_jwk))


class KeyRing:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, grace: timedelta
    ) -> None:
        self._session_factory = session_factory
        self.grace = grace
        self._active: RSAKey | None = None

    async def load(self) -> None:
        """Load the newest key, creating the first one on a fresh database."""
        async with self._session_factory() as session:
            keys = SigningKeyRepository(session)
            row = await keys.newest()
            if row is None:
                keys.add(_generate())
                await session.commit()
                row = await keys.newest()
        assert row is not None
        self._active = _imported(row.private_jwk)

    async def reload_forever(self) -> None:
        while True:
            await asyncio.sleep(RELOAD_SECONDS)
            await self.load()

    @property
    def active_kid(self) -> str:
        assert self._active is not None
        return str(self._active.kid)

    def sign(self, claims: dict[str, Any]) -> str:
        assert self._active is not None, "KeyRing.load() runs at start-up"
        header = {"alg": ALGORITHM, "kid": self._active.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self._active, algorithms=[ALGORITHM])

    async def rotate(self) -> SigningKey:
        """A new key signs from now on; superseded keys past their grace are retired."""
        fresh = _generate()
        async with self._session_factory() as session:
            SigningKeyRepository(session).add(fresh)
            await session.commit()
        await self.retire_superseded()
        await self.load()
        return fresh

    async def retire_superseded(self) -> None:
        now = datetime.now(UTC)
        async with self._session_factory() as session:
            keys = SigningKeyRepository(session)
            # A key is superseded when a newer one exists; retire it once the newer one
            # has signed for the whole grace period.
            for older, newer in pairwise(await keys.published()):
                if newer.created_at + self.grace <= now:
                    await keys.retire(older.kid, now)
            await session.commit()

    async def published(self) -> list[SigningKey]:
        async with self._session_factory() as session:
            return await SigningKeyRepository(session).published()

    async def jwks(self) -> dict[str, Any]:
        await self.retire_superseded()
        keys: list[Key] = [_imported(r.private_jwk) for r in await self.published()]
        return dict(KeySet(keys).as_dict(private=False))


# The running service's key ring, loaded at start-up (module.load_keys).
_KEYS = "keys"


def keep_keyring(runtime: Runtime, keys: KeyRing) -> None:
    runtime.state[_KEYS] = keys


def keyring(runtime: Runtime) -> KeyRing:
    return cast(KeyRing, runtime.state[_KEYS])

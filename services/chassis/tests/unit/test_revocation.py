"""Revoked sign-ins: the verifier refuses their tokens, remembered ones included, and keeps
the last list while identity does not answer."""

import asyncio
import itertools
import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from portal_chassis.auth import TokenVerifier
from portal_chassis.errors import Unauthorized
from portal_chassis.revocation import RevocationList

ISSUER, AUDIENCE = "https://portal.test", "portal"
KEY = RSAKey.generate_key(2048, parameters={"kid": "a", "alg": "RS256", "use": "sig"})


async def _keys() -> dict:
    return KeySet([KEY]).as_dict(private=False)


def _token(user: uuid.UUID, *, sid: str | None = None, iat: int | None = None) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(user),
        "roles": ["customer"],
        "iat": now if iat is None else iat,
        "exp": now + 300,
    }
    if sid is not None:
        claims["sid"] = sid
    return jwt.encode({"alg": "RS256", "kid": "a"}, claims, KEY, algorithms=["RS256"])


class FakeIdentity:
    """What identity would answer on /internal/v1/revocations."""

    def __init__(self) -> None:
        self.users: list[dict] = []
        self.sessions: list[dict] = []
        self.down = False
        self.cursors: list[str | None] = []

    async def __call__(self, cursor: str | None) -> dict:
        self.cursors.append(cursor)
        if self.down:
            raise ConnectionError("identity is away")
        answer = {"cursor": str(len(self.cursors)), "users": self.users, "sessions": self.sessions}
        self.users, self.sessions = [], []  # deltas: each revocation is sent once
        return answer

    def end_session(self, sid: str) -> None:
        self.sessions.append({"sid": sid, "until": time.time() + 900})

    def end_user(self, user: uuid.UUID, before: float) -> None:
        self.users.append({"user_id": str(user), "revoked_before": before, "until": before + 900})


def _verifier(identity: FakeIdentity) -> tuple[TokenVerifier, RevocationList]:
    revocations = RevocationList(identity, poll_seconds=0.01)
    verifier = TokenVerifier(_keys, issuer=ISSUER, audience=AUDIENCE, revocations=revocations)
    return verifier, revocations


async def test_an_ended_sign_in_is_refused_even_when_remembered() -> None:
    identity = FakeIdentity()
    verifier, revocations = _verifier(identity)
    user = uuid.uuid4()
    ended, other = _token(user, sid="s1"), _token(user, sid="s2")
    assert (await verifier.verify(ended)).session_id == "s1"  # now in the verified cache
    identity.end_session("s1")
    await revocations.refresh()
    with pytest.raises(Unauthorized):
        await verifier.verify(ended)
    assert (await verifier.verify(other)).id == user  # the user's other sign-in goes on
    assert identity.cursors == [None, "1"]  # after the first answer, only what changed


async def test_tokens_issued_before_a_users_revocation_are_refused() -> None:
    identity = FakeIdentity()
    verifier, revocations = _verifier(identity)
    user, someone = uuid.uuid4(), uuid.uuid4()
    now = int(time.time())
    old, fresh = _token(user, iat=now - 10), _token(user, iat=now)
    await verifier.verify(old)
    identity.end_user(user, now - 5)
    await revocations.refresh()
    with pytest.raises(Unauthorized):
        await verifier.verify(old)
    await verifier.verify(fresh)  # a sign-in after the revocation works
    await verifier.verify(_token(someone, iat=now - 10))
    # A token without `iat` cannot show it came after the revocation.
    claims_without_iat = _token(user, iat=0)
    with pytest.raises(Unauthorized):
        await verifier.verify(claims_without_iat)


async def test_the_last_list_stays_in_force_while_identity_is_away() -> None:
    identity = FakeIdentity()
    verifier, revocations = _verifier(identity)
    user = uuid.uuid4()
    token = _token(user, sid="s1")
    identity.end_session("s1")
    await revocations.refresh()
    identity.down = True
    with pytest.raises(ConnectionError):
        await revocations.refresh()
    with pytest.raises(Unauthorized):
        await verifier.verify(token)
    assert (await verifier.verify(_token(user, sid="s2"))).id == user


async def test_no_token_is_accepted_before_the_first_list_arrived() -> None:
    identity = FakeIdentity()
    identity.down = True
    verifier, _ = _verifier(identity)
    with pytest.raises(Unauthorized):
        await verifier.verify(_token(uuid.uuid4()))
    # Right after a failure the next request does not call identity again.
    with pytest.raises(Unauthorized):
        await verifier.verify(_token(uuid.uuid4()))
    assert len(identity.cursors) == 1


async def test_entries_are_forgotten_once_every_token_they_concern_expired() -> None:
    identity = FakeIdentity()
    _, revocations = _verifier(identity)
    identity.sessions.append({"sid": "gone", "until": time.time() - 1})
    identity.end_session("kept")
    await revocations.refresh()
    assert not revocations.revoked(user="u", session="gone", issued_at=0)
    assert revocations.revoked(user="u", session="kept", issued_at=0)


async def test_a_poll_that_hangs_is_given_up_and_the_next_one_runs() -> None:
    """A source without a timeout of its own (in-process) must not stop the polling."""
    answered: list[str | None] = []
    hang = asyncio.Event()

    async def source(cursor: str | None) -> dict:
        if not answered:
            answered.append(None)
            await hang.wait()  # never set: the first poll hangs
        answered.append(cursor)
        return {"cursor": "1", "users": [], "sessions": [{"sid": "s1", "until": time.time() + 60}]}

    revocations = RevocationList(source, poll_seconds=0.01, timeout_seconds=0.05)
    polling = asyncio.create_task(revocations.run())
    try:
        async with asyncio.timeout(2):
            while not revocations.loaded:
                await asyncio.sleep(0.01)
    finally:
        polling.cancel()
    assert revocations.revoked(user="u", session="s1", issued_at=0)
    assert revocations.refreshed_at is not None
    assert revocations.failure is None  # cleared by the poll that worked


async def test_polls_start_a_poll_apart_however_long_each_takes() -> None:
    """A slow poll (a busy machine) does not also push the next one back: an ended
    sign-in is seen within one poll and one poll's own time, not twice the poll."""
    started: list[float] = []
    loop = asyncio.get_running_loop()

    async def slow_source(cursor: str | None) -> dict:
        started.append(loop.time())
        await asyncio.sleep(0.3)
        return {"cursor": "1", "users": [], "sessions": []}

    revocations = RevocationList(slow_source, poll_seconds=0.4)
    polling = asyncio.create_task(revocations.run())
    try:
        async with asyncio.timeout(10):
            while len(started) < 5:
                await asyncio.sleep(0.02)
    finally:
        polling.cancel()
    gaps = sorted(b - a for a, b in itertools.pairwise(started))
    # Start to start the gaps are the poll (0.4 s); after each poll's end, 0.7 s.
    assert gaps[len(gaps) // 2] < 0.55, gaps
    assert gaps[0] > 0.35, gaps  # and never much closer than the poll


async def test_the_list_says_when_the_poll_behind_it_was_sent() -> None:
    """What a list knows is as old as the poll's question, not its answer: on a busy
    machine an answer may arrive long after identity read it."""

    async def slow_source(cursor: str | None) -> dict:
        await asyncio.sleep(0.3)
        return {"cursor": "1", "users": [], "sessions": []}

    revocations = RevocationList(slow_source)
    assert revocations.asked_at is None
    before = time.monotonic()
    await revocations.refresh()
    assert revocations.asked_at is not None and revocations.refreshed_at is not None
    assert before <= revocations.asked_at < before + 0.1
    assert revocations.refreshed_at - revocations.asked_at >= 0.3

"""The revocations every verifier polls (`GET /internal/v1/revocations`): the whole list
in force without a cursor, after that what changed since; a cursor that cannot be a
delta's starting point (not one of ours, or from identity's future) gets the whole list."""

from __future__ import annotations

import time
from typing import Any

import pytest
from identity_harness import Identity

from portal_chassis.testing.tokens import claims_of

pytestmark = pytest.mark.integration

FEED = "/internal/v1/revocations"


async def _feed(identity: Identity, since: str | None = None) -> dict[str, Any]:
    r = await identity.client.get(FEED, params={"since": since} if since is not None else None)
    assert r.status_code == 200, r.text
    return r.json()


async def _ended_sign_in(identity: Identity) -> str:
    """A sign-in, signed out: its `sid`."""
    r = await identity.login("kim")
    assert r.status_code == 200, r.text
    tokens = r.json()
    out = await identity.client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert out.status_code == 204
    return str(claims_of(tokens["access_token"])["sid"])


@pytest.fixture(autouse=True)
async def kim(identity: Identity) -> None:
    await identity.user("kim", roles=["agent"])


def _sids(answer: dict[str, Any]) -> set[str]:
    return {entry["sid"] for entry in answer["sessions"]}


async def test_a_cursor_gets_what_was_ended_after_it_and_the_cursor_moves_on(
    identity: Identity,
) -> None:
    first = await _ended_sign_in(identity)
    everything = await _feed(identity)
    assert first in _sids(everything)

    second = await _ended_sign_in(identity)
    delta = await _feed(identity, everything["cursor"])
    assert second in _sids(delta)
    assert float(delta["cursor"]) >= float(everything["cursor"])
    [entry] = [e for e in delta["sessions"] if e["sid"] == second]
    # Kept for as long as an access token of that sign-in can still be presented.
    assert entry["until"] > time.time() + 15 * 60


async def test_a_cursor_from_the_future_gets_the_whole_list(identity: Identity) -> None:
    """Identity's clock was set back after giving the cursor: revocations made since then
    carry earlier times than the cursor, and a delta from it would leave them out."""
    ended = await _ended_sign_in(identity)
    ahead = f"{time.time() + 3600:.3f}"
    assert ended in _sids(await _feed(identity, ahead))


@pytest.mark.parametrize("cursor", ["", "not-a-cursor", "1e400", "-1e30", "nan"])
async def test_a_cursor_that_is_not_ours_gets_the_whole_list(
    identity: Identity, cursor: str
) -> None:
    ended = await _ended_sign_in(identity)
    assert ended in _sids(await _feed(identity, cursor))

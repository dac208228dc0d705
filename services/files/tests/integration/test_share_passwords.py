"""Password guesses on a protected share link are counted before the password is checked,
per client address and per link, in memory and in Redis alike: a burst of parallel
guesses gets no more checks than the limit allows."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from portal_harness import Portal

from portal_chassis.errors import TooManyRequests, Unauthorized
from portal_chassis.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from portal_files.exchange import service
from portal_files.exchange.service import (
    PASSWORD_TRIES_PER_ADDRESS,
    PASSWORD_TRIES_PER_SHARE,
    Visitor,
)

pytestmark = pytest.mark.integration

PASSWORD = "open sesame"


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    redis_url = request.getfixturevalue("redis_url")
    store = RedisRateLimiter(redis_url, prefix=f"test-{uuid.uuid4().hex}:")
    yield store
    await store.close()


async def _token(world: Portal) -> str:
    r = await world.client.post(
        "/api/v1/exchanges",
        json={"name": "Logs", "password": PASSWORD},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text
    return r.json()["token"]


async def _guesses(
    world: Portal, limiter: RateLimiter, token: str, addresses: list[str], password: str
) -> Counter[str]:
    """Open the link once from each of `addresses`, all at the same time."""

    async def one(address: str) -> str:
        visitor = Visitor(token=token, password=password, address=address)
        try:
            await service.open_share(
                uow=world.files.uow(), limiter=limiter, visitor=visitor, action="view"
            )
        except Unauthorized:
            return "checked, wrong"
        except TooManyRequests:
            return "throttled"
        return "checked, right"

    return Counter(await asyncio.gather(*(one(a) for a in addresses)))


async def test_parallel_guesses_from_one_address_get_the_address_limit(
    world: Portal, limiter: RateLimiter
) -> None:
    token = await _token(world)
    outcome = await _guesses(world, limiter, token, ["203.0.113.7"] * 40, "guess")
    assert outcome == {
        "checked, wrong": PASSWORD_TRIES_PER_ADDRESS.count,
        "throttled": 40 - PASSWORD_TRIES_PER_ADDRESS.count,
    }
    # The right password from there is not even checked now.
    again = await _guesses(world, limiter, token, ["203.0.113.7"], PASSWORD)
    assert again == {"throttled": 1}


async def test_parallel_guesses_from_many_addresses_get_the_link_limit(
    world: Portal, limiter: RateLimiter
) -> None:
    token = await _token(world)
    addresses = [f"198.51.100.{i}" for i in range(40)]
    outcome = await _guesses(world, limiter, token, addresses, "guess")
    assert outcome == {
        "checked, wrong": PASSWORD_TRIES_PER_SHARE.count,
        "throttled": 40 - PASSWORD_TRIES_PER_SHARE.count,
    }


async def test_visits_with_the_right_password_use_up_no_attempts(
    world: Portal, limiter: RateLimiter
) -> None:
    token = await _token(world)
    address = ["192.0.2.1"]
    for _ in range(PASSWORD_TRIES_PER_ADDRESS.count * 2):
        assert await _guesses(world, limiter, token, address, PASSWORD) == {"checked, right": 1}
    wrong = PASSWORD_TRIES_PER_ADDRESS.count
    assert await _guesses(world, limiter, token, address * wrong, "guess") == {
        "checked, wrong": wrong
    }

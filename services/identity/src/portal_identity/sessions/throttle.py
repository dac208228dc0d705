"""Throttling of failed sign-ins, per account and per client address."""

from __future__ import annotations

from portal_chassis.errors import TooManyRequests
from portal_chassis.ratelimit import Limit, RateLimiter
from portal_identity.settings import IdentitySettings

THROTTLED = "Too many failed sign-ins. Wait a few minutes, or reset your password."


class LoginThrottle:
    def __init__(self, limiter: RateLimiter, settings: IdentitySettings) -> None:
        self.limiter = limiter
        window = settings.login_failure_window_seconds
        self.per_account = Limit(settings.login_failures_per_account, window)
        self.per_address = Limit(settings.login_failures_per_address, window)

    async def check(self, username: str, address: str) -> None:
        account = await self.limiter.peek(f"login:user:{username}", self.per_account)
        origin = await self.limiter.peek(f"login:addr:{address}", self.per_address)
        blocked = [
            u.retry_after
            for u, limit in ((account, self.per_account), (origin, self.per_address))
            if u.exceeds(limit)
        ]
        if blocked:
            raise TooManyRequests(THROTTLED, retry_after=max(blocked))

    async def failed(self, username: str, address: str) -> None:
        await self.limiter.hit(f"login:user:{username}", self.per_account)
        await self.limiter.hit(f"login:addr:{address}", self.per_address)

    async def succeeded(self, username: str) -> None:
        await self.limiter.reset(f"login:user:{username}")

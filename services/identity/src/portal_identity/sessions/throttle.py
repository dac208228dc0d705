"""Throttling of failed sign-ins, per account and per client address.

Every attempt is counted before its password is checked, in one atomic step of the
limiter (increments that return the counts including themselves, both keys in
one step so parallel attempts are ordered alike on each): parallel attempts
cannot all pass a look at the count taken before any of them was added. A successful
sign-in clears the account's count and gives back its own to the address.

A second factor's codes are counted here too, on the same keys: a sign-in that needs one
does not clear the count at its password (else whoever knows the password could try
codes without end, signing in again after every few), only once its code was right; the
right password's own attempt is given back.
"""

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

    async def attempt(self, username: str, address: str) -> None:
        """Count one attempt; TooManyRequests when it is beyond a limit (the password
        is then not checked at all)."""
        account, origin = await self.limiter.hit_all(
            [
                (f"login:user:{username}", self.per_account),
                (f"login:addr:{address}", self.per_address),
            ]
        )
        blocked = [
            usage.retry_after
            for usage, limit in ((account, self.per_account), (origin, self.per_address))
            if usage.count > limit.count
        ]
        if blocked:
            raise TooManyRequests(THROTTLED, retry_after=max(blocked))

    async def attempt_address(self, address: str) -> None:
        """Count one attempt that names no account (a passkey nobody has): only the
        address's count."""
        usage = await self.limiter.hit(f"login:addr:{address}", self.per_address)
        if usage.count > self.per_address.count:
            raise TooManyRequests(THROTTLED, retry_after=usage.retry_after)

    async def succeeded(self, username: str, address: str) -> None:
        await self.limiter.reset(f"login:user:{username}")
        await self.limiter.hit(f"login:addr:{address}", self.per_address, -1)

    async def password_passed(self, username: str, address: str) -> None:
        """A right password before a second factor: the attempt is given back to the
        account and the address, but the account's failures stay until a code is right,
        so that wrong codes add up however often the password is given again."""
        await self.limiter.hit(f"login:user:{username}", self.per_account, -1)
        await self.limiter.hit(f"login:addr:{address}", self.per_address, -1)

"""Revoked sign-ins, known to every token verifier.

An access token is checked without asking identity, so on its own it stays good until
it expires. To end one sooner (sign-out, a reused refresh token, "sign out everywhere",
a password reset, a deactivated account) identity keeps revocations for as long as a
token can live and serves them on `GET /internal/v1/revocations` (never routed by the
gateway). Every verifier polls that list every `PORTAL_REVOCATION_POLL_SECONDS`, after
the first fetch only what changed, and refuses a token whose sign-in (`sid`) was ended,
or that was issued (`iat`) before its user's `revoked_before`. While identity cannot be
reached the last list stays in force.

The payload, from identity to every verifier:

    {"cursor": "<opaque; sent back as ?since=>",
     "users": [{"user_id": "...", "revoked_before": <epoch s>, "until": <epoch s>}],
     "sessions": [{"sid": "...", "until": <epoch s>}]}

`until` is when the last token the entry concerns has expired: the entry is forgotten then.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any

from portal_chassis.errors import Unauthorized

log = logging.getLogger(__name__)

# Called with the cursor of the last answer (None: everything still in force).
RevocationSource = Callable[[str | None], Awaitable[dict[str, Any]]]


# The longest one poll may take. An in-process source (all-in-one mode, identity's own
# database) has no network timeout of its own; a poll that hung would keep the list
# from ever being refreshed again.
POLL_TIMEOUT_SECONDS = 5.0


class RevocationList:
    def __init__(
        self,
        source: RevocationSource,
        *,
        poll_seconds: float = 2.0,
        retry_seconds: float = 1.0,
        timeout_seconds: float = POLL_TIMEOUT_SECONDS,
    ) -> None:
        self._source = source
        self.poll_seconds = poll_seconds
        self.retry_seconds = retry_seconds
        self.timeout_seconds = timeout_seconds
        # When the list was last brought up to date (monotonic), and why not since.
        self.refreshed_at: float | None = None
        # When the poll that brought it up to date was sent (monotonic): every revocation
        # committed before then is in the list. On a busy machine this can lie well
        # before `refreshed_at`.
        self.asked_at: float | None = None
        self.failure: str | None = None
        self._users: dict[str, tuple[float, float]] = {}  # user id -> (revoked_before, until)
        self._sessions: dict[str, float] = {}  # sid -> until
        self._cursor: str | None = None
        self._lock = asyncio.Lock()
        self._tried_at = -math.inf
        self.loaded = False

    @property
    def cursor(self) -> str | None:
        """What the next poll asks with (None: everything still in force)."""
        return self._cursor

    def revoked(self, *, user: str, session: str | None, issued_at: float) -> bool:
        if session is not None and session in self._sessions:
            return True
        entry = self._users.get(user)
        return entry is not None and issued_at < entry[0]

    async def refresh(self) -> None:
        async with self._lock:
            await self._fetch()

    async def ensure_loaded(self) -> None:
        """Before the first list arrived no token can be trusted: fetch it now. While
        identity does not answer, at most one try per `retry_seconds`, so a burst of
        requests does not become a burst of calls."""
        if self.loaded:
            return
        async with self._lock:
            if self.loaded:
                return
            if time.monotonic() - self._tried_at < self.retry_seconds:
                raise Unauthorized("Sign-in checks are unavailable; try again shortly.")
            self._tried_at = time.monotonic()
            try:
                await self._fetch()
            except Exception as exc:
                log.warning("revocation list unavailable", exc_info=True)
                raise Unauthorized("Sign-in checks are unavailable; try again shortly.") from exc

    async def run(self) -> None:
        """Poll until cancelled; a failed poll keeps the last list and tries again."""
        while True:
            started = time.monotonic()
            try:
                await self.refresh()
                self.failure = None
            except Exception as exc:
                # A warning once per outage, each further failed poll at debug level.
                level = logging.DEBUG if self.failure else logging.WARNING
                self.failure = f"{type(exc).__name__}: {exc}"
                log.log(
                    level,
                    "revocation list not refreshed (%s); the last one stays in force",
                    self.failure,
                )
            # Start to start: a poll slowed by a busy machine does not also push the next
            # one back, so an ended sign-in reaches every verifier within one poll and
            # one poll's own time.
            await asyncio.sleep(max(0.0, self.poll_seconds - (time.monotonic() - started)))

    async def _fetch(self) -> None:
        asked_at = time.monotonic()
        async with asyncio.timeout(self.timeout_seconds):
            payload = await self._source(self._cursor)
        for entry in payload.get("users", []):
            user, before, until = (
                str(entry["user_id"]),
                float(entry["revoked_before"]),
                float(entry["until"]),
            )
            known = self._users.get(user)
            if known is None or known[0] < before:
                self._users[user] = (before, until)
        for entry in payload.get("sessions", []):
            self._sessions[str(entry["sid"])] = float(entry["until"])
        self._cursor = payload.get("cursor")
        self.loaded = True
        self.asked_at, self.refreshed_at = asked_at, time.monotonic()
        self._forget_expired()

    def _forget_expired(self) -> None:
        now = time.time()
        self._users = {k: v for k, v in self._users.items() if v[1] > now}
        self._sessions = {k: v for k, v in self._sessions.items() if v > now}

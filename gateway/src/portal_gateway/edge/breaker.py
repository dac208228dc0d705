"""A circuit breaker per upstream service: when a service keeps failing, answer at once
with 503 instead of letting every caller wait for a timeout.

closed    requests pass; `failures` transport failures in a row open the circuit.
open      requests are refused for `reset_seconds`.
half-open after the pause one trial request passes; its outcome closes or reopens. A
          trial that never reports (its caller went away) is replaced after another pause.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from prometheus_client import Counter, Gauge

log = logging.getLogger(__name__)

CIRCUIT_OPEN = Gauge(
    "portal_gateway_circuit_open", "1 while the circuit to a service is open.", ["upstream"]
)
CIRCUIT_REJECTED = Counter(
    "portal_gateway_circuit_rejected_total",
    "Requests answered 503 at once because the circuit was open.",
    ["upstream"],
)


@dataclass
class Breaker:
    name: str
    failures: int = 5
    reset_seconds: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _failed: int = 0
    _opened_at: float | None = None
    _trial_since: float | None = field(default=None, repr=False)

    def retry_after(self) -> int | None:
        """None when a request may pass now; otherwise seconds until the next trial."""
        if self._opened_at is None:
            return None
        now = self.clock()
        waited = now - self._opened_at
        trial_lost = self._trial_since is not None and now - self._trial_since >= self.reset_seconds
        if waited >= self.reset_seconds and (self._trial_since is None or trial_lost):
            self._trial_since = now  # half-open: exactly one trial at a time
            return None
        CIRCUIT_REJECTED.labels(self.name).inc()
        return max(1, math.ceil(self.reset_seconds - waited))

    def succeeded(self) -> None:
        self._failed = 0
        self._trial_since = None
        if self._opened_at is not None:
            self._opened_at = None
            CIRCUIT_OPEN.labels(self.name).set(0)
            log.info("circuit closed", extra={"upstream": self.name})

    def failed(self) -> None:
        self._failed += 1
        self._trial_since = None
        if self._opened_at is not None or self._failed >= self.failures:
            if self._opened_at is None:
                log.warning("circuit opened", extra={"upstream": self.name})
            self._opened_at = self.clock()
            CIRCUIT_OPEN.labels(self.name).set(1)

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

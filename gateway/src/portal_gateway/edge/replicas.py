"""The replicas of one service and the choice among them.

On Kubernetes a service has one address and the cluster spreads connections over its
pods. Without a cluster the gateway can be given several base URLs for a service
(`TICKETS_URL=http://10.0.0.5:8000,http://10.0.0.6:8000`): it takes them in turn and
skips a replica whose circuit is open, so one replica going down costs callers nothing
while another answers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from portal_gateway.edge.breaker import Breaker

# How long a replica that said it is stopping gets no new requests while another answers:
# longer than its lame-duck pause (`PORTAL_SHUTDOWN_DRAIN_SECONDS`, 5 s by default).
LEAVING_SECONDS = 15.0


@dataclass
class Replica:
    url: httpx.URL
    breaker: Breaker
    leaving_until: float = 0.0

    def answered(self, response: httpx.Response) -> None:
        """A replica in its lame-duck pause answers `Connection: close`: new requests go
        to the others, so that none is written on a kept-alive connection to it just as
        it closes them (a request with a body could not go again then)."""
        if response.headers.get("connection", "").lower() == "close":
            self.leaving_until = time.monotonic() + LEAVING_SECONDS

    @property
    def leaving(self) -> bool:
        return self.leaving_until > time.monotonic()

    def address(self, request: httpx.Request) -> None:
        """Point `request` at this replica (same path and query)."""
        request.url = self.url.copy_with(raw_path=request.url.raw_path)
        request.headers["host"] = self.url.netloc.decode("ascii")


class ReplicaSet:
    def __init__(
        self, service: str, urls: list[str], *, failures: int, reset_seconds: float
    ) -> None:
        if not urls:
            raise ValueError(f"no URL for the {service} service")
        self.service = service
        self.replicas: list[Replica] = []
        for url in map(httpx.URL, urls):
            # One replica keeps the service's name as its label; several are told apart.
            label = service if len(urls) == 1 else f"{service}@{url.netloc.decode()}"
            self.replicas.append(Replica(url, Breaker(label, failures, reset_seconds)))
        self._turn = 0

    def __len__(self) -> int:
        return len(self.replicas)

    @property
    def all_open(self) -> bool:
        return all(r.breaker.is_open for r in self.replicas)

    def choose(self) -> Replica | int:
        """The next replica that may take a request (one that is leaving only when no
        other may), or, when every circuit is open, the seconds until the first of them
        lets a trial through."""
        waits = []
        leaving: Replica | None = None
        for _ in range(len(self.replicas)):
            replica = self.replicas[self._turn]
            self._turn = (self._turn + 1) % len(self.replicas)
            wait = replica.breaker.retry_after()
            if wait is not None:
                waits.append(wait)
            elif not replica.leaving:
                return replica
            else:
                leaving = leaving or replica
        return leaving or min(waits)

"""The distributed mode as separate processes: any number of replicas per service behind
one gateway, on PostgreSQL, RabbitMQ and Redis, with the broker and chosen databases
reached through proxies the caller controls (to cut and restore them).

For the scale-out system test, the fault drills and the scale-out benchmark. The caller
provides migrated databases and a broker namespace; the cluster starts, watches and
stops the processes and the proxies.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy.engine import make_url

from portal_chassis.testing.cluster import free_port
from portal_chassis.testing.tcpproxy import TcpProxy

SERVICES = ("identity", "tickets", "files", "faq", "notify")


@dataclass
class Member:
    """One process: a replica of a service, the gateway, or a worker."""

    name: str
    args: list[str]
    port: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Cluster:
    def __init__(self, logs: Path, env: dict[str, str], members: list[Member]) -> None:
        self.logs = logs
        self.env = env
        self.members = {m.name: m for m in members}
        self.proxies: dict[str, TcpProxy] = {}
        # Every process ever started, a replaced member's too: stop() ends them all.
        self._started: list[subprocess.Popen[bytes]] = []
        # Each service's database, straight (not through a proxy).
        self.database_urls: dict[str, str] = {}

    @classmethod
    async def create(
        cls,
        logs: Path,
        *,
        database_urls: Mapping[str, str],
        amqp_url: str,
        redis_url: str,
        namespace: str,
        replicas: Mapping[str, int] | None = None,
        workers: Sequence[str] = (),
        proxied_databases: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> Cluster:
        """Members named `<service>-<n>` (`tickets-1`, `tickets-2`, …), `gateway` and
        `<service>-worker`. Services without a database URL are not started. The broker
        is always reached through the proxy `broker`; each of `proxied_databases` through
        the proxy of its name."""
        parts = [s for s in SERVICES if s in database_urls]
        counts = {s: (replicas or {}).get(s, 1) for s in parts}
        members = [
            Member(f"{s}-{n}", ["serve", s], free_port())
            for s in parts
            for n in range(1, counts[s] + 1)
        ]
        gateway = Member("gateway", ["serve", "gateway"], free_port())
        members.append(gateway)
        members += [Member(f"{s}-worker", ["worker", s]) for s in workers]
        cluster = cls(logs, {}, members)
        cluster.database_urls = dict(database_urls)

        broker = await cluster._proxy("broker", amqp_url)
        urls = dict(database_urls)
        for service in proxied_databases:
            proxy = await cluster._proxy(service, urls[service])
            urls[service] = make_url(urls[service]).set(host="127.0.0.1", port=proxy.port)
            urls[service] = urls[service].render_as_string(hide_password=False)
        cluster.env = {
            "PORTAL_AMQP_URL": _with_port(amqp_url, broker.port),
            "PORTAL_REDIS_URL": redis_url,
            "PORTAL_EVENT_NAMESPACE": namespace,
            "PORTAL_PUBLIC_URL": gateway.url,
            "PORTAL_OUTBOX_POLL_SECONDS": "0.5",
            "PORTAL_LOG_LEVEL": "INFO",
            **{f"{s.upper()}_DATABASE_URL": url for s, url in urls.items()},
            # The gateway takes the replicas of a service in turn; services read the
            # JWKS from identity.
            **{
                f"{s.upper()}_URL": ",".join(cluster.replicas_of(s)[i].url for i in range(n))
                for s, n in counts.items()
            },
            **(env or {}),
        }
        for member in cluster.members.values():
            cluster.start(member.name)
        await asyncio.gather(*(cluster.ready(name) for name in cluster.servers))
        return cluster

    async def _proxy(self, name: str, url: str) -> TcpProxy:
        target = urlsplit(url)
        proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 0)
        await proxy.start()
        self.proxies[name] = proxy
        return proxy

    # -- members ---------------------------------------------------------------------------

    @property
    def gateway(self) -> str:
        return self.members["gateway"].url

    @property
    def servers(self) -> list[str]:
        return [m.name for m in self.members.values() if m.port is not None]

    def replicas_of(self, service: str) -> list[Member]:
        return [m for m in self.members.values() if m.args == ["serve", service]]

    def start(self, name: str) -> None:
        member = self.members[name]
        args = [*member.args, *(["--port", str(member.port)] if member.port else [])]
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        member.process = subprocess.Popen(
            [sys.executable, "-m", "portal_ops.cli", *args],
            env={**os.environ, **self.env, **member.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._started.append(member.process)
        log.close()  # the child holds its own copy

    async def ready(self, name: str, timeout: float = 90.0) -> float:
        """Wait until the member answers `/readyz` with 200; the seconds it took."""
        member = self.members[name]
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() - started < timeout:
                if not member.running:
                    raise RuntimeError(f"{name} exited:\n{self.log(name)[-3000:]}")
                try:
                    if (await client.get(f"{member.url}/readyz")).status_code == 200:
                        return time.monotonic() - started
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise TimeoutError(f"{name} not ready after {timeout} s:\n{self.log(name)[-3000:]}")

    async def restart(self, name: str) -> None:
        self.start(name)
        await self.ready(name)

    def kill(self, name: str) -> None:
        """SIGKILL: the process ends at once, mid-request, as in a crash."""
        self._signal(name, signal.SIGKILL)
        self.wait(name)

    def terminate(self, name: str) -> None:
        """SIGTERM: the graceful shutdown an orchestrator asks for."""
        self._signal(name, signal.SIGTERM)

    def wait(self, name: str, timeout: float = 30.0) -> int:
        process = self.members[name].process
        assert process is not None
        return process.wait(timeout=timeout)

    def _signal(self, name: str, sig: int) -> None:
        process = self.members[name].process
        if process is not None and process.poll() is None:
            process.send_signal(sig)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    async def metrics(self, name: str) -> str:
        async with httpx.AsyncClient(timeout=5.0) as client:
            answer = await client.get(f"{self.members[name].url}/metrics")
            answer.raise_for_status()
            return answer.text

    async def stop(self) -> None:
        for process in self._started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self._started:
            try:
                await asyncio.to_thread(process.wait, 30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for proxy in self.proxies.values():
            await proxy.cut()


def _with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{port}" if credentials else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))

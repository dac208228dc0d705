"""Cross-service test helpers: the walking-skeleton flow and child processes."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

ADMIN_PASSWORD = "bootstrap-admin-secret-1"


async def wait_until_ready(
    url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None
) -> float:
    """Poll `url` until it answers 200; returns the seconds it took."""
    start = time.monotonic()
    async with httpx.AsyncClient(timeout=2.0) as client:
        while time.monotonic() - start < timeout:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"process exited with {proc.returncode} before {url} was ready")
            try:
                if (await client.get(url)).status_code == 200:
                    return time.monotonic() - start
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{url} not ready after {timeout} s")


async def poll(fetch: Callable[[], Awaitable[list]], *, timeout: float = 20.0) -> list:
    """Call `fetch` until it returns a non-empty list."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if items := await fetch():
            return items
        await asyncio.sleep(0.1)
    raise TimeoutError("nothing arrived")


async def skeleton_flow(client: httpx.AsyncClient, *, password: str = ADMIN_PASSWORD) -> dict:
    """The walking skeleton through every service, as seen from the public API."""
    login = await client.post(
        "/api/v1/auth/login", json={"username": "admin", "password": password}
    )
    assert login.status_code == 200, login.text
    tokens = login.json()
    assert tokens["token_type"] == "bearer" and tokens["refresh_token"]
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}

    me = await client.get("/api/v1/me", headers=auth)
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "admin" and "admin" in me.json()["roles"]

    # An agent, who will hear about the new ticket while nobody is assigned to it.
    agent = await client.post(
        "/api/v1/admin/users",
        json={
            "username": "deskagent",
            "email": "desk@example.com",
            "roles": ["agent"],
            "password": "desk-agent-secret-7",
        },
        headers=auth,
    )
    assert agent.status_code == 201, agent.text
    agent_login = await client.post(
        "/api/v1/auth/login", json={"username": "deskagent", "password": "desk-agent-secret-7"}
    )
    assert agent_login.status_code == 200, agent_login.text
    agent_auth = {"Authorization": f"Bearer {agent_login.json()['access_token']}"}

    created = await client.post(
        "/api/v1/tickets",
        json={
            "title": "Conveyor belt stops",
            "description": "Since this morning.",
            "priority": "P2",
        },
        headers={**auth, "X-Correlation-ID": "skeleton-flow"},
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["portal_status"] == "in_progress"

    fetched = await client.get(f"/api/v1/tickets/{ticket['number']}", headers=auth)
    assert fetched.status_code == 200 and fetched.json()["title"] == "Conveyor belt stops"

    async def notifications() -> list:
        r = await client.get("/api/v1/notifications", headers=agent_auth)
        assert r.status_code == 200, r.text
        return [n for n in r.json()["items"] if n["ticket_number"] == ticket["number"]]

    found = await poll(notifications)
    assert len(found) == 1 and found[0]["kind"] == "ticket_created"
    return {"ticket": ticket, "auth": auth, "agent_auth": agent_auth}


class Processes:
    """Child processes of one test, stopped (SIGTERM, then SIGKILL) at teardown."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            [sys.executable, "-m", "portal_ops.cli", *args],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        return proc

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

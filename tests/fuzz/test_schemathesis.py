"""Schemathesis over the merged public OpenAPI document of the all-in-one portal, as a
customer and as an administrator, over real HTTP.

Every operation gets a bounded number of generated requests that fit its schema and of
requests that break it, derandomized (the same requests on every run). No answer may be
a 5xx, and every error answer must be a problem document. The whole run takes about
three minutes on two cores beside the rest of the suite; raise PORTAL_FUZZ_EXAMPLES to
look harder locally.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from portal_fixtures import _run, populate
from portal_harness import PASSWORD, Portal
from schemathesis import GenerationMode
from served import serving

# Generated requests per operation, per generation mode and per caller.
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "6"))
# An event stream does not end: each request reads it for a moment, which is what a
# check needs, and a few of them say as much as many.
STREAM_EXAMPLES, STREAM_SECONDS = 2, 0.5
# Stop generating (and report what was found) once the run has taken this long.
BUDGET_SECONDS = float(os.environ.get("PORTAL_FUZZ_BUDGET_SECONDS", "330"))
PROBLEM = "application/problem+json"

# Operations that end the session they are called with get a token of their own, from a
# user made for that one call: otherwise the rest of the run would go on signed out.
OWN_SESSION = {
    ("POST", "/api/v1/auth/logout"),
    # `?include_current=true` ends the caller's own sign-in too.
    ("DELETE", "/api/v1/me/sessions"),
}

pytestmark = [pytest.mark.timeout(600)]


@pytest.fixture
async def fuzz_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[Portal]:
    """`sqlite_world` without the per-address and per-user limits: the run sends
    thousands of requests, many failed sign-ins among them, from one address."""
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_PER_USER", "0")
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_PER_ADDRESS", "0")
    monkeypatch.setenv("IDENTITY_LOGIN_FAILURES_PER_ADDRESS", "1000000")
    async for portal in _run(tmp_path, {}):
        yield await populate(portal)


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    undocumented: set[str] = field(default_factory=set)

    def slowest(self, n: int = 8) -> list[str]:
        ranked = sorted(self.seconds.items(), key=lambda item: -item[1])[:n]
        return [f"{label}: {took:.1f}s" for label, took in ranked]


def _problem_broken(response: schemathesis.Response) -> str | None:
    """Why an error answer is not a problem document (None: it is one)."""
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.split(";")[0] != PROBLEM:
        return f"content-type {content_type!r}"
    try:
        body = response.json()
    except ValueError:
        return "not JSON"
    if not {"type", "title", "status"} <= body.keys() or body["status"] != response.status_code:
        return f"not a problem document: {response.text[:200]}"
    return None


def _fuzz(
    base_url: str,
    spec: dict[str, Any],
    callers: dict[str, Callable[[str, str], dict[str, str]]],
    deadline: float,
) -> Findings:
    """Runs in a thread: schemathesis' transport is synchronous, and the portal answers
    from the test's event loop meanwhile."""
    schema = schemathesis.openapi.from_dict(spec)
    found = Findings()
    session = requests.Session()
    operations = [result.ok() for result in schema.get_all_operations()]
    for caller, headers_for in callers.items():
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                label = f"{caller} {mode.value} {operation.method.upper()} {operation.path}"
                if time.monotonic() > deadline:
                    found.skipped.append(label)
                    continue
                started = time.monotonic()
                try:
                    _examples(operation, mode, label, headers_for, base_url, session, found)
                except Exception as exc:  # a schema the generator chokes on is a finding too
                    found.failures.append(f"{label}: {type(exc).__name__}: {exc}")
                found.seconds[label] = time.monotonic() - started
    return found


def _examples(
    operation: schemathesis.APIOperation,
    mode: GenerationMode,
    label: str,
    headers_for: Callable[[str, str], dict[str, str]],
    base_url: str,
    session: requests.Session,
    found: Findings,
) -> None:
    failures: list[str] = []
    answers = operation.definition.raw.get("responses", {}).get("200", {}).get("content", {})
    stream = "text/event-stream" in answers
    timeout = STREAM_SECONDS if stream else 30.0

    @settings(
        max_examples=STREAM_EXAMPLES if stream else EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # report as found; shrinking costs time
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        headers = headers_for(operation.method.upper(), operation.path)
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=timeout)
        found.requests += 1
        if str(response.status_code) not in operation.definition.raw.get("responses", {}):
            found.undocumented.add(f"{label.split(' ', 2)[2]} {response.status_code}")
        reason = None
        if response.status_code >= 500:
            reason = f"{response.status_code} {response.text[:300]}"
        elif response.status_code >= 400:
            reason = _problem_broken(response)
        if reason and len(failures) < 3:
            curl = case.as_curl_command(headers=headers)
            failures.append(f"{label}: {reason}\n    {curl}")

    try:
        run()
    except Unsatisfiable:
        # Nothing to break (no parameters or body, or none with a rule): no negative case.
        if mode is GenerationMode.POSITIVE:
            raise
    found.failures += failures


async def test_no_operation_answers_a_server_error(fuzz_world: Portal) -> None:
    world = fuzz_world
    tokens = {"customer": await world.as_("ben"), "admin": await world.admin()}
    # Something to find for the path parameters that name things.
    await world.ticket("ben", description="fuzzing")
    spec = (await world.client.get("/api/v1/openapi.json")).json()
    async with serving(world.app) as base_url:
        own: list[str] = []

        def own_session() -> dict[str, str]:
            """A new user, signed in, for one call that ends its session."""
            name = f"fuzz{len(own)}"
            own.append(name)
            with httpx.Client(base_url=base_url, timeout=30) as client:
                r = client.post(
                    "/api/v1/admin/users",
                    json={
                        "username": name,
                        "email": f"{name}@example.com",
                        "roles": ["customer"],
                        "organization_id": world.orgs["acme"],
                        "password": PASSWORD,
                        "display_name": name,
                    },
                    headers=tokens["admin"],
                )
                assert r.status_code == 201, r.text
                r = client.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
                assert r.status_code == 200, r.text
                return {"Authorization": f"Bearer {r.json()['access_token']}"}

        def caller(role: str) -> Callable[[str, str], dict[str, str]]:
            def headers(method: str, path: str) -> dict[str, str]:
                return own_session() if (method, path) in OWN_SESSION else tokens[role]

            return headers

        deadline = time.monotonic() + BUDGET_SECONDS
        found = await asyncio.to_thread(
            _fuzz, base_url, spec, {role: caller(role) for role in tokens}, deadline
        )
    # Both sessions of the run are still signed in: nothing ended them by accident.
    for headers in tokens.values():
        assert (await world.client.get("/api/v1/me", headers=headers)).status_code == 200
    assert found.requests > 500, found
    assert found.failures == [], "\n".join(found.failures)
    # Every status answered is one the document declares for the operation.
    assert found.undocumented == set()
    assert not found.skipped, (
        f"over the time budget, not run: {found.skipped}; slowest: {found.slowest()}"
    )

"""Ending a sign-in in the distributed mode: two identity replicas, two tickets replicas
and the gateway, each its own process. A sign-out handled by one identity replica is
refused by every process within seconds; the revocation list is not public."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest
from cluster_kit import Cluster
from skeleton import ADMIN_PASSWORD

from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

pytestmark = [pytest.mark.integration, pytest.mark.system]

BOUND_SECONDS = 5.0


async def test_a_sign_out_reaches_every_process(
    tmp_path, postgres_url: str, amqp_url: str, redis_url: str, migrated_templates
) -> None:
    dbs = PostgresDatabases(postgres_url)
    namespace = f"test{uuid.uuid4().hex[:10]}"
    urls = {
        name: await dbs.create(name, template=migrated_templates[name])
        for name in ("identity", "tickets")
    }
    try:
        cluster = await Cluster.create(
            tmp_path,
            database_urls=urls,
            amqp_url=amqp_url,
            redis_url=redis_url,
            namespace=namespace,
            replicas={"identity": 2, "tickets": 2},
            env={"PORTAL_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD},
        )
        try:
            async with httpx.AsyncClient(base_url=cluster.gateway, timeout=10) as client:
                await _check(client, cluster)
        finally:
            await cluster.stop()
    finally:
        await delete_namespace(amqp_url, namespace, ["tickets"])
        await dbs.drop_all()


async def _check(client: httpx.AsyncClient, cluster: Cluster) -> None:
    async def sign_in() -> dict:
        r = await client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert r.status_code == 200, r.text
        return r.json()

    ended, kept = await sign_in(), await sign_in()
    probes = [f"{cluster.gateway}/api/v1/tickets"]
    probes += [f"{m.url}/api/v1/tickets" for m in cluster.replicas_of("tickets")]
    probes += [f"{m.url}/api/v1/me" for m in cluster.replicas_of("identity")]

    async def answers(tokens: dict) -> list[int]:
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        return [(await client.get(url, headers=headers)).status_code for url in probes]

    assert set(await answers(ended)) == {200}

    # The list is for the services only: the public edge does not route /internal.
    hidden = await client.get("/internal/v1/revocations")
    assert hidden.status_code == 404
    internal = f"{cluster.members['identity-1'].url}/internal/v1/revocations"
    assert (await client.get(internal)).status_code == 200

    r = await client.post("/api/v1/auth/logout", json={"refresh_token": ended["refresh_token"]})
    assert r.status_code == 204
    started = time.monotonic()
    while (found := await answers(ended)) != [401] * len(probes):
        assert time.monotonic() - started < BOUND_SECONDS, f"still accepted: {found}"
        await asyncio.sleep(0.2)
    assert set(await answers(kept)) == {200}

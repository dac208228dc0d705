"""When the SMTP server refuses: retries with growing waits, then a dead letter that an
administrator sees (and a metric counts), and nothing lost in between."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def smtp_sink(smtp_sink_factory):
    return smtp_sink_factory(refuse=451)  # "try again later", every time


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch) -> None:
    monkeypatch.setenv("NOTIFY_MAIL_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("NOTIFY_MAIL_RETRY_BASE_SECONDS", "0.2")


async def _counter(world, name: str) -> float:
    # All-in-one: the gateway's /metrics shows every service of the process.
    text = (await world.client.get("/metrics")).text
    found = re.search(rf'^{name}\{{kind="password_reset"\}} (\S+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


async def test_refused_mail_is_retried_then_dead_lettered_then_sent_again(
    mail_world, smtp_sink, smtp_sink_factory
) -> None:
    world = mail_world
    dead_before = await _counter(world, "portal_mail_dead_lettered_total")
    retried_before = await _counter(world, "portal_mail_retried_total")

    r = await world.client.post("/api/v1/auth/password/forgot", json={"username": "dan"})
    assert r.status_code == 202
    await world.settle()

    assert smtp_sink.refused() == 3  # one attempt and two retries
    admin = await world.admin()
    dead = await world.client.get("/api/v1/notifications/mails?status=dead", headers=admin)
    assert dead.status_code == 200, dead.text
    [mail] = [m for m in dead.json()["items"] if m["to_address"] == "dan@example.com"]
    assert mail["attempts"] == 3 and "451" in mail["last_error"]
    assert await _counter(world, "portal_mail_dead_lettered_total") == dead_before + 1
    assert await _counter(world, "portal_mail_retried_total") == retried_before + 2

    # Customers see none of this.
    hidden = await world.client.get("/api/v1/notifications/mails", headers=await world.as_("ben"))
    assert hidden.status_code == 404  # administrative: it does not exist for others

    # The server is fixed (a good one on the same port); an administrator sends it again.
    smtp_sink.process.terminate()
    smtp_sink.process.wait(timeout=10)
    fixed = smtp_sink_factory(port=smtp_sink.port)
    again = await world.client.post(
        f"/api/v1/notifications/mails/{mail['id']}/retry", headers=admin
    )
    assert again.status_code == 200 and again.json()["status"] == "pending"
    await world.settle()
    [delivered] = fixed.mails()
    assert delivered["To"] == "dan@example.com"
    missing = await world.client.post(
        "/api/v1/notifications/mails/00000000-0000-0000-0000-000000000000/retry", headers=admin
    )
    assert missing.status_code == 404

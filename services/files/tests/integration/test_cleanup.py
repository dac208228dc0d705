"""The scheduled cleanups: unused attachments after a day, expired shares at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from files_harness import png, upload
from portal_harness import Portal
from sqlalchemy import update

from portal_files.attachments.models import StoredFile
from portal_files.exchange.models import Share

pytestmark = pytest.mark.integration


async def _age(world: Portal, file_id: str, hours: int) -> None:
    async with world.files.session_factory() as s:
        await s.execute(
            update(StoredFile)
            .where(StoredFile.id == file_id)
            .values(created_at=datetime.now(UTC) - timedelta(hours=hours))
        )
        await s.commit()


async def _run(world: Portal, name: str) -> None:
    await world.files.tasks.enqueue(name)
    await world.files.tasks.drain()


async def test_unused_attachments_go_after_a_day_used_ones_stay(world: Portal) -> None:
    used = (await upload(world, "ben", "used.png", png())).json()["id"]
    unused = (await upload(world, "ben", "unused.png", png())).json()["id"]
    fresh = (await upload(world, "ben", "fresh.png", png())).json()["id"]
    await world.settle()
    await world.ticket("ben", attachment_ids=[used])
    await world.settle()  # files hears tickets.ticket.created: the attachment is used
    for file_id in (used, unused):
        await _age(world, file_id, 25)
    await _run(world, "remove_unused_attachments")
    store = world.files.state["store"]
    ben = await world.as_("ben")
    assert (await world.client.get(f"/api/v1/files/{used}", headers=ben)).status_code == 200
    assert (await world.client.get(f"/api/v1/files/{fresh}", headers=ben)).status_code == 200
    assert (await world.client.get(f"/api/v1/files/{unused}", headers=ben)).status_code == 404
    assert not await store.exists(f"files/{unused}")
    assert await store.exists(f"files/{used}")


async def test_expired_shares_are_purged_with_their_objects(world: Portal) -> None:
    share = (
        await world.client.post(
            "/api/v1/exchanges", json={"name": "old"}, headers=await world.as_("ben")
        )
    ).json()
    up = await world.client.put(f"/api/v1/exchanges/{share['token']}/files/a.png", content=png())
    file_id = up.json()["id"]
    store = world.files.state["store"]
    key = f"exchange/{share['id']}/{file_id}"
    assert await store.exists(key)
    async with world.files.session_factory() as s:
        await s.execute(update(Share).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
        await s.commit()
    await _run(world, "purge_expired_shares")
    assert not await store.exists(key)
    r = await world.client.get(f"/api/v1/exchanges/{share['token']}")
    assert r.status_code == 404

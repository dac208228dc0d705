"""Case files: a folder tree per ticket for the customer organization and the agents."""

from __future__ import annotations

import pytest
from files_harness import png
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def _ticket(world: Portal) -> str:
    number = (await world.ticket("ben"))["number"]
    await world.settle()  # the files service learns about the ticket from its event
    return number


async def test_folders_files_and_sizes(world: Portal) -> None:
    number = await _ticket(world)
    base = f"/api/v1/tickets/{number}/folders"
    anna = await world.as_("anna")
    logs = (await world.client.post(base, json={"name": "Logs"}, headers=anna)).json()
    sub = await world.client.post(
        base, json={"name": "March", "parent_id": logs["id"]}, headers=anna
    )
    assert sub.status_code == 201
    data = png(2000)
    up = await world.client.post(
        f"{base}/{logs['id']}/files",
        files={"file": ("trace.png", data, "image/png")},
        headers=await world.as_("erik"),
    )
    assert up.status_code == 201, up.text
    tree = (await world.client.get(base, headers=await world.as_("ben"))).json()
    by_name = {f["name"]: f for f in tree["folders"]}
    assert by_name["Logs"]["size"] == len(data)
    assert [f["name"] for f in by_name["Logs"]["files"]] == ["trace.png"]
    # Authors as people know them: who made the folder, who uploaded the file.
    assert by_name["Logs"]["created_by_name"] == "anna"
    assert by_name["Logs"]["files"][0]["uploader_name"] == "erik"
    assert by_name["March"]["parent_id"] == logs["id"]
    download = await world.client.get(
        f"/api/v1/files/{up.json()['id']}/content", headers=await world.as_("ben")
    )
    assert download.content == data
    events = await world.events("files.folder.changed", service="files")
    assert [e["data"]["action"] for e in events] == ["created", "created"]


async def test_rename_move_and_no_cycles(world: Portal) -> None:
    number = await _ticket(world)
    base = f"/api/v1/tickets/{number}/folders"
    ben = await world.as_("ben")
    a = (await world.client.post(base, json={"name": "A"}, headers=ben)).json()
    b = (
        await world.client.post(base, json={"name": "B", "parent_id": a["id"]}, headers=ben)
    ).json()
    renamed = await world.client.patch(f"{base}/{b['id']}", json={"name": "Beta"}, headers=ben)
    assert renamed.json()["name"] == "Beta"
    cycle = await world.client.patch(f"{base}/{a['id']}", json={"parent_id": b["id"]}, headers=ben)
    assert cycle.status_code == 422
    top = await world.client.patch(f"{base}/{b['id']}", json={"to_top": True}, headers=ben)
    assert top.json()["parent_id"] is None
    clash = await world.client.post(base, json={"name": "Beta"}, headers=ben)
    assert clash.status_code == 409
    bad = await world.client.post(base, json={"name": "../etc"}, headers=ben)
    assert bad.status_code == 422


async def test_deleting_a_folder_deletes_its_subtree_and_objects(world: Portal) -> None:
    number = await _ticket(world)
    base = f"/api/v1/tickets/{number}/folders"
    ben = await world.as_("ben")
    top = (await world.client.post(base, json={"name": "Top"}, headers=ben)).json()
    inner = (
        await world.client.post(base, json={"name": "In", "parent_id": top["id"]}, headers=ben)
    ).json()
    file_id = (
        await world.client.post(
            f"{base}/{inner['id']}/files",
            files={"file": ("x.png", png(), "image/png")},
            headers=ben,
        )
    ).json()["id"]
    store = world.files.state["store"]
    assert await store.exists(f"files/{file_id}")
    assert (await world.client.delete(f"{base}/{top['id']}", headers=ben)).status_code == 204
    assert (await world.client.get(base, headers=ben)).json()["folders"] == []
    assert not await store.exists(f"files/{file_id}")
    assert (await world.client.get(f"/api/v1/files/{file_id}", headers=ben)).status_code == 404


async def test_other_organizations_get_404_everywhere(world: Portal) -> None:
    number = await _ticket(world)
    base = f"/api/v1/tickets/{number}/folders"
    folder = (
        await world.client.post(base, json={"name": "F"}, headers=await world.as_("ben"))
    ).json()
    carla = await world.as_("carla")
    calls = [
        ("GET", base, None),
        ("POST", base, {"name": "mine"}),
        ("PATCH", f"{base}/{folder['id']}", {"name": "x"}),
        ("DELETE", f"{base}/{folder['id']}", None),
    ]
    for method, path, body in calls:
        r = await world.client.request(method, path, json=body, headers=carla)
        assert r.status_code == 404, (method, path)
    up = await world.client.post(
        f"{base}/{folder['id']}/files", files={"file": ("x.png", png(), "image/png")}, headers=carla
    )
    assert up.status_code == 404
    unknown = await world.client.get(
        "/api/v1/tickets/T999999/folders", headers=await world.as_("ben")
    )
    assert unknown.status_code == 404

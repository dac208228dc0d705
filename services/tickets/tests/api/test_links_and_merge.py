"""Links between tickets and merging a duplicate: the service desk links tickets (shown
on both, also across organizations), customers see a link only to a ticket they may see
themselves; a merge moves the duplicate's messages, notes, files and followers to the
other ticket of the same organization and closes the duplicate, pointing there."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from portal_harness import Portal


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend_world(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "world")


def codes(r: httpx.Response) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in r.json()["errors"]}


async def _get(world: Portal, number: str, user: str) -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return r.json()


def _links(ticket: dict[str, Any]) -> set[tuple[str, str]]:
    return {(link["number"], link["kind"]) for link in ticket["links"]}


async def _link(world: Portal, number: str, other: str, user: str = "erik") -> httpx.Response:
    return await world.client.post(
        f"/api/v1/tickets/{number}/links", json={"number": other}, headers=await world.as_(user)
    )


async def _merge(world: Portal, number: str, into: str, user: str = "erik") -> httpx.Response:
    return await world.client.post(
        f"/api/v1/tickets/{number}/merge", json={"into": into}, headers=await world.as_(user)
    )


async def _upload(world: Portal, user: str, name: str) -> str:
    r = await world.client.post(
        "/api/v1/files",
        files={"file": (name, b"line one\nline two\n", "text/plain")},
        headers=await world.as_(user),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _say(world: Portal, number: str, user: str, body: str, **extra: Any) -> dict[str, Any]:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": body, **extra},
        headers=await world.as_(user),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


# --- links ----------------------------------------------------------------------------


async def test_a_link_shows_on_both_tickets_and_is_made_once(sqlite_world: Portal) -> None:
    world = sqlite_world
    one = (await world.ticket("ben", title="Scanner offline"))["number"]
    two = (await world.ticket("anna", title="Scanner offline again"))["number"]
    made = await _link(world, one, two)
    assert made.status_code == 201, made.text
    assert made.json() == {
        "number": two,
        "title": "Scanner offline again",
        "kind": "related",
        "portal_status": "in_progress",
    }
    # Again, from either side: nothing new.
    assert (await _link(world, one, two)).status_code == 200
    again = await _link(world, two, one)
    assert again.status_code == 200 and again.json()["number"] == one
    assert _links(await _get(world, one, "erik")) == {(two, "related")}
    assert _links(await _get(world, two, "ben")) == {(one, "related")}

    assert codes(await _link(world, one, one)) == {("number", "self_link")}
    assert codes(await _link(world, one, "T999999")) == {("number", "unknown_ticket")}
    assert (await _link(world, "T999999", one)).status_code == 404

    erik = await world.as_("erik")
    gone = await world.client.delete(f"/api/v1/tickets/{two}/links/{one}", headers=erik)
    assert gone.status_code == 204
    assert (await _get(world, one, "erik"))["links"] == []
    assert (await _get(world, two, "erik"))["links"] == []
    # Removing what is not there is no error.
    again_gone = await world.client.delete(f"/api/v1/tickets/{one}/links/{two}", headers=erik)
    assert again_gone.status_code == 204


async def test_follow_ups_are_links_too(sqlite_world: Portal) -> None:
    world = sqlite_world
    first = (await world.ticket("ben", title="Printer jams"))["number"]
    closed = await world.client.post(
        f"/api/v1/tickets/{first}/close", headers=await world.as_("erik")
    )
    assert closed.status_code == 200, closed.text
    later = (await world.ticket("ben", title="Printer jams again", follow_up_of=first))["number"]
    shown = await _get(world, later, "ben")
    assert shown["follow_up_of"] == first
    assert shown["links"] == [
        {
            "number": first,
            "title": "Printer jams",
            "kind": "follow_up_of",
            "portal_status": "closed",
        }
    ]
    earlier = await _get(world, first, "ben")
    assert earlier["follow_ups"] == [later]
    assert _links(earlier) == {(later, "follow_up")}


async def test_customers_see_links_only_to_tickets_they_may_see(sqlite_world: Portal) -> None:
    """A vendor-wide outage linked across organizations: each customer sees the links to
    the tickets they may see, and nothing of the others (not even the number)."""
    world = sqlite_world
    acme = (await world.ticket("ben", title="Acme secret outage"))["number"]
    carla = (await world.ticket("carla", title="Globex outage"))["number"]
    dan = (await world.ticket("dan", title="Dan's private outage"))["number"]
    for number in (acme, dan):
        assert (await _link(world, carla, number)).status_code == 201
    assert _links(await _get(world, carla, "erik")) == {(acme, "related"), (dan, "related")}
    # Carla sees neither Acme's ticket nor Dan's (Globex keeps tickets to their people).
    r = await world.client.get(f"/api/v1/tickets/{carla}", headers=await world.as_("carla"))
    assert r.json()["links"] == []
    assert acme not in r.text and "Acme secret" not in r.text and dan not in r.text
    listed = await world.client.get("/api/v1/tickets", headers=await world.as_("carla"))
    assert acme not in listed.text and "Acme secret" not in listed.text
    # Ben and Anna (Acme) do not see Globex's ticket either.
    for user in ("ben", "anna"):
        r = await world.client.get(f"/api/v1/tickets/{acme}", headers=await world.as_(user))
        assert r.json()["links"] == [] and carla not in r.text
    # A link both may see shows: Anna's colleague's ticket (Acme sees organization-wide).
    colleague = (await world.ticket("anna", title="Same outage"))["number"]
    assert (await _link(world, acme, colleague)).status_code == 201
    assert _links(await _get(world, acme, "ben")) == {(colleague, "related")}


async def test_customers_cannot_link_or_merge(sqlite_world: Portal) -> None:
    world = sqlite_world
    one = (await world.ticket("ben"))["number"]
    two = (await world.ticket("anna"))["number"]
    for user in ("ben", "anna"):
        headers = await world.as_(user)
        calls = [
            ("POST", f"/api/v1/tickets/{one}/links", {"number": two}),
            ("DELETE", f"/api/v1/tickets/{one}/links/{two}", None),
            ("POST", f"/api/v1/tickets/{one}/merge", {"into": two}),
        ]
        for method, path, body in calls:
            r = await world.client.request(method, path, json=body, headers=headers)
            assert r.status_code == 404, (user, method, path, r.text)
    assert (await _get(world, one, "erik"))["links"] == []
    assert (await _get(world, one, "erik"))["status"] == "new"


async def _with_review(world: Portal) -> None:
    """Globex turns its internal review on; Gina reviews."""
    admin = await world.admin()
    r = await world.client.patch(
        f"/api/v1/admin/organizations/{world.orgs['globex']}",
        json={"internal_review": True},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    world.ids["gina"] = await world.user("gina", ["customer"], world.orgs["globex"])
    r = await world.client.patch(
        f"/api/v1/admin/users/{world.ids['gina']}", json={"permissions": ["review"]}, headers=admin
    )
    assert r.status_code == 200, r.text
    await world.settle()


async def test_a_ticket_in_review_cannot_be_linked_merged_or_named_to_the_desk(
    sqlite_world: Portal,
) -> None:
    """Until its organization's reviewer hands it over, a ticket is the organization's
    alone: to the desk it answers like an unknown number, with or without a link."""
    world = sqlite_world
    acme = (await world.ticket("ben", title="Scanner offline"))["number"]
    with_desk = (await world.ticket("carla", title="Globex with the desk"))["number"]
    erik = await world.as_("erik")
    closed = (await world.ticket("carla", title="Globex old trouble"))["number"]
    assert (await world.client.post(f"/api/v1/tickets/{closed}/close", headers=erik)).is_success
    await _with_review(world)
    hidden = (await world.ticket("carla", title="Secret reorganisation plan"))["number"]
    assert (await _get(world, hidden, "carla"))["review"] == "internal"
    later = await world.ticket("carla", title="Secret follow-up", follow_up_of=closed)
    assert later["review"] == "internal"

    # Linking, from either side: as unknown as a number that does not exist.
    named = await _link(world, acme, hidden)
    assert named.status_code == 422 and codes(named) == {("number", "unknown_ticket")}
    assert "Secret" not in named.text
    assert named.json()["errors"] == (await _link(world, acme, "T999999")).json()["errors"]
    from_hidden = await _link(world, hidden, acme)
    assert from_hidden.status_code == 404 and "Secret" not in from_hidden.text
    for path in (f"{acme}/links/{hidden}", f"{hidden}/links/{acme}"):
        gone = await world.client.delete(f"/api/v1/tickets/{path}", headers=erik)
        assert gone.status_code == 404, path

    # Merging, either way: the one in review is missing; nothing moves.
    assert (await _merge(world, hidden, with_desk)).status_code == 404
    into_hidden = await _merge(world, with_desk, hidden)
    assert into_hidden.status_code == 422 and codes(into_hidden) == {("into", "unknown_ticket")}
    assert (await _get(world, with_desk, "erik"))["status"] != "closed"
    assert (await _get(world, hidden, "carla"))["merged_into"] is None
    assert await world.events("tickets.ticket.merged") == []

    # A link the desk cannot follow (a follow-up still in review) is not shown to it,
    # while its customer sees it.
    old = await world.client.get(f"/api/v1/tickets/{closed}", headers=erik)
    assert old.json()["links"] == [] and old.json()["follow_ups"] == []
    assert later["number"] not in old.text and "Secret" not in old.text
    assert _links(await _get(world, closed, "carla")) == {(later["number"], "follow_up")}
    # Customers link nothing, reviewers neither.
    assert (await _link(world, hidden, with_desk, "gina")).status_code == 404

    # Handed over, it is the desk's like any other.
    r = await world.client.post(
        f"/api/v1/tickets/{hidden}/hand-over", headers=await world.as_("gina")
    )
    assert r.status_code == 200, r.text
    made = await _link(world, acme, hidden)
    assert made.status_code == 201 and made.json()["title"] == "Secret reorganisation plan"
    assert (await _merge(world, hidden, with_desk)).status_code == 200


# --- merging --------------------------------------------------------------------------


async def test_a_merge_moves_the_correspondence_and_closes_the_duplicate(
    backend_world: Portal,
) -> None:
    world = backend_world
    public_file = await _upload(world, "ben", "trace.txt")
    note_file = await _upload(world, "erik", "analysis.txt")
    await world.settle()
    source = (
        await world.ticket(
            "ben", title="Robot arm stops", description="Stops after zebraquux", priority="P2"
        )
    )["number"]
    target = (await world.ticket("anna", title="Robot arm halts"))["number"]
    await _say(world, target, "erik", "We are looking into it.")
    reply = await _say(
        world, source, "ben", "The log, with zebraquux.", attachment_ids=[public_file]
    )
    note = await _say(
        world, source, "erik", "Firmware bug.", attachment_ids=[note_file], internal=True
    )
    erik = await world.as_("erik")
    followed = await world.client.put(f"/api/v1/tickets/{source}/follow", headers=erik)
    assert followed.status_code == 200
    related = await _link(world, source, target)
    assert related.status_code == 201

    r = await _merge(world, source, target)
    assert r.status_code == 200, r.text
    merged = r.json()
    assert merged["number"] == target and merged["status"] == "open"
    assert _links(merged) == {(source, "merged_from")}  # the related link became the merge

    duplicate = await _get(world, source, "erik")
    assert duplicate["status"] == "closed" and duplicate["merged_into"] == target
    assert _links(duplicate) == {(target, "merged_into")}
    assert duplicate["sla"]["running"] is False
    assert (await _get(world, source, "ben"))["merged_into"] == target

    # The thread of the target: both threads interleaved by time, then the system note.
    thread = (await world.client.get(f"/api/v1/tickets/{target}/articles", headers=erik)).json()
    items = thread["items"]
    assert [a["created_at"] for a in items] == sorted(a["created_at"] for a in items)
    by_id = {a["id"]: a for a in items}
    assert by_id[reply["id"]]["attachment_ids"] == [public_file]
    assert by_id[note["id"]]["attachment_ids"] == [note_file]
    assert items[-1]["kind"] == "system" and source in items[-1]["body"]
    assert "zusammengeführt" in items[-1]["body"] and "merged into" in items[-1]["body"]
    # Its description was no message: the note keeps it.
    assert "Stops after zebraquux" in items[-1]["body"]
    # Customers read the public part only, as ever.
    public = await world.client.get(
        f"/api/v1/tickets/{target}/articles", headers=await world.as_("ben")
    )
    assert note["id"] not in {a["id"] for a in public.json()["items"]}
    left = (await world.client.get(f"/api/v1/tickets/{source}/articles", headers=erik)).json()
    assert [a["kind"] for a in left["items"]] == ["system"]
    assert target in left["items"][0]["body"]

    # The search finds the moved words with the target.
    found = await world.client.get("/api/v1/tickets", params={"q": "zebraquux"}, headers=erik)
    assert target in {t["number"] for t in found.json()["items"]}

    # The follower and the duplicate's creator follow the target now.
    for user in ("erik", "ben"):
        headers = await world.as_(user)
        now = await world.client.get(f"/api/v1/tickets/{target}/follow", headers=headers)
        assert now.json() == {"following": True}, user
    before = await world.client.get(f"/api/v1/tickets/{source}/follow", headers=erik)
    assert before.json() == {"following": False}

    [event] = await world.events("tickets.ticket.merged")
    data = event["data"]
    assert (data["number"], data["into"]) == (source, target)
    assert data["organization_id"] == world.orgs["acme"]
    assert {reply["id"], note["id"]} <= set(data["moved_article_ids"])
    assert data["file_ids"] == [public_file]  # the internal note's file stays the desk's
    closed = [e["data"]["number"] for e in await world.events("tickets.ticket.closed")]
    assert source in closed
    await world.settle()


async def test_a_merge_needs_two_open_tickets_of_one_organization(sqlite_world: Portal) -> None:
    world = sqlite_world
    acme = (await world.ticket("ben"))["number"]
    other = (await world.ticket("anna"))["number"]
    globex = (await world.ticket("carla"))["number"]

    across = await _merge(world, acme, globex)
    assert across.status_code == 422
    assert codes(across) == {("into", "other_organization")}
    assert "another organization" in across.json()["errors"][0]["message"]
    assert codes(await _merge(world, acme, acme)) == {("into", "self_merge")}
    assert codes(await _merge(world, acme, "T999999")) == {("into", "unknown_ticket")}
    assert (await _merge(world, "T999999", acme)).status_code == 404

    erik = await world.as_("erik")
    closed = (await world.ticket("anna"))["number"]
    assert (await world.client.post(f"/api/v1/tickets/{closed}/close", headers=erik)).is_success
    assert codes(await _merge(world, acme, closed)) == {("into", "closed")}
    assert (await _merge(world, closed, acme)).status_code == 409
    cancelled = (await world.ticket("ben"))["number"]
    assert (await world.client.post(f"/api/v1/tickets/{cancelled}/cancel", headers=erik)).is_success
    assert (await _merge(world, cancelled, acme)).status_code == 409

    # Nothing moved with the refusals.
    assert (await _get(world, acme, "erik"))["status"] == "new"
    assert await world.events("tickets.ticket.merged") == []

    # Once merged, never again, and nothing goes into the closed duplicate.
    assert (await _merge(world, acme, other)).status_code == 200
    again = await _merge(world, acme, other)
    assert again.status_code == 409 and other in again.json()["detail"]
    third = (await world.ticket("ben"))["number"]
    assert codes(await _merge(world, third, acme)) == {("into", "merged")}
    # Nobody writes into the duplicate any more, not even the desk.
    late = await world.client.post(
        f"/api/v1/tickets/{acme}/articles", json={"body": "Any news?"}, headers=erik
    )
    assert late.status_code == 409 and other in late.json()["detail"]
    # A merge is not undone by removing its link.
    gone = await world.client.delete(f"/api/v1/tickets/{acme}/links/{other}", headers=erik)
    assert gone.status_code == 409

"""Satisfaction surveys: closing a ticket asks its creator once (not for a cancelled
ticket, a merged duplicate, staff or someone who opted out); the mailed link answers
without sign-in, and answering again changes the answer for 7 days after the first
one, then the link is dead; the desk reads the answer, the creator's colleagues do
not; a low rating tells the desk; the desk report counts CSAT per organization, group,
agent and month."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from portal_harness import Portal
from sqlalchemy import select, update

from portal_tickets.surveys.models import Survey
from portal_tickets.ticket.models import Ticket

REPORT = "/api/v1/tickets/reports/desk"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend_world(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "world")


async def _close_by_desk(world: Portal, number: str) -> None:
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"status": "closed"}, headers=await world.as_("erik")
    )
    assert r.status_code == 200, r.text


async def _requests(world: Portal) -> list[dict[str, Any]]:
    return [e["data"] for e in await world.events("tickets.survey.requested")]


async def _answers(world: Portal) -> list[dict[str, Any]]:
    return [e["data"] for e in await world.events("tickets.survey.answered")]


async def _token(world: Portal, number: str) -> str:
    [found] = [d for d in await _requests(world) if d["number"] == number]
    return str(found["token"])


async def _answer_by_link(
    world: Portal, token: str, rating: Any, comment: str = ""
) -> httpx.Response:
    # No Authorization header: the link's token is the credential.
    return await world.client.put(
        f"/api/v1/surveys/{token}", json={"rating": rating, "comment": comment}
    )


async def _move_first_answer(world: Portal, number: str, days_ago: int) -> None:
    """As if the first answer had been given `days_ago` days ago."""
    then = datetime.now(UTC) - timedelta(days=days_ago)
    await _set_survey(world, number, first_answered_at=then, answered_at=then)


async def _set_survey(world: Portal, number: str, **values: Any) -> None:
    async with world.tickets.session_factory() as s:
        ticket_id = select(Ticket.id).where(Ticket.number == number).scalar_subquery()
        await s.execute(update(Survey).where(Survey.ticket_id == ticket_id).values(**values))
        await s.commit()


async def test_a_closed_ticket_asks_its_creator_once_and_the_link_answers_without_sign_in(
    backend_world: Portal,
) -> None:
    world = backend_world
    number = (await world.ticket("ben"))["number"]
    await _close_by_desk(world, number)
    [asked] = await _requests(world)
    assert asked["creator_id"] == world.ids["ben"] and asked["language"] == "en"
    assert asked["number"] == number and asked["title"] == "Printer jams"
    token = asked["token"]

    r = await world.client.get(f"/api/v1/surveys/{token}")
    assert r.status_code == 200, r.text
    shown = r.json()
    assert (shown["number"], shown["state"], shown["rating"], shown["changeable"]) == (
        number,
        "open",
        None,
        True,
    )

    r = await _answer_by_link(world, token, 5, "Quick and friendly.")
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["rating"]) == ("answered", 5)
    # The same link again changes the answer (there is one answer per survey).
    r = await _answer_by_link(world, token, 4, "Quick.")
    assert r.status_code == 200, r.text
    r = await world.client.get(f"/api/v1/surveys/{token}")
    assert (r.json()["rating"], r.json()["comment"]) == (4, "Quick.")
    first, changed = await _answers(world)
    assert (first["rating"], first["previous_rating"]) == (5, None)
    assert (changed["rating"], changed["previous_rating"], changed["low_rating"]) == (4, 5, False)

    # Reopened and closed again: still the one survey.
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"status": "open"}, headers=await world.as_("erik")
    )
    assert r.status_code == 200, r.text
    await _close_by_desk(world, number)
    assert len(await _requests(world)) == 1

    # The desk reads the rating on the ticket.
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_("erik"))
    assert r.json()["survey"]["rating"] == 4 and r.json()["survey"]["comment"] == "Quick."


async def test_the_creator_answers_on_the_ticket_and_the_customer_closing_asks_too(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    ben = await world.as_("ben")
    number = (await world.ticket("ben"))["number"]
    r = await world.client.post(f"/api/v1/tickets/{number}/close", headers=ben)
    assert r.status_code == 200, r.text
    assert r.json()["survey"]["state"] == "open"
    r = await world.client.put(
        f"/api/v1/tickets/{number}/survey", json={"rating": 3, "comment": ""}, headers=ben
    )
    assert r.status_code == 200, r.text
    r = await world.client.get(f"/api/v1/tickets/{number}/survey", headers=ben)
    assert (r.json()["rating"], r.json()["state"], r.json()["number"]) == (3, "answered", number)
    # One survey: the mailed link shows the answer given in the portal.
    r = await world.client.get(f"/api/v1/surveys/{await _token(world, number)}")
    assert r.json()["rating"] == 3


async def test_no_survey_for_a_cancelled_ticket_a_merged_duplicate_or_staff(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    erik = await world.as_("erik")
    cancelled = (await world.ticket("ben"))["number"]
    r = await world.client.post(
        f"/api/v1/tickets/{cancelled}/cancel", headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    duplicate = (await world.ticket("ben"))["number"]
    original = (await world.ticket("ben"))["number"]
    r = await world.client.post(
        f"/api/v1/tickets/{duplicate}/merge", json={"into": original}, headers=erik
    )
    assert r.status_code == 200, r.text
    # Opened by the desk for ben (a call): the creator is staff.
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "Called in", "contact_id": world.ids["ben"], "channel": "phone"},
        headers=erik,
    )
    assert r.status_code == 201, r.text
    called = r.json()["number"]
    internal = (await world.ticket("erik"))["number"]
    for number in (called, internal):
        await _close_by_desk(world, number)
    assert await _requests(world) == []
    r = await world.client.get(f"/api/v1/tickets/{cancelled}", headers=await world.as_("ben"))
    assert r.json()["survey"] is None


async def test_a_rating_outside_1_to_5_is_a_field_error(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    await _close_by_desk(world, number)
    token = await _token(world, number)
    for rating in (0, 6, "five", None):
        r = await _answer_by_link(world, token, rating)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["rating"]
    r = await _answer_by_link(world, token, 3, "x" * 2001)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "comment"
    r = await world.client.get("/api/v1/surveys/" + "A" * 43)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert (await world.client.get(f"/api/v1/surveys/{token}")).json()["rating"] is None


async def test_an_answer_changes_within_7_days_and_not_after(sqlite_world: Portal) -> None:
    world = sqlite_world
    ben = await world.as_("ben")
    number = (await world.ticket("ben"))["number"]
    await _close_by_desk(world, number)
    token = await _token(world, number)
    assert (await _answer_by_link(world, token, 2)).status_code == 200

    await _move_first_answer(world, number, days_ago=6)
    r = await _answer_by_link(world, token, 3)
    assert r.status_code == 200, r.text

    await _move_first_answer(world, number, days_ago=8)
    r = await world.client.get(f"/api/v1/surveys/{token}")
    assert r.status_code == 410, r.text
    assert r.json()["type"].endswith("/survey-link-gone")
    r = await _answer_by_link(world, token, 5)
    assert r.status_code == 410
    r = await world.client.put(f"/api/v1/tickets/{number}/survey", json={"rating": 5}, headers=ben)
    assert r.status_code == 409 and r.json()["type"].endswith("/survey-closed")
    # The creator still reads the answer that stands, in the portal.
    r = await world.client.get(f"/api/v1/tickets/{number}/survey", headers=ben)
    assert (r.status_code, r.json()["rating"], r.json()["state"]) == (200, 3, "closed")
    assert r.json()["changeable"] is False


async def test_an_unanswered_link_expires_after_its_answer_window(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    await _close_by_desk(world, number)
    token = await _token(world, number)
    await _set_survey(world, number, answer_until=datetime.now(UTC) - timedelta(minutes=1))
    assert (await _answer_by_link(world, token, 4)).status_code == 410


async def test_opting_out_in_the_profile_stops_new_surveys(sqlite_world: Portal) -> None:
    world = sqlite_world
    ben = await world.as_("ben")
    r = await world.client.get("/api/v1/surveys/preference", headers=ben)
    assert r.status_code == 200 and r.json() == {"opt_out": False}
    r = await world.client.put("/api/v1/surveys/preference", json={"opt_out": True}, headers=ben)
    assert r.status_code == 200 and r.json() == {"opt_out": True}
    assert (await world.client.get("/api/v1/surveys/preference", headers=ben)).json()["opt_out"]
    quiet = (await world.ticket("ben"))["number"]
    await _close_by_desk(world, quiet)
    assert await _requests(world) == []
    r = await world.client.put("/api/v1/surveys/preference", json={"opt_out": False}, headers=ben)
    assert r.status_code == 200
    asked = (await world.ticket("ben"))["number"]
    await _close_by_desk(world, asked)
    assert [d["number"] for d in await _requests(world)] == [asked]
    r = await world.client.put("/api/v1/surveys/preference", json={"opt_out": "maybe"}, headers=ben)
    assert r.status_code == 422
    assert (await world.client.get("/api/v1/surveys/preference")).status_code == 401


async def test_only_the_creator_answers_and_colleagues_see_nothing(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    await _close_by_desk(world, number)
    r = await world.client.put(
        f"/api/v1/tickets/{number}/survey", json={"rating": 5}, headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    # Anna sees the ticket (organization-wide visibility), not its survey.
    anna = await world.as_("anna")
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=anna)
    assert r.status_code == 200 and r.json()["survey"] is None
    for method in ("GET", "PUT"):
        r = await world.client.request(
            method, f"/api/v1/tickets/{number}/survey", json={"rating": 1}, headers=anna
        )
        assert r.status_code == 404, r.text
    # Another organization's customer: the ticket itself is unknown.
    r = await world.client.get(f"/api/v1/tickets/{number}/survey", headers=await world.as_("carla"))
    assert r.status_code == 404
    # The desk reads the answer, it never gives one.
    erik = await world.as_("erik")
    r = await world.client.get(f"/api/v1/tickets/{number}/survey", headers=erik)
    assert r.status_code == 200 and r.json()["rating"] == 5
    r = await world.client.put(f"/api/v1/tickets/{number}/survey", json={"rating": 1}, headers=erik)
    assert r.status_code == 404
    r = await world.client.get(f"/api/v1/tickets/{number}/survey", headers=erik)
    assert r.json()["rating"] == 5


async def _group(world: Portal, name: str, lead: str) -> str:
    r = await world.client.post(
        "/api/v1/agent-groups",
        json={"name": name, "member_ids": [world.ids["erik"]], "lead_id": lead},
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def _worked(world: Portal, user: str, group_id: str | None) -> str:
    number = (await world.ticket(user))["number"]
    changes: dict[str, Any] = {"assignee_id": world.ids["erik"]}
    if group_id:
        changes["group_id"] = group_id
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json=changes, headers=await world.as_("erik")
    )
    assert r.status_code == 200, r.text
    await _close_by_desk(world, number)
    return number


async def test_a_rating_turning_low_names_the_assignee_and_the_groups_lead(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    frida = await world.user("frida", ["agent"], None)
    await world.settle()
    robotics = await _group(world, "Robotics", frida)
    number = await _worked(world, "ben", robotics)
    token = await _token(world, number)
    for rating in (2, 1, 5, 2):
        assert (await _answer_by_link(world, token, rating, "Slow.")).status_code == 200
    told = [(a["rating"], a["low_rating"]) for a in await _answers(world)]
    assert told == [(2, True), (1, False), (5, False), (2, True)]
    last = (await _answers(world))[-1]
    assert (last["assignee_id"], last["group_id"], last["group_lead_id"]) == (
        world.ids["erik"],
        robotics,
        frida,
    )
    assert last["comment"] == "Slow." and last["number"] == number


async def test_the_desk_report_counts_csat_per_organization_group_agent_and_month(
    backend_world: Portal,
) -> None:
    world = backend_world
    robotics = await _group(world, "Robotics", world.ids["erik"])
    ratings = {"ben": (5, robotics), "anna": (2, robotics), "carla": (4, None)}
    numbers = {}
    for user, (rating, group) in ratings.items():
        numbers[user] = number = await _worked(world, user, group)
        r = await world.client.put(
            f"/api/v1/tickets/{number}/survey",
            json={"rating": rating},
            headers=await world.as_(user),
        )
        assert r.status_code == 200, r.text
    unanswered = await _worked(world, "dan", None)
    assert unanswered  # asked, never answered: not counted
    erik = await world.as_("erik")

    async def report(**query: str) -> dict[str, Any]:
        r = await world.client.get(REPORT, params=query, headers=erik)
        assert r.status_code == 200, r.text
        return r.json()

    def row(found: dict[str, Any], name: str | None) -> dict[str, Any]:
        [match] = [r for r in found["rows"] if (r["key"]["name"] if r["key"] else None) == name]
        return match

    by_org = await report()
    acme, globex = row(by_org, "Acme"), row(by_org, "Globex")
    assert (acme["survey_answers"], acme["survey_satisfied"], acme["csat"]) == (2, 1, 0.5)
    assert acme["average_rating"] == 3.5
    assert (globex["survey_answers"], globex["csat"], globex["average_rating"]) == (1, 1.0, 4.0)
    total = by_org["total"]
    assert (total["survey_answers"], total["survey_satisfied"]) == (3, 2)
    assert total["csat"] == pytest.approx(2 / 3) and total["average_rating"] == pytest.approx(
        11 / 3
    )
    by_group = await report(by="group")
    assert row(by_group, "Robotics")["csat"] == 0.5 and row(by_group, None)["csat"] == 1.0
    by_agent = await report(by="agent")
    assert row(by_agent, "Erik")["survey_answers"] == 3

    # Carla's answer a month earlier: the months split, this month's report loses it.
    this_month = datetime.now(UTC).date().replace(day=1)
    earlier = datetime.combine(this_month - timedelta(days=3), datetime.min.time(), UTC)
    await _set_survey(world, numbers["carla"], first_answered_at=earlier)
    months = await report(since=earlier.date().replace(day=1).isoformat())
    assert [(m["month"], m["answers"], m["csat"]) for m in months["satisfaction_by_month"]] == [
        (earlier.strftime("%Y-%m"), 1, 1.0),
        (this_month.strftime("%Y-%m"), 2, 0.5),
    ]
    assert row(await report(), "Globex")["survey_answers"] == 0

    r = await world.client.get(f"{REPORT}.xlsx", params={"lang": "de"}, headers=erik)
    assert r.status_code == 200, r.text
    book = load_workbook(io.BytesIO(r.content))
    rows = list(book["Report"].iter_rows(values_only=True))
    assert rows[0][-5:-1] == (
        "Umfrageantworten",
        "Zufrieden (4-5)",
        "CSAT (%)",
        "Durchschnittliche Bewertung",
    )
    assert next(r for r in rows if r[0] == "Acme")[-5:-1] == (2, 1, 50.0, 3.5)
    monthly = list(book["Zufriedenheit je Monat"].iter_rows(values_only=True))
    assert monthly[1] == (this_month.strftime("%Y-%m"), 2, 1, 50.0, 3.5)
    assert monthly[-1][0] == "Gesamt"

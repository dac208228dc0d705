"""Satisfaction surveys in the browser, in German and English: the page behind the mailed
link answers without sign-in (five labelled choices in a fieldset, a comment, the thanks
and the changed state, a dead link after 7 days); a closed ticket's page offers the
survey to its creator only; the desk sees the rating on its work page and the report;
a customer opts out in the profile."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from portal_harness import Portal
from sqlalchemy import select, update
from web_kit import browser, csrf

from portal_tickets.surveys.models import Survey
from portal_tickets.ticket.models import Ticket


async def _closed(world: Portal, user: str = "ben") -> str:
    number = (await world.ticket(user))["number"]
    erik = await world.as_("erik")
    r = await world.client.patch(
        f"/api/v1/tickets/{number}",
        json={"assignee_id": world.ids["erik"], "status": "closed"},
        headers=erik,
    )
    assert r.status_code == 200, r.text
    return number


async def _token(world: Portal, number: str) -> str:
    found = [e["data"] for e in await world.events("tickets.survey.requested")]
    [token] = [d["token"] for d in found if d["number"] == number]
    return str(token)


async def _answer(
    client: httpx.AsyncClient, action: str, rating: str | None, comment: str = "", **more: str
) -> httpx.Response:
    form = {"csrf_token": csrf(client), "comment": comment, **more}
    if rating is not None:
        form["rating"] = rating
    return await client.post(action, data=form)


async def test_the_mailed_link_answers_without_sign_in_in_both_languages(
    sqlite_world: Portal, caplog: pytest.LogCaptureFixture
) -> None:
    world = sqlite_world
    caplog.set_level(logging.INFO, logger="portal.access")
    number = await _closed(world)
    token = await _token(world, number)
    link = f"/survey/{token}"
    async with browser(world) as guest:
        page = await guest.get(f"{link}?lang=de")
        assert page.status_code == 200
        assert "Wie zufrieden sind Sie?" in page.text and number in page.text
        assert "<fieldset" in page.text and "<legend>Wie zufrieden sind Sie mit" in page.text
        for n, words in ((1, "sehr unzufrieden"), (5, "sehr zufrieden")):
            assert f'<label class="check" for="survey-rating-{n}">' in page.text
            assert f'name="rating" value="{n}"' in page.text and f"{n} \u2013 {words}" in page.text
        assert 'for="survey-comment"' in page.text

        refused = await guest.post(link, data={"rating": "4"})
        assert refused.status_code == 403
        missing = await _answer(guest, link, None)
        assert missing.status_code == 422
        assert "Wählen Sie eine Bewertung von 1 bis 5." in missing.text
        assert 'aria-describedby="survey-rating-error" aria-invalid="true"' in missing.text

        sent = await _answer(guest, link, "4", "Schnell & freundlich")
        assert sent.status_code == 303 and sent.headers["location"] == f"{link}?done=thanks"
        thanks = await guest.get(sent.headers["location"])
        assert "Vielen Dank! Ihre Bewertung wurde gespeichert." in thanks.text
        assert "Ihre Bewertung: 4 von 5 (zufrieden)." in thanks.text
        assert "Schnell &amp; freundlich" in thanks.text
        assert 'value="4" checked' in thanks.text and "Bewertung ändern" in thanks.text

        changed = await _answer(guest, link, "2", "Doch nicht.", answered="1")
        assert changed.headers["location"] == f"{link}?done=changed"
        again = await guest.get(changed.headers["location"])
        assert "Ihre Bewertung wurde geändert." in again.text

    async with browser(world, lang="en") as guest:
        page = await guest.get(link)
        assert "How satisfied are you?" in page.text
        assert "Your rating: 2 of 5 (dissatisfied)." in page.text
        assert "You can change it until" in page.text

        async with world.tickets.session_factory() as s:
            ticket_id = select(Ticket.id).where(Ticket.number == number).scalar_subquery()
            past = datetime.now(UTC) - timedelta(days=8)
            await s.execute(
                update(Survey).where(Survey.ticket_id == ticket_id).values(first_answered_at=past)
            )
            await s.commit()
        gone = await guest.get(link)
        assert gone.status_code == 410 and "This survey link is no longer valid" in gone.text
        late = await _answer(guest, link, "5")
        assert late.status_code == 410
        unknown = await guest.get("/survey/" + "x" * 43 + "?lang=de")
        assert unknown.status_code == 404 and "Dieser Umfragelink gilt nicht mehr" in unknown.text
    r = await world.client.get(f"/api/v1/tickets/{number}/survey", headers=await world.as_("ben"))
    assert r.json()["rating"] == 2
    # The token is the link's credential: the access log of the page and of the API
    # (the gateway and the tickets service) names the paths without it.
    paths = [str(getattr(r, "path", "")) for r in caplog.records if r.name == "portal.access"]
    assert "/survey/{token}" in paths and "/api/v1/surveys/{token}" in paths
    assert not any(token in path for path in paths)
    assert not any(token in record.getMessage() for record in caplog.records)


async def test_the_closed_ticket_offers_the_survey_to_its_creator_only(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    number = await _closed(world)
    action = f"/tickets/{number}/survey"
    async with browser(world, "ben", lang="en") as ben:
        page = await ben.get(f"/tickets/{number}")
        assert page.status_code == 200
        assert 'id="survey-form"' in page.text and f'action="{action}"' in page.text
        assert "<legend>How satisfied are you with how your request was handled?" in page.text
        wrong = await _answer(ben, action, "7")
        assert wrong.status_code == 422 and "Choose a rating from 1 to 5." in wrong.text
        sent = await _answer(ben, action, "5", "Great.")
        assert sent.status_code == 303
        assert sent.headers["location"] == f"/tickets/{number}?done=survey#survey"
        done = await ben.get(sent.headers["location"])
        assert "Thank you! Your rating was saved." in done.text
        assert "Your rating: 5 of 5 (very satisfied)." in done.text
        german = await ben.get(f"/tickets/{number}?lang=de")
        assert "Ihre Bewertung: 5 von 5 (sehr zufrieden)." in german.text
        assert "Bewertung ändern" in german.text
    async with browser(world, "anna", lang="en") as anna:
        page = await anna.get(f"/tickets/{number}")
        assert page.status_code == 200 and 'id="survey-form"' not in page.text
        refused = await _answer(anna, action, "1")
        assert refused.status_code == 404
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_("erik"))
    assert r.json()["survey"]["rating"] == 5


async def test_the_desk_sees_the_rating_on_the_work_page_and_in_the_report(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    number = await _closed(world)
    r = await world.client.put(
        f"/api/v1/tickets/{number}/survey",
        json={"rating": 2, "comment": "Took <b>ages</b>."},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 200, r.text
    async with browser(world, "erik") as erik:
        page = await erik.get(f"/desk/{number}?lang=en")
        assert page.status_code == 200
        rating = re.search(r'<dd id="survey-rating">(.*?)</dd>', page.text, re.S)
        assert rating and "2 of 5 (dissatisfied)" in rating.group(1)
        assert "Took &lt;b&gt;ages&lt;/b&gt;." in page.text
        german = await erik.get(f"/desk/{number}?lang=de")
        assert "Bewertung des Kunden" in german.text and "2 von 5 (unzufrieden)" in german.text
        report = await erik.get("/reports/desk?lang=en")
        assert "Satisfied (4-5)" in report.text and 'id="satisfaction-table"' in report.text
        acme = re.search(r'<th scope="row">Acme</th>(.*?)</tr>', report.text, re.S)
        assert acme and "0% <span" in acme.group(1) and "(0/1)" in acme.group(1)
        assert "2.0" in acme.group(1)
        month = datetime.now(UTC).strftime("%Y-%m")
        assert f'<th scope="row">{month}</th><td>1</td>' in report.text
        report_de = await erik.get("/reports/desk?lang=de")
        assert "Kundenzufriedenheit je Monat" in report_de.text and "2,0" in report_de.text


async def test_a_customer_opts_out_in_the_profile(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "ben", lang="de") as ben:
        page = await ben.get("/profile?lang=de")
        assert 'id="survey_opt_out"' in page.text
        assert "Keine Zufriedenheitsumfragen senden" in page.text
        form = {
            "email": "ben@example.com",
            "display_name": "Ben",
            "language": "en",
            "survey_shown": "1",
            "survey_opt_out": "1",
            "csrf_token": csrf(ben),
        }
        saved = await ben.post("/profile", data=form)
        assert saved.status_code == 303, saved.text
        english = await ben.get(saved.headers["location"])
        assert "Do not send me satisfaction surveys" in english.text
        assert 'name="survey_opt_out" value="1" checked' in english.text
    r = await world.client.get("/api/v1/surveys/preference", headers=await world.as_("ben"))
    assert r.json() == {"opt_out": True}
    await _closed(world)
    assert await world.events("tickets.survey.requested") == []
    async with browser(world, "erik") as erik:
        page = await erik.get("/profile")
        assert page.status_code == 200 and 'id="survey_opt_out"' not in page.text

"""Satisfaction surveys by mail, to a real SMTP server process: a closed ticket's creator
gets one mail in their language with the link that answers without sign-in (nobody who
opted out, nothing for a cancelled ticket); a low rating reaches the assignee in the
app and by mail, with the customer's comment."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://127.0.0.1:8000"  # PortalSettings' default, used by the test portal


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def _to(mails: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in mails if m["To"] == address]


async def _close(world: Portal, number: str) -> None:
    erik = await world.as_("erik")
    r = await world.client.patch(
        f"/api/v1/tickets/{number}",
        json={"assignee_id": world.ids["erik"], "status": "closed"},
        headers=erik,
    )
    assert r.status_code == 200, r.text


async def test_the_survey_mail_and_the_low_rating_notice(mail_world, smtp_sink) -> None:
    world: Portal = mail_world
    ben, anna = await world.as_("ben"), await world.as_("anna")
    r = await world.client.patch("/api/v1/me", json={"language": "de"}, headers=ben)
    assert r.status_code == 200, r.text
    r = await world.client.put("/api/v1/surveys/preference", json={"opt_out": True}, headers=anna)
    assert r.status_code == 200, r.text
    await world.settle()
    number = (await world.ticket("ben"))["number"]
    cancelled = (await world.ticket("ben", title="Never mind"))["number"]
    quiet = (await world.ticket("anna", title="Anna's"))["number"]
    r = await world.client.post(f"/api/v1/tickets/{cancelled}/cancel", headers=ben)
    assert r.status_code == 200, r.text
    await _close(world, number)
    await _close(world, quiet)
    await world.settle()

    surveys = [m for m in smtp_sink.mails() if "zufrieden" in m["Subject"].lower()]
    assert [m["To"] for m in surveys] == ["ben@example.com"]
    [mail] = surveys
    assert mail["Subject"] == f"[{number}] Wie zufrieden sind Sie? Printer jams"
    assert mail["Content-Language"] == "de"
    text = _text(mail)
    assert "Hallo Ben," in text and "ohne Anmeldung" in text
    found = re.search(rf"{re.escape(PUBLIC_URL)}/survey/([A-Za-z0-9_-]+)\?lang=de", text)
    assert found, text
    token = found.group(1)
    [requested] = await world.events("tickets.survey.requested")
    assert requested["data"]["token"] == token
    assert not any(
        "survey" in m["Subject"].lower() for m in _to(smtp_sink.mails(), "anna@example.com")
    )

    # The link answers without sign-in; a low rating reaches the assignee.
    r = await world.client.put(
        f"/api/v1/surveys/{token}", json={"rating": 1, "comment": "Nobody called back."}
    )
    assert r.status_code == 200, r.text
    await world.settle()
    [notice] = [
        m for m in _to(smtp_sink.mails(), "erik@example.com") if "Low rating" in m["Subject"]
    ]
    assert notice["Subject"] == f"[{number}] Low rating (1/5): Printer jams"
    assert "> Nobody called back." in _text(notice)
    listed = await world.client.get("/api/v1/notifications", headers=await world.as_("erik"))
    kinds = [n["kind"] for n in listed.json()["items"]]
    assert "survey_low_rating" in kinds
    # The customer hears nothing of their own rating.
    assert not any("Bewertung" in m["Subject"] for m in _to(smtp_sink.mails(), "ben@example.com"))


async def test_the_low_rating_mail_has_its_own_switch(mail_world, smtp_sink) -> None:
    """An agent who turns low-rating mails off still sees the notice in the portal, and
    their escalation mails stay as they were."""
    world: Portal = mail_world
    erik = await world.as_("erik")
    r = await world.client.patch(
        "/api/v1/me",
        json={"notification_preferences": {"survey_low_rating": False}},
        headers=erik,
    )
    assert r.status_code == 200, r.text
    prefs = r.json()["notification_preferences"]
    assert prefs["survey_low_rating"] is False and prefs["ticket_escalated"] is True
    customer = await world.client.get("/api/v1/me", headers=await world.as_("ben"))
    assert "survey_low_rating" not in customer.json()["notification_preferences"]
    await world.settle()
    number = (await world.ticket("ben"))["number"]
    await _close(world, number)
    await world.settle()
    [requested] = await world.events("tickets.survey.requested")
    r = await world.client.put(f"/api/v1/surveys/{requested['data']['token']}", json={"rating": 2})
    assert r.status_code == 200, r.text
    await world.settle()
    assert not [m for m in _to(smtp_sink.mails(), "erik@example.com") if "rating" in m["Subject"]]
    listed = await world.client.get("/api/v1/notifications", headers=erik)
    assert [n["kind"] for n in listed.json()["items"]].count("survey_low_rating") == 1

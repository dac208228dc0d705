"""Access requests from the sign-in page, as people hear of them through a real SMTP
server process: the person who asked (no account yet) gets the confirmation link, "you
have an account" or a polite rejection in the language they chose; those who decide (the
admins and the matched organization's customer admins) get a notice and a mail."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from portal_harness import Portal
from sqlalchemy import update

from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Person

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://127.0.0.1:8000"  # PortalSettings' default, used by the test portal
ASK = "/api/v1/auth/access-requests"
FORM = {
    "name": "Jana Nováková",
    "company": "Acme Robotics",
    "email": "jana@acme.example",
    "phone": "+49 30 1234-56",
    "function": "Maintenance lead",
    "reason": "I look after our presses and want to open tickets myself.",
}
_addresses = iter(range(1, 250))


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def _html(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def _to(mails: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in mails if m["To"] == address]


async def _ask(world: Portal, **changes: Any) -> None:
    r = await world.client.post(
        ASK,
        json={**FORM, **changes},
        headers={"X-Forwarded-For": f"192.0.2.{next(_addresses)}"},
    )
    assert r.status_code == 202, r.text
    await world.settle()


def _link(mail: EmailMessage) -> str:
    return next(w for w in _text(mail).split() if w.startswith(f"{PUBLIC_URL}/access/confirm?"))


async def _confirmed(world: Portal, sink, **changes: Any) -> str:
    """Asks, confirms with the mailed link; the request's id."""
    await _ask(world, **changes)
    email = changes.get("email", FORM["email"])
    [mail] = _to(sink.mails(), email)
    token = parse_qs(urlsplit(_link(mail)).query)["token"][0]
    r = await world.client.post(f"{ASK}/confirm", json={"token": token})
    assert r.status_code == 200, r.text
    await world.settle()
    submitted = await world.events("identity.access_request.submitted", service="identity")
    return str(submitted[-1]["data"]["request_id"])


async def _admin_known(world: Portal) -> None:
    """The bootstrap admin in notify's directory: its `created` event may have been
    published before notify's queue was bound, so a change tells notify of it again."""
    r = await world.client.patch(
        "/api/v1/me", json={"display_name": "Ada Admin"}, headers=await world.admin()
    )
    assert r.status_code == 200, r.text
    await world.settle()


async def _with_domains(world: Portal) -> None:
    for name, domain in (("acme", "acme.example"), ("globex", "globex.example")):
        r = await world.client.patch(
            f"/api/v1/admin/organizations/{world.orgs[name]}",
            json={"email_domains": [domain]},
            headers=await world.admin(),
        )
        assert r.status_code == 200, r.text


async def test_the_confirmation_link_comes_in_the_chosen_language(mail_world, smtp_sink) -> None:
    world = mail_world
    await _ask(world, language="en")
    await _ask(world, email="jonas@acme.example", name="Jonas Weber", language="de")

    [english] = _to(smtp_sink.mails(), "jana@acme.example")
    assert english["Subject"] == "Please confirm your access request"
    assert english["Content-Language"] == "en"
    text = _text(english)
    assert "Hello Jana Nováková," in text and "works once, until" in text
    assert f"Confirm the request: {PUBLIC_URL}/access/confirm?token=" in text
    assert f'href="{_link(english)}"' in _html(english)
    assert "access to our customer service portal was asked for with this e-mail" in text

    [german] = _to(smtp_sink.mails(), "jonas@acme.example")
    assert german["Subject"] == "Bitte bestätigen Sie Ihre Zugangsanfrage"
    assert german["Content-Language"] == "de"
    text = _text(german)
    assert "Hallo Jonas Weber," in text and "gilt einmal, bis" in text
    assert f"Anfrage bestätigen: {PUBLIC_URL}/access/confirm?token=" in text


async def test_an_account_owner_hears_of_the_request_not_the_form(mail_world, smtp_sink) -> None:
    world = mail_world
    r = await world.client.patch(
        "/api/v1/me", json={"language": "de"}, headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    await _ask(world, email="BEN@example.com", language="en")
    await _ask(world, email="dan@example.com", language="de")

    [german] = _to(smtp_sink.mails(), "ben@example.com")
    assert german["Subject"] == "Sie haben bereits ein Konto"
    text = _text(german)
    assert "Hallo Ben," in text and "ein Konto: ben." in text
    assert f"Neues Passwort wählen: {PUBLIC_URL}/password/forgot" in text
    [english] = _to(smtp_sink.mails(), "dan@example.com")
    assert english["Subject"] == "You already have an account"
    assert "There is an account for it already: dan." in _text(english)
    assert "/access/confirm" not in _text(english)


async def test_a_rejection_is_polite_and_in_the_persons_language(mail_world, smtp_sink) -> None:
    world = mail_world
    admin = await world.admin()
    german_id = await _confirmed(world, smtp_sink, language="de")
    english_id = await _confirmed(world, smtp_sink, email="max@nowhere.example", language="en")
    r = await world.client.post(
        f"/api/v1/access-requests/{german_id}/reject",
        json={"reason": "Bitte wenden Sie sich an Ihre IT-Abteilung."},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    r = await world.client.post(
        f"/api/v1/access-requests/{english_id}/reject", json={}, headers=admin
    )
    assert r.status_code == 200, r.text
    await world.settle()

    [_, german] = _to(smtp_sink.mails(), "jana@acme.example")
    assert german["Subject"] == "Ihre Anfrage nach einem Zugang zum Kundenportal"
    text = _text(german)
    assert "Hallo Jana Nováková," in text and "Leider können wir" in text
    assert "Die Begründung: Bitte wenden Sie sich an Ihre IT-Abteilung." in text
    assert "Ansprechperson" in text and PUBLIC_URL not in text
    [_, english] = _to(smtp_sink.mails(), "max@nowhere.example")
    assert english["Subject"] == "Your request for access to the customer service portal"
    text = _text(english)
    assert "we could not approve your request" in text and "The reason" not in text

    # A colleague's request asked nothing of the colleague: its rejection mails nobody.
    r = await world.client.post(
        "/api/v1/access-requests",
        json={"username": "newbie", "email": "newbie@acme.example"},
        headers=await world.as_("anna"),
    )
    assert r.status_code == 201, r.text
    r = await world.client.post(
        f"/api/v1/access-requests/{r.json()['id']}/reject", json={}, headers=admin
    )
    assert r.status_code == 200, r.text
    await world.settle()
    assert _to(smtp_sink.mails(), "newbie@acme.example") == []


async def _kinds(world: Portal, username: str) -> list[str]:
    r = await world.client.get("/api/v1/notifications", headers=await world.as_(username))
    assert r.status_code == 200, r.text
    return [n["kind"] for n in r.json()["items"]]


async def test_admins_and_the_matched_customer_admins_hear_of_a_confirmed_request(
    mail_world, smtp_sink
) -> None:
    world = mail_world
    await _admin_known(world)
    await _with_domains(world)
    await world.user("gina", ["customer_admin"], world.orgs["globex"])
    await world.settle()
    # The admin switched these mails off (the notice still comes).
    async with world.notify.session_factory() as s:
        await s.execute(
            update(Person)
            .where(Person.username == "admin")
            .values(preferences={"access_request": False})
        )
        await s.commit()

    await _confirmed(world, smtp_sink, language="de")

    assert await _kinds(world, "admin") == ["access_request"]
    assert await _kinds(world, "anna") == ["access_request"]
    for outsider in ("gina", "erik", "ben"):
        assert await _kinds(world, outsider) == []
    r = await world.client.get("/api/v1/notifications", headers=await world.as_("anna"))
    [notice] = r.json()["items"]
    assert notice["title"] == "Access request: Jana Nováková (Acme Robotics)"
    assert notice["link"] == f"{PUBLIC_URL}/admin/access-requests"
    assert notice["ticket_number"] is None and notice["body"].startswith("I look after")

    [mail] = _to(smtp_sink.mails(), "anna@example.com")
    assert mail["Subject"] == "Access request: Jana Nováková (Acme Robotics)"
    text = _text(mail)
    assert "Hello Anna," in text and "confirmed the e-mail address jana@acme.example" in text
    assert "> I look after our presses" in text
    assert "Function: Maintenance lead" in text and "Phone: +49 30 1234-56" in text
    assert f"Open the access requests: {PUBLIC_URL}/admin/access-requests" in text
    assert _to(smtp_sink.mails(), "admin@localhost") == []
    assert _to(smtp_sink.mails(), "gina@example.com") == []

    # Delivered again, the event tells nobody twice.
    before = len(smtp_sink.mails())
    submitted = await world.events("identity.access_request.submitted", service="identity")
    await world.bus.publish([Envelope.model_validate(submitted[-1])])
    await world.settle()
    assert len(smtp_sink.mails()) == before
    assert await _kinds(world, "anna") == ["access_request"]


async def test_an_unmatched_request_reaches_the_admins_only(mail_world, smtp_sink) -> None:
    world = mail_world
    await _admin_known(world)
    await _confirmed(world, smtp_sink, email="lena@unknown.example", language="en")
    assert await _kinds(world, "admin") == ["access_request"]
    assert await _kinds(world, "anna") == []
    [mail] = _to(smtp_sink.mails(), "admin@localhost")
    assert "Hello Ada Admin," in _text(mail)
    assert "No organization matched the address's domain" in _text(mail)

"""The e-mail channel in a real browser, against `portal dev --demo` receiving mail on its
own SMTP port: the agent answers in the portal, the customer answers the notification
mail from a mail client, and the customer's open ticket page shows that answer live."""

from __future__ import annotations

import email
import smtplib
import time
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from browser_kit import DEMO_PASSWORD, LivePortal, accessible, running_portal, shoot, sign_in

from portal_chassis.testing.cluster import free_port

SUPPORT = "support@portal.test"


@pytest.fixture(scope="module")
def mail_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePortal]:
    smtp = f"smtp://127.0.0.1:{free_port()}"
    data = tmp_path_factory.mktemp("portal-mail")
    with running_portal(
        data, PORTAL_INBOUND_SMTP_URL=smtp, PORTAL_SUPPORT_ADDRESS=SUPPORT
    ) as portal:
        yield portal


def _api(base: str, username: str) -> httpx.Client:
    r = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert r.status_code == 200, r.text
    token = r.json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"})


def _notice(data: Path, to: str, number: str, *, seconds: float = 20.0) -> EmailMessage:
    """The newest mail about `number` to `to` in the all-in-one mode's local mailbox."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in sorted((data / "mailbox").glob("*.eml"), reverse=True):
            with path.open("rb") as f:
                mail = email.message_from_binary_file(f, policy=policy.default)
            if mail["To"] == to and number in str(mail["Subject"]) and mail["Reply-To"]:
                return mail  # type: ignore[return-value]
        time.sleep(0.2)
    raise AssertionError(f"no mail to {to} about {number}")


def test_a_customer_answer_by_mail_shows_live_on_the_ticket_page(
    mail_portal: LivePortal, browser
) -> None:
    base = mail_portal.base
    with _api(base, "ben") as ben:
        created = ben.post("/api/v1/tickets", json={"title": "Plotter prints stripes"})
        assert created.status_code == 201, created.text
    number = created.json()["number"]

    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, base, "ben", lang="en")
    page.goto(f"{base}/tickets/{number}?lang=en")
    with _api(base, "erik") as erik:
        r = erik.post(
            f"/api/v1/tickets/{number}/articles", json={"body": "Please clean the print head."}
        )
        assert r.status_code == 201, r.text
    page.get_by_text("Please clean the print head.").first.wait_for(timeout=20_000)

    notice = _notice(mail_portal.data, "ben@acme.example", number)
    answer = EmailMessage()
    answer["From"] = "Ben Weber <ben@acme.example>"
    answer["To"] = notice["Reply-To"]
    answer["Subject"] = f"Re: {notice['Subject']}"
    answer["In-Reply-To"] = notice["Message-ID"]
    answer["References"] = f"{notice['References']} {notice['Message-ID']}"
    answer.set_content("Cleaned it, the stripes are gone.\n\n> Please clean the print head.\n")
    port = int(mail_portal.env["PORTAL_INBOUND_SMTP_URL"].rsplit(":", 1)[1])
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(answer)

    # Live: nobody reloads the page; the answer from the mail client appears on it.
    page.get_by_text("Cleaned it, the stripes are gone.").first.wait_for(timeout=20_000)
    assert page.url.split("?")[0].endswith(f"/tickets/{number}")
    assert page.locator("#ticket-channel").inner_text() == "Portal"
    shoot(page, "ticket-answered-by-mail")
    accessible(page, "ticket-answered-by-mail")
    context.close()

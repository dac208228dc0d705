"""What the e-mail channel's integration tests share: the intake running inside a test
portal, mails to send it, and waiting for what they became."""

from __future__ import annotations

import asyncio
import contextlib
import io
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from email.message import EmailMessage
from typing import Any, TypeVar

from PIL import Image
from portal_harness import Portal

from portal_tickets.mail_intake.runner import run_intake

SUPPORT = "support@portal.test"
SIGNING_KEY = "k1"

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def intake_running(world: Portal, **inbound: str) -> AsyncIterator[None]:
    """The intake job with the given paths (`inbound_smtp_url`, `inbound_imap_url`); the
    services share one portal configuration, so notify signs with the same key."""
    portal = world.tickets.settings.portal
    saved = portal.model_dump()
    for name, value in {
        "support_address": SUPPORT,
        "mail_signing_keys": SIGNING_KEY,
        **inbound,
    }.items():
        setattr(portal, name, value)
    job = asyncio.create_task(run_intake(world.tickets))
    try:
        yield
    finally:
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(job, 10)
        for name in ("support_address", "mail_signing_keys", *inbound):
            setattr(portal, name, saved[name])


async def listening(port: int, seconds: float = 30.0) -> None:
    """Until the receiver, started with the intake job, accepts connections."""
    async with asyncio.timeout(seconds):
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return


def mail(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text mail from the world's user (or stranger) `sender`@example.com."""
    msg = EmailMessage()
    msg["From"] = f"{sender}@example.com"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4()}@mail.example.com>"
    msg.set_content(body)
    return msg


def png() -> bytes:
    """A small valid PNG, as the files service's type sniffing expects."""
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


async def wait_until(
    check: Callable[[], Awaitable[T | None]], seconds: float = 30.0, *, every: float = 0.1
) -> T:
    """The first truthy result of `check`, tried until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        if result := await check():
            return result
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {seconds:.0f} s")
        await asyncio.sleep(every)


async def created_ticket(world: Portal, title: str, *, seconds: float = 30.0) -> dict[str, Any]:
    """The `tickets.ticket.created` facts of the ticket named `title`, once it is opened."""

    async def found() -> dict[str, Any] | None:
        for event in await world.events("tickets.ticket.created"):
            if event["data"]["title"] == title:
                return dict(event["data"])
        return None

    try:
        return await wait_until(found, seconds)
    except AssertionError:
        raise AssertionError(f"no ticket {title!r} was opened") from None

"""The intake paths the settings name (`PORTAL_INBOUND_SMTP_URL`, `PORTAL_INBOUND_IMAP_URL`),
run where the service's background work runs: the tickets worker (`portal worker
tickets`) in distributed mode, the one process in all-in-one mode. Off when neither is set."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from portal_chassis.runtime import Runtime
from portal_chassis.settings import split_urls
from portal_tickets.mail_intake.attachments import MailAttachments
from portal_tickets.mail_intake.delivery import MailEnvelope
from portal_tickets.mail_intake.imap import ImapIntake
from portal_tickets.mail_intake.service import Intake
from portal_tickets.mail_intake.smtp import SmtpReceiver
from portal_tickets.settings import TicketsSettings

log = logging.getLogger(__name__)


def intake_of(runtime: Runtime) -> Intake:
    settings = runtime.settings
    assert isinstance(settings, TicketsSettings)
    portal = settings.portal
    return Intake(
        uow=runtime.uow,  # type: ignore[arg-type]  # the module's UoW class: TicketsUoW
        settings=settings,
        support_address=portal.support_mailbox,
        signing_keys=portal.signing_keys,
        limiter=runtime.limiter,
        store_files=MailAttachments(
            lambda: runtime.http_client("files", "", timeout=60.0),
            settings.urls_of("files"),
            most=settings.max_attachments_per_message,
        ),
    )


async def run_intake(runtime: Runtime) -> None:
    """Receive and poll until cancelled."""
    portal = runtime.settings.portal
    if not portal.inbound_enabled:
        return
    intake = intake_of(runtime)
    settings = intake.settings

    async def accept(raw: bytes, source: str, envelope: MailEnvelope | None = None) -> None:
        await intake.take_in(raw, source, envelope)

    smtp = (
        SmtpReceiver(
            portal.inbound_smtp_url,
            accept,
            domains=portal.accepted_domains,
            max_bytes=settings.inbound_smtp_max_bytes,
        )
        if portal.inbound_smtp_url
        else None
    )
    # Passwords live in these URLs: split_urls would keep them, but logs never see them.
    mailboxes = [
        ImapIntake(url, accept, poll_seconds=settings.inbound_imap_poll_seconds)
        for url in split_urls(portal.inbound_imap_url or "")
    ]
    stop = asyncio.Event()
    try:
        if smtp is not None:
            await smtp.start()
        await asyncio.gather(*(box.run(stop) for box in mailboxes), asyncio.Event().wait())
    finally:
        stop.set()
        if smtp is not None:
            await smtp.stop()
        for box in mailboxes:
            with contextlib.suppress(Exception):
                await box.close()

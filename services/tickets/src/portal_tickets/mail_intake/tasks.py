"""Keeping the raw mails only as long as `TICKETS_INBOUND_MAIL_KEEP_DAYS` says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast

from portal_chassis.runtime import Runtime
from portal_chassis.tasks import task
from portal_tickets.settings import TicketsSettings
from portal_tickets.uow import TicketsUoW


@task("forget_raw_mails", every=3600)
async def forget_raw_mails(runtime: Runtime) -> int:
    settings = cast(TicketsSettings, runtime.settings)
    before = datetime.now(UTC) - timedelta(days=settings.inbound_mail_keep_days)
    uow = cast(TicketsUoW, runtime.uow())
    async with uow:
        forgotten = await uow.mail.forget_raw(before)
        await uow.commit()
    return forgotten

"""`portal mail reprocess <id>`: takes a received mail in again from its kept raw copy
(after the sender was registered, say). A message it already became stays one."""

from __future__ import annotations

import argparse
import asyncio
from typing import cast

from portal_chassis.module import Command
from portal_chassis.runtime import Runtime
from portal_tickets.mail_intake.runner import intake_of
from portal_tickets.settings import TicketsSettings
from portal_tickets.uow import TicketsUoW


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="the received mail's id, or its Message-ID")


async def _reprocess(runtime: Runtime, key: str) -> str:
    try:
        async with cast(TicketsUoW, runtime.uow()) as uow:
            record = await uow.mail.by_id_or_message_id(key)
        if record is None:
            return f"No received mail {key}."
        if record.raw is None:
            return f"The raw copy of {key} is no longer kept."
        outcome = await intake_of(runtime).take_in(record.raw, "reprocess", again=True)
        return f"{record.message_id}: {outcome.value}"
    finally:
        await runtime.engine.dispose()


def _run(args: argparse.Namespace) -> None:
    from portal_tickets.module import module  # the module lists this command

    settings = cast(TicketsSettings, module.settings_cls())
    print(asyncio.run(_reprocess(Runtime(module, settings), args.id)))


REPROCESS_COMMAND = Command(
    name="reprocess",
    parent="mail",
    help="take a received mail in again (tickets' e-mail channel)",
    configure=_configure,
    run=_run,
)

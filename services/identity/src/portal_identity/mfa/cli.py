"""`portal identity reset-mfa <username>`: the operator removes a user's second factor,
for when nobody who could do it in the portal can sign in (the only admin lost their
phone and their recovery codes). The user is mailed as after an admin's reset."""

from __future__ import annotations

import argparse
import asyncio
from typing import cast

from portal_chassis.module import Command
from portal_chassis.runtime import Runtime
from portal_identity.mfa import service
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", help="the user's name (case-sensitive)")


async def reset(runtime: Runtime, username: str) -> str:
    try:
        done = await service.reset_by_username(
            uow=cast(IdentityUoW, runtime.uow()), username=username
        )
    finally:
        await runtime.engine.dispose()
    if done is None:
        raise SystemExit(f"No user {username}.")
    if not done:
        return f"{username} has no second factor; nothing changed."
    return f"{username}: second factor, recovery codes and passkeys removed; the user is mailed."


def _run(args: argparse.Namespace) -> None:
    from portal_identity.module import module  # the module lists this command

    settings = cast(IdentitySettings, module.settings_cls())
    print(asyncio.run(reset(Runtime(module, settings), args.username)))


RESET_MFA_COMMAND = Command(
    name="reset-mfa",
    parent="identity",
    help="remove a user's second factor (two-factor sign-in), e.g. the only admin's",
    configure=_configure,
    run=_run,
)

"""Identity's events about a user's sign-in security, told: the mail to the user, in
one transaction with the inbox mark, so a redelivered event sends nothing twice.
HANDLERS lists them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_chassis.runtime import Runtime
from portal_notify.notification import security
from portal_notify.notification.after_commit import after_commit, correspondence
from portal_notify.notification.facts import MfaResetFacts, NewDeviceSignInFacts
from portal_notify.uow import NotifyUoW

Writer = Callable[..., Awaitable[uuid.UUID | None]]


async def _mail(
    write: Writer, event: Envelope, uow: NotifyUoW, facts: object, runtime: Runtime
) -> None:
    """Write the mail with the inbox mark; send it once the transaction is committed."""
    mail_id = await write(
        uow=uow,
        event=event,
        facts=facts,
        public_url=runtime.settings.portal.public_url,
        correspondence=correspondence(runtime),
    )
    await after_commit(runtime, [], [mail_id])


@consumer(
    "identity.user.mfa_reset",
    name="notify.security.mfa_reset",
    reads=MfaResetFacts,
    uses_runtime=True,
)
async def on_mfa_reset(
    event: Envelope, uow: NotifyUoW, facts: MfaResetFacts, runtime: Runtime
) -> None:
    await _mail(security.mail_mfa_reset, event, uow, facts, runtime)


@consumer(
    "identity.session.started_on_new_device",
    name="notify.security.new_sign_in",
    reads=NewDeviceSignInFacts,
    uses_runtime=True,
)
async def on_new_device_sign_in(
    event: Envelope, uow: NotifyUoW, facts: NewDeviceSignInFacts, runtime: Runtime
) -> None:
    await _mail(security.mail_new_sign_in, event, uow, facts, runtime)


HANDLERS = [on_mfa_reset, on_new_device_sign_in]

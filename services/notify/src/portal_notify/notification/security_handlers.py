"""Identity's events about a user's sign-in security, told: the mail to the user, in
one transaction with the inbox mark, so a redelivered event sends nothing twice.
HANDLERS lists them."""

from __future__ import annotations

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_chassis.runtime import Runtime
from portal_notify.notification import security
from portal_notify.notification.after_commit import after_commit, correspondence
from portal_notify.notification.facts import MfaResetFacts
from portal_notify.uow import NotifyUoW


@consumer(
    "identity.user.mfa_reset",
    name="notify.security.mfa_reset",
    reads=MfaResetFacts,
    uses_runtime=True,
)
async def on_mfa_reset(
    event: Envelope, uow: NotifyUoW, facts: MfaResetFacts, runtime: Runtime
) -> None:
    mail_id = await security.mail_mfa_reset(
        uow=uow,
        event=event,
        facts=facts,
        public_url=runtime.settings.portal.public_url,
        correspondence=correspondence(runtime),
    )
    await after_commit(runtime, [], [mail_id])


HANDLERS = [on_mfa_reset]

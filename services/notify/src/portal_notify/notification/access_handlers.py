"""Identity's access-request events, told: the mails to the person who asked (in the
language they chose) and the notice to those who decide. Each is one transaction with
the inbox mark, so a redelivered event sends nothing twice. HANDLERS lists them."""

from __future__ import annotations

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_chassis.runtime import Runtime
from portal_notify.notification import access
from portal_notify.notification.after_commit import after_commit, correspondence
from portal_notify.notification.facts import (
    AccessConfirmationFacts,
    AccessRejectedFacts,
    AccessSubmittedFacts,
    AccountExistsFacts,
)
from portal_notify.uow import NotifyUoW


@consumer(
    "identity.access_request.confirmation_requested",
    name="notify.access_request.confirmation",
    reads=AccessConfirmationFacts,
    uses_runtime=True,
)
async def on_confirmation_requested(
    event: Envelope, uow: NotifyUoW, facts: AccessConfirmationFacts, runtime: Runtime
) -> None:
    mail_id = await access.mail_confirmation(
        uow=uow, event=event, facts=facts, correspondence=correspondence(runtime)
    )
    await after_commit(runtime, [], [mail_id])


@consumer(
    "identity.access_request.account_exists",
    name="notify.access_request.account_exists",
    reads=AccountExistsFacts,
    uses_runtime=True,
)
async def on_account_exists(
    event: Envelope, uow: NotifyUoW, facts: AccountExistsFacts, runtime: Runtime
) -> None:
    mail_id = await access.mail_account_exists(
        uow=uow, event=event, facts=facts, correspondence=correspondence(runtime)
    )
    await after_commit(runtime, [], [mail_id])


@consumer(
    "identity.access_request.rejected",
    name="notify.access_request.rejected",
    reads=AccessRejectedFacts,
    uses_runtime=True,
)
async def on_rejected(
    event: Envelope, uow: NotifyUoW, facts: AccessRejectedFacts, runtime: Runtime
) -> None:
    mail_id = await access.mail_rejection(
        uow=uow, event=event, facts=facts, correspondence=correspondence(runtime)
    )
    await after_commit(runtime, [], [mail_id])


@consumer(
    "identity.access_request.submitted",
    name="notify.access_request.submitted",
    reads=AccessSubmittedFacts,
    uses_runtime=True,
)
async def on_submitted(
    event: Envelope, uow: NotifyUoW, facts: AccessSubmittedFacts, runtime: Runtime
) -> None:
    users, mails = await access.tell_deciders(
        uow=uow,
        event=event,
        facts=facts,
        public_url=runtime.settings.portal.public_url,
        correspondence=correspondence(runtime),
    )
    await after_commit(runtime, users, list(mails))


HANDLERS = [on_confirmation_requested, on_account_exists, on_rejected, on_submitted]

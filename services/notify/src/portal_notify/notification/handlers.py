"""Events that tell people something: routed to recipients, then written as in-app
notifications and mails in one transaction with the inbox mark (a redelivered event
finds its mark and sends nothing twice)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_notify.mail.service import SEND_TASK
from portal_notify.notification import service
from portal_notify.notification.facts import AccountLinkFacts
from portal_notify.notification.hub import hub_of
from portal_notify.notification.routing import ROUTED_EVENTS, Router
from portal_notify.uow import NotifyUoW

if TYPE_CHECKING:
    import uuid

    from portal_chassis.runtime import Runtime


async def _after_commit(runtime: Runtime, users: list[uuid.UUID], mails: list[uuid.UUID]) -> None:
    await hub_of(runtime).publish(users)
    for mail_id in mails:
        await runtime.tasks.enqueue(SEND_TASK, mail_id=str(mail_id))


# One consumer for every routed event (its inbox name stays one): ROUTES in routing.py
# says which facts each event is read as.
@consumer(*ROUTED_EVENTS, name="notify.notification", uses_runtime=True)
async def on_event(event: Envelope, uow: NotifyUoW, runtime: Runtime) -> None:
    async with uow:
        message = await Router(uow.directory).route(event)
    if message is None or not message.recipients:
        return
    users, mails = await service.deliver(
        uow=uow, event=event, message=message, public_url=runtime.settings.portal.public_url
    )
    await _after_commit(runtime, users, mails)


@consumer(
    "identity.password_reset.requested",
    "identity.user.invited",
    name="notify.account_link",
    reads=AccountLinkFacts,
    uses_runtime=True,
)
async def on_account_link(
    event: Envelope, uow: NotifyUoW, facts: AccountLinkFacts, runtime: Runtime
) -> None:
    key = "password_reset" if event.type == "identity.password_reset.requested" else "invitation"
    mail_id = await service.mail_account_link(uow=uow, event=event, facts=facts, key=key)
    await _after_commit(runtime, [], [mail_id] if mail_id else [])


HANDLERS = [on_event, on_account_link]

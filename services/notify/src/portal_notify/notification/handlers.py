"""Events that tell people something: routed to recipients, then written as in-app
notifications and mails in one transaction with the inbox mark (a redelivered event
finds its mark and sends nothing twice). Mails that arrived are confirmed to their
senders (receipts.py), a mail from someone unknown is answered (mail/answers.py), and a
closed ticket's creator is sent its satisfaction survey.
HANDLERS is the table of them all."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_notify.mail import answers
from portal_notify.notification import receipts, service
from portal_notify.notification.after_commit import after_commit, correspondence
from portal_notify.notification.facts import (
    AccountLinkFacts,
    ReceivedMessageFacts,
    ReceivedTicketFacts,
    RejectedMailFacts,
    SurveyRequestFacts,
)
from portal_notify.notification.routing import ROUTED_EVENTS, Router
from portal_notify.uow import NotifyUoW

if TYPE_CHECKING:
    from portal_chassis.runtime import Runtime
    from portal_notify.settings import NotifySettings


# One consumer for every routed event (its inbox name stays one): ROUTES in routing.py
# says which facts each event is read as.
@consumer(*ROUTED_EVENTS, name="notify.notification", uses_runtime=True)
async def on_event(event: Envelope, uow: NotifyUoW, runtime: Runtime) -> None:
    async with uow:
        message = await Router(uow.directory).route(event)
    if message is None or not any(part.recipients for part in message.parts):
        return
    users, mails = await service.deliver(
        uow=uow,
        event=event,
        message=message,
        public_url=runtime.settings.portal.public_url,
        correspondence=correspondence(runtime),
    )
    await after_commit(runtime, users, mails)


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
    mail_id = await service.mail_account_link(
        uow=uow, event=event, facts=facts, key=key, correspondence=correspondence(runtime)
    )
    await after_commit(runtime, [], [mail_id] if mail_id else [])


async def _send_receipt(
    event: Envelope, uow: NotifyUoW, runtime: Runtime, receipt: receipts.Receipt | None
) -> None:
    if receipt is None:
        return
    user_id, mail_id = await receipts.send(
        uow=uow,
        event=event,
        receipt=receipt,
        public_url=runtime.settings.portal.public_url,
        correspondence=correspondence(runtime),
    )
    await after_commit(runtime, [user_id] if user_id else [], [mail_id] if mail_id else [])


@consumer(
    "tickets.ticket.created",
    name="notify.receipt.ticket",
    reads=ReceivedTicketFacts,
    uses_runtime=True,
)
async def on_ticket_received(
    event: Envelope, uow: NotifyUoW, facts: ReceivedTicketFacts, runtime: Runtime
) -> None:
    await _send_receipt(event, uow, runtime, receipts.of_ticket(facts))


@consumer(
    "tickets.article.added",
    name="notify.receipt.message",
    reads=ReceivedMessageFacts,
    uses_runtime=True,
)
async def on_message_received(
    event: Envelope, uow: NotifyUoW, facts: ReceivedMessageFacts, runtime: Runtime
) -> None:
    await _send_receipt(event, uow, runtime, receipts.of_message(facts))


@consumer(
    "tickets.survey.requested",
    name="notify.survey",
    reads=SurveyRequestFacts,
    uses_runtime=True,
)
async def on_survey_requested(
    event: Envelope, uow: NotifyUoW, facts: SurveyRequestFacts, runtime: Runtime
) -> None:
    mail_id = await service.mail_survey(
        uow=uow,
        event=event,
        facts=facts,
        public_url=runtime.settings.portal.public_url,
        correspondence=correspondence(runtime),
    )
    await after_commit(runtime, [], [mail_id] if mail_id else [])


@consumer(
    "tickets.mail.rejected",
    name="notify.mail_answer",
    reads=RejectedMailFacts,
    uses_runtime=True,
)
async def on_mail_rejected(
    event: Envelope, uow: NotifyUoW, facts: RejectedMailFacts, runtime: Runtime
) -> None:
    settings = cast("NotifySettings", runtime.settings)
    mail_id = await answers.answer_unknown_sender(
        uow=uow,
        event=event,
        facts=facts,
        public_url=settings.portal.public_url,
        correspondence=correspondence(runtime),
        enabled=settings.answer_unknown_senders,
    )
    await after_commit(runtime, [], [mail_id] if mail_id else [])


HANDLERS = [
    on_event,
    on_account_link,
    on_ticket_received,
    on_message_received,
    on_survey_requested,
    on_mail_rejected,
]

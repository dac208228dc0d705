"""A user's sign-in security, as notify tells of it: the mail that their second factor
was reset by an administrator (always sent: nothing one could switch off, and a reset
the user did not ask for must not go unnoticed)."""

from __future__ import annotations

import uuid

from portal_chassis.envelope import Envelope
from portal_notify.mail import render
from portal_notify.mail.headers import Correspondence
from portal_notify.notification import security_texts
from portal_notify.notification.facts import MfaResetFacts
from portal_notify.notification.service import queue_account_mail
from portal_notify.notification.texts import language_of
from portal_notify.uow import NotifyUoW

MFA_RESET = "mfa_reset"
# The portal's page where a user sets up their second factor.
SECURITY_PATH = "/account/security"


async def mail_mfa_reset(
    *,
    uow: NotifyUoW,
    event: Envelope,
    facts: MfaResetFacts,
    public_url: str,
    correspondence: Correspondence,
) -> uuid.UUID:
    language = language_of(facts.language)
    words = security_texts.message(MFA_RESET, language, username=facts.username)
    layout = security_texts.layout(language)
    rendered = render.render(
        language=language,
        subject=words["title"],
        name=facts.display_name or facts.username,
        intro=words["intro"],
        link=f"{public_url.rstrip('/')}{SECURITY_PATH}",
        ticket=False,
        notes=[security_texts.notes(language)["not_you"]],
        footer=layout["footer"],
        action=layout["set_up"],
    )
    return await queue_account_mail(
        uow,
        event=event,
        user_id=facts.user_id,
        email=facts.email,
        kind=MFA_RESET,
        language=language,
        correspondence=correspondence,
        rendered=rendered,
    )

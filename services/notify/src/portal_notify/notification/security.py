"""A user's sign-in security, as notify tells of it: the mail that their second factor
was reset by an administrator (always sent: nothing one could switch off, and a reset
the user did not ask for must not go unnoticed), and the mail about a sign-in from a new
device (unless the user switched `new_sign_in` off in their profile)."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portal_chassis.envelope import Envelope
from portal_notify.mail import render
from portal_notify.mail.headers import Correspondence
from portal_notify.notification import security_texts
from portal_notify.notification.facts import MfaResetFacts, NewDeviceSignInFacts
from portal_notify.notification.service import queue_account_mail
from portal_notify.notification.texts import language_of
from portal_notify.uow import NotifyUoW

MFA_RESET = "mfa_reset"
# The mail's kind and the profile's switch for it.
NEW_SIGN_IN = "new_sign_in"
# The portal's page where a user sets up their second factor.
SECURITY_PATH = "/account/security"
# The portal's page where a user sees and ends their sign-ins.
SESSIONS_PATH = "/account/sessions"
TIME_FORMATS = {"de": "%d.%m.%Y %H:%M", "en": "%Y-%m-%d %H:%M"}


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


def _local_time(at: datetime, zone: str | None, language: str) -> str:
    """The time in the user's zone, named ("28.12.2026 14:03 (Europe/Berlin)")."""
    try:
        tz = ZoneInfo(zone) if zone else None
    except (ZoneInfoNotFoundError, ValueError):
        tz = None
    local = at.astimezone(tz) if tz else at
    return f"{local.strftime(TIME_FORMATS[language])} ({zone if tz else 'UTC'})"


async def mail_new_sign_in(
    *,
    uow: NotifyUoW,
    event: Envelope,
    facts: NewDeviceSignInFacts,
    public_url: str,
    correspondence: Correspondence,
) -> uuid.UUID | None:
    """The user signed in from a new device: which, from where and when, the page to
    end it, and what to do if it was not them. None when they switched it off (as the
    directory knows them; someone it does not know yet is mailed, the switch is on by
    default)."""
    async with uow:
        person = (await uow.directory.people({facts.user_id})).get(facts.user_id)
    if person is not None and not person.wants_mail(NEW_SIGN_IN):
        return None
    language = language_of(person.language if person else facts.language)
    words = security_texts.message(NEW_SIGN_IN, language, username=facts.username)
    notes = security_texts.notes(language)
    layout = security_texts.layout(language)
    details = [
        notes["device"].format(device=facts.device or "?"),
        notes["address"].format(address=facts.address or "?"),
        notes["time"].format(time=_local_time(facts.at, facts.time_zone, language)),
    ]
    rendered = render.render(
        language=language,
        subject=words["title"],
        name=facts.display_name or facts.username,
        intro=words["intro"],
        link=f"{public_url.rstrip('/')}{SESSIONS_PATH}",
        ticket=False,
        notes=[*details, notes["new_sign_in_not_you"]],
        footer=layout["footer_new_sign_in"],
        action=layout["review_sign_ins"],
    )
    return await queue_account_mail(
        uow,
        event=event,
        user_id=facts.user_id,
        email=person.email if person else facts.email,
        kind=NEW_SIGN_IN,
        language=language,
        correspondence=correspondence,
        rendered=rendered,
    )

"""Access requests from the sign-in page: a person without an account asks, confirms
their address through a mailed link, and the request then waits for a decision.

The form's answer is the same, in about the same time, whatever the address: unknown,
an account's, throttled, or with a request already. Only the address's owner learns
more, by mail. Requests are counted per client address (beyond the limit: 429, which
tells nothing about accounts) and per e-mail address (beyond it: no mail)."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError

from portal_chassis.errors import InvalidInput, TooManyRequests
from portal_chassis.ratelimit import Limit, RateLimiter
from portal_identity.access_requests.events import (
    AccessRequestAccountExists,
    AccessRequestConfirmationRequested,
    AccessRequestSubmitted,
)
from portal_identity.access_requests.models import AccessRequest, RequestOrigin, RequestState
from portal_identity.access_requests.schemas import SignInAccessRequest
from portal_identity.sessions.secrets import digest, new_token
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

log = logging.getLogger(__name__)

ACCEPTED = "Thank you. Please look into your mailbox: we sent a message to the address you gave."
THROTTLED = "Too many access requests from your network. Please try again later."
BAD_CONFIRMATION = (
    "This link is invalid, was used already or has expired. Please request access again."
)
# Every answer of the form takes at least this long (as the lost-password form's): only
# some cases cost writes and an event, and the time must not tell which.
MIN_SECONDS = 0.25
REASON_EXCERPT = 500
CONFIRM_PATH = "/access/confirm"
LOST_PASSWORD_PATH = "/password/forgot"


def _limits(settings: IdentitySettings) -> tuple[Limit, Limit]:
    return (
        Limit(settings.access_requests_per_address_hour, 3600),
        Limit(settings.access_requests_per_email_day, 24 * 3600),
    )


def _link(settings: IdentitySettings, path: str) -> str:
    return f"{settings.portal.public_url.rstrip('/')}{path}"


async def request_access(
    *,
    uow: IdentityUoW,
    settings: IdentitySettings,
    limiter: RateLimiter,
    data: SignInAccessRequest,
    address: str,
) -> None:
    """Raises TooManyRequests beyond the address's limit; otherwise always succeeds
    from the caller's view."""
    started = time.monotonic()
    try:
        if await _counted(limiter, settings, address, data.email.lower()) and not data.website:
            await _register(uow, settings, data)
        elif data.website:
            log.info("access request with the hidden field filled in dropped")
    finally:
        await asyncio.sleep(max(0.0, started + MIN_SECONDS - time.monotonic()))


async def _counted(
    limiter: RateLimiter, settings: IdentitySettings, address: str, email: str
) -> bool:
    """Count the request for its client and its address in one atomic step (parallel
    requests are ordered alike on both); False when the address had enough mail."""
    per_address, per_email = _limits(settings)
    origin, mailbox = await limiter.hit_all(
        [(f"access:addr:{address}", per_address), (f"access:email:{email}", per_email)]
    )
    if origin.count > per_address.count:
        raise TooManyRequests(THROTTLED, retry_after=origin.retry_after)
    if mailbox.count > per_email.count:
        log.info("access request mails to one address throttled")
        return False
    return True


async def _register(
    uow: IdentityUoW, settings: IdentitySettings, data: SignInAccessRequest
) -> None:
    email = data.email.lower()
    try:
        async with uow:
            if accounts := await uow.access_requests.active_users_with_email(email):
                owner = accounts[0]
                uow.emit(
                    AccessRequestAccountExists(
                        email=owner.email,
                        name=owner.display_name or owner.username,
                        language=owner.language,
                        usernames=[a.username for a in accounts],
                        link=_link(settings, LOST_PASSWORD_PATH),
                    )
                )
                await uow.commit()
                return
            request = await uow.access_requests.open_for_email(email)
            if request is not None and request.state is RequestState.PENDING:
                log.info("access request for an address with a pending one: nothing sent")
                return
            if request is None:
                request = _new_request(email, data)
                uow.access_requests.add(request)
            else:
                _take_form(request, data)  # the newest form wins, with a new link
            _ask_confirmation(uow, settings, request)
            await uow.commit()
    except IntegrityError:
        # A parallel request for the same address stored its own (one open per address).
        log.info("parallel access requests for one address: the first one stands")


def _new_request(email: str, data: SignInAccessRequest) -> AccessRequest:
    request = AccessRequest(
        id=uuid.uuid4(),
        origin=RequestOrigin.SIGN_IN,
        organization_id=None,
        requested_by=None,
        username="",
        email=email,
        role="customer",
        state=RequestState.UNCONFIRMED,
        reason="",
        created_at=datetime.now(UTC),
    )
    _take_form(request, data)
    return request


def _take_form(request: AccessRequest, data: SignInAccessRequest) -> None:
    request.display_name = data.name
    request.company = data.company
    request.phone = data.phone
    request.function = data.function
    request.note = data.reason
    request.language = data.language


def _ask_confirmation(uow: IdentityUoW, settings: IdentitySettings, request: AccessRequest) -> None:
    token = new_token()
    expires_at = datetime.now(UTC) + timedelta(hours=settings.access_request_confirmation_hours)
    request.confirmation_digest = digest(token)
    request.confirmation_expires_at = expires_at
    uow.emit(
        AccessRequestConfirmationRequested(
            request_id=request.id,
            email=request.email,
            name=request.display_name,
            language=request.language,
            link=f"{_link(settings, CONFIRM_PATH)}?token={token}",
            expires_at=expires_at,
        )
    )


async def confirm(*, uow: IdentityUoW, token: str) -> AccessRequest:
    """The mailed link's token: the request now waits for a decision, matched to the
    organization whose people write from the address's domain (if one does)."""
    now = datetime.now(UTC)
    async with uow:
        request = await uow.access_requests.by_confirmation(digest(token))
        if (
            request is None
            or request.state is not RequestState.UNCONFIRMED
            or request.confirmation_expires_at is None
            or request.confirmation_expires_at <= now
        ):
            raise InvalidInput(
                [{"field": "token", "message": BAD_CONFIRMATION, "code": "link_invalid"}]
            )
        domain = request.email.rpartition("@")[2].lower()
        organization = await uow.organizations.by_email_domain(domain)
        request.state = RequestState.PENDING
        request.organization_id = organization.id if organization else None
        request.confirmed_at = now
        request.confirmation_digest = request.confirmation_expires_at = None  # single use
        uow.emit(
            AccessRequestSubmitted(
                request_id=request.id,
                name=request.display_name,
                company=request.company,
                email=request.email,
                phone=request.phone,
                function=request.function,
                reason=request.note[:REASON_EXCERPT],
                organization_id=request.organization_id,
                language=request.language,
            )
        )
        await uow.commit()
    return request


async def forget_unconfirmed(*, uow: IdentityUoW) -> int:
    """Drop requests whose confirmation link expired unused: nobody confirmed the
    address, so nobody may keep what was typed in its name."""
    async with uow:
        dropped = await uow.access_requests.drop_unconfirmed(before=datetime.now(UTC))
        await uow.commit()
    return dropped

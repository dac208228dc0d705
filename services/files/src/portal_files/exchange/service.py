"""The token-secured file exchange: shares, their links, passwords, limits and log."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal_chassis.auth import Actor
from portal_chassis.errors import DomainError, NotFound, TooManyRequests, Unauthorized
from portal_chassis.ratelimit import Limit, RateLimiter
from portal_files.attachments.models import Purpose, StoredFile
from portal_files.exchange.models import Share, ShareAccess
from portal_files.exchange.permissions import can_manage_share
from portal_files.exchange.schemas import ShareCreate
from portal_files.storage.base import BlobStore
from portal_files.storage.receiving import receive_file
from portal_files.uow import FilesUoW
from portal_files.upload.receive import Upload
from portal_files.upload.sniff import EXCHANGE_TYPES

# Password attempts on a protected link, per client address and per link: an address
# gets a few guesses, and many addresses together no more than a few dozen.
PASSWORD_TRIES_PER_ADDRESS = Limit(count=5, window_seconds=900)
PASSWORD_TRIES_PER_SHARE = Limit(count=20, window_seconds=900)


class Gone(DomainError):
    status, slug, title = 410, "share-gone", "This link has expired"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = await asyncio.to_thread(hashlib.scrypt, password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${key.hex()}"


async def _password_ok(stored: str, given: str) -> bool:
    _, salt, key = stored.split("$")
    candidate = await asyncio.to_thread(
        hashlib.scrypt, given.encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1
    )
    return hmac.compare_digest(candidate.hex(), key)


async def create_share(*, uow: FilesUoW, data: ShareCreate, actor: Actor) -> tuple[Share, str]:
    token = secrets.token_urlsafe(32)  # 256 random bits
    now = datetime.now(UTC)
    async with uow:
        share = Share(
            id=uuid.uuid4(),
            token_hash=_digest(token),
            name=data.name,
            organization_id=actor.organization_id,
            created_by=actor.id,
            password_hash=await _hash_password(data.password) if data.password else None,
            allow_upload=data.allow_upload,
            allow_download=data.allow_download,
            download_limit=data.download_limit,
            download_count=0,
            expires_at=now + timedelta(days=data.expires_in_days),
            created_at=now,
        )
        uow.shares.add(share)
        await uow.commit()
    return share, token


async def my_shares(*, uow: FilesUoW, actor: Actor) -> list[Share]:
    async with uow:
        return await uow.shares.created_by(actor.id)


async def _own_share(uow: FilesUoW, share_id: uuid.UUID, actor: Actor) -> Share:
    share = await uow.shares.get(share_id)
    if share is None or not can_manage_share(actor, share):
        raise NotFound("No such share.")
    return share


async def share_detail(
    *, uow: FilesUoW, share_id: uuid.UUID, actor: Actor
) -> tuple[Share, list[StoredFile], list[ShareAccess]]:
    async with uow:
        share = await _own_share(uow, share_id, actor)
        files = await uow.shares.files(share.id)
        return share, files, await uow.shares.access_log(share.id, limit=200)


async def revoke(*, uow: FilesUoW, share_id: uuid.UUID, actor: Actor) -> None:
    async with uow:
        share = await _own_share(uow, share_id, actor)
        share.revoked_at = share.revoked_at or datetime.now(UTC)
        await uow.commit()


@dataclass(frozen=True)
class Visitor:
    """Someone holding a link: the token, the password they typed, where they are."""

    token: str
    password: str | None
    address: str


async def _log(
    uow: FilesUoW,
    share: Share,
    visitor: Visitor,
    action: str,
    outcome: str,
    file_id: uuid.UUID | None = None,
) -> None:
    async with uow:
        uow.shares.log(_entry(share, visitor, action, outcome, file_id))
        await uow.commit()


def _entry(
    share: Share, visitor: Visitor, action: str, outcome: str, file_id: uuid.UUID | None
) -> ShareAccess:
    return ShareAccess(
        share_id=share.id,
        action=action,
        outcome=outcome,
        file_id=file_id,
        client_address=visitor.address,
        at=datetime.now(UTC),
    )


async def open_share(
    *, uow: FilesUoW, limiter: RateLimiter, visitor: Visitor, action: str
) -> Share:
    """The share behind a link, once the link and the password check out."""
    async with uow:
        share = await uow.shares.by_token_hash(_digest(visitor.token))
    if share is None:
        raise NotFound("This link does not exist.")
    if share.revoked_at is not None or share.expires_at <= datetime.now(UTC):
        await _log(uow, share, visitor, action, "expired")
        raise Gone("This link has expired. Ask the sender for a new one.")
    if share.password_hash is not None:
        if not visitor.password:
            # The first visit of the page, before the password was asked: not a guess.
            raise Unauthorized("This link needs its password.", share_password_required=True)
        await _check_password(uow, limiter, share, share.password_hash, visitor, action)
    return share


async def _check_password(
    uow: FilesUoW,
    limiter: RateLimiter,
    share: Share,
    password_hash: str,
    visitor: Visitor,
    action: str,
) -> None:
    """Check the visitor's password, counting the attempt first.

    Each count is one atomic step of the limiter (an increment answering the count
    including itself), taken before the hash is checked: parallel guesses cannot all
    pass a look at a count none of them was added to yet. The address is counted first,
    so that one address's refused guesses do not use up the link's. Beyond a limit the
    password is not checked at all; a right one gives its attempts back, so visits with
    the right password use up nothing.
    """
    counted: list[tuple[str, Limit]] = []
    for key, limit in (
        (f"share:{share.id}:{visitor.address}", PASSWORD_TRIES_PER_ADDRESS),
        (f"share:{share.id}", PASSWORD_TRIES_PER_SHARE),
    ):
        usage = await limiter.hit(key, limit)
        if usage.count > limit.count:
            await _log(uow, share, visitor, action, "throttled")
            raise TooManyRequests(
                "Too many wrong passwords. Wait a few minutes.", retry_after=usage.retry_after
            )
        counted.append((key, limit))
    if not await _password_ok(password_hash, visitor.password or ""):
        await _log(uow, share, visitor, action, "wrong_password")
        raise Unauthorized("The password is wrong.", share_password_required=True)
    for key, limit in counted:
        await limiter.hit(key, limit, -1)


async def public_view(
    *, uow: FilesUoW, limiter: RateLimiter, visitor: Visitor
) -> tuple[Share, list[StoredFile]]:
    share = await open_share(uow=uow, limiter=limiter, visitor=visitor, action="view")
    async with uow:
        files = await uow.shares.files(share.id) if share.allow_download else []
    await _log(uow, share, visitor, "view", "ok")
    return share, files


async def add_file(
    *,
    uow: FilesUoW,
    store: BlobStore,
    share: Share,
    upload: Upload,
    uploader_id: uuid.UUID | None,
    limit: int,
) -> StoredFile:
    file_id = uuid.uuid4()
    row = StoredFile(
        id=file_id,
        organization_id=share.organization_id,
        uploader_id=uploader_id,
        purpose=Purpose.EXCHANGE,
        object_key=f"exchange/{share.id}/{file_id}",
    )

    async def behind_link(stored: StoredFile) -> None:
        await uow.shares.add_file(share.id, stored.id)

    return await receive_file(
        uow=uow,
        store=store,
        upload=upload,
        row=row,
        limit=limit,
        allowed=EXCHANGE_TYPES,
        also=behind_link,
    )


async def upload_via_link(
    *,
    uow: FilesUoW,
    limiter: RateLimiter,
    store: BlobStore,
    visitor: Visitor,
    upload: Upload,
    limit: int,
) -> StoredFile:
    share = await open_share(uow=uow, limiter=limiter, visitor=visitor, action="upload")
    if not share.allow_upload:
        await _log(uow, share, visitor, "upload", "not_allowed")
        raise NotFound("This link does not take uploads.")
    row = await add_file(
        uow=uow, store=store, share=share, upload=upload, uploader_id=None, limit=limit
    )
    await _log(uow, share, visitor, "upload", "ok", row.id)
    return row


async def download_via_link(
    *, uow: FilesUoW, limiter: RateLimiter, visitor: Visitor, file_id: uuid.UUID
) -> StoredFile:
    share = await open_share(uow=uow, limiter=limiter, visitor=visitor, action="download")
    async with uow:
        locked = await uow.shares.get(share.id, lock=True)
        assert locked is not None
        row = await uow.shares.file(share.id, file_id)
        if not locked.allow_download or row is None:
            raise NotFound("No such file behind this link.")
        if locked.download_limit is not None and locked.download_count >= locked.download_limit:
            outcome = "limit_reached"
        else:
            locked.download_count += 1
            outcome = "ok"
        uow.shares.log(_entry(share, visitor, "download", outcome, file_id))
        await uow.commit()
    if outcome != "ok":
        raise Gone("This link has reached its download limit.")
    return row


async def owner_upload(
    *,
    uow: FilesUoW,
    store: BlobStore,
    share_id: uuid.UUID,
    upload: Upload,
    actor: Actor,
    limit: int,
) -> StoredFile:
    async with uow:
        share = await _own_share(uow, share_id, actor)
    return await add_file(
        uow=uow, store=store, share=share, upload=upload, uploader_id=actor.id, limit=limit
    )

"""Where mails go: an SMTP server (`PORTAL_SMTP_URL`) or, without one, a local mailbox
directory of `.eml` files that `portal mail` reads."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

if TYPE_CHECKING:
    from portal_chassis.runtime import Runtime
    from portal_notify.settings import NotifySettings


class DeliveryError(Exception):
    """The mail was not accepted; `permanent` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    """`smtp://[user:password@]host[:port][?starttls=true]` or `smtps://…` (implicit TLS)."""

    def __init__(self, url: str, *, timeout: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError("PORTAL_SMTP_URL must start with smtp:// or smtps://")
        query = parse_qs(parts.query)
        self.hostname = parts.hostname or "127.0.0.1"
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.use_tls = parts.scheme == "smtps"
        self.start_tls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
        self.timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        try:
            await aiosmtplib.send(
                message,
                hostname=self.hostname,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.use_tls,
                start_tls=self.start_tls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            raise DeliveryError(
                f"recipient refused ({', '.join(map(str, codes))})",
                permanent=all(code >= 500 for code in codes),
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"SMTP {exc.code}: {exc.message[:200]}", permanent=exc.code >= 500
            ) from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise DeliveryError(f"SMTP server unreachable: {exc}", permanent=False) from exc


class MailboxTransport:
    """Writes each mail as an `.eml` file (all-in-one mode without an SMTP server)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: EmailMessage) -> None:
        await asyncio.to_thread(self._write, bytes(message))

    def _write(self, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.eml"  # names sort oldest first
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, self.directory / name)  # readers never see half a mail


def mailbox_dir(data_dir: Path) -> Path:
    return data_dir / "mailbox"


_TRANSPORT = "mail_transport"


def transport_of(runtime: Runtime) -> Transport:
    """The running service's transport: SMTP when a server is configured, else the local
    mailbox; made on first use."""
    if _TRANSPORT not in runtime.state:
        portal = runtime.settings.portal
        settings = cast("NotifySettings", runtime.settings)
        runtime.state[_TRANSPORT] = (
            SmtpTransport(portal.smtp_url, timeout=settings.mail_timeout_seconds)
            if portal.smtp_url
            else MailboxTransport(mailbox_dir(portal.data_dir))
        )
    return cast(Transport, runtime.state[_TRANSPORT])

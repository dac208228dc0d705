"""The SMTP receiver: mail delivered to the portal's own domains is handed to `Accept`.

It runs inside the service's event loop (aiosmtpd's protocol on `loop.create_server`,
no thread). Recipients outside the configured domains are refused at RCPT, mail over
the size limit with 552, and the reply to DATA reports what `Accept` decided: 250 when
taken, 550 when it can never be taken, 451 when the sender should try again later.
`Accept` gets the envelope too: a null reverse path marks machine mail, and the envelope
recipients may carry a reply address the headers do not.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from aiosmtpd.smtp import SMTP, Envelope, Session

from portal_tickets.mail_intake.delivery import (
    Accept,
    MailEnvelope,
    Unprocessable,
    one_line_reason,
)

log = logging.getLogger(__name__)

DEFAULT_PORT = 25
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
STOP_SECONDS = 5.0
SOURCE = "smtp"

REPLY_ACCEPTED = "250 2.0.0 Message accepted"
REPLY_UNKNOWN_RECIPIENT = "550 5.1.1 No such recipient here"
REPLY_TEMPORARY = "451 4.3.0 Temporary failure, please try again later"


def _parse_url(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "smtp" or not parts.hostname:
        raise ValueError("the SMTP intake URL must look like smtp://host:port")
    return parts.hostname, DEFAULT_PORT if parts.port is None else parts.port


def _domain(address: str) -> str:
    _, at, domain = address.rpartition("@")
    return domain.lower() if at else ""


class _Handler:
    """aiosmtpd's hooks: which recipients are ours, and what becomes of the mail."""

    def __init__(self, accept: Accept, domains: Sequence[str]) -> None:
        self.accept = accept
        self.domains = frozenset(d.lower() for d in domains)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        # Plus-addresses (support+token@domain) carry the ticket; only the domain matters here.
        if _domain(address) not in self.domains:
            return REPLY_UNKNOWN_RECIPIENT
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # aiosmtpd keeps the null reverse path (MAIL FROM:<>) as "<>".
        mail_from = envelope.mail_from or ""
        given = MailEnvelope(
            mail_from="" if mail_from == "<>" else mail_from, recipients=tuple(envelope.rcpt_tos)
        )
        try:
            await self.accept(envelope.original_content or b"", SOURCE, given)
        except Unprocessable as exc:
            # A reply line must be ASCII unless the client asked for SMTPUTF8.
            reason = one_line_reason(exc).encode("ascii", "replace").decode()
            log.info("refused an inbound mail over SMTP: %s", reason)
            return f"550 5.6.0 {reason}"
        except Exception:
            log.exception("could not take an inbound mail over SMTP; the sender will retry")
            return REPLY_TEMPORARY
        return REPLY_ACCEPTED


class _Connection(SMTP):
    """One client connection; aiosmtpd's size replies get their enhanced status code."""

    async def push(self, status: Any) -> None:
        # aiosmtpd answers both a too large SIZE= and too much DATA with "552 Error: ...".
        if isinstance(status, str) and status.startswith("552 Error"):
            status = f"552 5.3.4 Message exceeds the limit of {self.data_size_limit} bytes"
        await super().push(status)


class SmtpReceiver:
    """Listens on `url` (`smtp://host:port`, port 0 = any free one) until `stop()`."""

    def __init__(
        self,
        url: str,
        accept: Accept,
        *,
        domains: Sequence[str],
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._host, self._port = _parse_url(url)
        self._handler = _Handler(accept, domains)
        self._max_bytes = max_bytes
        self._server: asyncio.Server | None = None
        self._connections: set[_Connection] = set()

    @property
    def port(self) -> int:
        """The port actually bound (useful when the URL asked for port 0)."""
        if self._server is None or not self._server.sockets:
            raise RuntimeError("the SMTP receiver is not running")
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        # gethostname() needs no DNS, unlike aiosmtpd's default getfqdn().
        hostname = socket.gethostname()

        def connection() -> _Connection:
            protocol = _Connection(
                self._handler,
                data_size_limit=self._max_bytes,
                enable_SMTPUTF8=True,
                hostname=hostname,
                ident="Portal ESMTP",
                loop=loop,
            )
            self._connections = {c for c in self._connections if c.transport is not None}
            self._connections.add(protocol)
            return protocol

        self._server = await loop.create_server(connection, self._host, self._port)
        log.info("SMTP intake listening on %s:%d", self._host, self.port)

    async def stop(self) -> None:
        """Stop listening and drop open connections, within a few seconds at most."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        # Each connection's session runs as a task; closing the transport cancels it.
        waits: list[asyncio.Future[Any]] = [asyncio.ensure_future(server.wait_closed())]
        for conn in self._connections:
            if conn._handler_coroutine is not None:
                waits.append(conn._handler_coroutine)
            if conn.transport is not None:
                conn.transport.close()
        self._connections.clear()
        _, late = await asyncio.wait(waits, timeout=STOP_SECONDS)
        for task in late:
            task.cancel()
        log.info("SMTP intake stopped")

"""The IMAP poller: mail in a mailbox is handed to `Accept`, then filed away.

Each message is fetched without marking it read, handed over, and then moved to the
`processed` folder. A message `Accept` can never take is appended to the `failed` folder
with an `X-Portal-Failure` header naming the reason, and removed from the mailbox; one
that failed for a passing reason stays where it is, so the next round tries it again.
Between rounds the poller waits in IMAP IDLE when the server offers it (new mail wakes it
at once), otherwise it sleeps. Several replicas may poll one mailbox: a message another
replica has already filed simply vanishes from view, and the caller drops duplicates by
Message-ID. A conditional STORE (CONDSTORE) lets only one replica file a message in most
races, but servers check it against each session's own view of the mailbox (Dovecot does),
so two replicas that hand over the same message at the same moment may both file a copy:
the `processed` folder may then hold it twice, the ticket never does.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import ssl
from dataclasses import dataclass, field
from email.header import Header
from typing import Any
from urllib.parse import unquote, urlsplit

from aioimaplib import (  # type: ignore[import-untyped]
    IMAP4,
    STOP_WAIT_SERVER_PUSH,
    Response,
    quoted,
)

from portal_tickets.mail_intake.delivery import Accept, Unprocessable, one_line_reason

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"imap": 143, "imaps": 993}
COMMAND_SECONDS = 30.0  # one command; a large message still arrives within it
CLOSE_SECONDS = 3.0
MIN_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 60.0
FAILURE_HEADER = b"X-Portal-Failure"
_FETCH_HEAD = re.compile(rb"^\d+ FETCH \(")
_FETCH_UID = re.compile(rb"\bUID (\d+)\b")
_FETCH_MODSEQ = re.compile(rb"\bMODSEQ \((\d+)\)")
# Set when filing a message; it changes the message's mod-sequence, so of two replicas
# filing the same message the second's conditional STORE is (mostly) refused.
CLAIM_KEYWORD = "$PortalFiled"


class ImapError(Exception):
    """The server refused a command the poller needs."""


@dataclass(frozen=True)
class _Target:
    """Where to poll, parsed from `imap[s]://user:pass@host:port/mailbox`."""

    tls: bool
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    mailbox: str

    @property
    def label(self) -> str:
        return f"imap:{self.user}@{self.host}/{self.mailbox}"

    @property
    def safe_url(self) -> str:
        """The URL without the password, for logs."""
        scheme = "imaps" if self.tls else "imap"
        return f"{scheme}://{self.user}@{self.host}:{self.port}/{self.mailbox}"


def _parse_url(url: str) -> _Target:
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or not parts.username:
        raise ValueError("the IMAP intake URL must look like imap[s]://user:password@host/mailbox")
    return _Target(
        tls=parts.scheme == "imaps",
        host=parts.hostname,
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _checked(response: Response, what: str) -> Response:
    last = response.lines[-1] if response.lines else b""
    # EXPUNGEISSUED: another session (a second replica) filed the message meanwhile.
    if response.result != "OK" and b"[EXPUNGEISSUED]" not in last:
        raise ImapError(f"{what} failed: {response.result} {last!r}")
    return response


@dataclass(frozen=True)
class _Fetched:
    uid: int
    raw: bytes
    modseq: int | None  # None when the server has no CONDSTORE


def _message_from(response: Response, uid: int) -> _Fetched | None:
    """The message in a UID FETCH response; None when it is no longer there."""
    lines = response.lines
    for head, body in itertools.pairwise(lines):
        if isinstance(head, bytes) and isinstance(body, bytearray) and _FETCH_HEAD.match(head):
            found = _FETCH_UID.search(head)
            if found is None or int(found.group(1)) == uid:
                modseq = _FETCH_MODSEQ.search(head)
                return _Fetched(uid, bytes(body), int(modseq.group(1)) if modseq else None)
    return None


def _with_failure_header(raw: bytes, reason: str) -> bytes:
    """The message with `X-Portal-Failure: <reason>` on top (RFC 2047 when not ASCII)."""
    value = reason if reason.isascii() else Header(reason, "utf-8").encode()
    newline = b"\r\n" if b"\r\n" in raw[:4096] else b"\n"
    return FAILURE_HEADER + b": " + value.encode("ascii") + newline + raw


def _new_mail(push: Any) -> bool:
    """Whether lines the server pushed during IDLE announce a new message."""
    return isinstance(push, list) and any(
        isinstance(line, bytes) and (line.endswith(b"EXISTS") or line.endswith(b"RECENT"))
        for line in push
    )


async def _timed(call: Any, seconds: float = COMMAND_SECONDS) -> Response:
    # Some aioimaplib commands (MOVE, UID FETCH) carry no timeout of their own.
    return await asyncio.wait_for(call, seconds)


@dataclass
class _Connection:
    client: IMAP4
    lost: asyncio.Event

    @property
    def usable(self) -> bool:
        return not self.lost.is_set() and self.client.get_state() == "SELECTED"


class ImapIntake:
    """Polls one mailbox; `run(stop)` until stopped, or `run_once()` for one round."""

    def __init__(
        self,
        url: str,
        accept: Accept,
        *,
        poll_seconds: float = 30.0,
        processed_folder: str = "processed",
        failed_folder: str = "failed",
    ) -> None:
        self._target = _parse_url(url)
        self._accept = accept
        self._poll_seconds = poll_seconds
        self._processed = processed_folder
        self._failed = failed_folder
        self._conn: _Connection | None = None

    # -- rounds ------------------------------------------------------------------------

    async def run_once(self) -> int:
        """Hand over every message in the mailbox; the number taken or set aside."""
        return await self._round(None)

    async def run(self, stop: asyncio.Event) -> None:
        """Rounds until `stop` is set, waiting for new mail in between; errors reconnect."""
        backoff = MIN_BACKOFF_SECONDS
        log.info("IMAP intake polling %s", self._target.safe_url)
        try:
            while not stop.is_set():
                try:
                    # A round that handled mail may have left newer mail behind.
                    while await self._round(stop) and not stop.is_set():
                        pass
                    backoff = MIN_BACKOFF_SECONDS
                    if not stop.is_set():
                        await self._wait_for_mail(stop)
                except Exception as exc:
                    log.warning(
                        "IMAP intake from %s failed (%s); reconnecting in %.0f s",
                        self._target.safe_url,
                        one_line_reason(exc),
                        backoff,
                    )
                    await self.close()
                    await _sleep(stop, backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
        finally:
            await self.close()

    async def _round(self, stop: asyncio.Event | None) -> int:
        try:
            conn = await self._connection(stop)
            if conn is None:
                return 0
            handled = 0
            for uid in await self._uids(conn.client):
                if stop is not None and stop.is_set():
                    break
                fetched = await self._fetch(conn.client, uid)
                if fetched is not None:  # else another replica filed it first
                    handled += await self._deliver(conn.client, fetched)
            return handled
        except BaseException:
            await self.close()  # the connection's state is unknown now
            raise

    async def _deliver(self, client: IMAP4, mail: _Fetched) -> int:
        uid, where = mail.uid, self._target.safe_url
        try:
            await self._accept(mail.raw, self._target.label)
        except Unprocessable as exc:
            reason = one_line_reason(exc)
            if not await self._claim(client, mail):
                return 0
            log.info("set aside mail %d from %s: %s", uid, where, reason)
            await self._set_aside(client, uid, _with_failure_header(mail.raw, reason))
            return 1
        except Exception:
            log.exception("mail %d from %s stays for the next round", uid, where)
            return 0
        if not await self._claim(client, mail):
            return 0
        await self._move(client, uid, self._processed)
        return 1

    # -- mailbox operations ------------------------------------------------------------

    async def _uids(self, client: IMAP4) -> list[int]:
        response = _checked(await client.uid_search("ALL", charset=None), "UID SEARCH")
        found = response.lines[0] if len(response.lines) > 1 else b""
        return sorted(int(uid) for uid in found.split() if uid.isdigit())

    async def _fetch(self, client: IMAP4, uid: int) -> _Fetched | None:
        items = "(UID MODSEQ BODY.PEEK[])" if client.has_capability("CONDSTORE") else None
        response = await _timed(client.uid("fetch", str(uid), items or "(UID BODY.PEEK[])"))
        return _message_from(_checked(response, "UID FETCH"), uid)

    async def _claim(self, client: IMAP4, mail: _Fetched) -> bool:
        """Whether this poller may file the mail: no other session changed it since fetch."""
        if mail.modseq is None:
            return True  # without CONDSTORE two replicas may both file a message
        response = await _timed(
            client.uid(
                "store",
                str(mail.uid),
                f"(UNCHANGEDSINCE {mail.modseq})",
                "+FLAGS.SILENT",
                f"({CLAIM_KEYWORD})",
            )
        )
        last = response.lines[-1] if response.lines else b""
        return bool(response.result == "OK" and b"[MODIFIED" not in last)

    async def _move(self, client: IMAP4, uid: int, folder: str) -> None:
        # A UID already gone (another replica moved it) is no error: "No messages found".
        if client.has_capability("MOVE"):
            _checked(await _timed(client.uid("move", str(uid), quoted(folder))), "UID MOVE")
            return
        _checked(await _timed(client.uid("copy", str(uid), quoted(folder))), "UID COPY")
        await self._remove(client, uid)

    async def _remove(self, client: IMAP4, uid: int) -> None:
        flag = await _timed(client.uid("store", str(uid), "+FLAGS.SILENT", r"(\Deleted)"))
        _checked(flag, "UID STORE")
        if client.has_capability("UIDPLUS"):
            _checked(await _timed(client.uid("expunge", str(uid))), "UID EXPUNGE")
        else:
            _checked(await client.expunge(), "EXPUNGE")

    async def _set_aside(self, client: IMAP4, uid: int, marked: bytes) -> None:
        _checked(await _timed(client.append(marked, mailbox=quoted(self._failed))), "APPEND")
        await self._remove(client, uid)

    async def _ensure_folder(self, client: IMAP4, folder: str) -> None:
        if (await client.create(quoted(folder))).result == "OK":
            return
        # Most often it exists already; LIST tells that apart from a real refusal.
        listed = _checked(await client.list('""', quoted(folder)), "LIST")
        if len(listed.lines) < 2:  # no LIST line before the tagged reply
            raise ImapError(f"cannot create the folder {folder!r}")

    # -- connection --------------------------------------------------------------------

    async def _connection(self, stop: asyncio.Event | None) -> _Connection | None:
        """The open connection, or a new one; None when `stop` came first."""
        if self._conn is not None and self._conn.usable:
            return self._conn
        await self.close()
        connecting = asyncio.ensure_future(self._connect())
        if stop is not None:
            # Logging in may take seconds (servers delay failed logins); stop need not wait.
            stopped = asyncio.ensure_future(stop.wait())
            await asyncio.wait([connecting, stopped], return_when=asyncio.FIRST_COMPLETED)
            stopped.cancel()
            if not connecting.done():
                connecting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await connecting
                return None
        self._conn = await connecting
        return self._conn

    async def _connect(self) -> _Connection:
        target = self._target
        lost = asyncio.Event()
        options: dict[str, Any] = {"timeout": COMMAND_SECONDS}
        if target.tls:
            options["ssl_context"] = ssl.create_default_context()
        client = IMAP4(target.host, target.port, conn_lost_cb=lambda _: lost.set(), **options)
        conn = _Connection(client, lost)
        try:
            await client.wait_hello_from_server()
            if (await client.login(target.user, target.password)).result != "OK":
                raise ImapError(f"login refused for {target.safe_url}")
            # The capabilities after login are the ones that count (MOVE, UIDPLUS, IDLE).
            await _timed(client.protocol.capability())
            if client.has_capability("CONDSTORE") and client.has_capability("ENABLE"):
                # Mod-sequences must be tracked before the first fetch for `_claim` to hold.
                _checked(await client.enable("CONDSTORE"), "ENABLE CONDSTORE")
            for folder in (self._processed, self._failed):
                await self._ensure_folder(client, folder)
            _checked(await client.select(quoted(target.mailbox)), f"SELECT {target.mailbox}")
        except BaseException:
            _drop(conn)
            raise
        log.debug("IMAP intake connected to %s", target.safe_url)
        return conn

    async def close(self) -> None:
        """Log out and disconnect, within a few seconds at most."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if not conn.lost.is_set():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.client.logout(), CLOSE_SECONDS)
        _drop(conn)

    # -- waiting between rounds ----------------------------------------------------------

    async def _wait_for_mail(self, stop: asyncio.Event) -> None:
        conn = self._conn
        if conn is None or not conn.usable or not conn.client.has_capability("IDLE"):
            await _sleep(stop, self._poll_seconds)
            return
        client = conn.client
        _drain(client.protocol.idle_queue)  # pushes from an earlier IDLE are stale
        idle = await _timed(client.idle_start(timeout=self._poll_seconds))
        try:
            await self._wait_for_push(conn, stop)
        finally:
            client.idle_done()
        if conn.lost.is_set():
            raise ImapError("the server closed the connection")
        # The server ends IDLE at once on DONE; a silent one is given up on quickly.
        _checked(await _timed(idle, CLOSE_SECONDS), "IDLE")

    async def _wait_for_push(self, conn: _Connection, stop: asyncio.Event) -> None:
        """Until new mail is announced, `stop` is set, the link drops or the poll is due."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._poll_seconds
        waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(conn.lost.wait())]
        try:
            while (remaining := deadline - loop.time()) > 0:
                push = asyncio.ensure_future(conn.client.protocol.idle_queue.get())
                done, _ = await asyncio.wait(
                    [push, *waits], timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
                if push not in done:
                    push.cancel()
                    return
                lines = push.result()
                if lines == STOP_WAIT_SERVER_PUSH or _new_mail(lines):
                    return
        finally:
            for wait in waits:
                wait.cancel()


def _drop(conn: _Connection) -> None:
    transport = conn.client.protocol.transport
    if transport is not None:
        transport.close()
    conn.lost.set()


def _drain(queue: asyncio.Queue[Any]) -> None:
    while not queue.empty():
        queue.get_nowait()


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    """Sleep, but wake as soon as `stop` is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)

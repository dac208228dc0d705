"""What the mail receivers (SMTP, IMAP) hand over, and how a mail is refused for good.

A receiver calls `Accept` with the raw mail, a label naming where it came from and, over
SMTP, the envelope. The callback either returns (the mail is taken), raises
`Unprocessable` (the mail can never be taken: the sender is told, or it is set aside, and
it is not tried again), or raises anything else (a passing fault: the mail stays with the
sender or in the mailbox and is tried again later).
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class MailEnvelope:
    """The SMTP envelope: `MAIL FROM` ("" for the null reverse path `<>` of bounces and
    other machine mail) and the `RCPT TO` addresses, which may name recipients the
    headers do not (Bcc, relays)."""

    mail_from: str
    recipients: tuple[str, ...]

    @property
    def null_sender(self) -> bool:
        return not self.mail_from


class Accept(Protocol):
    """(raw mail, source label such as "smtp" or "imap:support@host/INBOX", envelope if
    the mail came with one)"""

    def __call__(
        self, raw: bytes, source: str, envelope: MailEnvelope | None = None
    ) -> Awaitable[None]: ...


MAX_REASON_CHARS = 200


class Unprocessable(Exception):
    """The mail can never be taken; `str(exc)` says why (it is shown to people)."""


def one_line_reason(exc: BaseException) -> str:
    """The reason as one short printable line: it goes into an SMTP reply or a mail header."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable[:MAX_REASON_CHARS]

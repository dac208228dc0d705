"""The headers that place a mail in its conversation: a Message-ID of its own, the
ticket's root id in In-Reply-To and References (so mail clients show every mail about
one ticket as one thread), a signed Reply-To naming the ticket and the recipient (so an
answer by mail is added to that ticket as that person), and how automatic it is.

Without `PORTAL_MAIL_SIGNING_KEYS` no mail carries a Reply-To: answers then go to the
sender address and cannot be threaded into their ticket."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from portal_chassis.reply_address import ReplyTarget, reply_address

if TYPE_CHECKING:
    from portal_notify.settings import NotifySettings

GENERATED = "auto-generated"  # RFC 3834: a notice nobody typed
REPLIED = "auto-replied"  # RFC 3834: an automatic answer to a mail


def bracketed(message_id: str) -> str:
    """`<id>`: message ids travel on the bus without their angle brackets."""
    return f"<{message_id.strip().strip('<>')}>"


@dataclass(frozen=True)
class Thread:
    """Where one mail belongs: what new_mail stores, so a retry sends the same headers."""

    domain: str
    number: str | None = None  # the ticket the mail is about
    reply_to: str | None = None
    in_reply_to: str | None = None  # a received mail this one answers (with brackets)
    auto_submitted: str = GENERATED

    def message_id(self, mail_id: uuid.UUID) -> str:
        """Unique per mail; the ticket number in front helps whoever reads a mail log."""
        prefix = f"{self.number.lower()}." if self.number else ""
        return f"<{prefix}{mail_id.hex}@{self.domain}>"

    @property
    def root_id(self) -> str | None:
        """The id every mail about the ticket answers, though no mail carries it."""
        return f"<{self.number.lower()}@{self.domain}>" if self.number else None

    @property
    def parent(self) -> str | None:
        return self.in_reply_to or self.root_id

    @property
    def references(self) -> str | None:
        ids = [i for i in (self.root_id, self.in_reply_to) if i]
        return " ".join(ids) or None


@dataclass(frozen=True)
class Correspondence:
    """How the portal's mails are addressed: the support mailbox that answers arrive at,
    the portal's sender name, and the keys that sign reply addresses (none: no Reply-To)."""

    support: str
    sender_name: str = ""
    keys: tuple[str, ...] = ()

    @classmethod
    def of(cls, settings: NotifySettings) -> Correspondence:
        portal = settings.portal
        return cls(
            support=portal.support_mailbox,
            sender_name=parseaddr(settings.mail_from)[0],
            keys=tuple(portal.signing_keys),
        )

    @property
    def domain(self) -> str:
        return self.support.rpartition("@")[2].lower()

    def reply_address(self, number: str, recipient_id: uuid.UUID) -> str | None:
        if not self.keys:
            return None
        return reply_address(self.support, ReplyTarget(number, recipient_id), self.keys)

    def about_ticket(self, number: str, recipient_id: uuid.UUID | None) -> Thread:
        """A mail about ticket `number` to one person: threaded, answerable into the ticket."""
        address = self.reply_address(number, recipient_id) if recipient_id else None
        reply_to = formataddr((self.sender_name, address)) if address else None
        return Thread(domain=self.domain, number=number, reply_to=reply_to)

    def standalone(self) -> Thread:
        """A mail about no ticket (an invitation, a password reset)."""
        return Thread(domain=self.domain)

    def answer_to(self, message_id: str) -> Thread:
        """The automatic answer to a received mail."""
        return Thread(domain=self.domain, in_reply_to=bracketed(message_id), auto_submitted=REPLIED)

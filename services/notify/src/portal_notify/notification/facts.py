"""The facts the notify service reads from other services' events to tell people about
them (docs/asyncapi.yaml has the whole events): each model names only the fields read,
so a producer may add fields freely."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from portal_chassis.consumers import EventFacts
from portal_notify.directory.models import TicketCard


@dataclass(frozen=True)
class Ticket:
    """The ticket a notice is about: its words and its people."""

    id: uuid.UUID
    number: str
    title: str
    organization_id: uuid.UUID | None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    assignee_id: uuid.UUID | None
    # Set while in its organization's internal review: the vendor's staff hear nothing.
    review: str | None = None

    @classmethod
    def of_card(cls, card: TicketCard) -> Ticket:
        return cls(
            id=card.id,
            number=card.number,
            title=card.title,
            organization_id=card.organization_id,
            creator_id=card.creator_id,
            contact_id=card.contact_id,
            assignee_id=card.assignee_id,
            review=card.review,
        )


class TicketFacts(EventFacts):
    """A ticket's own events (`tickets.ticket.*`, `tickets.sla.breached`) carry the whole
    ticket as it stands after the change."""

    id: uuid.UUID
    number: str
    title: str
    organization_id: uuid.UUID | None = None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    assignee_id: uuid.UUID | None = None
    review: str | None = None
    actor_id: uuid.UUID | None = None

    @property
    def ticket(self) -> Ticket:
        return Ticket(
            id=self.id,
            number=self.number,
            title=self.title,
            organization_id=self.organization_id,
            creator_id=self.creator_id,
            contact_id=self.contact_id,
            assignee_id=self.assignee_id,
            review=self.review,
        )


class SlaBreachFacts(TicketFacts):
    """`tickets.sla.breached`: which target passed (the first reaction, the resolution)."""

    target: str = "reaction"


class TicketCreatedFacts(TicketFacts):
    """`tickets.ticket.created`: how the request arrived (its creator is confirmed apart
    when by mail)."""

    channel: str = "portal"


class StatusChangeFacts(TicketFacts):
    status: str
    portal_status: str
    previous_portal_status: str


class TicketUpdateFacts(TicketFacts):
    changes: dict[str, list[str | None]] = {}  # field -> [before, after]


class ArticleFacts(EventFacts):
    """`tickets.article.added`: names the ticket, but not its creator, contact or assignee."""

    ticket_id: uuid.UUID
    ticket_number: str
    ticket_title: str
    organization_id: uuid.UUID | None = None
    internal: bool
    author_id: uuid.UUID
    author_is_staff: bool
    excerpt: str = ""
    escalation: bool = False

    def ticket(self, card: TicketCard) -> Ticket:
        """The ticket from this event, with its people from the directory's card."""
        return Ticket(
            id=self.ticket_id,
            number=self.ticket_number,
            title=self.ticket_title,
            organization_id=self.organization_id,
            creator_id=card.creator_id,
            contact_id=card.contact_id,
            assignee_id=card.assignee_id,
            review=card.review,
        )


class SurveyAnswerFacts(EventFacts):
    """`tickets.survey.answered`: a rating of a closed ticket; `low_rating` when it just
    turned low (1 or 2), with whoever worked the ticket at its closing."""

    ticket_id: uuid.UUID
    number: str
    title: str
    organization_id: uuid.UUID | None = None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    rating: int
    comment: str = ""
    low_rating: bool = False
    assignee_id: uuid.UUID | None = None
    group_id: uuid.UUID | None = None
    group_lead_id: uuid.UUID | None = None

    @property
    def ticket(self) -> Ticket:
        # Only the service desk hears of a rating; the ticket was with it (closed).
        return Ticket(
            id=self.ticket_id,
            number=self.number,
            title=self.title,
            organization_id=self.organization_id,
            creator_id=self.creator_id,
            contact_id=self.contact_id,
            assignee_id=self.assignee_id,
        )


class SurveyRequestFacts(EventFacts):
    """`tickets.survey.requested`: the link's token goes into the creator's mail only."""

    number: str
    title: str
    creator_id: uuid.UUID
    language: str | None = None
    token: str


class FileFacts(EventFacts):
    """`files.file.stored`: names the ticket by its number only."""

    name: str
    purpose: str = ""
    ticket_number: str | None = None
    uploader_id: uuid.UUID | None = None


class AccountLinkFacts(EventFacts):
    """`identity.user.invited`, `identity.password_reset.requested`."""

    user_id: uuid.UUID
    username: str
    email: str
    display_name: str | None = None
    language: str | None = None
    link: str
    expires_at: datetime


class RefusedFileFacts(EventFacts):
    """An attachment of a received mail that was not kept, and why."""

    filename: str
    reason: str


class ReceivedTicketFacts(EventFacts):
    """`tickets.ticket.created`, as far as the confirmation of a mail that opened it reads."""

    number: str
    title: str
    creator_id: uuid.UUID
    channel: str = "portal"
    follow_up_of: str | None = None
    refused_files: list[RefusedFileFacts] = []
    review: str | None = None  # in the organization's internal review first


class ReceivedMessageFacts(EventFacts):
    """`tickets.article.added`, as far as telling a mail's author of its refused files reads."""

    ticket_number: str
    ticket_title: str
    author_id: uuid.UUID
    channel: str = "portal"
    refused_files: list[RefusedFileFacts] = []


class RejectedMailFacts(EventFacts):
    """`tickets.mail.rejected`: a mail to the service desk that became no message. Its
    sender's name and subject are not read: the answer repeats nothing of the mail."""

    message_id: str
    address: str
    reason: str
    received_at: datetime


class AccessConfirmationFacts(EventFacts):
    """`identity.access_request.confirmation_requested`: the link that confirms the
    address of somebody without an account."""

    email: str
    name: str
    language: str | None = None
    link: str
    expires_at: datetime


class AccountExistsFacts(EventFacts):
    """`identity.access_request.account_exists`: access was asked for with the address
    of an account (the form said nothing; its owner is told)."""

    email: str
    name: str = ""
    language: str | None = None
    usernames: list[str] = []
    link: str


class AccessRejectedFacts(EventFacts):
    """`identity.access_request.rejected`: only the sign-in page's requesters are mailed
    (a colleague never asked themselves)."""

    origin: str
    email: str
    name: str = ""
    language: str | None = None
    reason: str = ""


class AccessSubmittedFacts(EventFacts):
    """`identity.access_request.submitted`: a confirmed request waits for a decision."""

    request_id: uuid.UUID
    name: str
    company: str = ""
    email: str
    phone: str = ""
    function: str = ""
    reason: str = ""
    organization_id: uuid.UUID | None = None


class MfaResetFacts(EventFacts):
    """`identity.user.mfa_reset`: an administrator removed the user's second factor."""

    user_id: uuid.UUID
    username: str
    email: str
    display_name: str | None = None
    language: str | None = None


class NewDeviceSignInFacts(EventFacts):
    """`identity.session.started_on_new_device`: the user signed in from a device none
    of their earlier sign-ins came from."""

    user_id: uuid.UUID
    username: str
    email: str
    display_name: str | None = None
    language: str | None = None
    time_zone: str | None = None
    device: str = ""
    address: str = ""
    at: datetime

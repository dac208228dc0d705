"""The rules of links and merges, as pure functions over tickets and link rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from portal_tickets.links.models import LinkKind, TicketLink
from portal_tickets.links.schemas import LinkKindName
from portal_tickets.ticket.models import Article, ArticleKind, Status, Ticket

# The order links are listed in: where the work went or came from first.
ORDER: dict[LinkKindName, int] = {
    "merged_into": 0,
    "merged_from": 1,
    "follow_up_of": 2,
    "follow_up": 3,
    "related": 4,
}
# A merge leaves the ticket it goes into open: neither side may be closed for good.
FINISHED = frozenset({Status.CLOSED, Status.CANCELLED})


def error(field: str, message: str, code: str) -> dict[str, str]:
    return {"field": field, "message": message, "code": code}


def kind_on(ticket_id: uuid.UUID, link: TicketLink) -> LinkKindName:
    """What `link` is, seen from the ticket `ticket_id` (one of its two sides)."""
    if link.kind is LinkKind.MERGED:
        return "merged_into" if link.ticket_id == ticket_id else "merged_from"
    return "related"


def other_side(ticket_id: uuid.UUID, link: TicketLink) -> uuid.UUID:
    return link.other_id if link.ticket_id == ticket_id else link.ticket_id


def source_refusal(source: Ticket) -> str | None:
    """Why `source` cannot be merged into another ticket, if it cannot."""
    if source.merged_into:
        return f"{source.number} was merged into {source.merged_into} already."
    if source.status in FINISHED:
        return f"{source.number} is closed; only an open ticket can be merged."
    return None


def target_errors(source: Ticket, target: Ticket) -> list[dict[str, str]]:
    """Why `source` cannot go into `target`, as field errors of `into`."""
    if target.id == source.id:
        return [error("into", "A ticket cannot be merged into itself.", "self_merge")]
    if target.organization_id != source.organization_id:
        message = (
            f"{target.number} belongs to another organization than {source.number}; "
            "only tickets of the same organization can be merged."
        )
        return [error("into", message, "other_organization")]
    if target.merged_into:
        message = f"{target.number} was merged into {target.merged_into}; merge into that one."
        return [error("into", message, "merged")]
    if target.status in FINISHED:
        return [error("into", f"{target.number} is closed.", "closed")]
    return []


def public_files(articles: Iterable[Article]) -> list[uuid.UUID]:
    """The files of the public messages among `articles`: those whoever sees the ticket
    may read (an internal note's files stay with the service desk)."""
    found: list[uuid.UUID] = []
    for article in articles:
        if article.kind is not ArticleKind.INTERNAL_NOTE:
            found += [uuid.UUID(str(f)) for f in article.attachment_ids]
    return list(dict.fromkeys(found))


def has_opening(source: Ticket, articles: Iterable[Article]) -> bool:
    """Whether the ticket's description is in its correspondence already: a ticket
    opened with files or by mail keeps it as its first message (`_opening_article`)."""
    opening = source.description or source.title
    return any(a.created_at == source.created_at and a.body == opening for a in articles)

"""A done ticket's `follow_ups`: taken from its `follow_up` links, oldest first."""

from __future__ import annotations

from portal_tickets.links.schemas import TicketLinkRead
from portal_tickets.ticket.models import Status, Ticket
from portal_tickets.ticket.presenter import _follow_ups


def _link(number: str, kind: str) -> TicketLinkRead:
    return TicketLinkRead.model_validate(
        {"number": number, "title": "t", "kind": kind, "portal_status": "closed"}
    )


def test_only_follow_up_links_count_and_past_the_padding_a_longer_number_is_later() -> None:
    links = [
        _link("T1000000", "follow_up"),
        _link("T000007", "related"),
        _link("T999999", "follow_up"),
        _link("T000003", "follow_up_of"),
    ]
    done = Ticket(number="T000001", status=Status.CLOSED)
    assert _follow_ups(done, links) == ["T999999", "T1000000"]


def test_a_ticket_still_open_lists_none() -> None:
    open_ticket = Ticket(number="T000001", status=Status.OPEN)
    assert _follow_ups(open_ticket, [_link("T000002", "follow_up")]) == []

"""The customer's own first level: an organization with internal review has its people's
new tickets checked by its reviewers ("review by our IT") before the vendor's service
desk sees them; a reviewer may pass a ticket back to the requester ("review by the
requester") and hands it over to the vendor with one action (`handover.py`).

While in review (`Ticket.review` set) the ticket is the organization's alone: the
visibility rule (`portal_chassis.visibility`) hides it from the service desk in every
service, and its SLA clock has not started. Reviewers are customers with the `review`
permission their customer admin grants; they see every ticket of their organization.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import Review, Ticket


def review_at_opening(
    actor: Actor,
    organization_id: uuid.UUID | None,
    org: KnownOrganization | None,
    *,
    hand_over: bool,
) -> Review | None:
    """Where a new ticket starts: in review when a customer of an organization with the
    step opens it, unless a reviewer hands it over at once. The service desk's own
    tickets and those it opens for a customer go to the desk directly."""
    if actor.is_staff or organization_id is None or org is None or not org.internal_review:
        return None
    if hand_over and may_review(actor, organization_id):
        return None
    return Review.INTERNAL


def may_review(actor: Actor, organization_id: uuid.UUID | None) -> bool:
    """A reviewer of the ticket's organization: answers inside it, sends the ticket to
    the requester and back, hands it over."""
    return (
        actor.is_reviewer
        and organization_id is not None
        and actor.organization_id == organization_id
    )


REVIEWERS_ONLY = "Only your organization's reviewers do this."


def change_review(ticket: Ticket, actor: Actor, review: Review, at: datetime) -> None:
    """A reviewer passes the ticket to the requester, or takes it back."""
    if not may_review(actor, ticket.organization_id):
        raise InvalidInput(
            [{"field": "review", "message": REVIEWERS_ONLY, "code": "reviewers_only"}]
        )
    ticket.send_for_review(review, actor_id=actor.id, at=at)


def after_requester_reply(ticket: Ticket, actor: Actor, at: datetime) -> None:
    """The requester answered the reviewers' question: the ticket is theirs again."""
    if ticket.review is Review.REQUESTER and not may_review(actor, ticket.organization_id):
        ticket.change(actor_id=actor.id, at=at, review=Review.INTERNAL)

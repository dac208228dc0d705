"""The customer's own first level on the ticket pages: whether the viewer's organization
reviews its people's tickets before the service desk sees them, where a ticket list
starts for them, and who may move a ticket in review.

An organization's setting (`internal_review`) is read with one call to identity per
page; the tickets service applies the rule itself, the pages only decide what to offer.
"""

from __future__ import annotations

from portal_gateway.web.base import Viewer, Web
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient
from portal_gateway.web.clients.tickets import Ticket

# The list's review filter: every ticket, in review by the organization's IT, back with
# the requester, or with the service desk (the API's `none`).
REVIEW_FILTERS = ("all", "internal", "requester", "none")


async def reviewing(web: Web, viewer: Viewer) -> bool:
    """Whether the viewer is a customer of an organization with internal review (an
    unreadable organization counts as without: the pages then offer nothing extra)."""
    actor = viewer.actor
    if actor is None or viewer.is_staff or actor.organization_id is None:
        return False
    try:
        found = await web.client(IdentityClient, viewer).organization(str(actor.organization_id))
    except ServiceError:
        return False
    return found.internal_review


def default_review(viewer: Viewer, reviewing: bool) -> str:
    """Where a list starts, as the organization's guide has it: its reviewers with the
    tickets waiting for them, everybody else with those waiting for their answer. ""
    for an organization without review (no filter at all)."""
    if not reviewing:
        return ""
    return "internal" if viewer.is_reviewer else "requester"


def reviews(viewer: Viewer, ticket: Ticket) -> bool:
    """A reviewer of the ticket's organization looks at a ticket still in its review."""
    actor, organization = viewer.actor, ticket.organization
    return (
        ticket.review is not None
        and viewer.is_reviewer
        and actor is not None
        and organization is not None
        and str(actor.organization_id) == organization.id
    )

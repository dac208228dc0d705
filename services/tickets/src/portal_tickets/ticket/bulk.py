"""Bulk actions of the desk: one change (assignee, status, priority, group) and an
optional internal note applied to many tickets, each ticket on its own.

Every ticket goes through the same path as a single change (`update_ticket`,
`add_article`), so each change is checked by the same rules and recorded as the same
audited events with the agent as actor. A ticket that refuses the change (closed,
another organization's priority rule, ...) is reported and the others go on."""

from __future__ import annotations

from portal_chassis.auth import Actor
from portal_chassis.errors import DomainError, InvalidInput
from portal_tickets.settings import TicketsSettings
from portal_tickets.ticket import service
from portal_tickets.ticket.schemas import ArticleCreate, BulkOutcome, BulkRequest, BulkResult
from portal_tickets.uow import TicketsUoW


async def apply(
    *, uow: TicketsUoW, request: BulkRequest, actor: Actor, settings: TicketsSettings
) -> BulkResult:
    if not request.changes.model_fields_set and request.note is None:
        message = "Choose a change or write a note."
        raise InvalidInput([{"field": "changes", "message": message, "code": "nothing_to_do"}])
    results = [await _one(uow, number, request, actor, settings) for number in request.numbers]
    changed = sum(r.ok for r in results)
    return BulkResult(changed=changed, failed=len(results) - changed, results=results)


async def _one(
    uow: TicketsUoW, number: str, request: BulkRequest, actor: Actor, settings: TicketsSettings
) -> BulkOutcome:
    try:
        if request.changes.model_fields_set:
            await service.update_ticket(uow=uow, number=number, data=request.changes, actor=actor)
        if request.note is not None:
            note = ArticleCreate(body=request.note, internal=True)
            await service.add_article(
                uow=uow, number=number, data=note, actor=actor, settings=settings
            )
    except DomainError as refused:
        return BulkOutcome(
            number=number,
            ok=False,
            status=refused.status,
            detail=refused.detail or refused.title,
            errors=refused.extra.get("errors", []),
        )
    return BulkOutcome(number=number, ok=True, status=200)

"""Ticket use cases: open, read, list, change, correspond, escalate, close, cancel."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from portal_tickets.catalog.guide import check_answers
from portal_tickets.catalog.schemas import Question
from portal_tickets.directory.models import KnownFile, KnownOrganization
from portal_tickets.search.backends import matching_tickets
from portal_tickets.search.indexer import index_article, index_new_ticket
from portal_tickets.search.terms import parse as parse_terms
from portal_tickets.settings import TicketsSettings
from portal_tickets.sla.policy import SlaPolicy
from portal_tickets.ticket.models import Article, ArticleKind, Category, Priority, Status, Ticket
from portal_tickets.ticket.permissions import (
    NO_PRIORITY_CONTRACT,
    allowed_priorities,
    can_view,
    effective_priority,
    visible_filter,
)
from portal_tickets.ticket.repository import TicketQuery
from portal_tickets.ticket.schemas import (
    INTERNAL_FOR_PORTAL,
    PORTAL_STATUS,
    ArticleCreate,
    TicketCreate,
    TicketSummary,
    TicketUpdate,
)
from portal_tickets.uow import TicketsUoW

DONE = {Status.RESOLVED, Status.CLOSED, Status.CANCELLED}


def _now() -> datetime:
    return datetime.now(UTC)


def _error(field: str, message: str, code: str) -> dict[str, str]:
    return {"field": field, "message": message, "code": code}


async def _own_org(uow: TicketsUoW, actor: Actor) -> KnownOrganization | None:
    if actor.organization_id is None:
        return None
    return await uow.directory.organization(actor.organization_id)


async def _check_attachments(
    uow: TicketsUoW, ids: list[uuid.UUID], organization_id: uuid.UUID | None, actor: Actor
) -> list[dict[str, str]]:
    files = await uow.directory.files(set(ids))
    errors = []
    for index, file_id in enumerate(ids):
        known = files.get(file_id)
        # Someone else's file is reported exactly like a missing one.
        if known is None or not (actor.is_staff or known.organization_id == organization_id):
            errors.append(_error(f"attachment_ids.{index}", "No such file.", "unknown_file"))
    return errors


# An upload's "stored" event reaches this service within milliseconds, but a browser may
# send the message in the same instant: wait this long before calling a file unknown.
FILE_ARRIVAL_SECONDS = 3.0


async def _files_arrived(uow: TicketsUoW, ids: list[uuid.UUID]) -> None:
    wanted = set(ids)
    if not wanted:
        return
    deadline = time.monotonic() + FILE_ARRIVAL_SECONDS
    while True:
        async with uow.fresh_session() as session:
            known = await session.scalar(
                select(func.count()).select_from(KnownFile).where(KnownFile.id.in_(wanted))
            )
        if (known or 0) >= len(wanted) or time.monotonic() >= deadline:
            return
        await asyncio.sleep(0.05)


async def open_ticket(
    *,
    uow: TicketsUoW,
    data: TicketCreate,
    actor: Actor,
    settings: TicketsSettings,
    sla: SlaPolicy,
) -> Ticket:
    errors: list[dict[str, str]] = []
    await _files_arrived(uow, data.attachment_ids)
    async with uow:
        # Whose ticket is it? Customers open for themselves or a colleague; staff name the
        # customer contact the ticket is for (or open an internal one for themselves).
        contact_id = data.contact_id or actor.id
        organization_id = actor.organization_id
        if contact_id != actor.id:
            contact = await uow.directory.user(contact_id)
            same_org = contact is not None and (
                actor.is_staff or contact.organization_id == actor.organization_id
            )
            if contact is None or not contact.active or not same_org:
                errors.append(_error("contact_id", "No such colleague.", "unknown_contact"))
            elif actor.is_staff:
                organization_id = contact.organization_id
        org = await uow.directory.organization(organization_id) if organization_id else None

        fields: dict[str, Any] = {
            "title": data.title,
            "description": data.description,
            "category": data.category,
            "subject_area": data.subject_area,
            "subtype": data.subtype,
            "product": data.product,
            "asset_id": data.asset_id,
            "guide_answers": [],
            "template_id": None,
        }
        if data.template_id is not None:
            template = await uow.catalog.template(data.template_id)
            if template is None or not (actor.is_staff or template.available_to(organization_id)):
                errors.append(_error("template_id", "No such template.", "unknown_template"))
            else:
                guide = [Question.model_validate(q) for q in template.guide]
                stored, guide_errors = check_answers(guide, data.guide_answers)
                errors += guide_errors
                fields["guide_answers"], fields["template_id"] = stored, template.id
                if "category" not in data.model_fields_set:
                    fields["category"] = Category(template.category)
                fields["subject_area"] = fields["subject_area"] or template.subject_area
        elif data.guide_answers:
            errors.append(_error("guide_answers", "Answers need a template.", "no_template"))
        errors += await _check_taxonomy(uow, fields["subject_area"], fields["subtype"])
        errors += await _check_attachments(uow, data.attachment_ids, organization_id, actor)
        if len(data.attachment_ids) > settings.max_attachments_per_message:
            errors.append(
                _error(
                    "attachment_ids",
                    f"At most {settings.max_attachments_per_message} attachments.",
                    "too_many",
                )
            )
        if errors:
            raise InvalidInput(errors)

        allowed = allowed_priorities(actor, organization_id, org, opening=True)
        priority = effective_priority(data.priority, allowed)
        fields["priority"] = priority

        at = _now()
        seq = await uow.tickets.next_seq()
        # The files come as the ticket's first message (shown in the correspondence).
        opening = (
            Article(
                id=uuid.uuid4(),
                kind=ArticleKind.MESSAGE,
                body=data.description or data.title,
                author_id=actor.id,
                author_is_staff=actor.is_staff,
                author_organization_id=actor.organization_id,
                attachment_ids=[str(i) for i in data.attachment_ids],
                created_at=at,
            )
            if data.attachment_ids
            else None
        )
        ticket = Ticket.open(
            seq=seq,
            number=f"{settings.number_prefix}{seq:06d}",
            fields=fields,
            organization_id=organization_id,
            creator_id=actor.id,
            contact_id=contact_id,
            sla_due_at=sla.due(at, priority.value, org.sla_contract if org else None),
            at=at,
            opening=opening,
        )
        uow.tickets.add(ticket)
        await index_new_ticket(uow.session, ticket)
        await uow.commit()
    return ticket


async def _check_taxonomy(
    uow: TicketsUoW, area: str | None, subtype: str | None
) -> list[dict[str, str]]:
    if area is None:
        return [_error("subtype", "Choose a subject area first.", "no_area")] if subtype else []
    known = await uow.catalog.subject_area(area)
    if known is None or not known.active:
        return [_error("subject_area", "No such subject area.", "unknown_area")]
    if subtype is not None and subtype not in known.subtypes:
        return [_error("subtype", f"No such subtype of {area}.", "unknown_subtype")]
    return []


async def _visible_ticket(uow: TicketsUoW, number: str, actor: Actor, *, lock: bool) -> Ticket:
    ticket = await uow.tickets.get_by_number(number, lock=lock)
    # Someone else's ticket is indistinguishable from a missing one.
    if ticket is None or not can_view(actor, ticket, await _own_org(uow, actor)):
        raise NotFound(f"No ticket {number}.")
    return ticket


async def get_ticket(*, uow: TicketsUoW, number: str, actor: Actor) -> Ticket:
    async with uow:
        return await _visible_ticket(uow, number, actor, lock=False)


def parse_status_filter(values: list[str], actor: Actor) -> set[Status] | None:
    """Customers filter by portal status; staff also by internal status."""
    if not values:
        return None
    chosen: set[Status] = set()
    for value in values:
        if value in INTERNAL_FOR_PORTAL:
            chosen |= INTERNAL_FOR_PORTAL[value]
        elif actor.is_staff and value in Status.__members__.values():
            chosen.add(Status(value))
        else:
            raise InvalidInput([_error("status", f"Unknown status {value!r}.", "unknown")])
    return chosen


FEW_MATCHES = 1000


async def scoped_query(
    uow: TicketsUoW, actor: Actor, scope: str, *, text: str | None = None, **kwargs: Any
) -> TicketQuery:
    org = await _own_org(uow, actor)
    query = TicketQuery(visible=visible_filter(actor, org, scope), **kwargs)
    if text and (terms := parse_terms(text)):
        dialect = uow.session.get_bind().dialect.name
        # Internal notes are searchable for the service desk only.
        matches = matching_tickets(dialect, terms, internal=actor.is_staff)
        # Few matches: hand the planner their ids, so that it starts from them instead of
        # walking every ticket newest first looking for them (its estimates for rare
        # words are no help there). Many: walking newest first finds a page at once.
        few = list(await uow.session.scalars(matches.limit(FEW_MATCHES + 1)))
        query.extra.append(Ticket.id.in_(few if len(few) <= FEW_MATCHES else matches))
    return query


async def list_tickets(
    *, uow: TicketsUoW, actor: Actor, scope: str, **filters: Any
) -> list[Ticket]:
    async with uow:
        return await uow.tickets.page(await scoped_query(uow, actor, scope, **filters))


async def summary(*, uow: TicketsUoW, actor: Actor, scope: str, **filters: Any) -> TicketSummary:
    async with uow:
        rows = await uow.tickets.counts(await scoped_query(uow, actor, scope, **filters))
    by_priority = {p.value: 0 for p in Priority}
    by_portal = {key: 0 for key in INTERNAL_FOR_PORTAL}
    by_status: dict[str, int] = {s.value: 0 for s in Status}
    for priority, status, count in rows:
        by_priority[priority] += count
        by_portal[PORTAL_STATUS[Status(status)][0]] += count
        by_status[status] += count
    return TicketSummary(
        total=sum(by_priority.values()),
        by_priority=by_priority,
        by_portal_status=by_portal,
        by_status=by_status if actor.is_staff else None,
    )


async def update_ticket(
    *, uow: TicketsUoW, number: str, data: TicketUpdate, actor: Actor, sla: SlaPolicy
) -> Ticket:
    requested = data.model_dump(exclude_unset=True)
    staff_only = {"status", "assignee_id", "subject_area", "subtype"} & requested.keys()
    if staff_only and not actor.is_staff:
        raise InvalidInput(
            [_error(f, "Only the service desk changes this.", "staff_only") for f in staff_only]
        )
    async with uow:
        ticket = await _visible_ticket(uow, number, actor, lock=True)
        at = _now()
        if not actor.is_staff and ticket.is_done:
            raise Conflict("The ticket is closed; reply to reopen it if it was resolved lately.")
        changes = {k: v for k, v in requested.items() if k != "status" and v is not None}
        if "assignee_id" in requested:
            changes["assignee_id"] = requested["assignee_id"]
            if requested["assignee_id"] is not None:
                assignee = await uow.directory.user(requested["assignee_id"])
                if assignee is None or not assignee.active or not _is_staff(assignee.roles):
                    raise InvalidInput([_error("assignee_id", "No such agent.", "unknown_agent")])
        org = None
        if "priority" in changes and changes["priority"] != ticket.priority:
            org_id = ticket.organization_id
            org = await uow.directory.organization(org_id) if org_id else None
            # Refused rather than quietly kept: the person learns why nothing changed.
            if changes["priority"] not in allowed_priorities(actor, org_id, org):
                raise InvalidInput(
                    [_error("priority", NO_PRIORITY_CONTRACT, "no_priority_contract")]
                )
        if {"subject_area", "subtype"} & changes.keys():
            errors = await _check_taxonomy(
                uow,
                changes.get("subject_area", ticket.subject_area),
                changes.get("subtype", ticket.subtype),
            )
            if errors:
                raise InvalidInput(errors)
        previous = ticket.priority
        ticket.change(actor_id=actor.id, at=at, **changes)
        if ticket.priority != previous:
            # The target of the new priority, counted from the opening as at creation.
            contract = org.sla_contract if org else None
            ticket.reschedule_sla(
                sla.due(ticket.created_at, ticket.priority.value, contract), at=at
            )
        if data.status is not None:
            ticket.set_status(data.status, actor_id=actor.id, at=at)
        await uow.commit()
    return ticket


async def opening_priorities(*, uow: TicketsUoW, actor: Actor) -> tuple[Priority, ...]:
    """The priorities the actor may choose when opening a ticket for themselves."""
    async with uow:
        org = await _own_org(uow, actor)
    return allowed_priorities(actor, actor.organization_id, org, opening=True)


def _is_staff(roles: list[str]) -> bool:
    return bool({"agent", "admin"} & set(roles))


async def list_articles(*, uow: TicketsUoW, number: str, actor: Actor) -> list[Article]:
    async with uow:
        ticket = await _visible_ticket(uow, number, actor, lock=False)
        # Internal notes never leave the service for a customer.
        return await uow.tickets.articles(ticket.id, include_internal=actor.is_staff)


async def _new_article(
    uow: TicketsUoW,
    ticket: Ticket,
    actor: Actor,
    *,
    body: str,
    kind: ArticleKind,
    attachment_ids: list[uuid.UUID],
    settings: TicketsSettings,
    at: datetime,
    escalation: bool = False,
) -> Article:
    errors = await _check_attachments(uow, attachment_ids, ticket.organization_id, actor)
    if len(attachment_ids) > settings.max_attachments_per_message:
        limit = settings.max_attachments_per_message
        errors.append(_error("attachment_ids", f"At most {limit} attachments.", "too_many"))
    if errors:
        raise InvalidInput(errors)
    article = Article(
        id=uuid.uuid4(),
        ticket_id=ticket.id,
        kind=kind,
        body=body,
        author_id=actor.id,
        author_is_staff=actor.is_staff,
        author_organization_id=actor.organization_id,
        attachment_ids=[str(i) for i in attachment_ids],
        created_at=at,
    )
    ticket.add_article(article, escalation=escalation)
    await index_article(uow.session, article)
    return article


async def add_article(
    *,
    uow: TicketsUoW,
    number: str,
    data: ArticleCreate,
    actor: Actor,
    settings: TicketsSettings,
) -> Article:
    if data.internal and not actor.is_staff:
        raise InvalidInput(
            [_error("internal", "Only the service desk writes internal notes.", "staff_only")]
        )
    await _files_arrived(uow, data.attachment_ids)
    async with uow:
        ticket = await _visible_ticket(uow, number, actor, lock=True)
        at = _now()
        if not actor.is_staff and ticket.is_done and not ticket.can_reopen(at):
            raise Conflict("The ticket is closed. Open a new ticket and mention this one.")
        kind = ArticleKind.INTERNAL_NOTE if data.internal else ArticleKind.MESSAGE
        article = await _new_article(
            uow,
            ticket,
            actor,
            body=data.body,
            kind=kind,
            attachment_ids=data.attachment_ids,
            settings=settings,
            at=at,
        )
        if actor.is_staff and not data.internal:
            if ticket.first_response_at is None:
                ticket.first_response_at = at
            if ticket.status is Status.NEW:
                ticket.set_status(Status.OPEN, actor_id=actor.id, at=at)
        elif not actor.is_staff and ticket.status in (Status.WAITING_CUSTOMER, Status.RESOLVED):
            # The customer answered, or came back within the reopening window.
            ticket.set_status(Status.OPEN, actor_id=actor.id, at=at)
        await uow.commit()
    return article


async def escalate(
    *, uow: TicketsUoW, number: str, body: str, actor: Actor, settings: TicketsSettings
) -> Article:
    async with uow:
        ticket = await _visible_ticket(uow, number, actor, lock=True)
        at = _now()
        if ticket.is_done:
            raise Conflict("A closed ticket cannot be escalated.")
        interval = timedelta(hours=settings.escalation_interval_hours)
        # Claimed in the database before anything else is written: concurrent requests
        # all read "not escalated lately", but only one of them wins the claim.
        if not await uow.tickets.claim_escalation(ticket.id, at=at, since=at - interval):
            last = await uow.tickets.escalated_at(ticket.id) or at
            wait = interval - (at - last)
            raise TooManyRequests(
                "This ticket was escalated a short while ago; the service desk is on it.",
                retry_after=max(1, int(wait.total_seconds())),
            )
        article = await _new_article(
            uow,
            ticket,
            actor,
            body=body,
            kind=ArticleKind.MESSAGE,
            attachment_ids=[],
            settings=settings,
            at=at,
            escalation=True,
        )
        ticket.escalate(article, actor_id=actor.id)
        await uow.commit()
    return article


async def close(*, uow: TicketsUoW, number: str, actor: Actor, cancel: bool) -> Ticket:
    async with uow:
        ticket = await _visible_ticket(uow, number, actor, lock=True)
        if ticket.status in (Status.CLOSED, Status.CANCELLED):
            raise Conflict("The ticket is closed already.")
        at = _now()
        if cancel:
            ticket.cancel(actor_id=actor.id, at=at)
        else:
            ticket.set_status(Status.CLOSED, actor_id=actor.id, at=at)
        await uow.commit()
    return ticket


async def is_following(*, uow: TicketsUoW, number: str, actor: Actor) -> bool:
    async with uow:
        ticket = await _visible_ticket(uow, number, actor, lock=False)
        return await uow.tickets.follower(ticket.id, actor.id) is not None


async def set_following(*, uow: TicketsUoW, number: str, actor: Actor, follow: bool) -> bool:
    """Follow or stop following a ticket the actor can see (idempotent either way)."""
    async with uow:
        ticket = await _visible_ticket(uow, number, actor, lock=False)
        current = await uow.tickets.follower(ticket.id, actor.id)
        if follow and current is None:
            uow.tickets.add_follower(ticket.follow(actor.id, at=_now()))
        elif not follow and current is not None:
            ticket.unfollow(actor.id)
            await uow.tickets.remove_follower(current)
        await uow.commit()
    return follow


async def get_audience(*, uow: TicketsUoW, number: str) -> Ticket:
    """A ticket as another service's read model keeps it, for a service that has not heard
    of it yet (internal: it decides visibility itself, from these facts)."""
    async with uow:
        ticket = await uow.tickets.get_by_number(number)
    if ticket is None:
        raise NotFound(f"No ticket {number}.")
    return ticket

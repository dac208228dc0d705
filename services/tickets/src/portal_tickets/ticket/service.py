"""Ticket use cases: open, read, list, change, correspond, escalate, close, cancel."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_tickets.assets.permissions import may_set_on_ticket
from portal_tickets.assets.service import resolve_for_ticket, unknown_asset
from portal_tickets.catalog.guide import check_answers
from portal_tickets.catalog.permissions import may_use_template
from portal_tickets.catalog.schemas import Question
from portal_tickets.contracts.models import Terms
from portal_tickets.contracts.service import (
    priorities_selectable,
    terms_in_force,
    terms_of_ticket,
)
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.directory.repository import DirectoryRepository
from portal_tickets.groups.routing import check_group, route_new_ticket
from portal_tickets.search.terms import parse as parse_terms
from portal_tickets.settings import TicketsSettings
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.surveys.offering import offer_survey
from portal_tickets.ticket.events import RefusedFile
from portal_tickets.ticket.models import (
    PORTAL_STATUS,
    Article,
    ArticleKind,
    Category,
    Channel,
    Priority,
    Status,
    Ticket,
)
from portal_tickets.ticket.permissions import (
    NO_PRIORITY_CONTRACT,
    allowed_priorities,
    can_view,
    effective_priority,
    may_attach,
    may_be_assignee,
    may_be_contact,
    may_change,
    may_reply,
    may_write_internal_notes,
    reads_internal_notes,
    sees_internal_status,
    staff_only_changes,
    visible_articles,
    visible_filter,
)
from portal_tickets.ticket.repository import TicketQuery
from portal_tickets.ticket.review import after_requester_reply, change_review, review_at_opening
from portal_tickets.ticket.schemas import (
    INTERNAL_FOR_PORTAL,
    ArticleCreate,
    TicketCreate,
    TicketSummary,
    TicketUpdate,
)
from portal_tickets.uow import TicketsUoW


def _now() -> datetime:
    return datetime.now(UTC)


def field_error(field: str, message: str, code: str) -> dict[str, str]:
    return {"field": field, "message": message, "code": code}


async def _own_org(uow: TicketsUoW, actor: Actor) -> KnownOrganization | None:
    if actor.organization_id is None:
        return None
    return await uow.directory.organization(actor.organization_id)


async def _attachment_errors(
    uow: TicketsUoW,
    ids: list[uuid.UUID],
    organization_id: uuid.UUID | None,
    actor: Actor,
    settings: TicketsSettings,
) -> list[dict[str, str]]:
    files = await uow.directory.files(set(ids))
    errors = [
        # Someone else's file is reported exactly like a missing one.
        field_error(f"attachment_ids.{index}", "No such file.", "unknown_file")
        for index, file_id in enumerate(ids)
        if not may_attach(actor, files.get(file_id), organization_id)
    ]
    limit = settings.max_attachments_per_message
    if len(ids) > limit:
        errors.append(field_error("attachment_ids", f"At most {limit} attachments.", "too_many"))
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
            known = await DirectoryRepository(session).files(wanted)
        if len(known) >= len(wanted) or time.monotonic() >= deadline:
            return
        await asyncio.sleep(0.05)


async def _owner(
    uow: TicketsUoW, data: TicketCreate, actor: Actor, errors: list[dict[str, str]]
) -> tuple[uuid.UUID, uuid.UUID | None]:
    """Whose ticket it is: the contact and the organization. Customers open for themselves
    or a colleague; staff name the customer contact the ticket is for (or open an
    internal one for themselves)."""
    contact_id = data.contact_id or actor.id
    organization_id = actor.organization_id
    if contact_id != actor.id:
        contact = await uow.directory.user(contact_id)
        if not may_be_contact(actor, contact):
            errors.append(field_error("contact_id", "No such colleague.", "unknown_contact"))
        elif actor.is_staff and contact is not None:
            organization_id = contact.organization_id
    if data.organization_id is not None and data.organization_id != organization_id:
        message = "The contact belongs to another organization."
        errors.append(field_error("organization_id", message, "organization_mismatch"))
    return contact_id, organization_id


def _channel(
    data: TicketCreate, actor: Actor, origin: Origin, errors: list[dict[str, str]]
) -> Channel:
    """How the request arrived: the desk records the channel of a call or a visit;
    customers' tickets come through the portal (or by mail, as the intake says)."""
    if data.channel is None or data.channel is origin.channel:
        return origin.channel
    if not actor.is_staff:
        message = "Only the service desk records how a request arrived."
        errors.append(field_error("channel", message, "staff_only"))
        return origin.channel
    return data.channel


def _fields(data: TicketCreate) -> dict[str, Any]:
    return {
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


async def _apply_template(
    uow: TicketsUoW,
    data: TicketCreate,
    actor: Actor,
    organization_id: uuid.UUID | None,
    fields: dict[str, Any],
) -> list[dict[str, str]]:
    """Fill `fields` from the chosen template and its guide's answers; the errors."""
    if data.template_id is None:
        if data.guide_answers:
            return [field_error("guide_answers", "Answers need a template.", "no_template")]
        return []
    template = await uow.catalog.template(data.template_id)
    if template is None or not may_use_template(actor, template, organization_id):
        return [field_error("template_id", "No such template.", "unknown_template")]
    guide = [Question.model_validate(q) for q in template.guide]
    stored, errors = check_answers(guide, data.guide_answers)
    fields["guide_answers"], fields["template_id"] = stored, template.id
    if "category" not in data.model_fields_set:
        fields["category"] = Category(template.category)
    fields["subject_area"] = fields["subject_area"] or template.subject_area
    return errors


@dataclass(frozen=True)
class Origin:
    """How a ticket or message arrived: through the portal (the default) or as a mail,
    whose Message-ID is kept so the same mail never adds a second message."""

    channel: Channel = Channel.PORTAL
    mail_message_id: str | None = None
    follow_up_of: str | None = None
    refused_files: tuple[RefusedFile, ...] = ()


PORTAL = Origin()


def _opening_article(
    data: TicketCreate, actor: Actor, at: datetime, origin: Origin
) -> Article | None:
    """The files sent with a new ticket, or the mail that opened it, as its first message
    (shown in the thread)."""
    if not data.attachment_ids and origin.mail_message_id is None:
        return None
    return Article(
        id=uuid.uuid4(),
        kind=ArticleKind.MESSAGE,
        body=data.description or data.title,
        author_id=actor.id,
        author_is_staff=actor.is_staff,
        author_organization_id=actor.organization_id,
        attachment_ids=[str(i) for i in data.attachment_ids],
        channel=origin.channel,
        mail_message_id=origin.mail_message_id,
        created_at=at,
    )


async def open_ticket(
    *,
    uow: TicketsUoW,
    data: TicketCreate,
    actor: Actor,
    settings: TicketsSettings,
    origin: Origin = PORTAL,
) -> Ticket:
    await _files_arrived(uow, data.attachment_ids)
    async with uow:
        errors: list[dict[str, str]] = []
        contact_id, organization_id = await _owner(uow, data, actor, errors)
        follow_up_of = origin.follow_up_of or data.follow_up_of
        origin = replace(origin, channel=_channel(data, actor, origin, errors))
        fields = _fields(data) | {"channel": origin.channel, "follow_up_of": follow_up_of}
        if data.follow_up_of:
            errors += await _follow_up_errors(uow, data.follow_up_of, actor)
        errors += await _apply_template(uow, data, actor, organization_id, fields)
        errors += await _resolve_asset(uow, organization_id, fields)
        errors += await _check_taxonomy(uow, fields["subject_area"], fields["subtype"])
        errors += await _attachment_errors(
            uow, data.attachment_ids, organization_id, actor, settings
        )
        if errors:
            raise InvalidInput(errors)
        await route_new_ticket(uow, data.group_id, actor, organization_id, fields)
        org = await uow.directory.organization(organization_id) if organization_id else None
        at = _now()
        terms = await terms_in_force(
            uow, organization_id, at=at, product=fields["product"], asset_id=fields["asset_id"]
        )
        allowed = allowed_priorities(
            actor, organization_id, org, opening=True, contract=_contract_say(terms)
        )
        # No priority named (a mail, for one): the contract's default, else P4.
        requested = data.priority or Priority(terms.default_priority)
        fields["priority"] = priority = effective_priority(requested, allowed)
        review = review_at_opening(actor, organization_id, org, hand_over=data.hand_over)
        seq = await uow.tickets.next_seq()
        ticket = Ticket.open(
            seq=seq,
            number=f"{settings.number_prefix}{seq:06d}",
            fields=fields,
            organization_id=organization_id,
            creator_id=actor.id,
            contact_id=contact_id,
            sla=terms.start_clock(priority.value, at),
            at=at,
            opening=_opening_article(data, actor, at, origin),
            refused_files=origin.refused_files,
            review=review,
        )
        uow.tickets.add(ticket)
        await uow.search.index_new_ticket(ticket)
        await uow.commit()
    return ticket


def _contract_say(terms: Terms) -> bool | None:
    """Whether the contract in force lets customers choose priorities; None without
    one (then the organization's own flag decides)."""
    return terms.contract.priorities_selectable if terms.contract is not None else None


async def _ticket_terms(uow: TicketsUoW, ticket: Ticket) -> Terms:
    return await terms_of_ticket(
        uow,
        organization_id=ticket.organization_id,
        contract_id=ticket.contract_id,
        calendar_id=ticket.sla_calendar_id,
    )


async def _calendar(uow: TicketsUoW, ticket: Ticket) -> BusinessCalendar | None:
    """The ticket's business calendar when a status change may end its clock's pause or
    reopen it after its resolution."""
    if ticket.sla_paused_at is None and not (ticket.is_done and ticket.resolved_at):
        return None
    return (await _ticket_terms(uow, ticket)).business_calendar()


async def _set_status(
    uow: TicketsUoW, ticket: Ticket, status: Status, actor: Actor, at: datetime
) -> None:
    ticket.set_status(status, actor_id=actor.id, at=at, calendar=await _calendar(uow, ticket))


async def _resolve_asset(
    uow: TicketsUoW, organization_id: uuid.UUID | None, fields: dict[str, Any]
) -> list[dict[str, str]]:
    """Turn the asset a ticket names (an id or a serial number of the ticket's
    organization) into the asset's id; the errors."""
    if not fields.get("asset_id"):
        return []
    asset = await resolve_for_ticket(uow, organization_id, fields["asset_id"])
    if asset is None:
        return [unknown_asset()]
    fields["asset_id"] = str(asset.id)
    return []


async def _follow_up_errors(uow: TicketsUoW, number: str, actor: Actor) -> list[dict[str, str]]:
    """A follow-up continues a closed ticket the actor sees, one a reply no longer reopens
    (within the reopening window, the reply is the way)."""
    previous = await uow.tickets.get_by_number(number)
    if previous is None or not can_view(actor, previous, await _own_org(uow, actor)):
        return [field_error("follow_up_of", "No such ticket.", "unknown_ticket")]
    if not previous.is_done or previous.can_reopen(_now()):
        message = "That ticket is still open, or a reply reopens it."
        return [field_error("follow_up_of", message, "not_closed")]
    return []


async def _check_taxonomy(
    uow: TicketsUoW, area: str | None, subtype: str | None
) -> list[dict[str, str]]:
    if area is None:
        return (
            [field_error("subtype", "Choose a subject area first.", "no_area")] if subtype else []
        )
    known = await uow.catalog.subject_area(area)
    if known is None or not known.active:
        return [field_error("subject_area", "No such subject area.", "unknown_area")]
    if subtype is not None and subtype not in known.subtypes:
        return [field_error("subtype", f"No such subtype of {area}.", "unknown_subtype")]
    return []


async def visible_ticket(uow: TicketsUoW, number: str, actor: Actor, *, lock: bool) -> Ticket:
    ticket = await uow.tickets.get_by_number(number, lock=lock)
    # Someone else's ticket is indistinguishable from a missing one.
    if ticket is None or not can_view(actor, ticket, await _own_org(uow, actor)):
        raise NotFound(f"No ticket {number}.")
    return ticket


async def get_ticket(*, uow: TicketsUoW, number: str, actor: Actor) -> Ticket:
    async with uow.reading():
        return await visible_ticket(uow, number, actor, lock=False)


def parse_status_filter(values: list[str], actor: Actor) -> set[Status] | None:
    """Customers filter by portal status; staff also by internal status."""
    if not values:
        return None
    chosen: set[Status] = set()
    for value in values:
        if value in INTERNAL_FOR_PORTAL:
            chosen |= INTERNAL_FOR_PORTAL[value]
        elif sees_internal_status(actor) and value in Status.__members__.values():
            chosen.add(Status(value))
        else:
            raise InvalidInput([field_error("status", f"Unknown status {value!r}.", "unknown")])
    return chosen


async def scoped_query(
    uow: TicketsUoW, actor: Actor, scope: str, *, text: str | None = None, **kwargs: Any
) -> TicketQuery:
    org = await _own_org(uow, actor)
    query = TicketQuery(visible=visible_filter(actor, org, scope), **kwargs)
    if text and (terms := parse_terms(text)):
        # What a reader may find is what they may read: internal notes for the desk only.
        internal = reads_internal_notes(actor)
        query.extra.append(await uow.search.matching(terms, internal=internal))
    return query


async def ticket_page(*, uow: TicketsUoW, actor: Actor, scope: str, **filters: Any) -> list[Ticket]:
    """One page of the tickets `actor` sees. Call inside an entered unit of work, so that
    the page is presented in the same one (one connection, one transaction)."""
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
        by_status=by_status if sees_internal_status(actor) else None,
    )


async def update_ticket(
    *, uow: TicketsUoW, number: str, data: TicketUpdate, actor: Actor
) -> Ticket:
    requested = data.model_dump(exclude_unset=True)
    refused = staff_only_changes(actor, requested)
    if "asset_id" in requested and not may_set_on_ticket(actor, opening=False):
        refused.add("asset_id")
    if refused:
        raise InvalidInput(
            [field_error(f, "Only the service desk changes this.", "staff_only") for f in refused]
        )
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=True)
        at = _now()
        if not may_change(actor, ticket):
            raise Conflict("The ticket is closed; reply to reopen it if it was resolved lately.")
        changes = {
            k: v for k, v in requested.items() if k not in ("status", "review") and v is not None
        }
        if "assignee_id" in requested:
            changes["assignee_id"] = requested["assignee_id"]
            await _check_assignee(uow, requested["assignee_id"])
        if "group_id" in requested:
            changes["group_id"] = requested["group_id"]
            await check_group(uow, requested["group_id"])
        if "asset_id" in requested:
            changes["asset_id"] = requested["asset_id"]
            if errors := await _resolve_asset(uow, ticket.organization_id, changes):
                raise InvalidInput(errors)
        await _check_priority(uow, ticket, actor, changes.get("priority"))
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
            # The new priority's targets under the terms the ticket was opened with.
            terms = await _ticket_terms(uow, ticket)
            targets = terms.targets_for(ticket.priority.value)
            ticket.retarget_sla(targets, terms.business_calendar(), at=at)
        if data.status is not None:
            await _set_status(uow, ticket, data.status, actor, at)
            await offer_survey(uow, ticket, at=at)
        if data.review is not None:
            change_review(ticket, actor, data.review, at)
        await uow.commit()
    return ticket


async def _check_assignee(uow: TicketsUoW, assignee_id: uuid.UUID | None) -> None:
    if assignee_id is not None and not may_be_assignee(await uow.directory.user(assignee_id)):
        raise InvalidInput([field_error("assignee_id", "No such agent.", "unknown_agent")])


async def _check_priority(
    uow: TicketsUoW, ticket: Ticket, actor: Actor, priority: Priority | None
) -> None:
    """Refuse a priority the actor may not give the ticket."""
    if priority is None or priority == ticket.priority:
        return
    org_id = ticket.organization_id
    org = await uow.directory.organization(org_id) if org_id else None
    contract = await priorities_selectable(
        uow, org_id, product=ticket.product, asset_id=ticket.asset_id
    )
    # Refused rather than quietly kept: the person learns why nothing changed.
    if priority not in allowed_priorities(actor, org_id, org, contract=contract):
        raise InvalidInput([field_error("priority", NO_PRIORITY_CONTRACT, "no_priority_contract")])


async def opening_priorities(
    *, uow: TicketsUoW, actor: Actor
) -> tuple[tuple[Priority, ...], Priority]:
    """The priorities the actor may choose when opening a ticket for themselves, and the
    one a ticket gets when they choose none (the contract's default, else P4)."""
    async with uow:
        org = await _own_org(uow, actor)
        terms = await terms_in_force(uow, actor.organization_id)
    allowed = allowed_priorities(
        actor, actor.organization_id, org, opening=True, contract=_contract_say(terms)
    )
    return allowed, effective_priority(Priority(terms.default_priority), allowed)


async def list_articles(*, uow: TicketsUoW, number: str, actor: Actor) -> list[Article]:
    """The thread of a ticket as the actor may read it."""
    async with uow.reading():
        ticket = await visible_ticket(uow, number, actor, lock=False)
        return await uow.tickets.articles(ticket.id, kinds=visible_articles(actor))


async def ticket_document(
    *, uow: TicketsUoW, number: str, actor: Actor
) -> tuple[Ticket, list[Article]]:
    """A ticket the actor may see, with the correspondence a document made to be shared
    outside shows (public only, also when an agent makes it)."""
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=False)
        return ticket, await uow.tickets.articles(ticket.id, kinds=visible_articles(None))


async def _new_article(
    uow: TicketsUoW,
    ticket: Ticket,
    actor: Actor,
    *,
    data: ArticleCreate,
    settings: TicketsSettings,
    at: datetime,
    origin: Origin,
) -> Article:
    errors = await _attachment_errors(
        uow, data.attachment_ids, ticket.organization_id, actor, settings
    )
    if errors:
        raise InvalidInput(errors)
    article = Article(
        id=uuid.uuid4(),
        ticket_id=ticket.id,
        kind=ArticleKind.INTERNAL_NOTE if data.internal else ArticleKind.MESSAGE,
        body=data.body,
        author_id=actor.id,
        author_is_staff=actor.is_staff,
        author_organization_id=actor.organization_id,
        attachment_ids=[str(i) for i in data.attachment_ids],
        channel=origin.channel,
        mail_message_id=origin.mail_message_id,
        minutes=data.minutes,
        created_at=at,
    )
    ticket.add_article(article, refused_files=origin.refused_files)
    await uow.search.index_article(article)
    return article


async def _after_reply(uow: TicketsUoW, ticket: Ticket, actor: Actor, article: Article) -> None:
    """What a reply does to the ticket's state: the service desk's first public answer
    stops the reaction clock and opens a new ticket; a customer's answer (also within
    the reopening window) puts the ticket back to the desk."""
    at = article.created_at
    if actor.is_staff and not article.internal:
        ticket.mark_answered(at)
        if ticket.status is Status.NEW:
            await _set_status(uow, ticket, Status.OPEN, actor, at)
    elif not actor.is_staff and ticket.status in (Status.WAITING_CUSTOMER, Status.RESOLVED):
        await _set_status(uow, ticket, Status.OPEN, actor, at)
    if not actor.is_staff:
        after_requester_reply(ticket, actor, at)


async def add_article(
    *,
    uow: TicketsUoW,
    number: str,
    data: ArticleCreate,
    actor: Actor,
    settings: TicketsSettings,
    origin: Origin = PORTAL,
) -> Article:
    if data.internal and not may_write_internal_notes(actor):
        raise InvalidInput(
            [field_error("internal", "Only the service desk writes internal notes.", "staff_only")]
        )
    _check_minutes(data, actor, settings)
    await _files_arrived(uow, data.attachment_ids)
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=True)
        at = _now()
        if not may_reply(actor, ticket, at):
            raise Conflict("The ticket is closed. Open a new ticket and mention this one.")
        if ticket.merged_into:  # the desk, too: its correspondence moved, nobody reads here
            raise Conflict(f"The ticket was merged into {ticket.merged_into}; write there.")
        await _check_not_stale(uow, ticket, actor, data.seen_until)
        article = await _new_article(
            uow, ticket, actor, data=data, settings=settings, at=at, origin=origin
        )
        await _after_reply(uow, ticket, actor, article)
        await uow.commit()
    return article


def _check_minutes(data: ArticleCreate, actor: Actor, settings: TicketsSettings) -> None:
    """Booked minutes: the desk's, and only where time accounting is switched on."""
    if data.minutes is None:
        return
    if not actor.is_staff:
        message = "Only the service desk books time."
        raise InvalidInput([field_error("minutes", message, "staff_only")])
    if not settings.time_accounting:
        message = "Time accounting is switched off."
        raise InvalidInput([field_error("minutes", message, "time_accounting_off")])


async def _check_not_stale(
    uow: TicketsUoW, ticket: Ticket, actor: Actor, seen_until: datetime | None
) -> None:
    """Two agents answering the same ticket: the second to send learns of the first
    answer before theirs goes out."""
    if seen_until is None:
        return
    newer = await uow.tickets.newer_articles(
        ticket.id, after=seen_until, kinds=visible_articles(actor), not_by=actor.id
    )
    if newer:
        raise Conflict(
            "A new message arrived while you were writing. Read it, then send again.",
            code="newer_message",
            newer=newer,
        )


async def escalate(
    *, uow: TicketsUoW, number: str, body: str, actor: Actor, settings: TicketsSettings
) -> Article:
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=True)
        at = _now()
        await uow.tickets.claim_escalation(ticket, at=at)
        article = Article(
            id=uuid.uuid4(),
            ticket_id=ticket.id,
            kind=ArticleKind.MESSAGE,
            body=body,
            author_id=actor.id,
            author_is_staff=actor.is_staff,
            author_organization_id=actor.organization_id,
            attachment_ids=[],
            created_at=at,
        )
        interval = timedelta(hours=settings.escalation_interval_hours)
        ticket.escalate(article, actor_id=actor.id, interval=interval)
        await uow.search.index_article(article)
        await uow.commit()
    return article


async def close(*, uow: TicketsUoW, number: str, actor: Actor, cancel: bool) -> Ticket:
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=True)
        if ticket.status in (Status.CLOSED, Status.CANCELLED):
            raise Conflict("The ticket is closed already.")
        at = _now()
        calendar = await _calendar(uow, ticket)
        if cancel:
            ticket.cancel(actor_id=actor.id, at=at, calendar=calendar)
        else:
            ticket.set_status(Status.CLOSED, actor_id=actor.id, at=at, calendar=calendar)
            await offer_survey(uow, ticket, at=at)
        await uow.commit()
    return ticket


async def get_audience(*, uow: TicketsUoW, number: str) -> Ticket:
    """A ticket as another service's read model keeps it, for a service that has not heard
    of it yet (internal: it decides visibility itself, from these facts)."""
    async with uow:
        ticket = await uow.tickets.get_by_number(number)
    if ticket is None:
        raise NotFound(f"No ticket {number}.")
    return ticket

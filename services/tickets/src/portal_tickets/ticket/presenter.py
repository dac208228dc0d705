"""Turning tickets and articles into what the API shows, with names from the directory.

The answers are built without validation (`model_construct`): every value comes from
our own database or from the code below, already of the type the schema names, and
validating a page of them again cost a tenth of the page's time.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal_chassis.auth import Actor
from portal_tickets.assets.models import Asset
from portal_tickets.assets.schemas import AssetSummary
from portal_tickets.contracts import rules
from portal_tickets.contracts.models import Contract
from portal_tickets.contracts.service import default_calendar
from portal_tickets.directory.models import KnownOrganization, KnownUser
from portal_tickets.groups.service import group_refs
from portal_tickets.links.presenter import ticket_links
from portal_tickets.links.schemas import TicketLinkRead
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.sla.clock import (
    RUNNING,
    ClockState,
    SlaClock,
    effective_due,
    reaction_state,
    resolution_state,
    target_span,
)
from portal_tickets.surveys.models import Survey
from portal_tickets.surveys.permissions import reads_answer
from portal_tickets.surveys.schemas import SurveySummary
from portal_tickets.ticket.models import PORTAL_STATUS, REOPEN_WINDOW, Article, Priority, Ticket
from portal_tickets.ticket.permissions import allowed_priorities, sees_internal_status
from portal_tickets.ticket.schemas import (
    ArticleRead,
    Ref,
    SlaContractRef,
    SlaRead,
    SlaTimer,
    TicketRead,
)
from portal_tickets.uow import TicketsUoW


def _user(users: dict[uuid.UUID, KnownUser], user_id: uuid.UUID | None) -> Ref | None:
    if user_id is None:
        return None
    known = users.get(user_id)
    return Ref.model_construct(id=user_id, name=known.display_name if known else "")


def _org(orgs: dict[uuid.UUID, KnownOrganization], org_id: uuid.UUID | None) -> Ref | None:
    if org_id is None:
        return None
    known = orgs.get(org_id)
    return Ref.model_construct(id=org_id, name=known.name if known else "")


def _known(orgs: dict[uuid.UUID, KnownOrganization], ticket: Ticket) -> KnownOrganization | None:
    return orgs.get(ticket.organization_id) if ticket.organization_id else None


_CONTENT = re.compile(r"\S")
FIRST_LINE = 200


def _hours(span: timedelta) -> float:
    return round(span.total_seconds() / 3600, 2)


def _timer(
    clock: SlaClock,
    stored_due: datetime,
    due: datetime,
    state: ClockState,
    done_at: datetime | None,
    calendar: BusinessCalendar,
    held: timedelta = timedelta(0),
) -> SlaTimer:
    target = target_span(clock, stored_due, calendar, held)
    return SlaTimer.model_construct(
        target_hours=_hours(target),
        due_at=due,
        state=state,
        running=state in RUNNING,
        done_at=done_at,
    )


def _sla(ticket: Ticket, now: datetime, terms: SlaTerms) -> SlaRead:
    clock = ticket.sla_clock
    if clock is None:
        return SlaRead.model_construct(
            due_at=None, state=None, first_response_at=ticket.first_response_at
        )
    calendar = terms.calendar_of(ticket)
    due = effective_due(clock, now, calendar)
    ended = ticket.resolved_at or ticket.updated_at  # when a done ticket's clock stopped
    reaction = reaction_state(
        clock,
        first_response_at=ticket.first_response_at,
        now=now,
        done=ticket.is_done,
        done_at=ended,
        calendar=calendar,
    )
    resolution = resolution_state(
        clock,
        resolved_at=ticket.resolved_at,
        now=now,
        done=ticket.is_done,
        done_at=ended,
        calendar=calendar,
    )
    paused = clock.paused
    if clock.paused_since is not None:
        paused += calendar.between(clock.paused_since, now)
    return SlaRead.model_construct(
        due_at=due.reaction,
        state=reaction,
        first_response_at=ticket.first_response_at,
        running=reaction in RUNNING,
        reaction=_timer(
            clock, clock.reaction_due, due.reaction, reaction, ticket.first_response_at, calendar
        ),
        resolution=_timer(
            clock,
            clock.resolution_due,
            due.resolution,
            resolution,
            ticket.resolved_at,
            calendar,
            held=clock.resolved,
        ),
        paused=clock.is_paused,
        paused_since=clock.paused_since,
        paused_hours=_hours(paused),
        contract=terms.contract_of(ticket),
        time_zone=calendar.timezone,
    )


@dataclass(frozen=True)
class SlaTerms:
    """The calendars and contracts a page of tickets counts their clocks in."""

    # By id; under None the default calendar, for a ticket without one of its own.
    calendars: dict[uuid.UUID | None, BusinessCalendar]
    contracts: dict[uuid.UUID, Contract]
    # The contracts of the tickets' organizations, for the priorities a customer may
    # choose (read for customers only: see `_priorities`).
    by_organization: dict[uuid.UUID, list[Contract]]
    # The contract each of the tickets' assets names (by the asset's id text).
    asset_contracts: dict[str, uuid.UUID | None]

    def calendar_of(self, ticket: Ticket) -> BusinessCalendar:
        return self.calendars.get(ticket.sla_calendar_id) or self.calendars[None]

    def contract_of(self, ticket: Ticket) -> SlaContractRef:
        found = self.contracts.get(ticket.contract_id) if ticket.contract_id else None
        if found is None:
            return SlaContractRef.model_construct(id=None, name=STANDARD_TERMS)
        return SlaContractRef.model_construct(id=found.id, name=found.name)

    def priorities_selectable(self, ticket: Ticket, now: datetime) -> bool | None:
        contracts = self.by_organization.get(ticket.organization_id or _NO_ORG, [])
        named = self.asset_contracts.get(ticket.asset_id) if ticket.asset_id else None
        chosen = rules.choose(contracts, now, ticket.product, ticket.asset_id, named)
        return None if chosen is None else chosen.priorities_selectable


_NO_ORG = uuid.UUID(int=0)
STANDARD_TERMS = "Standard"


async def _sla_terms(
    uow: TicketsUoW, tickets: list[Ticket], assets: dict[str, Asset], actor: Actor
) -> SlaTerms:
    by_organization = (
        {}
        if actor.is_staff
        else await uow.contracts.contracts_of(
            {t.organization_id for t in tickets if t.organization_id}
        )
    )
    contracts = await _contracts(uow, tickets, by_organization)
    read = [*contracts.values(), *(c for cs in by_organization.values() for c in cs)]
    return SlaTerms(
        calendars=await _calendars(uow, tickets, read),
        contracts=contracts,
        by_organization=by_organization,
        asset_contracts={i: a.contract_id for i, a in assets.items()},
    )


async def _calendars(
    uow: TicketsUoW, tickets: list[Ticket], contracts: list[Contract]
) -> dict[uuid.UUID | None, BusinessCalendar]:
    """The tickets' calendars by id, and the default (under None) only when a ticket
    has none of its own: every clock started since remembers its calendar. A calendar
    that came with a contract already read (most tickets count in their contract's)
    is not read again."""
    wanted = {t.sla_calendar_id for t in tickets if t.sla_calendar_id}
    stored = {c.calendar_id: c.calendar for c in contracts if c.calendar_id in wanted}
    stored |= await uow.contracts.calendars_by_ids(wanted - stored.keys())
    found: dict[uuid.UUID | None, BusinessCalendar] = {
        i: c.to_business_calendar() for i, c in stored.items()
    }
    if any(t.sla_calendar_id not in found for t in tickets):
        found[None] = (await default_calendar(uow)).to_business_calendar()
    return found


async def _contracts(
    uow: TicketsUoW, tickets: list[Ticket], by_organization: dict[uuid.UUID, list[Contract]]
) -> dict[uuid.UUID, Contract]:
    """The tickets' contracts by id; those of the organizations' already read are not
    read again."""
    known = {c.id: c for contracts in by_organization.values() for c in contracts}
    wanted = {t.contract_id for t in tickets if t.contract_id}
    return {
        **{i: known[i] for i in wanted & known.keys()},
        **await uow.contracts.contracts_by_ids(wanted - known.keys()),
    }


def _follow_ups(ticket: Ticket, links: list[TicketLinkRead]) -> list[str]:
    """The tickets continuing a done ticket, oldest first: its `follow_up` links, which
    hold only those the reader may see."""
    if not ticket.is_done:
        return []
    # Numbers are zero-padded: a longer one (past the padding) is a later one.
    return sorted((ln.number for ln in links if ln.kind == "follow_up"), key=lambda n: (len(n), n))


async def _assets(uow: TicketsUoW, tickets: list[Ticket]) -> dict[str, Asset]:
    """The tickets' assets, by the id text a ticket holds (one query for a page)."""
    ids: set[uuid.UUID] = set()
    for ticket in tickets:
        try:
            ids.add(uuid.UUID(ticket.asset_id or ""))
        except ValueError:
            continue
    found = await uow.assets.by_ids(ids)
    return {str(i): a for i, a in found.items()}


@dataclass(frozen=True)
class _PageFacts:
    """What a page of tickets is shown with, read in one go for all of them."""

    now: datetime
    users: dict[uuid.UUID, KnownUser]
    orgs: dict[uuid.UUID, KnownOrganization]
    links: dict[uuid.UUID, list[TicketLinkRead]]
    assets: dict[str, Asset]
    terms: SlaTerms
    groups: dict[uuid.UUID, Ref]
    minutes: dict[uuid.UUID, int]
    surveys: dict[uuid.UUID, Survey]


async def _page_facts(
    uow: TicketsUoW, tickets: list[Ticket], actor: Actor, *, new: bool
) -> _PageFacts:
    """`new`: the tickets were opened by this very request, so nothing links to them,
    continues them, surveys them or has booked time on them yet: none of that is read."""
    people = {t.contact_id for t in tickets} | {t.creator_id for t in tickets}
    people |= {t.assignee_id for t in tickets if t.assignee_id}
    assets = await _assets(uow, tickets)
    return _PageFacts(
        now=datetime.now(UTC),
        users=await uow.directory.users(people),
        orgs=await uow.directory.organizations(
            {t.organization_id for t in tickets if t.organization_id}
        ),
        links=await ticket_links(uow, tickets, actor, new=new),
        assets=assets,
        terms=await _sla_terms(uow, tickets, assets, actor),
        groups=await group_refs(uow, tickets, actor),
        minutes=(
            await uow.tickets.booked_minutes([t.id for t in tickets])
            if actor.is_staff and not new
            else {}
        ),
        surveys=(
            {}
            if new
            else await uow.surveys.of_tickets([t.id for t in tickets if reads_answer(actor, t)])
        ),
    )


def _priorities(actor: Actor, ticket: Ticket, facts: _PageFacts) -> list[Priority]:
    # The service desk may give an existing ticket any priority: the contract in force
    # (worked out per ticket) only matters for a customer.
    contract = None if actor.is_staff else facts.terms.priorities_selectable(ticket, facts.now)
    known = _known(facts.orgs, ticket)
    return [*allowed_priorities(actor, ticket.organization_id, known, contract=contract)]


def _first_line(text: str) -> str:
    """The first line with content, cut to 200 characters (read from where it starts:
    descriptions run long and a page shows 25 of them)."""
    found = _CONTENT.search(text)
    if found is None:
        return ""
    start = text.rfind("\n", 0, found.start()) + 1
    segment = text[start : found.start() + FIRST_LINE]
    return next(line for line in segment.splitlines() if line.strip())[:FIRST_LINE]


def _present(t: Ticket, actor: Actor, facts: _PageFacts) -> TicketRead:
    links = facts.links.get(t.id, [])
    return TicketRead.model_construct(
        number=t.number,
        title=t.title,
        description=t.description,
        first_line=_first_line(t.description),
        category=t.category,
        subject_area=t.subject_area,
        subtype=t.subtype,
        product=t.product,
        asset_id=t.asset_id,
        asset=(
            AssetSummary.model_validate(facts.assets[t.asset_id])
            if t.asset_id in facts.assets
            else None
        ),
        priority=t.priority,
        status=t.status if sees_internal_status(actor) else None,
        portal_status=PORTAL_STATUS[t.status][0],
        portal_status_color=PORTAL_STATUS[t.status][1],
        organization=_org(facts.orgs, t.organization_id),
        contact=_user(facts.users, t.contact_id),
        creator=_user(facts.users, t.creator_id),
        assignee=_user(facts.users, t.assignee_id),
        group=facts.groups.get(t.group_id) if t.group_id else None,
        time_spent_minutes=facts.minutes.get(t.id, 0) if actor.is_staff else None,
        template_id=t.template_id,
        guide_answers=t.guide_answers or [],
        escalated_at=t.escalated_at,
        cancelled=t.cancelled,
        channel=t.channel,
        review=t.review,
        handed_over_at=t.handed_over_at,
        follow_up_of=t.follow_up_of,
        follow_ups=_follow_ups(t, links),
        merged_into=next((link.number for link in links if link.kind == "merged_into"), None),
        links=links,
        reopen_until=(
            t.resolved_at + REOPEN_WINDOW if t.resolved_at and t.can_reopen(facts.now) else None
        ),
        sla=_sla(t, facts.now, facts.terms),
        allowed_priorities=_priorities(actor, t, facts),
        survey=SurveySummary.of(facts.surveys[t.id], facts.now) if t.id in facts.surveys else None,
        created_at=t.created_at,
        updated_at=t.updated_at,
    )


async def present_tickets(
    uow: TicketsUoW, tickets: list[Ticket], actor: Actor, *, new: bool = False
) -> list[TicketRead]:
    """Call inside an entered unit of work. `new`: tickets opened by this very request
    (see `_page_facts`)."""
    facts = await _page_facts(uow, tickets, actor, new=new)
    return [_present(t, actor, facts) for t in tickets]


async def present_articles(
    uow: TicketsUoW, articles: list[Article], reader: Actor
) -> list[ArticleRead]:
    users = await uow.directory.users({a.author_id for a in articles})
    orgs = await uow.directory.organizations(
        {a.author_organization_id for a in articles if a.author_organization_id}
    )
    return [
        ArticleRead(
            id=a.id,
            kind=a.kind,
            internal=a.internal,
            body=a.body,
            author=_user(users, a.author_id),
            author_organization=_org(orgs, a.author_organization_id),
            attachment_ids=[uuid.UUID(str(f)) for f in a.attachment_ids],
            channel=a.channel,
            minutes=a.minutes if reader.is_staff else None,
            created_at=a.created_at,
        )
        for a in articles
    ]

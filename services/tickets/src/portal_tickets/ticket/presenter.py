"""Turning tickets and articles into what the API shows, with names from the directory."""

from __future__ import annotations

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
from portal_tickets.surveys.permissions import reads_answer
from portal_tickets.surveys.schemas import SurveySummary
from portal_tickets.ticket.models import PORTAL_STATUS, REOPEN_WINDOW, Article, Ticket
from portal_tickets.ticket.permissions import allowed_priorities, can_view, sees_internal_status
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
    return Ref(id=user_id, name=known.display_name if known else "")


def _org(orgs: dict[uuid.UUID, KnownOrganization], org_id: uuid.UUID | None) -> Ref | None:
    if org_id is None:
        return None
    known = orgs.get(org_id)
    return Ref(id=org_id, name=known.name if known else "")


def _known(orgs: dict[uuid.UUID, KnownOrganization], ticket: Ticket) -> KnownOrganization | None:
    return orgs.get(ticket.organization_id) if ticket.organization_id else None


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
    return SlaTimer(
        target_hours=_hours(target),
        due_at=due,
        state=state,
        running=state in RUNNING,
        done_at=done_at,
    )


def _sla(ticket: Ticket, now: datetime, terms: SlaTerms) -> SlaRead:
    clock = ticket.sla_clock
    if clock is None:
        return SlaRead(due_at=None, state=None, first_response_at=ticket.first_response_at)
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
    return SlaRead(
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

    calendars: dict[uuid.UUID, BusinessCalendar]
    default: BusinessCalendar
    contracts: dict[uuid.UUID, Contract]
    # The contracts of the tickets' organizations, for the priorities one may choose.
    by_organization: dict[uuid.UUID, list[Contract]]
    # The contract each of the tickets' assets names (by the asset's id text).
    asset_contracts: dict[str, uuid.UUID | None]

    def calendar_of(self, ticket: Ticket) -> BusinessCalendar:
        found = self.calendars.get(ticket.sla_calendar_id) if ticket.sla_calendar_id else None
        return found or self.default

    def contract_of(self, ticket: Ticket) -> SlaContractRef:
        found = self.contracts.get(ticket.contract_id) if ticket.contract_id else None
        if found is None:
            return SlaContractRef(id=None, name=STANDARD_TERMS)
        return SlaContractRef(id=found.id, name=found.name)

    def priorities_selectable(self, ticket: Ticket, now: datetime) -> bool | None:
        contracts = self.by_organization.get(ticket.organization_id or _NO_ORG, [])
        named = self.asset_contracts.get(ticket.asset_id) if ticket.asset_id else None
        chosen = rules.choose(contracts, now, ticket.product, ticket.asset_id, named)
        return None if chosen is None else chosen.priorities_selectable


_NO_ORG = uuid.UUID(int=0)
STANDARD_TERMS = "Standard"


async def _sla_terms(uow: TicketsUoW, tickets: list[Ticket], assets: dict[str, Asset]) -> SlaTerms:
    calendars = await uow.contracts.calendars_by_ids(
        {t.sla_calendar_id for t in tickets if t.sla_calendar_id}
    )
    contracts = await uow.contracts.contracts_by_ids(
        {t.contract_id for t in tickets if t.contract_id}
    )
    default = await default_calendar(uow)
    return SlaTerms(
        calendars={i: c.to_business_calendar() for i, c in calendars.items()},
        default=default.to_business_calendar(),
        contracts=contracts,
        by_organization=await uow.contracts.contracts_of(
            {t.organization_id for t in tickets if t.organization_id}
        ),
        asset_contracts={i: a.contract_id for i, a in assets.items()},
    )


async def _follow_ups(uow: TicketsUoW, tickets: list[Ticket], actor: Actor) -> dict[str, list[str]]:
    """The tickets continuing each of `tickets`, as far as `actor` may see them."""
    continuing = await uow.tickets.follow_ups([t.number for t in tickets if t.is_done])
    if not continuing:
        return {}
    own = await uow.directory.organization(actor.organization_id) if actor.organization_id else None
    found: dict[str, list[str]] = {}
    for ticket in continuing:
        if ticket.follow_up_of and can_view(actor, ticket, own):
            found.setdefault(ticket.follow_up_of, []).append(ticket.number)
    return found


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


async def present_tickets(uow: TicketsUoW, tickets: list[Ticket], actor: Actor) -> list[TicketRead]:
    """Call inside an entered unit of work."""
    people = {t.contact_id for t in tickets} | {t.creator_id for t in tickets}
    people |= {t.assignee_id for t in tickets if t.assignee_id}
    users = await uow.directory.users(people)
    orgs = await uow.directory.organizations(
        {t.organization_id for t in tickets if t.organization_id}
    )
    now = datetime.now(UTC)
    follow_ups = await _follow_ups(uow, tickets, actor)
    links = await ticket_links(uow, tickets, actor)
    assets = await _assets(uow, tickets)
    terms = await _sla_terms(uow, tickets, assets)
    groups = await group_refs(uow, tickets, actor)
    minutes = await uow.tickets.booked_minutes([t.id for t in tickets]) if actor.is_staff else {}
    surveys = await uow.surveys.of_tickets([t.id for t in tickets if reads_answer(actor, t)])
    return [
        TicketRead(
            number=t.number,
            title=t.title,
            description=t.description,
            first_line=next((line for line in t.description.splitlines() if line.strip()), "")[
                :200
            ],
            category=t.category,
            subject_area=t.subject_area,
            subtype=t.subtype,
            product=t.product,
            asset_id=t.asset_id,
            asset=AssetSummary.model_validate(assets[t.asset_id]) if t.asset_id in assets else None,
            priority=t.priority,
            status=t.status if sees_internal_status(actor) else None,
            portal_status=PORTAL_STATUS[t.status][0],
            portal_status_color=PORTAL_STATUS[t.status][1],
            organization=_org(orgs, t.organization_id),
            contact=_user(users, t.contact_id),
            creator=_user(users, t.creator_id),
            assignee=_user(users, t.assignee_id),
            group=groups.get(t.group_id) if t.group_id else None,
            time_spent_minutes=minutes.get(t.id, 0) if actor.is_staff else None,
            template_id=t.template_id,
            guide_answers=t.guide_answers or [],
            escalated_at=t.escalated_at,
            cancelled=t.cancelled,
            channel=t.channel,
            review=t.review,
            handed_over_at=t.handed_over_at,
            follow_up_of=t.follow_up_of,
            follow_ups=follow_ups.get(t.number, []),
            merged_into=next(
                (link.number for link in links.get(t.id, []) if link.kind == "merged_into"), None
            ),
            links=links.get(t.id, []),
            reopen_until=(
                t.resolved_at + REOPEN_WINDOW if t.resolved_at and t.can_reopen(now) else None
            ),
            sla=_sla(t, now, terms),
            allowed_priorities=[
                *allowed_priorities(
                    actor,
                    t.organization_id,
                    _known(orgs, t),
                    contract=terms.priorities_selectable(t, now),
                )
            ],
            survey=SurveySummary.of(surveys[t.id], now) if t.id in surveys else None,
            created_at=t.created_at,
            updated_at=t.updated_at,
        )
        for t in tickets
    ]


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

"""Demo data for `portal dev --demo`: the taxonomy and a few templates with guides, and
after the demo story (played through the API by the gateway) its tickets dated back.
Idempotent: a second start finds everything in place."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import select

from portal_chassis.demo import DemoTimeline
from portal_chassis.runtime import Runtime
from portal_tickets.catalog.models import SubjectArea, Template, TemplateGroup
from portal_tickets.contracts.models import Terms
from portal_tickets.contracts.service import terms_of_ticket
from portal_tickets.sla.clock import reaction_state, start_clock
from portal_tickets.ticket.models import Article, StatusChange, Ticket
from portal_tickets.uow import TicketsUoW

TAXONOMY = {
    "Software": ["ERP", "CRM", "Office", "Licences"],
    "Data": ["Backup", "Restore", "Reporting"],
    "IT Infrastructure": ["Network", "Server", "Printer", "Telephony"],
    "Machines": ["Press", "Conveyor", "Packaging"],
    "Robotics": ["Gripper", "Vision", "Controller"],
    "Citrix": ["Login", "Performance", "Published apps"],
}
# German labels: the area's name and its subtypes' (left out where the word is the same).
TAXONOMY_DE: dict[str, tuple[str, dict[str, str]]] = {
    "Software": ("Software", {"Licences": "Lizenzen"}),
    "Data": ("Daten", {"Backup": "Sicherung", "Restore": "Wiederherstellung"}),
    "IT Infrastructure": (
        "IT-Infrastruktur",
        {"Network": "Netzwerk", "Printer": "Drucker", "Telephony": "Telefonie"},
    ),
    "Machines": (
        "Maschinen",
        {"Press": "Presse", "Conveyor": "Förderband", "Packaging": "Verpackung"},
    ),
    "Robotics": (
        "Robotik",
        {"Gripper": "Greifer", "Vision": "Bildverarbeitung", "Controller": "Steuerung"},
    ),
    "Citrix": (
        "Citrix",
        {
            "Login": "Anmeldung",
            "Performance": "Leistung",
            "Published apps": "Veröffentlichte Anwendungen",
        },
    ),
}

TEMPLATES = [
    {
        "group": TemplateGroup.INCIDENT_REPORT,
        "name": "Machine or robot is down",
        "description": "Something stopped working in production.",
        "name_de": "Maschine oder Roboter steht",
        "description_de": "In der Produktion funktioniert etwas nicht mehr.",
        "category": "incident",
        "subject_area": "Machines",
        "guide": [
            {
                "id": "machine",
                "label": "Which machine or cell?",
                "label_de": "Welche Maschine?",
                "type": "text",
                "required": True,
            },
            {
                "id": "since",
                "label": "Since when?",
                "label_de": "Seit wann?",
                "type": "date",
                "required": True,
            },
            {
                "id": "impact",
                "label": "Is production stopped?",
                "label_de": "Steht die Produktion?",
                "type": "choice",
                "required": True,
                "choices": ["yes", "partly", "no"],
            },
            {
                "id": "error",
                "label": "Error message on the panel",
                "label_de": "Fehlermeldung",
                "type": "long_text",
            },
        ],
    },
    {
        "group": TemplateGroup.INCIDENT_REPORT,
        "name": "Software error",
        "description": "An application shows an error or behaves wrongly.",
        "name_de": "Softwarefehler",
        "description_de": "Eine Anwendung zeigt einen Fehler oder verhält sich falsch.",
        "category": "incident",
        "subject_area": "Software",
        "guide": [
            {
                "id": "steps",
                "label": "What did you do before the error?",
                "label_de": "Was haben Sie vor dem Fehler getan?",
                "type": "long_text",
                "required": True,
            },
            {
                "id": "users",
                "label": "How many users are affected?",
                "label_de": "Wie viele Benutzer sind betroffen?",
                "type": "number",
            },
        ],
    },
    {
        "group": TemplateGroup.SERVICE_REQUEST,
        "name": "New user account",
        "description": "Request access to a system for a colleague.",
        "name_de": "Neues Benutzerkonto",
        "description_de": "Zugang zu einem System für eine Kollegin oder einen Kollegen.",
        "category": "service_request",
        "subject_area": "Software",
        "guide": [
            {
                "id": "person",
                "label": "Name of the colleague",
                "label_de": "Name",
                "type": "text",
                "required": True,
            },
            {"id": "start", "label": "Start date", "label_de": "Startdatum", "type": "date"},
        ],
    },
    {
        "group": TemplateGroup.CHANGE_REQUEST,
        "name": "Change to a configuration",
        "description": "Ask for a planned change.",
        "name_de": "Änderung einer Konfiguration",
        "description_de": "Eine geplante Änderung beantragen.",
        "category": "change_request",
        "subject_area": "IT Infrastructure",
        "guide": [
            {
                "id": "change",
                "label": "What should change?",
                "label_de": "Was soll sich ändern?",
                "type": "long_text",
                "required": True,
            },
            {"id": "window", "label": "Preferred date", "label_de": "Wunschtermin", "type": "date"},
        ],
    },
]


async def seed_demo(runtime: Runtime) -> list[str]:
    uow = cast(TicketsUoW, runtime.uow())
    async with uow:
        for name, subtypes in TAXONOMY.items():
            name_de, subtypes_de = TAXONOMY_DE[name]
            area = await uow.catalog.subject_area(name)
            if area is None:
                area = SubjectArea(name=name, subtypes=subtypes, active=True)
                uow.catalog.add(area)
            # Data of an earlier start has no German labels yet: add them, keep any set.
            area.name_de = area.name_de or name_de
            area.subtypes_de = {**subtypes_de, **(area.subtypes_de or {})}
        existing = {t.name for t in await uow.catalog.templates()}
        for spec in TEMPLATES:
            if spec["name"] not in existing:
                uow.catalog.add(Template(id=uuid.uuid4(), organization_ids=[], active=True, **spec))
        await uow.commit()
    return [f"{len(TEMPLATES)} ticket templates, {len(TAXONOMY)} subject areas"]


# --- after the demo story ------------------------------------------------------------
# The story ran through the API a moment ago; its tickets should look like the past
# days. Dating back happens here, in this service's own tables, with its own SLA rule.

AT_RISK_SEARCH = timedelta(days=10)
AT_RISK_STEP = timedelta(minutes=10)


async def finish_demo(runtime: Runtime, timeline: DemoTimeline) -> list[str]:
    if timeline.empty:
        return []
    now = datetime.now(UTC)
    uow = cast(TicketsUoW, runtime.uow())
    async with uow:
        session = uow.session  # dating back rewrites this service's own rows directly
        tickets = list(
            await session.scalars(select(Ticket).where(Ticket.created_at >= timeline.marks[0][0]))
        )
        articles = await session.scalars(
            select(Article).where(Article.ticket_id.in_([t.id for t in tickets]))
        )
        changes = await session.scalars(
            select(StatusChange).where(StatusChange.ticket_id.in_([t.id for t in tickets]))
        )
        for row in [*tickets, *articles, *changes]:
            _date_back(row, timeline.shown)
        for ticket in tickets:
            await _restart_clock(uow, ticket)
        waiting = [t for t in tickets if t.first_response_at is None and not t.is_done]
        if waiting:
            # The newest unanswered ticket is dated so that its target is close, when
            # the business calendar allows it now (on a weekend nothing is "at risk").
            newest = max(waiting, key=lambda t: t.created_at)
            await _aim_at_risk(uow, newest, now)
        await uow.commit()
    # The scheduled check finds what is past its target, as it would have back then.
    await runtime.tasks.enqueue("scan_sla")
    await runtime.tasks.drain()
    return [f"{len(tickets)} demo tickets dated back over the past days"]


async def _terms(uow: TicketsUoW, ticket: Ticket) -> Terms:
    return await terms_of_ticket(
        uow,
        organization_id=ticket.organization_id,
        contract_id=ticket.contract_id,
        calendar_id=ticket.sla_calendar_id,
    )


async def _restart_clock(uow: TicketsUoW, ticket: Ticket) -> None:
    """The clock as if the ticket had been opened at its dated-back moment."""
    start = (await _terms(uow, ticket)).start_clock(ticket.priority.value, ticket.created_at)
    if ticket.sla_paused_at is not None:
        start = replace(start, clock=start.clock.pause(ticket.sla_paused_at))
    ticket.start_sla(start)


_STAMPS = (
    "created_at",
    "updated_at",
    "first_response_at",
    "resolved_at",
    "escalated_at",
    "sla_breached_at",
    "resolution_breached_at",
    "sla_paused_at",
)


def _date_back(row: object, shown: Callable[[datetime], datetime]) -> None:
    for name in _STAMPS:
        value = getattr(row, name, None)
        if value is not None:
            setattr(row, name, shown(value))


def _moved(shift: timedelta) -> Callable[[datetime], datetime]:
    return lambda value: value + shift


async def _aim_at_risk(uow: TicketsUoW, ticket: Ticket, now: datetime) -> None:
    terms = await _terms(uow, ticket)
    calendar, targets = terms.business_calendar(), terms.targets_for(ticket.priority.value)
    age = AT_RISK_STEP
    while age <= AT_RISK_SEARCH:
        created = now - age
        clock = start_clock(calendar, created, targets)
        state = reaction_state(
            clock, first_response_at=None, now=now, done=False, calendar=calendar
        )
        if state == "at_risk":
            shift = created - ticket.created_at
            articles = await uow.session.scalars(
                select(Article).where(Article.ticket_id == ticket.id)
            )
            changes = await uow.session.scalars(
                select(StatusChange).where(StatusChange.ticket_id == ticket.id)
            )
            for row in [ticket, *articles, *changes]:
                _date_back(row, _moved(shift))
            await _restart_clock(uow, ticket)
            return
        age += AT_RISK_STEP

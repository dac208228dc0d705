"""The desk's work page: its two forms (the ticket's facts; a reply or internal note),
what they change on the ticket, what the page refuses before asking the tickets
service, and everything the page shows about the ticket (the SLA clock, the
conversation, the customer's other open tickets, the choices of the facts form with the
agent groups, the text modules the reply box offers). Linking and merging: `work_extras.py`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.assets import Asset, AssetsClient
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.catalog import CatalogClient, SubjectArea
from portal_gateway.web.clients.desk import AgentGroup, DeskClient, TextModule
from portal_gateway.web.clients.files import FilesClient
from portal_gateway.web.clients.identity import IdentityClient, User
from portal_gateway.web.clients.tickets import (
    CATEGORIES,
    PRIORITIES,
    STATUSES,
    Article,
    Ref,
    Ticket,
    TicketsClient,
)
from portal_gateway.web.desk.queue import sla_badges
from portal_gateway.web.i18n import TEXTS
from portal_gateway.web.sla_view import SlaView, sla_view

MAX_ATTACHMENT_LOOKUPS = 40
MAX_CHOICES = 200
MAX_OTHERS = 10
# The organization's installations the asset field offers before one is searched.
OFFERED_ASSETS = 25

# Each fact: the form field it is posted in, and the hidden field holding the value the
# page showed (a change is what differs from it, so that two agents' changes to
# different facts do not undo each other).
POSTED = {
    "category": ("category", "current_category"),
    "priority": ("priority", "current_priority"),
    "subject_area": ("subject_area", "current_subject_area"),
    "subtype": ("subtype", "current_subtype"),
    "asset": ("asset_id", "current_asset"),
    "status": ("status", "current_status"),
    "assignee": ("assignee_id", "current_assignee"),
    "group": ("group_id", "current_group"),
    "product": ("product", "current_product"),
}
# API field -> the id of the form control its message belongs to.
WORK_FIELDS = {
    "body": "body",
    "attachment_ids": "attachments",
    "internal": "kind-internal",
    "status": "status",
    "assignee_id": "assignee_id",
    "category": "category",
    "priority": "priority",
    "subject_area": "subject_area",
    "subtype": "subtype",
    "asset_id": "asset_id",
    "group_id": "group_id",
    "product": "product",
}
# Tickets that can no longer go into another one.
FINISHED = frozenset({"closed", "cancelled"})
# The text modules the reply box offers without script (the script searches them all).
OFFERED_MODULES = 100


@dataclass(frozen=True)
class Facts:
    """The ticket's facts the desk changes, as the page showed them or as posted."""

    category: str = ""
    priority: str = ""
    subject_area: str = ""
    subtype: str = ""
    asset: str = ""  # the asset's serial number (its id when it has none)
    status: str = ""
    assignee: str = ""  # a user id
    group: str = ""  # an agent group's id
    product: str = ""

    @classmethod
    def of_ticket(cls, ticket: Ticket) -> Facts:
        asset = ticket.asset
        return cls(
            category=ticket.category,
            priority=ticket.priority,
            subject_area=ticket.subject_area or "",
            subtype=ticket.subtype or "",
            asset=(asset.serial_number or asset.id) if asset else "",
            status=ticket.status or "",
            assignee=ticket.assignee.id if ticket.assignee else "",
            group=ticket.group.id if ticket.group else "",
            product=ticket.product or "",
        )

    @classmethod
    def posted(cls, text: Callable[[str, int], str], *, shown: bool) -> Facts:
        """The facts as posted (`shown`: the values the page showed, in hidden fields)."""
        return cls(**{name: text(POSTED[name][1 if shown else 0], 200) for name in POSTED})

    def changes_from(self, shown: Facts) -> dict[str, Any]:
        """The ticket fields to change. The service cannot empty a category, priority,
        subject area, subtype or product: an emptied one stays as it is."""
        changed: dict[str, Any] = {}
        for name in ("category", "priority", "subject_area", "subtype", "status", "product"):
            value = getattr(self, name)
            if value and value != getattr(shown, name):
                changed[name] = value
        if self.asset != shown.asset:
            changed["asset_id"] = self.asset or None
        if self.assignee != shown.assignee:
            changed["assignee_id"] = self.assignee or None
        if self.group != shown.group:
            changed["group_id"] = self.group or None
        return changed


@dataclass
class WorkForm:
    """What the work page posted: a message or note with its files, and the facts when
    the facts form was sent (None when only the reply was). A text module inserted into
    the reply may bring a status and a priority: they come as checkboxes of the reply
    form (`module_status`, `module_priority`), shown and checked, so that sending the
    message also sets them unless the agent unticks them. `panel` "links": the linked
    tickets' forms were posted (what was typed in them)."""

    body: str = ""
    internal: bool = False
    attachment_ids: list[str] = field(default_factory=list)
    facts: Facts | None = None
    shown: Facts = field(default_factory=Facts)
    set_status: str = ""
    set_priority: str = ""
    panel: str = ""
    link_number: str = ""
    merge_into: str = ""
    minutes: str = ""  # time accounting: the minutes the message took, as typed

    @classmethod
    def of_form(cls, form: Any, text: Callable[..., str]) -> WorkForm:
        ids = [v for v in form.getlist("attachment_ids") if isinstance(v, str) and is_uuid(v)]
        with_facts = any(current in form for _, current in POSTED.values())
        return cls(
            body=text("body", 100_000),
            internal=form.get("kind") == "internal",
            attachment_ids=ids[:20],
            facts=Facts.posted(text, shown=False) if with_facts else None,
            shown=Facts.posted(text, shown=True) if with_facts else Facts(),
            set_status=text("module_status", 32),
            set_priority=text("module_priority", 32),
            minutes=text("minutes", 8),
        )

    def changes(self) -> dict[str, Any]:
        """The facts form's changes, or the text module's status and priority (sent
        before the message, so that a first answer's move from new to open does not
        undo the module's status)."""
        changed = self.facts.changes_from(self.shown) if self.facts else {}
        if self.set_status:
            changed.setdefault("status", self.set_status)
        if self.set_priority:
            changed.setdefault("priority", self.set_priority)
        return changed

    def with_module(self, body: str, set_status: str | None, set_priority: str | None) -> WorkForm:
        """The reply with a text module's text appended (the script inserts it at the
        cursor instead) and its status and priority offered."""
        joined = f"{self.body.rstrip()}\n\n{body}" if self.body else body
        return replace(
            self,
            body=joined,
            set_status=set_status or self.set_status,
            set_priority=set_priority or self.set_priority,
        )

    def problems(self, t: Mapping[str, str]) -> dict[str, str]:
        """What the page refuses before asking the service: values no control offers."""
        if (control := self._unknown_choice()) is not None:
            return {control: t["form_has_errors"], "": t["form_has_errors"]}
        if self.attachment_ids and not self.body:
            return {"body": t["desk_body_for_files"], "": t["form_has_errors"]}
        if self.minutes and self.booked_minutes is None:
            return {"minutes": t["desk_minutes_invalid"], "": t["form_has_errors"]}
        if not self.body and not self.changes():
            return {"": t["desk_nothing_to_do"]}
        return {}

    @property
    def booked_minutes(self) -> int | None:
        """The minutes typed, when they are a whole number from 1 to 1440 (a day)."""
        value = self.minutes.strip()
        return int(value) if value.isdigit() and 1 <= int(value) <= 1440 else None

    def _unknown_choice(self) -> str | None:
        facts = self.facts or Facts()
        for value, allowed, control in (
            (facts.status, STATUSES, "status"),
            (facts.category, CATEGORIES, "category"),
            (facts.priority, PRIORITIES, "priority"),
            (self.set_status, STATUSES, "module_status"),
            (self.set_priority, PRIORITIES, "module_priority"),
        ):
            if value and value not in allowed:
                return control
        if facts.assignee and not is_uuid(facts.assignee):
            return "assignee_id"
        if facts.group and not is_uuid(facts.group):
            return "group_id"
        return None


@dataclass(frozen=True)
class WorkSla:
    """The SLA clock on the work page: both timers with their indicators, the pause and
    the terms."""

    view: SlaView
    badges: dict[str, dict[str, Any]]

    @classmethod
    def of_ticket(cls, ticket: Ticket, lang: str, now: datetime) -> WorkSla:
        view = sla_view(ticket.sla, lang)
        return cls(view, sla_badges(view, now, TEXTS[lang]))


@dataclass(frozen=True)
class WorkView:
    """Everything the work page shows besides its forms. A list a service could not
    give is empty; the page works without it."""

    ticket: Ticket
    articles: list[Article]
    files: dict[str, str]
    agents: list[User]
    areas: list[SubjectArea]
    assets: list[Asset]
    others: list[Ticket]  # the organization's other open tickets
    following: bool | None  # None: not known
    groups: list[AgentGroup] = field(default_factory=list)
    modules: list[TextModule] = field(default_factory=list)  # for the reply box
    time_accounting: bool = False  # the reply box asks for the minutes spent
    followers: list[Ref] = field(default_factory=list)
    people: list[User] = field(default_factory=list)  # the organization's, to follow

    @property
    def follower_choices(self) -> list[tuple[str, str]]:
        """Who may be added as a follower: the organization's people and the desk, less
        those who follow already."""
        following = {f.id for f in self.followers}
        everyone = [*self.people, *self.agents]
        return [
            (u.id, f"{u.display_name} ({u.username})") for u in everyone if u.id not in following
        ]

    @property
    def seen_until(self) -> str:
        """The newest message shown (or the ticket's opening): a reply sent with it is
        held back if someone else wrote after it."""
        return max((a.created_at for a in self.articles), default=self.ticket.created_at)

    @property
    def priorities(self) -> list[str]:
        return list(self.ticket.allowed_priorities) or list(PRIORITIES)

    def facts_of(self, form: WorkForm) -> Facts:
        """The facts form's values: as posted when it was refused, else the ticket's."""
        return form.facts or Facts.of_ticket(self.ticket)

    @property
    def group_choices(self) -> list[tuple[str, str]]:
        """The agent groups (id, name) to choose from, the ticket's own among them even
        when the list could not be loaded."""
        choices = [(g.id, g.name) for g in self.groups]
        own = self.ticket.group
        if own is not None and own.id not in {i for i, _ in choices}:
            choices.append((own.id, own.name))
        return choices

    @property
    def mergeable(self) -> bool:
        """Whether the ticket may still go into another one (an open one only)."""
        return not self.ticket.merged_into and self.ticket.status not in FINISHED

    def modules_by_language(self, first: str) -> list[tuple[str, list[TextModule]]]:
        """The offered text modules by language, the reader's first."""
        order = [first, *(lang for lang in ("de", "en") if lang != first)]
        found = [(lang, [m for m in self.modules if m.language == lang]) for lang in order]
        return [(lang, modules) for lang, modules in found if modules]


async def load_work(web: Web, viewer: Viewer, number: str) -> WorkView | ServiceError:
    """The ticket and what the page shows with it; the ticket's refusal as a value."""
    tickets = web.client(TicketsClient, viewer)
    ticket, answered, agents, areas, following, (groups, modules) = await asyncio.gather(
        settle(tickets.ticket(number)),
        settle(tickets.articles(number)),
        _agents(web.client(IdentityClient, viewer)),
        settle(web.client(CatalogClient, viewer).subject_areas()),
        settle(tickets.following(number)),
        _desk_setup(web.client(DeskClient, viewer)),
    )
    if isinstance(ticket, ServiceError):
        return ticket
    articles = [] if isinstance(answered, ServiceError) else answered.items
    org = ticket.organization.id if ticket.organization else None
    others, assets, files, accounting, followers, people = await asyncio.gather(
        _other_open_tickets(tickets, ticket),
        offered_assets(web.client(AssetsClient, viewer), org),
        file_names(web.client(FilesClient, viewer), articles),
        settle(tickets.time_accounting()),
        settle(tickets.followers(number)),
        _people(web.client(IdentityClient, viewer), org),
    )
    return WorkView(
        ticket=ticket,
        articles=articles,
        files=files,
        agents=agents,
        areas=[] if isinstance(areas, ServiceError) else _areas_for(areas, ticket),
        assets=assets,
        others=others,
        following=None if isinstance(following, ServiceError) else following,
        groups=groups,
        modules=modules,
        time_accounting=accounting is True,
        followers=[] if isinstance(followers, ServiceError) else followers,
        people=people,
    )


async def _desk_setup(desk: DeskClient) -> tuple[list[AgentGroup], list[TextModule]]:
    """The agent groups (for the facts form) and the text modules the reply box offers
    without script; either empty when it could not be loaded."""
    groups, modules = await asyncio.gather(
        settle(desk.groups()), settle(desk.text_modules(limit=OFFERED_MODULES))
    )
    return (
        [] if isinstance(groups, ServiceError) else groups,
        [] if isinstance(modules, ServiceError) else modules.items,
    )


async def _agents(identity: IdentityClient) -> list[User]:
    """The active agents and administrators, to assign the ticket to."""
    try:
        staff = await identity.users(limit=MAX_CHOICES, roles=("agent", "admin"))
    except ServiceError:
        return []
    return [a for a in staff.items if getattr(a, "active", False)]


async def _people(identity: IdentityClient, organization_id: str | None) -> list[User]:
    """The active people of the ticket's organization (who may follow it)."""
    if organization_id is None:
        return []
    try:
        found = await identity.users(limit=MAX_CHOICES, organization_id=organization_id)
    except ServiceError:
        return []
    return [u for u in found.items if getattr(u, "active", False)]


def _areas_for(areas: list[SubjectArea], ticket: Ticket) -> list[SubjectArea]:
    """The active subject areas, and the ticket's own even if retired since."""
    return [a for a in areas if a.active or a.name == ticket.subject_area]


async def _other_open_tickets(tickets: TicketsClient, ticket: Ticket) -> list[Ticket]:
    """The newest open tickets of the same organization, this one left out."""
    if ticket.organization is None:
        return []
    params = {
        "organization_id": ticket.organization.id,
        "state": "open",
        "sort": "-created",
        "limit": str(MAX_OTHERS + 1),
    }
    page = await settle(tickets.tickets(params))
    if isinstance(page, ServiceError):
        return []
    return [t for t in page.items if t.number != ticket.number][:MAX_OTHERS]


async def offered_assets(assets: AssetsClient, organization_id: str | None) -> list[Asset]:
    """The organization's installations in use, for the asset field to offer."""
    if not organization_id:
        return []
    page = await settle(
        assets.assets(
            organization_id=organization_id, statuses=("active", "inactive"), limit=OFFERED_ASSETS
        )
    )
    return [] if isinstance(page, ServiceError) else page.items


async def file_names(files: FilesClient, articles: list[Article]) -> dict[str, str]:
    ids = list(dict.fromkeys(i for a in articles for i in a.attachment_ids))
    found = await files.files(ids[:MAX_ATTACHMENT_LOOKUPS])
    return {i: f.name or "" for i, f in found.items()}

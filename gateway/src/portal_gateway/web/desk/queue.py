"""The desk's queue: which tickets it shows (read from the query string, passed on to the
tickets service), and each row's SLA indicators (reaction, resolution, a pause) and age."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.tickets import (
    PORTAL_STATUSES,
    PRIORITIES,
    STATUSES,
    Ticket,
)
from portal_gateway.web.i18n import TEXTS
from portal_gateway.web.sla_view import SlaView, TimerView, sla_view

# The queue's own views, each a set of filters: the first is the queue without any.
PRESETS: dict[str, dict[str, str]] = {
    "unassigned": {"assignee": "none"},
    "mine": {"assignee": "me"},
    "open": {},
    "breached": {"sla": "breached"},
    "escalated": {"escalated": "1"},
    "waiting": {"sla": "paused"},
}
TABS = tuple(PRESETS)
SORTS = {
    "sla": "sla",
    "due": "due",
    "newest": "-created",
    "oldest": "created",
    "priority": "priority",
}
SLA_FILTERS = ("at_risk", "breached", "paused")
FILTERS = ("assignee", "group", "organization", "priority", "status", "sla", "escalated", "q")
AGENT_CHOICES = ("me", "none")
PAGE_SIZE = "50"


def _assignee(value: str) -> str:
    """An assignee filter: me, none (unassigned), an agent's id, or empty for anyone."""
    return value if value in AGENT_CHOICES or is_uuid(value) else ""


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows, read from the query string (unknown values fall back).

    `tab=<name>` starts from one of the queue's own views (PRESETS) and the filters
    given with it narrow it; without a tab the filters given are all there is, and
    without either the queue shows the unassigned tickets."""

    assignee: str = "none"
    group: str = ""  # an agent group's id, or "none" for tickets of no group
    organization: str = ""
    priority: str = ""
    status: str = ""
    sla: str = ""
    escalated: bool = False
    q: str = ""
    # The next due time (reaction while unanswered, else resolution): the order the
    # hotline works in, read from an index however many tickets there are.
    sort: str = "due"
    cursor: str = ""

    @classmethod
    def of(cls, query: Mapping[str, str]) -> QueueFilters:
        given = {name: query.get(name, "") for name in FILTERS if name in query}
        preset = PRESETS.get(query.get("tab", ""))
        chosen = (given or PRESETS["unassigned"]) if preset is None else {**preset, **given}
        return cls.chosen(chosen, sort=query.get("sort", ""), cursor=query.get("cursor", ""))

    @classmethod
    def chosen(cls, values: Mapping[str, str], *, sort: str, cursor: str) -> QueueFilters:
        def pick(name: str, allowed: Any) -> str:
            value = values.get(name, "")
            return value if value in allowed else ""

        organization, group = values.get("organization", ""), values.get("group", "")
        return cls(
            assignee=_assignee(values.get("assignee", "")),
            group=group if group == "none" or is_uuid(group) else "",
            organization=organization if is_uuid(organization) else "",
            priority=pick("priority", PRIORITIES),
            status=pick("status", STATUSES + PORTAL_STATUSES),
            sla=pick("sla", SLA_FILTERS),
            escalated=values.get("escalated", "") in ("1", "true", "on"),
            q=" ".join(values.get("q", "").split())[:200],
            sort=sort if sort in SORTS else "due",
            cursor=cursor[:200],
        )

    @property
    def pairs(self) -> dict[str, str]:
        """The filters that narrow the queue, as the query string names them."""
        pairs = {
            "assignee": self.assignee,
            "group": self.group,
            "organization": self.organization,
            "priority": self.priority,
            "status": self.status,
            "sla": self.sla,
            "escalated": "1" if self.escalated else "",
            "q": self.q,
        }
        return {k: v for k, v in pairs.items() if v}

    @property
    def tab(self) -> str | None:
        """The queue's own view these filters are, if any."""
        pairs = self.pairs
        return next((name for name, preset in PRESETS.items() if preset == pairs), None)

    def query(self, **changes: Any) -> str:
        """The query string of this view (without the cursor unless given)."""
        chosen = replace(self, **{"cursor": "", **changes})
        tab = chosen.tab
        items = [("tab", tab)] if tab else list(chosen.pairs.items())
        if chosen.sort != "due":
            items.append(("sort", chosen.sort))
        if chosen.cursor:
            items.append(("cursor", chosen.cursor))
        return urlencode(items)

    def preset_query(self, tab: str) -> str:
        """The query string of one of the queue's own views, in this sort order."""
        return QueueFilters.of({"tab": tab}).query(sort=self.sort)

    def count_params(self) -> dict[str, str]:
        """The list's filters as the tickets service reads them (the summary's too)."""
        params: dict[str, str] = {}
        if self.assignee == "me":
            params["scope"] = "mine"  # for the service desk: assigned to the caller
        elif self.assignee:
            params["assignee"] = self.assignee
        # A chosen status may be a closed one; otherwise the queue is open work only.
        if self.status:
            params["status"] = self.status
        else:
            params["state"] = "open"
        if self.group:
            params["group_id"] = self.group
        if self.organization:
            params["organization_id"] = self.organization
        if self.priority:
            params["priority"] = self.priority
        if self.sla:
            params["sla"] = self.sla
        if self.escalated:
            params["escalated"] = "true"
        if self.q:
            params["q"] = self.q
        return params

    def api_params(self) -> dict[str, str]:
        params = {**self.count_params(), "sort": SORTS[self.sort], "limit": PAGE_SIZE}
        if self.cursor:
            params["cursor"] = self.cursor
        return params

    def view_query(self) -> dict[str, Any]:
        """The filters as a saved view of the desk keeps them (the list's names)."""
        return {
            "page": "desk",
            "scope": "mine" if self.assignee == "me" else "organization",
            "state": "all" if self.status else "open",
            "status": [self.status] if self.status else [],
            "priority": [self.priority] if self.priority else [],
            "q": self.q or None,
            "sort": SORTS[self.sort],
            "assignee": self.assignee if self.assignee not in ("", "me") else None,
            "organization_id": self.organization or None,
            "group_id": self.group or None,
            "sla": self.sla or None,
            "escalated": True if self.escalated else None,
        }

    @classmethod
    def of_view(cls, query: Mapping[str, Any]) -> QueueFilters:
        """A saved view's filters (see `view_query`)."""

        def first(name: str) -> str:
            values = query.get(name) or []
            return str(values[0]) if isinstance(values, list) and values else ""

        assignee = "me" if query.get("scope") == "mine" else str(query.get("assignee") or "")
        sort = next((k for k, v in SORTS.items() if v == query.get("sort")), "due")
        values = {
            "assignee": assignee,
            "organization": str(query.get("organization_id") or ""),
            "group": str(query.get("group_id") or ""),
            "priority": first("priority"),
            "status": first("status"),
            "sla": str(query.get("sla") or ""),
            "escalated": "1" if query.get("escalated") else "",
            "q": str(query.get("q") or ""),
        }
        return cls.chosen(values, sort=sort, cursor="")


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def duration(seconds: float, t: Mapping[str, str]) -> str:
    """A short span of time: "2 d 3 h", "4 h 10 min", "12 min"."""
    minutes = max(0, int(seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        parts = [t["desk_days"].format(n=days)]
        if hours:
            parts.append(t["desk_hours"].format(n=hours))
    elif hours:
        parts = [t["desk_hours"].format(n=hours)]
        if mins:
            parts.append(t["desk_minutes"].format(n=mins))
    else:
        parts = [t["desk_minutes"].format(n=mins)]
    return " ".join(parts)


def timer_badge(timer: TimerView, now: datetime, t: Mapping[str, str]) -> dict[str, Any]:
    """One SLA timer's indicator: a state for the colour and a text that says it too.
    A paused timer shows the time left as if the pause ended now (the service's due
    time); the page marks the pause on its own."""
    due = parse_time(timer.due_at)
    if not timer.known or due is None:
        return {"state": "none", "text": t["desk_sla_none"], "due_at": None}
    left = (due - now).total_seconds()
    if timer.state in ("ok", "at_risk", "paused"):
        text = t["desk_sla_left"].format(time=duration(left, t))
    elif timer.state == "breached":
        text = t["desk_sla_breached_since"].format(time=duration(-left, t))
    else:
        text = t.get(f"desk_sla_{timer.state}", timer.state)
    return {"state": timer.state, "text": text, "due_at": timer.due_at}


def sla_badges(view: SlaView, now: datetime, t: Mapping[str, str]) -> dict[str, Any]:
    """Both timers' indicators, by kind ("reaction", "resolution")."""
    return {timer.kind: timer_badge(timer, now, t) for timer in view.timers}


def queue_rows(items: list[Ticket], lang: str) -> list[dict[str, Any]]:
    t = TEXTS[lang]
    now = datetime.now(UTC)
    rows = []
    for ticket in items:
        created = parse_time(ticket.created_at) or now
        view = sla_view(ticket.sla, lang)
        badges = sla_badges(view, now, t)
        rows.append(
            {
                "ticket": ticket,
                "sla": badges["reaction"],
                "resolution": badges["resolution"],
                "paused": view.paused,
                "paused_since": view.paused_since,
                "age": duration((now - created).total_seconds(), t),
            }
        )
    return rows

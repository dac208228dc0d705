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

TABS = ("unassigned", "mine", "open")
SORTS = {"sla": "sla", "newest": "-created", "oldest": "created", "priority": "priority"}


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows, read from the query string (unknown values fall back)."""

    tab: str = "unassigned"
    organization: str = ""
    priority: str = ""
    status: str = ""
    breached: bool = False
    sort: str = "sla"
    cursor: str = ""

    @classmethod
    def of(cls, query: Mapping[str, str]) -> QueueFilters:
        def pick(name: str, allowed: Any, default: str = "") -> str:
            value = query.get(name, "")
            return value if value in allowed else default

        organization = query.get("organization", "")
        return cls(
            tab=pick("tab", TABS, "unassigned"),
            organization=organization if is_uuid(organization) else "",
            priority=pick("priority", PRIORITIES),
            status=pick("status", STATUSES + PORTAL_STATUSES),
            breached=query.get("sla") == "breached",
            sort=pick("sort", SORTS, "sla"),
            cursor=query.get("cursor", "")[:200],
        )

    def api_params(self) -> dict[str, str]:
        params = {"sort": SORTS[self.sort], "limit": "50"}
        if self.tab == "mine":
            params["scope"] = "mine"
        elif self.tab == "unassigned":
            params["assignee"] = "none"
        # A chosen status may be a closed one; otherwise the queue is open work only.
        if self.status:
            params["status"] = self.status
        else:
            params["state"] = "open"
        if self.organization:
            params["organization_id"] = self.organization
        if self.priority:
            params["priority"] = self.priority
        if self.breached:
            params["sla"] = "breached"
        if self.cursor:
            params["cursor"] = self.cursor
        return params

    def query(self, **changes: Any) -> str:
        """The query string of this view (without the cursor unless given)."""
        chosen = replace(self, **{"cursor": "", **changes})
        pairs = {
            "tab": chosen.tab,
            "organization": chosen.organization,
            "priority": chosen.priority,
            "status": chosen.status,
            "sla": "breached" if chosen.breached else "",
            "sort": chosen.sort if chosen.sort != "sla" else "",
            "cursor": chosen.cursor,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


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

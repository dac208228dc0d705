"""The tickets list's and search's SQL, captured from the service's own code while it
reads a page, under EXPLAIN (ANALYZE, BUFFERS) with the parameter values, and the plan
its prepared statement switches to after five runs where that differs
(`tickets_scale.py`; optional there: skipped if the service's internals moved)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

import asyncpg


def _shape(node: dict, *, details: bool = True) -> str:
    """A plan in one line: node types with their index and table, then their inputs."""
    label = node["Node Type"]
    if "Index Name" in node:
        label += f" using {node['Index Name']}"
    if "Relation Name" in node:
        label += f" on {node['Relation Name']}"
    if details and node.get("Rows Removed by Filter"):
        label += f" (removed {node['Rows Removed by Filter']})"
    if details and node.get("Lossy Heap Blocks"):
        label += f" (lossy {node['Lossy Heap Blocks']})"
    children = [_shape(child, details=details) for child in node.get("Plans", [])]
    if len(children) == 1:
        return f"{label} > {children[0]}"
    if children:
        return f"{label}({', '.join(children)})"
    return label


async def explain(url: str, real: dict[str, Any], paths: dict[str, dict[str, str]]) -> dict:
    """The list and search SQL of the service (captured from its own code), under EXPLAIN
    (ANALYZE, BUFFERS) with the parameter values, and the plan its prepared statement
    switches to after five runs where that differs."""
    from sqlalchemy import event

    from portal_chassis.db import create_engine, make_session_factory
    from portal_tickets.base import messaging
    from portal_tickets.uow import TicketsUoW

    engine = create_engine(url)
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    captured: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        captured.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    actors = _actors(real)
    uow = TicketsUoW(make_session_factory(engine), producer="tickets", tables=messaging)
    plans: dict[str, Any] = {}
    try:
        for role, variants in paths.items():
            for label, path in variants.items():
                captured.clear()
                await _read_page(uow, actors[role], path)
                statement, parameters = next(
                    (s, p) for s, p in captured if "FROM ticket" in s and "LIMIT" in s
                )
                plans.setdefault(role, {})[label] = await plan_of(
                    engine, dsn, statement, parameters
                )
    finally:
        await engine.dispose()
    return plans


def _actors(real: dict[str, Any]) -> dict[str, Any]:
    """The customer and the agent made through identity, as the service sees them."""
    from portal_chassis.auth import Actor

    return {
        "customer": Actor(
            id=uuid.UUID(real["customer"]),
            username=real["customer_username"],
            organization_id=uuid.UUID(real["org"]),
            roles=frozenset({"customer"}),
        ),
        "agent": Actor(
            id=uuid.UUID(real["agent"]),
            username=real["agent_username"],
            organization_id=None,
            roles=frozenset({"agent"}),
        ),
    }


async def _read_page(uow: Any, actor: Any, path: str) -> None:
    """The page `path` asks for, read by the service's own code (its SQL is captured)."""
    from urllib.parse import parse_qs, urlsplit

    from portal_tickets.ticket import cursor as cursors
    from portal_tickets.ticket import service
    from portal_tickets.ticket.models import Priority
    from portal_tickets.ticket.views import ListFilters

    query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
    filters = ListFilters(
        scope="organization",
        state=query.get("state", "all"),
        priority=[Priority(query["priority"])] if "priority" in query else [],
        q=query.get("q"),
    )
    after = cursors.decode(query["cursor"], "created") if "cursor" in query else None
    async with uow:  # the list reads its page inside the unit of work
        await service.ticket_page(
            uow=uow,
            actor=actor,
            scope="organization",
            sort="created",
            descending=True,
            after=after,
            limit=25,
            **filters.as_query(actor),
        )


async def plan_of(engine: Any, dsn: str, statement: str, parameters: Any) -> dict[str, Any]:
    """One statement under EXPLAIN (ANALYZE, BUFFERS): times, buffers, the plan, its SQL,
    and the plan its prepared statement switches to after five runs where that differs."""
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
        )
        plan = result.scalar()
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
    top = plan["Plan"]
    found = {
        "execution_ms": round(plan["Execution Time"], 2),
        "planning_ms": round(plan["Planning Time"], 2),
        "buffers_hit": top.get("Shared Hit Blocks", 0),
        "buffers_read": top.get("Shared Read Blocks", 0),
        "plan": _shape(top),
        "sql": " ".join(statement.split()),
    }
    cached = await _cached_plan(dsn, statement, parameters)
    if cached != _shape(top, details=False):
        found["plan_from_6th_run"] = cached
    return found


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        value = value.isoformat()
    return "'" + str(value).replace("'", "''") + "'"


async def _cached_plan(dsn: str, statement: str, parameters: Any) -> str:
    """The plan a pooled connection runs the statement with from its 6th execution on: the
    service's driver prepares statements, and PostgreSQL may then switch to a generic plan
    (made without the parameter values) when its estimate looks cheaper."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f"PREPARE bench_statement AS {statement}")
        call = f"EXECUTE bench_statement({', '.join(_literal(p) for p in parameters)})"
        for _ in range(5):
            await conn.execute(call)
        plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {call}")
    finally:
        await conn.close()
    return _shape((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"], details=False)

"""Seeding for `tickets_scale.py` and `desk_queue.py`: a million tickets with their
articles, status history, SLA clocks and search documents, written straight into the
tickets database with COPY.

The corpus (`tickets_corpus.py`) is German and English support phrases over products
with a long tail and a few rare words; `seed()` loads it with one worker process per
core (this file run with `--seed-worker`), each COPYing every W-th chunk of tickets,
with the indexes dropped for the load and rebuilt afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from tickets_corpus import (
    COMPANY,
    FIRST_NAMES,
    LAST_NAMES,
    PRODUCTS,
    RARE,
    RARE_SENTENCE,
    RARE_SHARE,
    SYSTEM,
    Corpus,
    _cumulative,
    _pick,
)

from portal_tickets.ticket.models import next_due_time

BEGAN = time.perf_counter()


def note(message: str) -> None:
    print(f"[{time.perf_counter() - BEGAN:7.1f}s] {message}", file=sys.stderr, flush=True)


CATEGORIES = [("incident", 55), ("service_request", 25), ("change_request", 8), ("question", 12)]
PRIORITIES = [("P1", 5), ("P2", 20), ("P3", 45), ("P4", 30)]
# Final status by the age of the ticket: young tickets are in work, old ones closed.
STATUS_BY_AGE = [
    (7, {"new": 20, "open": 30, "waiting_customer": 15, "waiting_internal": 10,
         "postponed": 3, "resolved": 15, "closed": 6, "cancelled": 1}),
    (60, {"new": 2, "open": 12, "waiting_customer": 8, "waiting_internal": 5,
          "postponed": 5, "resolved": 10, "closed": 55, "cancelled": 3}),
    (10**9, {"new": 0.2, "open": 1, "waiting_customer": 0.8, "waiting_internal": 0.5,
             "postponed": 1.5, "resolved": 1, "closed": 92, "cancelled": 3}),
]  # fmt: skip
# The transitions that lead to each final status.
PATHS = {
    "new": [],
    "open": [("new", "open")],
    "waiting_customer": [("new", "open"), ("open", "waiting_customer")],
    "waiting_internal": [("new", "open"), ("open", "waiting_internal")],
    "postponed": [("new", "open"), ("open", "postponed")],
    "resolved": [("new", "open"), ("open", "resolved")],
    "closed": [("new", "open"), ("open", "resolved"), ("resolved", "closed")],
    "cancelled": [("new", "cancelled")],
}
STATUSES = list(PATHS)
DONE = {"resolved", "closed", "cancelled"}
# Reaction targets (DESIGN: P1 4 h, P2 1, P3 3, P4 5 business days) in wall-clock time;
# resolution four times that.
SLA_HOURS = {"P1": 4.0, "P2": 24.0, "P3": 72.0, "P4": 120.0}
RESOLUTION_FACTOR = 4
# The desk's data (`world["open_share"]`): that share of the tickets still open whatever
# their age, spread over these statuses; the others done.
DESK_OPEN = {"new": 20, "open": 40, "waiting_customer": 20, "waiting_internal": 12, "postponed": 8}
DESK_DONE = {"resolved": 15, "closed": 80, "cancelled": 5}
GROUP_NAMES = ["1st Level", "2nd Level", "Field service", "Network", "ERP", "Printing",
               "Robotics", "Machines", "Data", "Identity", "Office", "Telematics"]  # fmt: skip
DAY = 86400.0
SPAN = 730 * DAY
CHUNK = 2000  # tickets per COPY round of a seeding worker

TICKET_COLUMNS = (
    "id", "seq", "number", "title", "description", "category", "subject_area", "subtype",
    "product", "asset_id", "priority", "status", "organization_id", "creator_id",
    "contact_id", "assignee_id", "template_id", "guide_answers", "escalated_at", "cancelled",
    "first_response_at", "sla_due_at", "sla_breached_at", "resolved_at", "created_at",
    "updated_at", "resolution_due_at", "sla_paused_at", "next_due_at", "group_id",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "id", "ticket_id", "kind", "body", "author_id", "author_is_staff",
    "author_organization_id", "attachment_ids", "created_at",
)  # fmt: skip
CHANGE_COLUMNS = ("id", "ticket_id", "from_status", "to_status", "actor_id", "created_at")
SEARCH_COLUMNS = ("ticket_id", "public_text", "internal_text")
BIG_TABLES = ["ticket", "article", "status_change", "ticket_search"]


def text_of(path: str | Path) -> str:
    return Path(path).read_text()


# ---------------------------------------------------------------------------------------
# Seeding: one worker process per core, each COPYing every W-th chunk of tickets.
# ---------------------------------------------------------------------------------------


def _uuid(rng: random.Random) -> str:
    value = rng.getrandbits(128)
    value = (value & ~(0xF << 76)) | (4 << 76)  # version 4, like uuid.uuid4()
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return f"{value:032x}"


def _desk_statuses(open_share: float | None) -> tuple[list, list] | None:
    if open_share is None:
        return None
    weights = {s: open_share * w / sum(DESK_OPEN.values()) for s, w in DESK_OPEN.items()}
    weights |= {s: (1 - open_share) * w / sum(DESK_DONE.values()) for s, w in DESK_DONE.items()}
    return _cumulative(weights)


def _clock(
    status: str, priority: str, created: float, first_response: float | None, paused: float | None
) -> tuple[datetime, datetime | None, datetime | None]:
    """Resolution due, the pause and the next due time (the service's own rule) of a
    seeded ticket, in wall-clock time."""
    reaction = datetime.fromtimestamp(created + SLA_HOURS[priority] * 3600, UTC)
    resolution = datetime.fromtimestamp(
        created + RESOLUTION_FACTOR * SLA_HOURS[priority] * 3600, UTC
    )
    answered = datetime.fromtimestamp(first_response, UTC) if first_response else None
    pause = datetime.fromtimestamp(paused, UTC) if paused else None
    return resolution, pause, next_due_time(status, answered, reaction, resolution)


def build_chunk(world: dict, corpus: Corpus, first: int, last: int) -> dict[str, list]:
    """Rows of every table for the tickets with sequence numbers first..last-1.

    With `world["groups"]` each ticket goes to one of them, with `world["open_share"]`
    that share stays open at any age (both drawn from a generator of their own: without
    them the data is the same as before they existed)."""
    chunk = _Chunk(world, corpus, first)
    for seq in range(first, last):
        chunk.add(seq)
    return {
        "ticket": chunk.tickets,
        "article": chunk.articles,
        "status_change": chunk.changes,
        "ticket_search": chunk.documents,
    }


@dataclass
class _Correspondence:
    times: list[float]
    public: list[str]
    internal: list[str]
    first_response: float | None


class _Chunk:
    """The rows of one chunk, drawn ticket by ticket from a generator seeded by the
    chunk's first number (the draws' order is the data: keep it)."""

    def __init__(self, world: dict, corpus: Corpus, first: int) -> None:
        self.world, self.corpus = world, corpus
        self.rng = random.Random(world["seed"] * 1_000_003 + first)
        self.desk = random.Random(world["seed"] * 7_000_003 + first)
        self.groups = world.get("groups") or []
        self.desk_statuses = _desk_statuses(world.get("open_share"))
        self.now = world["now"]
        self.start = self.now - SPAN
        self.mean = world["articles"] / world["tickets"]
        self.statuses = [(age * DAY, _cumulative(w)) for age, w in STATUS_BY_AGE]
        self.categories, self.priorities = _cumulative(CATEGORIES), _cumulative(PRIORITIES)
        self.tickets: list[tuple] = []
        self.articles: list[tuple] = []
        self.changes: list[tuple] = []
        self.documents: list[tuple] = []

    def _party(self) -> tuple[str | None, bool, str, str]:
        """Organization, whether it has a priority contract, creator and contact."""
        rng, orgs = self.rng, self.world["orgs"]
        agents = self.world["agents"]
        org_index = rng.randrange(len(orgs)) if rng.random() > 0.003 else None
        if org_index is None:  # an internal ticket the service desk opened for itself
            creator = agents[rng.randrange(len(agents))]
            return None, True, creator, creator
        org_id, _, contract = orgs[org_index]
        people = self.world["customers"][org_index]
        creator = people[rng.randrange(len(people))]
        contact = creator if rng.random() < 0.85 else people[rng.randrange(len(people))]
        return org_id, contract, creator, contact

    def add(self, seq: int) -> None:
        rng, now = self.rng, self.now
        created = self.start + SPAN * (seq - 1) / self.world["tickets"]
        age = now - created
        ticket_id = _uuid(rng)
        lang = "de" if rng.random() < 0.6 else "en"
        org_id, contract, creator, contact = self._party()
        status = _pick(rng, next(table for limit, table in self.statuses if age < limit))
        if self.desk_statuses is not None:
            status = _pick(self.desk, self.desk_statuses)
        group = self.groups[self.desk.randrange(len(self.groups))] if self.groups else None
        priority = _pick(rng, self.priorities) if contract else "P4"
        product = _pick(rng, self.corpus.products)
        key = (lang, product)
        title = rng.choice(self.corpus.titles[key])
        description = " ".join(rng.choices(self.corpus.customer[key], k=rng.randint(1, 3)))
        if rng.random() < RARE_SHARE / 2:
            description += " " + RARE_SENTENCE[lang].format(r=rng.choice(RARE))
        number = f"T{seq:06d}"
        if status in DONE:
            end = created + min(age * 0.999, rng.expovariate(1 / (4 * DAY)) + 600)
        else:
            end = created + age * rng.random()
        agents = self.world["agents"]
        assignee = None if status == "new" else agents[rng.randrange(len(agents))]
        said = self._correspondence(
            ticket_id, status, lang, product, created, end,
            org_id=org_id, author=assignee or agents[0], customer=contact or creator,
            opening=f"{number}\n{title}\n{description}",
        )  # fmt: skip
        resolved_at, paused_at, last_change = self._history(
            ticket_id, status, created, age, end, said.first_response, assignee or creator
        )
        due = created + SLA_HOURS[priority] * 3600
        resolution_due, paused, next_due = _clock(
            status, priority, created, said.first_response, paused_at
        )
        late = said.first_response is None or said.first_response > due
        stamp = datetime.fromtimestamp
        breached = stamp(min(due + 60, now), UTC) if due < now and late else None
        escalated = None
        if status != "new" and rng.random() < 0.02:
            escalated = stamp(created + (end - created) * rng.random(), UTC)
        updated = max([created, last_change, *said.times])
        product_name, area, subtype = PRODUCTS[product]
        asset = f"INST-{rng.randint(1, 99999):05d}" if rng.random() < 0.2 else None
        first_response = said.first_response
        self.tickets.append(
            (
                ticket_id, seq, number, title, description, _pick(rng, self.categories), area,
                subtype, product_name, asset, priority, status, org_id, creator, contact,
                assignee, None, "[]", escalated, status == "cancelled",
                stamp(first_response, UTC) if first_response else None, stamp(due, UTC),
                breached, stamp(resolved_at, UTC) if resolved_at else None,
                stamp(created, UTC), stamp(updated, UTC), resolution_due, paused, next_due,
                group,
            )
        )  # fmt: skip
        self.documents.append((ticket_id, "\n".join(said.public), "\n".join(said.internal)))

    def _correspondence(
        self,
        ticket_id: str,
        status: str,
        lang: str,
        product: int,
        created: float,
        end: float,
        *,
        org_id: str | None,
        author: str,
        customer: str,
        opening: str,
    ) -> _Correspondence:
        """A first answer from the desk, then back and forth, notes between."""
        rng, corpus, key = self.rng, self.corpus, (lang, product)
        if self.mean >= 1:
            count = int(rng.random() * (2 * self.mean - 1)) + 1
        else:
            count = 1 if rng.random() < self.mean else 0
        times = sorted(created + (end - created) * rng.random() for _ in range(count))
        rare_in = rng.randrange(count) if count and rng.random() < RARE_SHARE / 2 else -1
        said = _Correspondence(times, public=[opening], internal=[], first_response=None)
        staff_turn = status != "new"
        for index, at in enumerate(times):
            roll = rng.random()
            if status != "new" and index > 0 and roll < 0.15:
                kind, staff, body = "internal_note", True, rng.choice(corpus.internal[product])
            elif status != "new" and index > 0 and roll < 0.18:
                kind, staff = "system", True
                body = SYSTEM[lang].format(s=rng.choice(STATUSES))
            else:
                kind, staff = "message", staff_turn
                pool = corpus.agent if staff else corpus.customer
                body = " ".join(rng.choices(pool[key], k=rng.randint(1, 3)))
                staff_turn = not staff_turn if status != "new" else False
                if staff and said.first_response is None:
                    said.first_response = at
            if index == rare_in:
                body += " " + RARE_SENTENCE[lang].format(r=rng.choice(RARE))
            (said.internal if kind == "internal_note" else said.public).append(body)
            self.articles.append(
                (_uuid(rng), ticket_id, kind, body, author if staff else customer,
                 staff or org_id is None, None if staff else org_id, "[]",
                 datetime.fromtimestamp(at, UTC))
            )  # fmt: skip
        return said

    def _history(
        self,
        ticket_id: str,
        status: str,
        created: float,
        age: float,
        end: float,
        first_response: float | None,
        actor: str,
    ) -> tuple[float | None, float | None, float]:
        """Status changes along the path to the final status: when it was resolved, when
        its clock was paused (it stands still from there) and the last change."""
        rng, now = self.rng, self.now
        resolved_at = paused_at = None
        last_change = created
        for step, (before, after) in enumerate(PATHS[status]):
            if step == 0 and after == "open":
                at = first_response or created + min(age, 3600 * rng.random())
            elif after == "closed":
                at = min(now - 1, last_change + 7 * DAY * rng.random())
            else:
                at = max(end, last_change + 1)
            at = min(max(at, last_change + 1), now - 1)
            if after == "resolved":
                resolved_at = at
            if after == "waiting_customer":
                paused_at = at
            last_change = at
            self.changes.append(
                (_uuid(rng), ticket_id, before, after, actor, datetime.fromtimestamp(at, UTC))
            )
        return resolved_at, paused_at, last_change


async def seed_worker(world_path: str, index: int, workers: int) -> None:
    """A seeding process: COPY every `workers`-th chunk, starting with chunk `index`."""
    world = json.loads(text_of(world_path))
    corpus = Corpus(world["seed"])
    conn = await asyncpg.connect(world["dsn"])
    await conn.execute("SET synchronous_commit = off")
    columns = {
        "ticket": TICKET_COLUMNS,
        "article": ARTICLE_COLUMNS,
        "status_change": CHANGE_COLUMNS,
        "ticket_search": SEARCH_COLUMNS,
    }
    counts = dict.fromkeys(columns, 0)
    total = world["tickets"]
    chunks = range(1 + index * CHUNK, total + 1, workers * CHUNK)
    for number, first in enumerate(chunks):
        rows = build_chunk(world, corpus, first, min(first + CHUNK, total + 1))
        for table, records in rows.items():
            await conn.copy_records_to_table(table, records=records, columns=columns[table])
            counts[table] += len(records)
        if index == 0 and number % 25 == 0:
            note(f"seeding: ~{first * 100 // total}% of the tickets")
    await conn.close()
    print(json.dumps(counts), flush=True)


async def _schema(conn: asyncpg.Connection) -> tuple[list[dict], list[dict]]:
    """The constraints and indexes of the big tables, as the server describes them."""
    constraints = await conn.fetch(
        """
        SELECT c.conrelid::regclass::text AS table, c.conname AS name, c.contype::text AS type,
               pg_get_constraintdef(c.oid) AS definition,
               CASE WHEN c.contype IN ('p', 'u') THEN pg_get_indexdef(c.conindid) END AS index
        FROM pg_constraint c
        WHERE c.contype IN ('p', 'u', 'f')
          AND (c.conrelid = ANY($1::text[]::regclass[])
               OR c.confrelid = ANY($1::text[]::regclass[]))
        ORDER BY 1, 2
        """,
        BIG_TABLES,
    )
    indexes = await conn.fetch(
        """
        SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS name,
               pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_index i
        WHERE i.indrelid = ANY($1::text[]::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1, 2
        """,
        BIG_TABLES,
    )
    return [dict(r) for r in constraints], [dict(r) for r in indexes]


async def drop_indexes(conn: asyncpg.Connection) -> tuple[list[dict], list[dict]]:
    constraints, indexes = await _schema(conn)
    for c in sorted(constraints, key=lambda c: c["type"] != "f"):  # foreign keys first
        await conn.execute(f'ALTER TABLE "{c["table"]}" DROP CONSTRAINT "{c["name"]}"')
    for i in indexes:
        await conn.execute(f'DROP INDEX "{i["name"]}"')
    return constraints, indexes


async def rebuild_indexes(
    dsn: str, constraints: list[dict], indexes: list[dict], parallel: int
) -> dict[str, float]:
    """Build every index (two at a time on two cores), then attach the constraints."""
    jobs = [(i["name"], i["definition"]) for i in indexes]
    jobs += [(c["name"], c["index"]) for c in constraints if c["type"] in ("p", "u")]
    # Longest first: the full-text indexes, then the biggest table.
    jobs.sort(key=lambda j: ("gin" not in j[1], "article" not in j[1], j[0]))
    timings: dict[str, float] = {}

    async def builder() -> None:
        conn = await asyncpg.connect(dsn)
        await conn.execute("SET maintenance_work_mem = '1GB'")
        while jobs:
            name, definition = jobs.pop(0)
            start = time.perf_counter()
            await conn.execute(definition)
            timings[name] = round(time.perf_counter() - start, 1)
            note(f"index {name} built in {timings[name]} s")
        await conn.close()

    await asyncio.gather(*(builder() for _ in range(parallel)))
    conn = await asyncpg.connect(dsn)
    for c in constraints:
        if c["type"] in ("p", "u"):
            kind = "PRIMARY KEY" if c["type"] == "p" else "UNIQUE"
            await conn.execute(
                f'ALTER TABLE "{c["table"]}" ADD CONSTRAINT "{c["name"]}" '
                f'{kind} USING INDEX "{c["name"]}"'
            )
    for c in constraints:
        if c["type"] == "f":
            start = time.perf_counter()
            await conn.execute(
                f'ALTER TABLE "{c["table"]}" ADD CONSTRAINT "{c["name"]}" {c["definition"]}'
            )
            timings[c["name"]] = round(time.perf_counter() - start, 1)
    after = await _schema(conn)
    await conn.close()
    if after != (constraints, indexes):
        raise RuntimeError("the rebuilt indexes differ from the migrated ones")
    return timings


def make_world(
    args: argparse.Namespace,
    real: dict[str, Any],
    dsn: str,
    *,
    groups: int = 0,
    open_share: float | None = None,
) -> dict:
    """The organizations and people the seeded tickets refer to. The first organization,
    its first customer and the first agent are the ones made through identity. `groups`:
    agent groups the tickets are spread over; `open_share`: the share of tickets open at
    any age (else young tickets are in work and old ones closed)."""
    rng = random.Random(args.seed)
    orgs, customers = [], []
    for o in range(args.orgs):
        if o == 0:
            orgs.append([real["org"], real["org_name"], True])
            people = [real["customer"]]
        else:
            name = f"{rng.choice(LAST_NAMES)} {rng.choice(COMPANY)} {o} GmbH"
            orgs.append([str(uuid.UUID(int=rng.getrandbits(128), version=4)), name,
                         rng.random() < 0.6])  # fmt: skip
            people = []
        while len(people) < args.users_per_org:
            people.append(str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        customers.append(people)
    agents = [real["agent"]]
    while len(agents) < args.agents:
        agents.append(str(uuid.UUID(int=rng.getrandbits(128), version=4)))
    return {
        "seed": args.seed,
        "tickets": args.tickets,
        "articles": args.articles,
        "now": time.time(),
        "orgs": orgs,
        "customers": customers,
        "agents": agents,
        "dsn": dsn,
        "groups": [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(groups)],
        "open_share": open_share,
    }


async def seed_directory(conn: asyncpg.Connection, world: dict, real: dict[str, Any]) -> int:
    """The tickets service's copy of the organizations and people (normally fed by events)."""
    as_of = datetime.fromtimestamp(world["now"] - SPAN - DAY, UTC)
    rng = random.Random(world["seed"] + 1)
    await conn.copy_records_to_table(
        "directory_organization",
        records=[(o, name, deal, True, None, True, as_of) for o, name, deal in world["orgs"]],
        columns=("id", "name", "priority_contract", "org_wide_visibility", "sla_contract",
                 "active", "as_of"),
    )  # fmt: skip
    users = []
    for (org, _, _), people in zip(world["orgs"], world["customers"], strict=True):
        for k, person in enumerate(people):
            users.append((person, f"c{len(users)}u{k}", org))
    for k, person in enumerate(world["agents"]):
        users.append((person, f"agent{k}", None))
    rows = []
    for person, username, org in users:
        if person == real["customer"]:
            username, display = real["customer_username"], real["customer_display"]
        elif person == real["agent"]:
            username, display = real["agent_username"], real["agent_display"]
        else:
            display = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        roles = '["agent"]' if org is None else '["customer"]'
        language = "de" if rng.random() < 0.6 else "en"
        rows.append((person, username, display, f"{username}@example.com", language, org, roles,
                     True, as_of))  # fmt: skip
    await conn.copy_records_to_table(
        "directory_user",
        records=rows,
        columns=("id", "username", "display_name", "email", "language", "organization_id",
                 "roles", "active", "as_of"),
    )  # fmt: skip
    areas: dict[str, list[str]] = {}
    for _, area, subtype in PRODUCTS:
        areas.setdefault(area, []).append(subtype)
    await conn.executemany(
        "INSERT INTO subject_area (name, subtypes, active) VALUES ($1, $2, true) "
        "ON CONFLICT (name) DO NOTHING",
        [(area, json.dumps(sorted(set(subtypes)))) for area, subtypes in areas.items()],
    )
    return len(world["orgs"]) + len(rows)


async def seed_groups(conn: asyncpg.Connection, world: dict) -> None:
    """The agent groups the tickets are spread over, each with every agent as member."""
    as_of = datetime.fromtimestamp(world["now"] - SPAN - DAY, UTC)
    members = json.dumps(world["agents"])
    await conn.executemany(
        "INSERT INTO agent_group (id, name, lead_id, member_ids, round_robin, handed_out, "
        "created_at, updated_at) VALUES ($1, $2, NULL, $3, false, 0, $4, $4)",
        [(uuid.UUID(g), _group_name(k), members, as_of) for k, g in enumerate(world["groups"])],
    )


def _group_name(k: int) -> str:
    name = GROUP_NAMES[k % len(GROUP_NAMES)]
    return name if k < len(GROUP_NAMES) else f"{name} {k // len(GROUP_NAMES) + 1}"


async def seed(dsn: str, world: dict, real: dict[str, Any], workdir: Path) -> dict:
    conn = await asyncpg.connect(dsn)
    directory_rows = await seed_directory(conn, world, real)
    await seed_groups(conn, world)
    constraints, indexes = await drop_indexes(conn)
    world_path = workdir / "world.json"
    world_path.write_text(json.dumps(world))
    workers = max(2, os.cpu_count() or 2)
    note(f"seeding {world['tickets']} tickets with {workers} COPY workers")
    load_began = time.perf_counter()
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--seed-worker", str(world_path),
            "--worker-index", str(w), "--workers", str(workers),
            stdout=asyncio.subprocess.PIPE,
        )
        for w in range(workers)
    ]  # fmt: skip
    outputs = await asyncio.gather(*(p.communicate() for p in procs))
    if any(p.returncode for p in procs):
        raise RuntimeError("a seeding worker failed")
    load_seconds = time.perf_counter() - load_began
    rows: dict[str, int] = {}
    for out, _ in outputs:
        for table, count in json.loads(out).items():
            rows[table] = rows.get(table, 0) + count
    note(f"loaded {sum(rows.values())} rows in {load_seconds:.0f} s; building indexes")
    index_began = time.perf_counter()
    index_timings = await rebuild_indexes(dsn, constraints, indexes, parallel=2)
    index_seconds = time.perf_counter() - index_began
    await conn.execute("SELECT setval('ticket_number_seq', (SELECT max(seq) FROM ticket))")
    note("VACUUM (ANALYZE)")
    analyze_began = time.perf_counter()
    await conn.execute("VACUUM (ANALYZE)")
    analyze_seconds = time.perf_counter() - analyze_began
    # Write the load out now, so that the measurements do not wait behind its writeback.
    checkpoint_began = time.perf_counter()
    await conn.execute("CHECKPOINT")
    checkpoint_seconds = time.perf_counter() - checkpoint_began
    sizes = await conn.fetch(
        "SELECT relname, pg_total_relation_size(oid) AS bytes FROM pg_class "
        "WHERE relname = ANY($1::text[])",
        BIG_TABLES,
    )
    await conn.close()
    total_rows = sum(rows.values())
    total = load_seconds + index_seconds + analyze_seconds + checkpoint_seconds
    return {
        "rows": rows,
        "directory_rows": directory_rows,
        "copy_workers": workers,
        "load_seconds": round(load_seconds, 1),
        "load_rows_per_s": round(total_rows / load_seconds),
        "index_rebuild_seconds": round(index_seconds, 1),
        "index_seconds_each": index_timings,
        "vacuum_analyze_seconds": round(analyze_seconds, 1),
        "checkpoint_seconds": round(checkpoint_seconds, 1),
        "total_seconds": round(total, 1),
        "total_rows_per_s": round(total_rows / total),
        "table_mb": {r["relname"]: round(r["bytes"] / 2**20) for r in sizes},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="one COPY worker of the seeding")
    parser.add_argument("--seed-worker", metavar="WORLD", required=True)
    parser.add_argument("--worker-index", type=int, default=0)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(seed_worker(args.seed_worker, args.worker_index, args.workers))

"""Ticket lists, full-text search and ticket creation over a million tickets.

* seed: 1,000,000 tickets with 5,000,000 articles, their status history and search
  documents over 1,000 organizations (10 customers each) and a service desk, written
  straight into the tickets database after `portal migrate tickets` with COPY by one
  worker process per core. Indexes and foreign keys are dropped for the load and rebuilt
  from their own definitions afterwards (checked to be identical): building a GIN index
  once is several times cheaper than maintaining it row by row. Then VACUUM (ANALYZE),
  the state autovacuum reaches after a bulk load anyway, and a CHECKPOINT, so that the
  measurements do not wait behind the load's writeback. Each phase is timed.
* services: identity, tickets and the gateway, each `portal serve` in its own process on
  its own PostgreSQL database, with RabbitMQ. The organization and the people the
  benchmark signs in as are created through identity's admin API; their ids own their
  share of the seeded tickets.
* measured through the gateway (httpx, HTTP/1.1 keep-alive), each after a warm-up:
  list pages (first, filtered, next via the cursor) and full-text search as a customer
  of an organization with ~1,000 tickets and as an agent over all of them, and the
  summary counters; a variant stops after two failed answers (the gateway's 504), and the
  queries the gateway abandoned are cancelled so that they do not slow the next ones.
  Then the list and search SQL the service issues, taken from its own code, under
  EXPLAIN ANALYZE; then ticket creation at a steady rate and at concurrency 8. Each
  measurement also reports the machine's CPU use and the CPU milliseconds per request
  spent in the gateway and tickets processes.

Prints one JSON summary (progress goes to stderr). Needs PostgreSQL and RabbitMQ
(PORTAL_TEST_POSTGRES_URL, PORTAL_TEST_AMQP_URL; defaults are the local servers).
`--tickets 20000 --articles 100000 --orgs 50` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import random
import socket
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
PASSWORD = "benchmark-admin-secret-1"
USER_PASSWORD = "Scale-bench-secret-42"
BEGAN = time.perf_counter()

# ---------------------------------------------------------------------------------------
# The corpus: German and English support phrases, products with a long tail, rare words.
# ---------------------------------------------------------------------------------------

# (product, subject area, subtype); earlier entries are reported more often (Zipf).
PRODUCTS = [
    ("Microsoft Outlook", "Software", "Office"),
    ("SAP S/4HANA", "Software", "ERP"),
    ("Drucker HP LaserJet", "IT Infrastructure", "Printer"),
    ("VPN-Client", "IT Infrastructure", "Network"),
    ("Citrix Workspace", "Citrix", "Client"),
    ("Microsoft Teams", "Software", "Office"),
    ("Excel", "Software", "Office"),
    ("Windows 11", "IT Infrastructure", "Client"),
    ("WLAN", "IT Infrastructure", "Network"),
    ("DATEV", "Software", "Finance"),
    ("SharePoint", "Software", "Collaboration"),
    ("Active Directory", "IT Infrastructure", "Identity"),
    ("Etikettendrucker Zebra", "IT Infrastructure", "Printer"),
    ("Fräsmaschine DMU 50", "Machines", "Milling"),
    ("KUKA KR 10", "Robotics", "Robot"),
    ("Citrix StoreFront", "Citrix", "Server"),
    ("Backup", "Data", "Backup"),
    ("Reporting", "Data", "Reporting"),
    ("Datenbank", "Data", "Database"),
    ("Drehmaschine CTX", "Machines", "Turning"),
    ("Roboterzelle", "Robotics", "Cell"),
    ("Laserschneider", "Machines", "Laser"),
    ("Kompressor", "Machines", "Air"),
    ("Greifer", "Robotics", "Gripper"),
    ("Tachograph", "Machines", "Telematics"),
]
CODES = ["0x80070005", "E-4711", "ORA-12541", "HTTP 503", "M7 021", "0xC000021A", "E-1042"]
PLACES = {
    "de": ["Büro 2.14", "Lager", "Empfang", "Werkhalle 3", "Besprechungsraum", "Vertrieb"],
    "en": ["office 2.14", "the warehouse", "reception", "hall 3", "the meeting room", "sales"],
}
ACTIONS = {
    "de": ["eine Rechnung buchen", "den Bericht exportieren", "uns anmelden", "speichern"],
    "en": ["post an invoice", "export the report", "sign in", "save a file"],
}
TITLES = {
    "de": [
        "{p}: Fehlermeldung {c}",
        "{p} startet nicht",
        "{p} sehr langsam",
        "Zugang zu {p} benötigt",
        "Drucker druckt nicht",
        "Neue Lizenz für {p}",
        "{p} stürzt ab",
        "Frage zu {p}",
    ],
    "en": [
        "{p}: error {c}",
        "{p} does not start",
        "{p} very slow",
        "Access to {p} needed",
        "Printer does not print",
        "New licence for {p}",
        "{p} crashes",
        "Question about {p}",
    ],
}
CUSTOMER = {
    "de": [
        "Seit heute Morgen funktioniert {p} nicht mehr.",
        "Beim Start von {p} erscheint die Fehlermeldung {c}.",
        "Wir bekommen den Fehler {c}, wenn wir {a}.",
        "Nach dem letzten Update ist {p} sehr langsam.",
        "Der Drucker im Bereich {place} druckt nur leere Seiten.",
        "Die Anmeldung an {p} schlägt fehl, das Passwort wurde bereits zurückgesetzt.",
        "Können Sie bitte die Berechtigung für {p} freischalten?",
        "Bitte um dringenden Rückruf, die Produktion steht.",
        "Das Problem tritt bei mehreren Kollegen auf.",
        "Anbei der Screenshot der Fehlermeldung.",
        "Vielen Dank, das Problem ist behoben.",
        "Leider tritt der Fehler weiterhin auf.",
        "Wir benötigen eine neue Lizenz für {p}.",
        "Bitte installieren Sie {p} auf dem neuen Rechner im Bereich {place}.",
    ],
    "en": [
        "Since this morning {p} has stopped working.",
        "Starting {p} shows the error message {c}.",
        "We get the error {c} when we {a}.",
        "After the last update {p} is very slow.",
        "The printer at {place} only prints blank pages.",
        "Signing in to {p} fails although the password was reset.",
        "Could you please grant us access to {p}?",
        "Please call back urgently, production is down.",
        "Several colleagues are affected.",
        "Attached is a screenshot of the error message.",
        "Thank you, the problem is solved.",
        "Unfortunately the error still occurs.",
        "We need a new licence for {p}.",
        "Please install {p} on the new computer at {place}.",
    ],
}
AGENT = {
    "de": [
        "Vielen Dank für Ihre Meldung, wir prüfen das Verhalten von {p}.",
        "Bitte starten Sie {p} neu und senden Sie uns die Logdatei.",
        "Wir haben ein Update für {p} eingespielt, bitte testen Sie erneut.",
        "Seit wann tritt der Fehler {c} auf?",
        "Die Berechtigung wurde eingerichtet.",
        "Wir melden uns, sobald der Hersteller geantwortet hat.",
        "Der Techniker ist für morgen Vormittag im Bereich {place} eingeplant.",
    ],
    "en": [
        "Thank you for your report, we are looking into {p}.",
        "Please restart {p} and send us the log file.",
        "We installed an update for {p}, please test again.",
        "Since when does the error {c} occur?",
        "Access has been granted.",
        "We will get back to you once the vendor has answered.",
        "A technician is scheduled for tomorrow morning at {place}.",
    ],
}
INTERNAL = [
    "Rücksprache mit dem 2nd Level: an die Entwicklung übergeben.",
    "Bekanntes Problem mit {p}, siehe Wissensartikel KB-{n}.",
    "Kunde hat Wartungsvertrag, Reaktionszeit beachten.",
    "Known issue in {p} release {n}, workaround sent.",
    "Escalated to the vendor, case number {n}.",
    "Remote-Sitzung durchgeführt, Treiber für {p} neu installiert.",
]
SYSTEM = {"de": "Status geändert auf {s}.", "en": "Status changed to {s}."}
# Each appears in about 0.01 % of the tickets: the selective searches.
RARE = [
    "Spektrometer",
    "Wärmebildkamera",
    "Ölstandsensor",
    "Zeiterfassungsterminal",
    "Kassensystem",
    "Hebebühne",
    "Klimaanlage",
    "Beamer",
    "Kaffeevollautomat",
    "Schrankenanlage",
    "Funkscanner",
    "Notstromaggregat",
    "Gabelstapler",
    "Schweißroboter",
    "Brandmeldeanlage",
    "Aufzug",
    "Zutrittskontrolle",
    "Kühlhaus",
    "Palettierer",
    "Hochregallager",
]
RARE_SHARE = 0.002
RARE_SENTENCE = {"de": "Betroffen ist auch {r}.", "en": "The {r} is affected as well."}
FIRST_NAMES = ["Anna", "Jonas", "Lea", "Lukas", "Marie", "Paul", "Sophie", "Felix", "Emma"]
LAST_NAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"]
COMPANY = ["Maschinenbau", "Logistik", "Handel", "Werkzeuge", "Elektronik", "Software"]

# The searches measured: (label, query).
SEARCHES = [
    ("selective", "spektrometer"),
    ("tail_product", "tachograph"),
    ("common", "fehler"),
    ("prefix_common", "druck*"),
    ("prefix_selective", "spektro*"),
]

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
# Reaction targets (DESIGN: P1 4 h, P2 1, P3 3, P4 5 business days) in wall-clock time.
SLA_HOURS = {"P1": 4.0, "P2": 24.0, "P3": 72.0, "P4": 120.0}
DAY = 86400.0
SPAN = 730 * DAY
CHUNK = 2000  # tickets per COPY round of a seeding worker

TICKET_COLUMNS = (
    "id", "seq", "number", "title", "description", "category", "subject_area", "subtype",
    "product", "asset_id", "priority", "status", "organization_id", "creator_id",
    "contact_id", "assignee_id", "template_id", "guide_answers", "escalated_at", "cancelled",
    "first_response_at", "sla_due_at", "sla_breached_at", "resolved_at", "created_at",
    "updated_at",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "id", "ticket_id", "kind", "body", "author_id", "author_is_staff",
    "author_organization_id", "attachment_ids", "created_at",
)  # fmt: skip
CHANGE_COLUMNS = ("id", "ticket_id", "from_status", "to_status", "actor_id", "created_at")
SEARCH_COLUMNS = ("ticket_id", "public_text", "internal_text")
BIG_TABLES = ["ticket", "article", "status_change", "ticket_search"]


def _text(path: str | Path) -> str:
    return Path(path).read_text()


def note(message: str) -> None:
    print(f"[{time.perf_counter() - BEGAN:7.1f}s] {message}", file=sys.stderr, flush=True)


def _cumulative(weighted: list[tuple[str, float]] | dict[str, float]) -> tuple[list, list]:
    items = list(weighted.items()) if isinstance(weighted, dict) else weighted
    total, cumulative = 0.0, []
    for _, weight in items:
        total += weight
        cumulative.append(total)
    return [name for name, _ in items], [c / total for c in cumulative]


def _pick(rng: random.Random, table: tuple[list, list]) -> Any:
    names, cumulative = table
    return names[min(bisect.bisect(cumulative, rng.random()), len(names) - 1)]


class Corpus:
    """Filled-in sentences per language and product, the same in every worker. Products
    are drawn by Zipf weights: a few are in many tickets, the tail in few."""

    def __init__(self, seed: int, per_product: int = 60) -> None:
        rng = random.Random(seed)
        self.products = _cumulative([(i, 1 / (i + 1)) for i in range(len(PRODUCTS))])

        def fill(templates: list[str], lang: str, product: int) -> list[str]:
            return [
                rng.choice(templates).format(
                    p=PRODUCTS[product][0],
                    c=rng.choice(CODES),
                    a=rng.choice(ACTIONS[lang]),
                    place=rng.choice(PLACES[lang]),
                    n=rng.randint(1000, 9999),
                )
                for _ in range(per_product)
            ]

        keys = [(lang, p) for lang in ("de", "en") for p in range(len(PRODUCTS))]
        self.titles = {key: fill(TITLES[key[0]], *key) for key in keys}
        self.customer = {key: fill(CUSTOMER[key[0]], *key) for key in keys}
        self.agent = {key: fill(AGENT[key[0]], *key) for key in keys}
        self.internal = {p: fill(INTERNAL, "de", p) for p in range(len(PRODUCTS))}


# ---------------------------------------------------------------------------------------
# Seeding: one worker process per core, each COPYing every W-th chunk of tickets.
# ---------------------------------------------------------------------------------------


def _uuid(rng: random.Random) -> str:
    value = rng.getrandbits(128)
    value = (value & ~(0xF << 76)) | (4 << 76)  # version 4, like uuid.uuid4()
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return f"{value:032x}"


def build_chunk(world: dict, corpus: Corpus, first: int, last: int) -> dict[str, list]:
    """Rows of every table for the tickets with sequence numbers first..last-1."""
    rng = random.Random(world["seed"] * 1_000_003 + first)
    n_total, now = world["tickets"], world["now"]
    start = now - SPAN
    mean = world["articles"] / world["tickets"]
    orgs, customers, agents = world["orgs"], world["customers"], world["agents"]
    statuses = [(age * DAY, _cumulative(w)) for age, w in STATUS_BY_AGE]
    categories, priorities = _cumulative(CATEGORIES), _cumulative(PRIORITIES)
    stamp = datetime.fromtimestamp
    tickets, articles, changes, documents = [], [], [], []
    for seq in range(first, last):
        created = start + SPAN * (seq - 1) / n_total
        age = now - created
        ticket_id = _uuid(rng)
        lang = "de" if rng.random() < 0.6 else "en"
        org_index = rng.randrange(len(orgs)) if rng.random() > 0.003 else None
        if org_index is None:  # an internal ticket the service desk opened for itself
            org_id, contract = None, True
            creator = contact = agents[rng.randrange(len(agents))]
        else:
            org_id, _, contract = orgs[org_index]
            people = customers[org_index]
            creator = people[rng.randrange(len(people))]
            contact = creator if rng.random() < 0.85 else people[rng.randrange(len(people))]
        status = _pick(rng, next(table for limit, table in statuses if age < limit))
        priority = _pick(rng, priorities) if contract else "P4"
        product = _pick(rng, corpus.products)
        key = (lang, product)
        title = rng.choice(corpus.titles[key])
        description = " ".join(rng.choices(corpus.customer[key], k=rng.randint(1, 3)))
        if rng.random() < RARE_SHARE / 2:
            description += " " + RARE_SENTENCE[lang].format(r=rng.choice(RARE))
        number = f"T{seq:06d}"
        done = status in DONE
        if done:
            end = created + min(age * 0.999, rng.expovariate(1 / (4 * DAY)) + 600)
        else:
            end = created + age * rng.random()
        assignee = None if status == "new" else agents[rng.randrange(len(agents))]
        # Correspondence: a first answer from the desk, then back and forth, notes between.
        if mean >= 1:
            count = int(rng.random() * (2 * mean - 1)) + 1
        else:
            count = 1 if rng.random() < mean else 0
        times = sorted(created + (end - created) * rng.random() for _ in range(count))
        rare_in = rng.randrange(count) if count and rng.random() < RARE_SHARE / 2 else -1
        public, internal = [f"{number}\n{title}\n{description}"], []
        first_response = None
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
                if staff and first_response is None:
                    first_response = at
            if index == rare_in:
                body += " " + RARE_SENTENCE[lang].format(r=rng.choice(RARE))
            author = (assignee or agents[0]) if staff else (contact or creator)
            (internal if kind == "internal_note" else public).append(body)
            articles.append(
                (_uuid(rng), ticket_id, kind, body, author, staff or org_id is None,
                 None if staff else org_id, "[]", stamp(at, UTC))
            )  # fmt: skip
        # Status history along the path to the final status.
        path = PATHS[status]
        resolved_at = None
        last_change = created
        for step, (before, after) in enumerate(path):
            if step == 0 and after == "open":
                at = first_response or created + min(age, 3600 * rng.random())
            elif after == "closed":
                at = min(now - 1, last_change + 7 * DAY * rng.random())
            else:
                at = max(end, last_change + 1)
            at = min(max(at, last_change + 1), now - 1)
            if after == "resolved":
                resolved_at = at
            last_change = at
            changes.append(
                (_uuid(rng), ticket_id, before, after, assignee or creator, stamp(at, UTC))
            )
        due = created + SLA_HOURS[priority] * 3600
        late = first_response is None or first_response > due
        breached = stamp(min(due + 60, now), UTC) if due < now and late else None
        escalated = None
        if status != "new" and rng.random() < 0.02:
            escalated = stamp(created + (end - created) * rng.random(), UTC)
        updated = max([created, last_change, *times])
        product_name, area, subtype = PRODUCTS[product]
        asset = f"INST-{rng.randint(1, 99999):05d}" if rng.random() < 0.2 else None
        tickets.append(
            (
                ticket_id, seq, number, title, description, _pick(rng, categories), area,
                subtype, product_name, asset, priority, status, org_id, creator, contact,
                assignee, None, "[]", escalated, status == "cancelled",
                stamp(first_response, UTC) if first_response else None, stamp(due, UTC),
                breached, stamp(resolved_at, UTC) if resolved_at else None,
                stamp(created, UTC), stamp(updated, UTC),
            )
        )  # fmt: skip
        documents.append((ticket_id, "\n".join(public), "\n".join(internal)))
    return {
        "ticket": tickets,
        "article": articles,
        "status_change": changes,
        "ticket_search": documents,
    }


async def seed_worker(world_path: str, index: int, workers: int) -> None:
    """A seeding process: COPY every `workers`-th chunk, starting with chunk `index`."""
    world = json.loads(_text(world_path))
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


def make_world(args: argparse.Namespace, real: dict[str, Any], dsn: str) -> dict:
    """The organizations and people the seeded tickets refer to. The first organization,
    its first customer and the first agent are the ones made through identity."""
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


async def seed(dsn: str, world: dict, real: dict[str, Any], workdir: Path) -> dict:
    conn = await asyncpg.connect(dsn)
    directory_rows = await seed_directory(conn, world, real)
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


async def search_hits(dsn: str, org: str) -> dict[str, dict[str, int]]:
    """How many tickets each measured search matches (agent: notes too; customer: own org)."""
    public, notes = "s.fts_public", "s.fts_internal"  # the stored vectors the service uses
    conn = await asyncpg.connect(dsn)
    await conn.execute("SET work_mem = '256MB'")
    hits = {}
    for label, q in SEARCHES:
        if q.endswith("*"):
            query = f"to_tsquery('simple', '{q[:-1]}:*')"
        else:
            query = f"plainto_tsquery('german', '{q}') || plainto_tsquery('english', '{q}')"
        agent = await conn.fetchval(
            f"SELECT count(*) FROM ticket_search s "
            f"WHERE ({public}) @@ ({query}) OR ({notes}) @@ ({query})"
        )
        customer = await conn.fetchval(
            f"SELECT count(*) FROM ticket_search s JOIN ticket t ON t.id = s.ticket_id "
            f"WHERE t.organization_id = $1 AND ({public}) @@ ({query})",
            uuid.UUID(org),
        )
        hits[label] = {"agent": agent, "customer": customer}
    org_tickets = await conn.fetchval(
        "SELECT count(*) FROM ticket WHERE organization_id = $1", uuid.UUID(org)
    )
    await conn.close()
    return {"customer_org_tickets": org_tickets, "hits": hits}


# ---------------------------------------------------------------------------------------
# The services, as separate processes.
# ---------------------------------------------------------------------------------------


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CLI = [sys.executable, "-m", "portal_chassis.cli"]


async def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(*CLI, *args, env=env, stdout=out, stderr=out)
        if await proc.wait() != 0:
            raise RuntimeError(f"`portal {' '.join(args)}` failed: {_text(log)[-2000:]}")


async def _serve(name: str, port: int, env: dict[str, str], workdir: Path) -> Any:
    out = (workdir / f"{name}.log").open("ab")
    proc = await asyncio.create_subprocess_exec(
        *CLI, "serve", name, "--host", "127.0.0.1", "--port", str(port),
        env=env, stdout=out, stderr=out,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as probe:
        for _ in range(600):
            try:
                if (await probe.get(f"{base}/readyz")).status_code == 200:
                    return proc
            except httpx.TransportError:
                pass
            if proc.returncode is not None:
                break
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{name} did not become ready: {_text(workdir / f'{name}.log')[-3000:]}")


async def _login(client: httpx.AsyncClient, username: str, password: str) -> str:
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    return r.json()["access_token"]


async def create_people(base: str) -> dict[str, Any]:
    """The organization and the people the benchmark signs in as, made through identity."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        admin = {"Authorization": f"Bearer {await _login(client, 'admin', PASSWORD)}"}
        name = "Benchmark Maschinenbau GmbH"
        r = await client.post(
            "/api/v1/admin/organizations",
            json={"name": name, "priority_contract": True},
            headers=admin,
        )
        r.raise_for_status()
        org = r.json()["id"]
        real = {"org": org, "org_name": name}
        for role, username, display, org_id in (
            ("customer", "benchcustomer", "Bench Customer", org),
            ("agent", "benchagent", "Bench Agent", None),
        ):
            r = await client.post(
                "/api/v1/admin/users",
                json={
                    "username": username,
                    "email": f"{username}@example.com",
                    "organization_id": org_id,
                    "roles": [role],
                    "password": USER_PASSWORD,
                    "display_name": display,
                    "language": "de",
                },
                headers=admin,
            )
            r.raise_for_status()
            real[role] = r.json()["id"]
            real[f"{role}_username"], real[f"{role}_display"] = username, display
    return real


# ---------------------------------------------------------------------------------------
# Measurements through the gateway.
# ---------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 2)


def _cpu() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine: was it saturated during a phase?"""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    return sum(fields) - fields[3] - fields[4], sum(fields)


def _busy(before: tuple[int, int]) -> float | None:
    after = _cpu()
    if after[1] <= before[1]:
        return None
    return round(100 * (after[0] - before[0]) / (after[1] - before[1]), 1)


class Probe:
    """Watches the machine, the service processes and the tickets database during a phase."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.pids: dict[str, int] = {}  # service name -> process id

    def _service_cpu(self) -> dict[str, float]:
        used = {}
        for name in ("gateway", "tickets"):
            try:
                stat = _text(f"/proc/{self.pids[name]}/stat").rsplit(")", 1)[1].split()
            except (KeyError, OSError):
                continue
            used[name] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        return used

    def start(self) -> tuple[tuple[int, int], dict[str, float]]:
        return _cpu(), self._service_cpu()

    def report(self, started: tuple[tuple[int, int], dict[str, float]], n: int) -> dict:
        """Machine CPU use, and CPU milliseconds per request in the gateway and the tickets
        process (the database's share is not included)."""
        machine, services = started
        after = self._service_cpu()
        return {
            "machine_cpu_pct": _busy(machine),
            "service_cpu_ms_per_request": {
                name: round((after[name] - used) * 1000 / max(n, 1), 2)
                for name, used in services.items()
            },
        }

    async def lock_waits(self, seconds: float) -> dict[str, float]:
        """The service's connections every 50 ms: how many are in a transaction (active or
        idle in transaction), and how many of those wait for a lock."""
        conn = await asyncpg.connect(self.dsn)
        samples, busy, waiting = 0, 0, 0
        deadline = time.perf_counter() + seconds
        try:
            while time.perf_counter() < deadline:
                row = await conn.fetchrow(
                    "SELECT count(*) FILTER (WHERE state <> 'idle') AS busy, "
                    "count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                samples, busy, waiting = samples + 1, busy + row[0], waiting + row[1]
                await asyncio.sleep(0.05)
        finally:
            await conn.close()
        return {
            "in_transaction_avg": round(busy / max(samples, 1), 2),
            "waiting_for_lock_avg": round(waiting / max(samples, 1), 2),
        }

    async def cancel_abandoned(self, older_than: float = 20.0) -> int:
        """Cancel queries still running after the gateway gave up on their request: they
        would otherwise hold the CPUs during the next measurements."""
        conn = await asyncpg.connect(self.dsn)
        try:
            return await conn.fetchval(
                "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend' AND state = 'active' "
                "AND now() - query_start > make_interval(secs => $1)",
                older_than,
            )
        finally:
            await conn.close()


def _stats(lat: list[float]) -> dict[str, Any]:
    return {
        "n": len(lat),
        "p50_ms": _pct(lat, 0.5),
        "p95_ms": _pct(lat, 0.95),
        "p99_ms": _pct(lat, 0.99),
        "max_ms": round(max(lat) * 1000, 2),
    }


async def _get(client: httpx.AsyncClient, path: str) -> tuple[float, int, dict]:
    start = time.perf_counter()
    r = await client.get(path)
    elapsed = time.perf_counter() - start
    return elapsed, r.status_code, r.json() if r.status_code == 200 else {}


async def series(
    client: httpx.AsyncClient, path: str, probe: Probe, *, n: int, warmup: int, budget: float
) -> dict[str, Any]:
    """Sequential requests after a warm-up: at most `n`, at least 5, within `budget` s.
    Failed answers (the gateway's 504 after its 30 s upstream timeout) are counted; after
    two the variant stops, and the queries left running in the database are cancelled."""
    failed: dict[int, int] = {}
    cancelled = 0

    async def attempt() -> tuple[float, dict] | None:
        nonlocal cancelled
        elapsed, status, answer = await _get(client, path)
        if status == 200:
            return elapsed, answer
        failed[status] = failed.get(status, 0) + 1
        cancelled += await probe.cancel_abandoned()
        return None

    for _ in range(warmup):
        if await attempt() is None and sum(failed.values()) >= 2:
            break
    lat: list[float] = []
    body: dict = {}
    began, started = time.perf_counter(), probe.start()
    while len(lat) < n and sum(failed.values()) < 2:
        if len(lat) >= 5 and time.perf_counter() - began > budget:
            break
        if (done := await attempt()) is not None:
            lat.append(done[0])
            body = done[1]
    result: dict[str, Any] = _stats(lat) if lat else {"n": 0}
    result.update(probe.report(started, len(lat)))
    if failed:
        result["failed"] = failed
        result["queries_cancelled_after_gateway_timeout"] = cancelled
    if "items" in body:
        result["items"] = len(body["items"])
        result["next_cursor"] = body["next_cursor"] is not None
    return result


def list_paths(first_page: dict[str, str]) -> dict[str, str]:
    base = "/api/v1/tickets?scope=organization&limit=25"
    return {"first_page": base, "open_p1": f"{base}&state=open&priority=P1", **first_page}


async def measure_reads(
    clients: dict[str, httpx.AsyncClient], probe: Probe, quick: bool
) -> dict[str, Any]:
    n_list, n_search = (60, 30) if quick else (200, 100)
    results: dict[str, Any] = {"list": {}, "search": {}, "summary": {}}
    paths: dict[str, dict[str, str]] = {}
    for role, client in clients.items():
        base = "/api/v1/tickets?scope=organization&limit=25"
        _, _, page = await _get(client, base)
        cursor = page.get("next_cursor")
        second = {"next_page": f"{base}&cursor={cursor}"} if cursor else {}
        paths[role] = list_paths(second)
        for label, path in paths[role].items():
            note(f"list {role} {label}")
            results["list"].setdefault(role, {})[label] = await series(
                client, path, probe, n=n_list, warmup=20, budget=30
            )
        for label, q in SEARCHES:
            note(f"search {role} {label} ({q})")
            path = f"/api/v1/tickets?scope=organization&limit=25&q={q}"
            paths[role][f"search_{label}"] = path
            results["search"].setdefault(role, {})[label] = await series(
                client, path, probe, n=n_search, warmup=3, budget=40
            )
        note(f"summary {role}")
        results["summary"][role] = await series(
            client,
            "/api/v1/tickets/summary?scope=organization",
            probe,
            n=n_search,
            warmup=3,
            budget=30,
        )
    results["_paths"] = paths
    return results


def _ticket_body(rng: random.Random) -> dict[str, str]:
    lang = rng.choice(("de", "en"))
    product = rng.choice(PRODUCTS)[0]
    return {
        "title": rng.choice(TITLES[lang]).format(p=product, c=rng.choice(CODES)),
        "description": rng.choice(CUSTOMER[lang]).format(
            p=product, c=rng.choice(CODES), a=rng.choice(ACTIONS[lang]), place=PLACES[lang][0]
        ),
        "priority": rng.choice(("P1", "P2", "P3", "P4")),
    }


async def _create(client: httpx.AsyncClient, rng: random.Random) -> float:
    start = time.perf_counter()
    r = await client.post("/api/v1/tickets", json=_ticket_body(rng))
    elapsed = time.perf_counter() - start
    if r.status_code != 201:
        raise RuntimeError(f"ticket creation answered {r.status_code}: {r.text[:500]}")
    return elapsed


async def measure_creation(
    client: httpx.AsyncClient, probe: Probe, rate: float, seconds: float, concurrent: float
) -> dict[str, Any]:
    rng = random.Random(7)
    for _ in range(30):
        await _create(client, rng)
    note(f"creating tickets at {rate}/s for {seconds} s")
    steady: list[float] = []
    when: list[tuple[float, float]] = []  # (seconds into the run, latency)

    async def one(at: float) -> None:
        steady.append(await _create(client, rng))
        when.append((at, steady[-1]))

    async def paced() -> float:
        tasks = []
        began = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(i / rate)))
        await asyncio.gather(*tasks)
        return time.perf_counter() - began

    started = probe.start()
    elapsed, waits = await asyncio.gather(paced(), probe.lock_waits(seconds))
    result: dict[str, Any] = {
        "steady": {
            "target_per_s": rate,
            "achieved_per_s": round(len(steady) / elapsed, 1),
            **_stats(steady),
            "over_100ms": sum(1 for t in steady if t > 0.1),
            "slowest_at_s": [
                [round(at, 2), round(t * 1000)] for at, t in sorted(when, key=lambda w: -w[1])[:5]
            ],
            **probe.report(started, len(steady)),
            "database": waits,
        }
    }
    note(f"creating tickets at concurrency 8 for {concurrent} s")
    burst: list[float] = []

    async def worker(deadline: float) -> None:
        while time.perf_counter() < deadline:
            burst.append(await _create(client, rng))

    began, started = time.perf_counter(), probe.start()
    _, waits = await asyncio.gather(
        asyncio.gather(*(worker(began + concurrent) for _ in range(8))),
        probe.lock_waits(concurrent),
    )
    result["concurrency_8"] = {
        "tickets_per_s": round(len(burst) / (time.perf_counter() - began), 1),
        **_stats(burst),
        **probe.report(started, len(burst)),
        "database": waits,
    }
    return result


# ---------------------------------------------------------------------------------------
# The service's own SQL under EXPLAIN ANALYZE (optional: skipped if its internals moved).
# ---------------------------------------------------------------------------------------


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
    from urllib.parse import parse_qs, urlsplit

    from sqlalchemy import event

    from portal_chassis.auth import Actor
    from portal_chassis.db import create_engine, make_session_factory
    from portal_tickets.base import messaging
    from portal_tickets.ticket import cursor as cursors
    from portal_tickets.ticket import service
    from portal_tickets.ticket.models import Priority
    from portal_tickets.ticket.views import ListFilters
    from portal_tickets.uow import TicketsUoW

    engine = create_engine(url)
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    captured: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        captured.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    actors = {
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
    uow = TicketsUoW(make_session_factory(engine), producer="tickets", tables=messaging)
    plans: dict[str, Any] = {}
    try:
        for role, variants in paths.items():
            for label, path in variants.items():
                query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
                filters = ListFilters(
                    scope="organization",
                    state=query.get("state", "all"),
                    priority=[Priority(query["priority"])] if "priority" in query else [],
                    q=query.get("q"),
                )
                captured.clear()
                after = cursors.decode(query["cursor"], "created") if "cursor" in query else None
                await service.list_tickets(
                    uow=uow,
                    actor=actors[role],
                    scope="organization",
                    sort="created",
                    descending=True,
                    after=after,
                    limit=25,
                    **filters.as_query(actors[role]),
                )
                statement, parameters = next(
                    (s, p) for s, p in captured if "FROM ticket" in s and "LIMIT" in s
                )
                async with engine.connect() as conn:
                    result = await conn.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
                    )
                    plan = result.scalar()
                plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
                top = plan["Plan"]
                found = plans.setdefault(role, {})[label] = {
                    "execution_ms": round(plan["Execution Time"], 2),
                    "planning_ms": round(plan["Planning Time"], 2),
                    "buffers_hit": top.get("Shared Hit Blocks", 0),
                    "buffers_read": top.get("Shared Read Blocks", 0),
                    "plan": _shape(top),
                }
                cached = await _cached_plan(dsn, statement, parameters)
                if cached != _shape(top, details=False):
                    found["plan_from_6th_run"] = cached
    finally:
        await engine.dispose()
    return plans


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


# ---------------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> None:
    dbs = PostgresDatabases(PG)
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    procs: list[Any] = []
    summary: dict[str, Any] = {"benchmark": "tickets_scale", "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        try:
            urls = {name: await dbs.create(name) for name in ("identity", "tickets")}
            ports = {name: _port() for name in ("identity", "tickets", "gateway")}
            gateway = f"http://127.0.0.1:{ports['gateway']}"
            env = {
                **os.environ,
                # Load from one address and few users: the edge's rate limits would refuse it.
                "GATEWAY_RATE_LIMIT_PER_USER": "0",
                "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
                "IDENTITY_DATABASE_URL": urls["identity"],
                "TICKETS_DATABASE_URL": urls["tickets"],
                "IDENTITY_URL": f"http://127.0.0.1:{ports['identity']}",
                "TICKETS_URL": f"http://127.0.0.1:{ports['tickets']}",
                "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
                "PORTAL_PUBLIC_URL": gateway,
                "PORTAL_AMQP_URL": AMQP,
                "PORTAL_EVENT_NAMESPACE": namespace,
                "PORTAL_DATA_DIR": str(workdir / "data"),
                "PORTAL_LOG_LEVEL": "WARNING",
                "IDENTITY_ACCESS_TOKEN_MINUTES": "240",
            }
            log = workdir / "migrate.log"
            # Tickets first: its queue must exist before identity publishes its events.
            await _run(["migrate", "tickets"], env, log)
            await _run(["migrate", "identity"], env, log)
            procs.append(await _serve("identity", ports["identity"], env, workdir))
            real = await create_people(env["IDENTITY_URL"])
            dsn = urls["tickets"].replace("postgresql+asyncpg://", "postgresql://")
            world = make_world(args, real, dsn)
            summary["scale"] = {
                "tickets": args.tickets,
                "articles_target": args.articles,
                "organizations": args.orgs,
                "customers_per_org": args.users_per_org,
                "agents": args.agents,
                "created_at_span_days": SPAN / DAY,
            }
            summary["seed"] = await seed(dsn, world, real, workdir)
            summary["search_terms"] = {
                "queries": dict(SEARCHES),
                **await search_hits(dsn, real["org"]),
            }
            probe = Probe(dsn)
            for name in ("tickets", "gateway"):
                procs.append(await _serve(name, ports[name], env, workdir))
                probe.pids[name] = procs[-1].pid
            clients = {}
            async with httpx.AsyncClient(base_url=gateway, timeout=120) as anonymous:
                for role in ("customer", "agent"):
                    token = await _login(anonymous, real[f"{role}_username"], USER_PASSWORD)
                    clients[role] = httpx.AsyncClient(
                        base_url=gateway,
                        timeout=120,
                        headers={"Authorization": f"Bearer {token}"},
                    )
            try:
                reads = await measure_reads(clients, probe, quick=args.tickets < 100_000)
                paths = reads.pop("_paths")
                summary.update(reads)
                # Before creating tickets, so that the plans are those of the data measured.
                note("EXPLAIN ANALYZE of the list and search SQL")
                try:
                    summary["explain"] = await explain(urls["tickets"], real, paths)
                except Exception as exc:  # optional: the service's internals may have moved
                    summary["explain"] = {"unavailable": f"{type(exc).__name__}: {exc}"}
                summary["create"] = await measure_creation(
                    clients["customer"], probe, args.rate, args.seconds, args.concurrent_seconds
                )
            finally:
                for client in clients.values():
                    await client.aclose()
            summary["targets"] = {"list_p95_ms": 20, "search_p95_ms": 100, "create_p99_ms": 50}
            if args.keep:
                summary["kept_databases"] = urls
        finally:
            for proc in reversed(procs):
                if proc.returncode is None:
                    proc.terminate()
                    try:
                        await asyncio.wait_for(proc.wait(), timeout=30)
                    except TimeoutError:
                        proc.kill()
                        await proc.wait()
            if not args.keep:
                await dbs.drop_all()
            try:
                await delete_namespace(AMQP, namespace, ["tickets"])
            except Exception as exc:  # the broker is not essential to the cleanup
                note(f"could not delete the broker namespace {namespace}: {exc}")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=5_000_000)
    parser.add_argument("--orgs", type=int, default=1_000)
    parser.add_argument("--users-per-org", type=int, default=10)
    parser.add_argument("--agents", type=int, default=25, help="service desk, incl. the measured")
    parser.add_argument("--rate", type=float, default=50.0, help="steady creations per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="of steady creation")
    parser.add_argument("--concurrent-seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--seed-worker", metavar="WORLD", help=argparse.SUPPRESS)
    parser.add_argument("--worker-index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_worker:
        asyncio.run(seed_worker(args.seed_worker, args.worker_index, args.workers))
    else:
        asyncio.run(main(args))

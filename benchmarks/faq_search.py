"""FAQ search quality and suggestion latency.

* quality: a generated bilingual knowledge base (default 1,000 articles, each in German
  and English: products by typical questions, with the keywords authors add) and a
  labelled set of queries written the way customers type them: German and English,
  paraphrases, typos, compounds. For each backend (PostgreSQL, and SQLite as in the
  all-in-one mode) it reports recall@5 (the right article among the first five) and
  MRR (mean reciprocal rank), per query kind and overall, plus the misses.
* latency: with 10,000 articles on PostgreSQL, `GET /api/v1/faq/suggest` for every
  keystroke of typed titles (anonymous caller, over the service's HTTP app): p50/p95.

The articles are written through the service's own authoring code (markdown rendering,
revisions, index and vocabulary), in batches. Prints one JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, cast

import httpx
from sqlalchemy import text

from portal_chassis.settings import PortalSettings
from portal_chassis.testing.plugin import PostgresDatabases
from portal_faq.content import markdown
from portal_faq.content.models import Article, Category, State, Translation, Visibility
from portal_faq.module import module
from portal_faq.settings import FaqSettings
from portal_faq.uow import FaqUoW

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)

# The labelled set: the questions every product gets (German and English: title, body,
# the keywords authors add) and how customers ask them (kind, language, which question,
# the text with {p} for the product).
SET = json.loads((Path(__file__).parent / "faq_search_set.json").read_text(encoding="utf-8"))
QUESTIONS: list[dict[str, dict[str, str]]] = SET["questions"]
QUERIES: list[dict[str, Any]] = SET["queries"]


def product_names(count: int, rng: random.Random) -> list[str]:
    """Pronounceable, distinct product names (Varoxa, Telmund, ...)."""
    onsets = ["V", "T", "K", "M", "B", "R", "S", "L", "D", "Gr", "Pl", "Br", "N", "F", "Z"]
    vowels = ["a", "e", "i", "o", "u"]
    codas = ["r", "l", "x", "n", "nd", "m", "s", "k", "t"]
    names: set[str] = set()
    while len(names) < count:
        name = rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
        name += rng.choice(vowels) + rng.choice([*codas, ""]) + rng.choice(vowels)
        names.add(name)
    return sorted(names)


async def seed(runtime: Any, products: list[str], batch: int = 100) -> dict[tuple[str, int], str]:
    """Write the articles with the service's own code, `batch` per transaction."""
    ids: dict[tuple[str, int], str] = {}
    uow = cast(FaqUoW, runtime.uow())
    async with uow:
        category = Category(name="Produkte")
        uow.content.add(category)
        await uow.commit()
        category_id = category.id
    pairs = [(p, q) for p in products for q in range(len(QUESTIONS))]
    for start in range(0, len(pairs), batch):
        uow = cast(FaqUoW, runtime.uow())
        async with uow:
            written: list[Translation] = []
            for product, question in pairs[start : start + batch]:
                article = Article(
                    id=uuid.uuid4(),
                    category_id=category_id,
                    visibility=Visibility.PUBLIC,
                    state=State.PUBLISHED,
                    created_by=uuid.UUID(int=0),
                    translations=[],
                )
                for language, text in QUESTIONS[question].items():
                    body = text["body"].format(p=product)
                    body_html = markdown.render(body)
                    article.translations.append(
                        Translation(
                            language=language,
                            title=text["title"].format(p=product),
                            body=body,
                            body_html=body_html,
                            body_text=markdown.plain_text(body_html),
                            keywords=text["keywords"],
                        )
                    )
                uow.content.add(article)
                written += article.translations
                ids[(product, question)] = str(article.id)
            await uow.content.flush()  # the translations get their ids
            for translation in written:
                await uow.search.index(translation)
            await uow.commit()
    return ids


async def quality(
    client: httpx.AsyncClient, ids: dict, products: list[str], rng: random.Random, n: int
) -> dict:
    chosen = rng.sample(products, n)
    ranks: list[tuple[str, int | None, str]] = []
    for product, query in zip(chosen, QUERIES, strict=True):
        kind, question = query["kind"], query["question"]
        q = query["text"].format(p=product)
        r = await client.get("/api/v1/faq/articles", params={"q": q, "limit": 10})
        r.raise_for_status()
        found = [a["id"] for a in r.json()["items"]]
        target = ids[(product, question)]
        ranks.append((kind, found.index(target) + 1 if target in found else None, q))

    def score(rows: list) -> dict[str, float]:
        return {
            "queries": len(rows),
            "recall_at_5": round(sum(1 for _, r, _ in rows if r and r <= 5) / len(rows), 3),
            "mrr": round(sum(1 / r for _, r, _ in rows if r) / len(rows), 3),
        }

    kinds = sorted({k for k, _, _ in ranks})
    return {
        **score(ranks),
        "by_kind": {k: score([row for row in ranks if row[0] == k]) for k in kinds},
        "misses": [{"query": q, "rank": r} for _, r, q in ranks if not r or r > 5],
    }


async def suggest_latency(
    client: httpx.AsyncClient, products: list[str], rng: random.Random
) -> dict:
    typed = [query["text"].format(p=rng.choice(products)) for query in QUERIES]
    for warm in typed[:5]:
        await client.get("/api/v1/faq/suggest", params={"q": warm})
    timed: list[tuple[float, str]] = []
    for title in typed:
        for end in range(3, len(title) + 1):
            start = time.perf_counter()
            r = await client.get("/api/v1/faq/suggest", params={"q": title[:end]})
            timed.append(((time.perf_counter() - start) * 1000, title[:end]))
            r.raise_for_status()
    lat = sorted(ms for ms, _ in timed)
    slowest = sorted(timed, reverse=True)[:5]
    return {
        "requests": len(lat),
        "p50_ms": round(statistics.median(lat), 2),
        "p95_ms": round(lat[int(len(lat) * 0.95) - 1], 2),
        "max_ms": round(lat[-1], 2),
        "slowest": [{"q": q, "ms": round(ms, 1)} for ms, q in slowest],
    }


async def run_backend(
    database_url: str | None, articles: int, *, latency: bool, seed_value: int
) -> dict:
    rng = random.Random(seed_value)
    products = product_names(articles // len(QUESTIONS), rng)
    with tempfile.TemporaryDirectory() as data_dir:
        settings = FaqSettings(
            database_url=database_url,
            portal=PortalSettings(data_dir=Path(data_dir), auto_migrate=True, log_level="WARNING"),
        )
        app = module.create_app(settings)
        async with app.router.lifespan_context(app):
            runtime = app.state.portal
            began = time.perf_counter()
            ids = await seed(runtime, products)
            seeded = time.perf_counter() - began
            if runtime.engine.dialect.name == "postgresql":
                # What autovacuum does soon after a bulk load: statistics for the planner
                # (committed: statistics gathered in a transaction that rolls back are lost).
                async with runtime.engine.begin() as conn:
                    await conn.execute(text("ANALYZE"))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://faq") as client:
                result: dict[str, Any] = {
                    "articles": len(ids),
                    "seed_seconds": round(seeded, 1),
                }
                if latency:
                    result["suggest"] = await suggest_latency(client, products, rng)
                else:
                    result["quality"] = await quality(client, ids, products, rng, len(QUERIES))
    return result


async def main(args: argparse.Namespace) -> None:
    dbs = PostgresDatabases(PG)
    summary: dict[str, Any] = {"queries": len(QUERIES)}
    try:
        print("quality on PostgreSQL", file=sys.stderr)
        summary["postgresql"] = await run_backend(
            await dbs.create("faq"), args.articles, latency=False, seed_value=args.seed
        )
        print("quality on SQLite", file=sys.stderr)
        summary["sqlite"] = await run_backend(
            None, args.articles, latency=False, seed_value=args.seed
        )
        print("suggestion latency on PostgreSQL", file=sys.stderr)
        summary["suggest_postgresql"] = await run_backend(
            await dbs.create("faq"), args.latency_articles, latency=True, seed_value=args.seed
        )
    finally:
        await dbs.drop_all()
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--latency-articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    # Each labelled query asks about a product of its own, and each product has one
    # article per question.
    fewest = len(QUERIES) * len(QUESTIONS)
    if args.articles < fewest:
        parser.error(f"--articles must be at least {fewest}: one product per labelled query")
    asyncio.run(main(args))

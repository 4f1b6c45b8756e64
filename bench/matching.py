"""matching: rank candidates for a posting and postings for an expert on PostgreSQL (R-PLATFORM (2)).

A fresh PostgreSQL database with the directory's real migrations is loaded with a
generated population (``tests.support.matching_data``: ``experts`` experts, ``postings``
postings, ``planted`` planted pairs). Each query is the directory's own read,
``matching.candidates_for_posting`` / ``matching.postings_for_expert`` (the database query and
the scoring in Python, no HTTP), timed with ``time.perf_counter`` from call to result.
Queries alternate planted postings and random ones; every planted pair's rank is checked
and reported (the test suite holds the rule, the figure shows it held here too).

Parameters (``-p key=value``): ``experts`` (10000, quick 2000), ``postings`` (1000, quick
200), ``planted`` (50, quick 20), ``queries`` (300, quick 60), ``limit`` (10), ``seed`` (2013).
"""

from __future__ import annotations

import random
import time

import sqlalchemy as sa

from bench.registry import Options, Outcome, Progress, Table, benchmark
from bench.stats import summary

NAME = "matching"


@benchmark(NAME, "matching on PostgreSQL: candidates for a posting, postings for an expert (10k experts, 1k postings)")
async def run(options: Options, progress: Progress) -> Outcome:
    from services.directory.board import queries as board
    from services.directory.matching import queries as matching
    from services.directory.app import MIGRATIONS_DIR
    from shared.db import Database
    from shared.migrations import upgrade
    from tests.support import infra
    from tests.support.matching_data import generate, load

    n_experts = options.get("experts", 10_000, quick=2_000)
    n_postings = options.get("postings", 1_000, quick=200)
    n_planted = options.get("planted", 50, quick=20)
    n_queries = options.get("queries", 300, quick=60)
    limit = options.get("limit", 10)
    seed = options.get("seed", 2013)

    urls = await infra.create_databases(("directory",))
    db = None
    try:
        upgrade(MIGRATIONS_DIR, urls["directory"])
        db = Database(urls["directory"])
        began = time.monotonic()
        population = generate(n_experts, n_postings, n_planted, seed=seed)
        await load(db, population)
        async with db.session() as session:
            await session.execute(sa.text("ANALYZE"))
            await session.commit()
        progress(f"loaded {n_experts} experts, {n_postings} postings, {n_planted} planted pairs "
                 f"in {time.monotonic() - began:.1f} s")

        rnd = random.Random(seed)
        planted_postings = {p: e for e, p in population.planted}
        planted_experts = {e: p for e, p in population.planted}
        posting_ids = [p["id"] for p in population.postings]
        expert_ids = [e["id"] for e in population.experts if e["seeking"]]
        candidates_ms, postings_ms = [], []
        planted_first = {"candidates": 0, "candidates_checked": 0, "postings": 0, "postings_checked": 0}

        for q in range(n_queries):
            posting_id = population.planted[q % n_planted][1] if q % 2 == 0 else rnd.choice(posting_ids)
            async with db.session() as session:
                started = time.perf_counter()
                posting = await board.get_posting_row(session, posting_id)
                ranked = await matching.candidates_for_posting(session, posting, limit=limit)
                candidates_ms.append((time.perf_counter() - started) * 1000)
            if posting_id in planted_postings:
                planted_first["candidates_checked"] += 1
                planted_first["candidates"] += ranked[0].expert.id == planted_postings[posting_id]

            expert_id = population.planted[q % n_planted][0] if q % 2 == 0 else rnd.choice(expert_ids)
            async with db.session() as session:
                started = time.perf_counter()
                openings = await matching.postings_for_expert(session, expert_id, limit=limit)
                postings_ms.append((time.perf_counter() - started) * 1000)
            if expert_id in planted_experts:
                planted_first["postings_checked"] += 1
                planted_first["postings"] += openings[0].posting.id == planted_experts[expert_id]
            if (q + 1) % 100 == 0:
                progress(f"{q + 1}/{n_queries} queries")
    finally:
        if db is not None:
            await db.dispose()
        await infra.drop_databases(urls)

    figures = {
        "experts": n_experts, "postings": n_postings, "planted": n_planted, "limit": limit,
        "candidates_for_posting_ms": summary(candidates_ms),
        "postings_for_expert_ms": summary(postings_ms),
        "planted_pairs_first": planted_first,
    }
    table = Table(
        title=f"matching on PostgreSQL: {n_experts} experts, {n_postings} postings, top {limit}",
        columns=["query", "count", "p50 ms", "p90 ms", "p99 ms", "max ms", "planted first"],
        rows=[
            ["candidates for a posting", len(candidates_ms), figures["candidates_for_posting_ms"]["p50"],
             figures["candidates_for_posting_ms"]["p90"], figures["candidates_for_posting_ms"]["p99"],
             figures["candidates_for_posting_ms"]["max"],
             f"{planted_first['candidates']}/{planted_first['candidates_checked']}"],
            ["postings for an expert", len(postings_ms), figures["postings_for_expert_ms"]["p50"],
             figures["postings_for_expert_ms"]["p90"], figures["postings_for_expert_ms"]["p99"],
             figures["postings_for_expert_ms"]["max"],
             f"{planted_first['postings']}/{planted_first['postings_checked']}"],
        ],
        notes=["time per call of the directory's read: database query plus scoring, no HTTP",
               "half the queries are planted postings/experts, half random"],
    )
    return Outcome(figures=figures, tables=[table])

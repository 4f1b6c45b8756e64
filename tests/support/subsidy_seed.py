"""Many entitlements with a claim and its grant for one funding year, set-based on PostgreSQL (annual-run tests, bench)."""

from __future__ import annotations

from decimal import Decimal

import asyncpg

DISTRICTS = ("haidian", "chaoyang", "dongcheng", "xicheng", "fengtai")


def grant_of(i: int) -> Decimal:
    """The seeded grant of entitlement number ``i`` (1-based): exact, varied, known to the test."""
    return Decimal(1000 + i % 997) + Decimal(i % 100) / 100


def total_granted(n: int) -> Decimal:
    return sum((grant_of(i) for i in range(1, n + 1)), Decimal("0"))


async def seed(dsn: str, n: int, *, year: int = 2024, start: int = 1) -> None:
    """Entitlements ``start .. start + n - 1``: open, haiju track, a 2024 claim and its salary-subsidy grant."""
    conn = await asyncpg.connect(dsn.replace("postgresql+asyncpg://", "postgresql://", 1))
    try:
        async with conn.transaction():
            await conn.execute(f"""
                INSERT INTO entitlements (id, application_id, decision_id, decided_at, expert_id, expert_name,
                    employer_id, employer_name, employer_district, track, contract_start, contract_end, annual_salary,
                    funding_plan, status, opened_at, source_event_id)
                SELECT gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), now(), gen_random_uuid(),
                       'Expert ' || g, gen_random_uuid(), 'Employer ' || (g % 500),
                       (ARRAY{list(DISTRICTS)})[1 + g % {len(DISTRICTS)}], 'haiju_long_term',
                       DATE '{year}-01-01', DATE '{year + 2}-12-31', 500000, '{{}}'::jsonb, 'open', now(), 'seed-' || g
                FROM generate_series($1::int, $2::int) g""", start, start + n - 1)
            await conn.execute(f"""
                INSERT INTO claims (id, entitlement_id, expert_id, track, funding_year, period_end, evidence_reference,
                    inputs, policy_version, items, total, submitted_by, assessed_at)
                SELECT gen_random_uuid(), e.id, e.expert_id, e.track, {year}, DATE '{year}-12-31', 'seed', '{{}}'::jsonb,
                       '2014-03-01', '[]'::jsonb, 1000 + g % 997 + (g % 100) / 100.0, 'seed', now()
                FROM entitlements e JOIN generate_series($1::int, $2::int) g ON e.source_event_id = 'seed-' || g""",
                               start, start + n - 1)
            await conn.execute(f"""
                INSERT INTO ledger_entries (entitlement_id, expert_id, track, funding_year, kind, item_code, amount,
                    reference, reason, recorded_at)
                SELECT e.id, e.expert_id, e.track, {year}, 'grant', 'salary_subsidy',
                       1000 + g % 997 + (g % 100) / 100.0, 'seed', 'seeded grant (R-SUB-SALARY)', now()
                FROM entitlements e JOIN generate_series($1::int, $2::int) g ON e.source_event_id = 'seed-' || g""",
                               start, start + n - 1)
        await conn.execute("ANALYZE entitlements; ANALYZE claims; ANALYZE ledger_entries")
    finally:
        await conn.close()

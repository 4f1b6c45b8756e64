"""Money under concurrent requests, on both run modes: simultaneous claims and disbursements never exceed
what the caps and the grants allow (R-YEAR-CAP), because every unit of work that writes sees the committed state.

The requests are sent at one moment through ``asyncio.gather``: on SQLite each goes through its own pooled
connection and aiosqlite thread, on PostgreSQL its own backend, so their reads and writes interleave."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy.models import disbursements, ledger_entries
from tests.support.subsidy import OFFICER, claim, haiju_claim, open_entitlement

# R-SUB-SALARY 200,000 and R-SUB-MEDICAL 30,000 per expert per year, cumulative over claims (R-YEAR-CAP).
YEARLY_CAPS = Decimal("230000.00")


async def granted_in_ledger(platform, entitlement) -> Decimal:
    async with platform.runtime("subsidy").db.session() as session:
        amounts = (await session.execute(sa.select(ledger_entries.c.amount).where(
            ledger_entries.c.entitlement_id == uuid.UUID(entitlement["id"]), ledger_entries.c.kind == "grant",
            ledger_entries.c.funding_year == 2024))).scalars().all()
    return sum((Decimal(a) for a in amounts), Decimal("0"))


async def test_R_YEAR_CAP_eight_simultaneous_claims_grant_exactly_the_yearly_caps_in_all(platform):
    await platform.start()
    entitlement = await open_entitlement(platform)
    # Each claim alone would be granted the whole of both caps: 20 % of 1,500,000 and a 40,000 premium.
    body = haiju_claim(salary_paid="1500000.00", medical_premium_paid="40000.00")

    responses = await asyncio.gather(*(claim(platform, entitlement, body) for _ in range(8)))

    assert [r.status_code for r in responses] == [201] * 8, [r.text for r in responses if r.status_code != 201]
    totals = sorted(Decimal(r.json()["total"]) for r in responses)
    assert totals == [Decimal("0.00")] * 7 + [YEARLY_CAPS], totals
    assert await granted_in_ledger(platform, entitlement) == YEARLY_CAPS
    # Each claim froze what was already granted when it was assessed: 0 once, then the whole caps.
    already = sorted(Decimal(r.json()["inputs"]["already_granted_this_year"]) for r in responses)
    assert already == [Decimal("0.00")] + [Decimal("200000.00")] * 7, already


async def test_six_simultaneous_disbursements_instruct_no_more_than_is_granted(platform):
    await platform.start(settings={"subsidy": {"disbursement_poll_seconds": 3600.0}})
    entitlement = await open_entitlement(platform)
    granted = await claim(platform, entitlement, haiju_claim())  # 120,000 + 18,000 for 2024
    assert granted.status_code == 201, granted.text
    url = f"/subsidy/v1/entitlements/{entitlement['id']}/disbursements"

    async def instruct(amount: str):
        async with platform.client("subsidy", OFFICER) as client:
            return await client.post(url, json={"funding_year": 2024, "amount": amount})

    # Each asks for half of what is granted: two fit, four must be refused.
    responses = await asyncio.gather(*(instruct("69000.00") for _ in range(6)))

    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 201, 422, 422, 422, 422], [r.text for r in responses]
    for refused in (r for r in responses if r.status_code == 422):
        assert refused.json()["errors"][0]["field"] == "amount"
    async with platform.runtime("subsidy").db.session() as session:
        instructed = (await session.execute(sa.select(disbursements.c.amount).where(
            disbursements.c.entitlement_id == uuid.UUID(entitlement["id"])))).scalars().all()
    assert sum((Decimal(a) for a in instructed), Decimal("0")) == Decimal("138000.00")

    # What is left to pay is never below zero: a further instruction of one fen is refused.
    one_fen = await instruct("0.01")
    assert one_fen.status_code == 422, one_fen.text
    # And the entitlement says so: all of it in payment, nothing left to instruct.
    async with platform.client("subsidy", OFFICER) as client:
        read = (await client.get(f"/subsidy/v1/entitlements/{entitlement['id']}")).json()
    assert (read["granted"], read["disbursed"], read["in_payment"], read["to_disburse"]) == (
        "138000.00", "0.00", "138000.00", "0.00")

"""The ledger on the real migrations: append-only money rows, corrections as new rows, balances per year."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from services.subsidy.ledger import handlers
from services.subsidy.models import entitlements, ledger_entries
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.subsidy import approval, entitlements_of
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")


async def opened_entitlement(platform):
    event = approval()
    await publish(platform, event)
    await eventually(lambda: entitlements_of(platform, event.expert.expert_id), message="entitlement opened")
    runtime = platform.runtime("subsidy")
    async with runtime.db.session() as session:
        return (await session.execute(
            sa.select(entitlements).where(entitlements.c.application_id == event.application_id))).one()


async def grant(platform, entitlement, amount: str, *, year=2024, item="salary_subsidy", kind="grant") -> int:
    """What claim assessment will do: append a row in its unit of work."""
    async with platform.runtime("subsidy").uow() as uow:
        entry_id = await handlers.append_ledger_entry(
            uow, entitlement=entitlement, funding_year=year, kind=kind, amount=Decimal(amount),
            reference="claim-test", reason="assessed", actor="test", item_code=item,
        )
        await uow.commit()
    return entry_id


async def ledger(platform, expert_id, **params) -> dict:
    async with platform.client("subsidy", OFFICER) as client:
        response = await client.get(f"/subsidy/v1/experts/{expert_id}/ledger", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_correction_is_a_new_row_and_balances_follow(platform):
    await platform.start()
    entitlement = await opened_entitlement(platform)
    salary = await grant(platform, entitlement, "120000.00")
    await grant(platform, entitlement, "12000.00", item="medical_insurance_subsidy")
    await grant(platform, entitlement, "100000.00", kind="disbursement", item=None)
    await grant(platform, entitlement, "30000.00", year=2025)

    async with platform.client("subsidy", OFFICER) as client:
        response = await client.post(f"/subsidy/v1/ledger-entries/{salary}/corrections",
                                     json={"corrected_amount": "100000.00", "reason": "salary evidence revised"})
        again = await client.post(f"/subsidy/v1/ledger-entries/{salary}/corrections",
                                  json={"corrected_amount": "100000.00", "reason": "the same once more"})

    assert response.status_code == 201, response.text
    correction = response.json()
    assert (correction["amount"], correction["corrects"], correction["kind"]) == ("-20000.00", salary, "grant")
    assert correction["recorded_by"] == "test-bureau_officer"
    assert again.status_code == 409
    book = await ledger(platform, entitlement.expert_id)
    original = next(e for e in book["entries"] if e["id"] == salary)
    assert original["amount"] == "120000.00"  # never updated in place
    assert book["balances"] == [
        {"funding_year": 2024, "track": "haiju_long_term", "granted": "112000.00", "disbursed": "100000.00",
         "recovered": "0.00", "to_disburse": "12000.00"},
        {"funding_year": 2025, "track": "haiju_long_term", "granted": "30000.00", "disbursed": "0.00",
         "recovered": "0.00", "to_disburse": "30000.00"},
    ]
    assert [b["funding_year"] for b in (await ledger(platform, entitlement.expert_id, funding_year=2025))["balances"]] \
        == [2025]


async def test_ledger_rows_cannot_be_updated_or_deleted(platform):
    await platform.start()
    entitlement = await opened_entitlement(platform)
    await grant(platform, entitlement, "50000.00")
    runtime = platform.runtime("subsidy")
    for statement in (sa.update(ledger_entries).values(amount=Decimal("1.00")), sa.delete(ledger_entries)):
        with pytest.raises(Exception, match="append-only"):
            async with runtime.db.session() as session, session.begin():
                await session.execute(statement)
    assert (await ledger(platform, entitlement.expert_id))["entries"][0]["amount"] == "50000.00"


async def test_ledger_corrections_are_for_officers_and_a_correction_needs_an_entry(platform):
    await platform.start()
    entitlement = await opened_entitlement(platform)
    entry = await grant(platform, entitlement, "50000.00")
    async with platform.client("subsidy", auth("employer", str(entitlement.employer_id))) as client:
        # The employer reads the ledger of its own entitlement, and corrects nothing.
        own = await client.get(f"/subsidy/v1/experts/{entitlement.expert_id}/ledger")
        assert (own.status_code, [e["id"] for e in own.json()["entries"]]) == (200, [entry])
        assert (await client.post(f"/subsidy/v1/ledger-entries/{entry}/corrections",
                                  json={"corrected_amount": "1", "reason": "mine"})).status_code == 403
    async with platform.client("subsidy", OFFICER) as client:
        missing = await client.post("/subsidy/v1/ledger-entries/999999/corrections",
                                    json={"corrected_amount": "1", "reason": "none such"})
        negative = await client.post(f"/subsidy/v1/ledger-entries/{entry}/corrections",
                                     json={"corrected_amount": "-1", "reason": "below zero"})
    assert missing.status_code == 404
    assert negative.status_code == 422
    assert [e["field"] for e in negative.json()["errors"]] == ["corrected_amount"]

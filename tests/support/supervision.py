"""Supervision test helpers: a selection as the committee's decision records it, and the supervision
calls through review's API (contract, evaluation, breach), for these tests and for the cascade's."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa

from services.review.supervision.handlers import record_selection
from shared.events.review import ApplicationApproved
from tests.support.subsidy import approval
from tests.support.tokens import auth

OFFICER = auth("bureau_officer", subject="officer-li")
OTHER_OFFICER = auth("bureau_officer", subject="officer-wang")


def employer_of(event: ApplicationApproved) -> dict[str, str]:
    return auth("employer", str(event.employer.employer_id), subject="hr-manager")


def expert_of(event: ApplicationApproved) -> dict[str, str]:
    return auth("expert", subject=str(event.expert.expert_id))


async def select(platform, event: ApplicationApproved | None = None, *, announce: bool = True,
                 **kwargs) -> ApplicationApproved:
    """What the committee's decision does: record the selection for supervision and, in the same unit of
    work, publish ApplicationApproved (``announce=False`` records it without telling anyone)."""
    event = event or approval(**kwargs)
    async with platform.runtime("review").uow() as uow:
        await record_selection(uow, event)
        if announce:
            uow.publish(event)
        await uow.commit()
    return event


async def outbox_events(platform, event_type: str) -> list[dict]:
    """The ``data`` of every event of ``event_type`` review committed to its outbox, oldest first."""
    runtime = platform.runtime("review")
    outbox = runtime.tables.outbox
    async with runtime.db.session() as session:
        payloads = (await session.execute(
            sa.select(outbox.c.payload).where(outbox.c.event_type == event_type).order_by(outbox.c.id))).scalars()
        return [json.loads(p)["data"] for p in payloads]


async def post(platform, path: str, body: dict, headers: dict):
    async with platform.client("review", headers) as client:
        return await client.post(f"/review/v1{path}", json=body)


async def get(platform, path: str, headers: dict, **params):
    async with platform.client("review", headers) as client:
        return await client.get(f"/review/v1{path}", params=params)


def contract_body(event: ApplicationApproved, **overrides) -> dict:
    """The approved terms, signed the day before they start."""
    terms = event.contract
    return {"start": terms.start.isoformat(), "end": terms.end.isoformat(),
            "annual_salary": f"{terms.annual_salary:.2f}",
            "signed_on": date.fromordinal(terms.start.toordinal() - 1).isoformat(), **overrides}


async def register_contract(platform, event: ApplicationApproved, **overrides) -> dict:
    response = await post(platform, f"/selections/{event.application_id}/contract", contract_body(event, **overrides),
                          employer_of(event))
    assert response.status_code == 201, response.text
    return response.json()


async def evaluate(platform, event: ApplicationApproved, funding_year: int, grade: str = "good",
                   comments: str = "met the year's objectives") -> dict:
    """R-SUB-RECURRING: a bureau officer's evaluation of one funding year (emits PerformanceEvaluated)."""
    response = await post(platform, f"/selections/{event.application_id}/evaluations",
                          {"funding_year": funding_year, "grade": grade, "comments": comments}, OFFICER)
    assert response.status_code == 201, response.text
    return response.json()


async def report_breach(platform, event: ApplicationApproved, *, attributable_to: str = "expert",
                        breach_date: str = "2025-03-01", facts: str = "left Beijing and stopped working in March",
                        headers: dict | None = None) -> dict:
    """R-SUPERVISE: a breach reported (by the application's employer unless ``headers`` say otherwise)."""
    response = await post(platform, f"/selections/{event.application_id}/breaches",
                          {"breach_date": breach_date, "facts": facts, "attributable_to": attributable_to},
                          headers or employer_of(event))
    assert response.status_code == 201, response.text
    return response.json()


async def confirm_breach(platform, breach_id, headers: dict | None = None) -> dict:
    response = await post(platform, f"/breaches/{breach_id}/confirm", {}, headers or OTHER_OFFICER)
    assert response.status_code == 200, response.text
    return response.json()


async def breach(platform, event: ApplicationApproved, **report) -> dict:
    """Publish a ContractBreached through review's API: the employer reports, an officer confirms.

    ``event`` must have been recorded with ``select`` first; ``report``: attributable_to ("expert" revokes),
    breach_date, facts, headers. Returns the confirmed breach as the API shows it."""
    reported = await report_breach(platform, event, **report)
    return await confirm_breach(platform, reported["id"])


async def withdraw_breach(platform, breach_id, reason: str = "the expert's absence was authorised sick leave",
                          headers: dict | None = None) -> dict:
    """The reversal on appeal: publishes ContractBreachWithdrawn."""
    response = await post(platform, f"/breaches/{breach_id}/withdraw", {"reason": reason}, headers or OFFICER)
    assert response.status_code == 200, response.text
    return response.json()


__all__ = ["OFFICER", "OTHER_OFFICER", "breach", "confirm_breach", "contract_body", "employer_of", "evaluate",
           "expert_of", "get", "outbox_events", "post", "register_contract", "report_breach", "select",
           "withdraw_breach"]

"""Permits test data: approvals and breaches as the review service announces them, and the case they open."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from services.permits.domain import add_years, beijing_date
from shared.events.review import (
    ApplicationApproved, BreachAttribution, ContractBreached, ContractBreachWithdrawn, ContractTerms, EmployerSummary,
    ExpertSummary, FundingPlan, Track,
)
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")


def today() -> date:
    return beijing_date(datetime.now(UTC))


def approval(*, contract_start: date | None = None, contract_end: date | None = None,
             application_id: uuid.UUID | None = None, employer_id: uuid.UUID | None = None) -> ApplicationApproved:
    start = contract_start or today()
    return ApplicationApproved(
        application_id=application_id or uuid.uuid4(),
        decision_id=uuid.uuid4(),
        decided_at=datetime.now(UTC),
        expert=ExpertSummary(expert_id=uuid.uuid4(), name="Ada Example", nationality="GB",
                             date_of_birth=date(1975, 3, 4)),
        employer=EmployerSummary(employer_id=employer_id or uuid.uuid4(), name="Haidian Photonics",
                                 district="haidian", municipal_state_owned=False),
        catalogue_entry_id=uuid.uuid4(),
        focus_area="strategic_emerging_industries",
        field="new_generation_it",
        track=Track.haiju_long_term,
        contract=ContractTerms(start=start, end=contract_end or add_years(start, 5),
                               annual_salary=Decimal("850000.00")),
        funding_plan=FundingPlan(to_be_quoted=True),
    )


def breach(event: ApplicationApproved, *, by: BreachAttribution = BreachAttribution.expert,
           breach_id: uuid.UUID | None = None) -> ContractBreached:
    return ContractBreached(
        breach_id=breach_id or uuid.uuid4(), expert_id=event.expert.expert_id,
        employer_id=event.employer.employer_id, application_id=event.application_id, breach_date=today(),
        attributable_to=by, reported_by="employer", confirmed_by="officer-1", facts="left for another post",
    )


def breach_withdrawn(b: ContractBreached) -> ContractBreachWithdrawn:
    return ContractBreachWithdrawn(breach_id=b.breach_id, expert_id=b.expert_id, application_id=b.application_id,
                                   withdrawn_at=datetime.now(UTC), withdrawn_by="officer-2", reason="appeal upheld")


async def cases_of(platform, application_id) -> list[dict]:
    async with platform.client("permits", OFFICER) as client:
        response = await client.get("/permits/v1/cases", params={"application_id": str(application_id)})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def case_of(platform, event: ApplicationApproved) -> dict:
    [case] = await eventually(lambda: cases_of(platform, event.application_id), message="green-channel case opened")
    return case


async def open_case(platform, **kwargs) -> tuple[ApplicationApproved, dict]:
    event = approval(**kwargs)
    await publish(platform, event)
    return event, await case_of(platform, event)


def principal_body(kind: str = "work_permit", *, valid_from: date | None = None, years: int = 5,
                   valid_until: date | None = None, entry_visa: str = "F", **extra) -> dict:
    start = valid_from or today()
    return {"kind": kind, "valid_from": start.isoformat(),
            "valid_until": (valid_until or add_years(start, years)).isoformat(), "entry_visa": entry_visa, **extra}


def dependant_body(relation: str, *, name: str = "Kim Example", date_of_birth: date | None = None,
                   valid_from: date | None = None, years: int = 5, valid_until: date | None = None) -> dict:
    start = valid_from or today()
    dependant = {"relation": relation, "name": name}
    if date_of_birth is not None:
        dependant["date_of_birth"] = date_of_birth.isoformat()
    return {"kind": "dependant_residence_permit", "valid_from": start.isoformat(),
            "valid_until": (valid_until or add_years(start, years)).isoformat(), "dependant": dependant}


async def outbox_types(platform) -> list[str]:
    import sqlalchemy as sa

    runtime = platform.runtime("permits")
    outbox = runtime.tables.outbox
    async with runtime.db.session() as session:
        return list((await session.scalars(sa.select(outbox.c.event_type).order_by(outbox.c.id))).all())


# -- a partner agency: the entry-exit simulator in-process, subscribed to permits' webhooks --------

COMPRESSED = {
    "webhook_allowed_targets": ["http://127.0.0.1:8102/entry-exit/"],  # the simulator, exactly
    "webhook_retry_schedule_seconds": [0.05, 0.05, 0.05],
    "webhook_retry_jitter": 0.0,
    "webhook_poll_seconds": 0.05,
}
SIMULATOR_URL = "http://127.0.0.1:8102/entry-exit/webhooks"


class Partner:
    """The entry-exit simulator, reached in-process through the permits dispatcher's transport."""

    def __init__(self) -> None:
        import httpx

        from simulators.entry_exit.app import create_app
        from simulators.entry_exit.settings import EntryExitSimulatorSettings

        self.app = create_app(EntryExitSimulatorSettings())
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://entry-exit")

    async def control(self, **body) -> None:
        response = await self.client.post("/entry-exit/control", json=body)
        assert response.status_code == 200, response.text

    async def received(self) -> dict:
        return (await self.client.get("/entry-exit/received")).json()

    async def types(self) -> list[str]:
        return [r["type"] for r in (await self.received())["items"]]


async def start_with_partner(platform, event_types: list[str], **settings) -> tuple[Partner, dict]:
    """The platform, the simulator as permits' webhook target, and its subscription to ``event_types``."""
    import httpx

    await platform.start(settings={"permits": {**COMPRESSED, **settings}})
    partner = Partner()
    platform.apps["permits"].state.runtime.extras.dispatcher.transport = httpx.ASGITransport(app=partner.app)
    async with platform.client("permits", OFFICER) as client:
        response = await client.post("/permits/v1/webhook-subscriptions", json={
            "url": SIMULATOR_URL, "event_types": event_types, "description": "entry-exit bureau"})
    assert response.status_code == 201, response.text
    subscription = response.json()
    await partner.control(secrets=[subscription["secret"]])
    return partner, subscription

"""Directory test data: experts as an officer registers them, approvals and breaches as review announces them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from shared.events.review import BreachAttribution, ContractBreached, ContractBreachWithdrawn
from tests.support.subsidy import approval  # noqa: F401  (re-exported)
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")
BASE = "/directory/v1"
PUBLIC_PAGES = frozenset(f"{BASE}{path}" for path in (
    "/job-seekers", "/map/summary", "/map/countries.geojson", "/map/world.svg", "/postings",
    "/postings/{posting_id}", "/notices", "/notices/{notice_id}", "/matchmaking-events",
    "/matchmaking-events/{event_id}", "/guide", "/courses", "/courses/{course_id}",
    "/taxonomy", "/catalogue-entries",  # R-FIELD, R-CATALOGUE reference data
    "/sign-in/options",  # the development issuer's roles and organisations; 403 in production
))
"""The directory's public pages (R-PLATFORM): GET without a token; nothing restricted in them."""


def expert_body(n: int = 0, **overrides) -> dict:
    body = {
        "name": f"Expert Number{n}",
        "nationality": "DE",
        "date_of_birth": "1975-03-04",
        "field": "new_generation_it",
        "headline": "Distributed systems",
        "bio": "Builds large storage systems.",
        "skills": ["distributed systems", "storage"],
        "languages": ["en", "de"],
        "passport_number": f"C0{n:07d}X",
        "annual_salary": f"{700000 + n}.55",
        "seeking": False,
    }
    body.update(overrides)
    return body


async def register(client, n: int = 0, **overrides) -> dict:
    response = await client.post(f"{BASE}/experts", json=expert_body(n, **overrides), headers=OFFICER)
    assert response.status_code == 201, response.text
    return response.json()


def breach(expert_id: uuid.UUID, *, breach_id: uuid.UUID | None = None, on: date = date(2025, 3, 1),
           attributable_to: BreachAttribution = BreachAttribution.expert) -> ContractBreached:
    return ContractBreached(
        breach_id=breach_id or uuid.uuid4(), expert_id=expert_id, employer_id=uuid.uuid4(),
        application_id=uuid.uuid4(), breach_date=on, attributable_to=attributable_to,
        reported_by="employer", confirmed_by="officer-1", facts="left without notice",
    )


def withdrawal(event: ContractBreached) -> ContractBreachWithdrawn:
    return ContractBreachWithdrawn(
        breach_id=event.breach_id, expert_id=event.expert_id, application_id=event.application_id,
        withdrawn_at=datetime(2025, 4, 1, tzinfo=UTC), withdrawn_by="officer-2", reason="appeal upheld",
    )

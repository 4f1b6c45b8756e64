"""Review test data: a passed formal review as intake announces it, a committee roster, member tokens."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import sqlalchemy as sa

from shared.events.common import ContractTerms, EmployerSummary, ExpertSummary, Track
from shared.events.intake import FormalReviewPassed
from tests.support.events import publish
from tests.support.platform import eventually
from tests.support.tokens import auth

OFFICER = auth("bureau_officer")
SEATS = ("expert", "organization", "development_reform", "science_technology", "industry")


def formal_pass(*, track: Track = Track.haiju_long_term, state_owned: bool = False,
                salary: str = "850000.00", application_id: uuid.UUID | None = None) -> FormalReviewPassed:
    return FormalReviewPassed(
        application_id=application_id or uuid.uuid4(),
        expert=ExpertSummary(expert_id=uuid.uuid4(), name="Ada Example", nationality="GB",
                             date_of_birth=date(1970, 1, 2)),
        employer=EmployerSummary(employer_id=uuid.uuid4(), name="Haidian Photonics", district="haidian",
                                 municipal_state_owned=state_owned),
        catalogue_entry_id=uuid.uuid4(),
        focus_area="strategic_emerging_industries",
        field="new_generation_it",
        track=track,
        position="Chief scientist",
        achievements="Led the design of three photonic chips",
        contract=ContractTerms(start=date(2024, 6, 1), end=date(2027, 5, 31), annual_salary=Decimal(salary)),
        intent_date=date(2024, 5, 1),
        recommendations=2,
        passed_at=datetime(2024, 5, 10, 9, 0, tzinfo=UTC),
        passed_by="officer-1",
    )


announce_pass = publish
"""The old name of ``tests.support.events.publish``, for test_review_committee.py until it imports that."""


async def case_arrived(platform, application_id) -> bool:
    async with platform.client("review", OFFICER) as client:
        return (await client.get(f"/review/v1/cases/{application_id}")).status_code == 200


def route_quotes_in_process(platform) -> None:
    """No network joins the in-process services: the quote goes to the subsidy app over an ASGI transport."""
    quotes = platform.apps["review"].state.runtime.extras.subsidy_quotes
    quotes.transport = httpx.ASGITransport(app=platform.apps["subsidy"])
    quotes.base_url = "http://subsidy.test"


def member_auth(subject: str) -> dict[str, str]:
    return auth("committee_member", subject=subject)


@dataclass
class Committee:
    """Members by subject; ``ids[subject]`` is the roster id."""

    ids: dict[str, str] = field(default_factory=dict)
    seats: dict[str, str] = field(default_factory=dict)


async def seat_committee(client, *, extra: tuple[tuple[str, str], ...] = (), prefix: str | None = None) -> Committee:
    """One member per seat type, plus ``extra`` (subject, seat) pairs."""
    prefix = prefix or uuid.uuid4().hex[:6]
    committee = Committee()
    for subject, seat in [(f"{prefix}-{s}", s) for s in SEATS] + [(f"{prefix}-{s}", seat) for s, seat in extra]:
        r = await client.post("/review/v1/committee-members", headers=OFFICER,
                              json={"subject": subject, "name": subject.title(), "seat_type": seat})
        assert r.status_code == 201, r.text
        committee.ids[subject] = r.json()["id"]
        committee.seats[subject] = seat
    return committee


async def outbox_events(platform, event_type: str) -> list[dict]:
    runtime = platform.runtime("review")
    outbox = runtime.tables.outbox
    async with runtime.db.session() as session:
        rows = (await session.execute(sa.select(outbox.c.payload).where(outbox.c.event_type == event_type))).all()
    return [json.loads(r.payload)["data"] for r in rows]


# -- a sitting with one case, and the members' acts ------------------------------------------------

GOOD = {"achievements": 9, "renown": 8, "recognition": 8, "need": 9}
WEAK = {"achievements": 3, "renown": 2, "recognition": 4, "need": 3}


@dataclass
class Sitting:
    platform: object
    event: object
    committee: object
    sitting_id: str

    @property
    def app(self) -> str:
        return str(self.event.application_id)

    def case_path(self, suffix: str = "") -> str:
        return f"/review/v1/sittings/{self.sitting_id}/cases/{self.app}{suffix}"


async def convene(platform, *, event=None, present=None, settings=None) -> Sitting:
    """A case from a passed formal review on the agenda of a sitting of six members (two experts)."""
    await platform.start(settings=settings)
    route_quotes_in_process(platform)
    event = event or formal_pass()
    await publish(platform, event)
    await eventually(lambda: case_arrived(platform, event.application_id), message="case received by review")
    async with platform.client("review") as client:
        committee = await seat_committee(client, extra=(("expert2", "expert"),))
        r = await client.post("/review/v1/sittings", headers=OFFICER, json={
            "held_on": "2024-05-20", "member_ids": list(committee.ids.values()),
            "application_ids": [str(event.application_id)]})
        assert r.status_code == 201, r.text
        sitting_id = r.json()["id"]
        ids = list(committee.ids.values()) if present is None else [committee.ids[s] for s in present]
        r = await client.post(f"/review/v1/sittings/{sitting_id}/attendance", headers=OFFICER,
                              json={"present_member_ids": ids})
        assert r.status_code == 200, r.text
    return Sitting(platform, event, committee, sitting_id)


def subjects(s: Sitting) -> list[str]:
    return list(s.committee.ids)


async def act(s: Sitting, subject: str, kind: str, body: dict):
    async with s.platform.client("review", member_auth(subject)) as client:
        return await client.post(s.case_path(f"/{kind}"), json=body)


async def deliberate(s: Sitting, *, recuse: str | None = None, against: tuple[str, ...] = (), sheet=GOOD):
    for subject in subjects(s):
        if subject == recuse:
            r = await act(s, subject, "conflicts", {"reason": "co-authored with the candidate"})
            assert r.status_code == 201, r.text
            continue
        r = await act(s, subject, "scores", sheet)
        assert r.status_code == 201, r.text
        r = await act(s, subject, "votes", {"approve": subject not in against})
        assert r.status_code == 201, r.text


async def decide(s: Sitting, body: dict | None = None):
    async with s.platform.client("review", OFFICER) as client:
        return await client.post(s.case_path("/decision"), json=body or {})


async def count(platform, table, where=None) -> int:
    return await platform.count("review", table, where)


def _failing_quotes(platform):
    """Subsidy answers 503 to the quote; returns a function that puts the in-process route back."""
    quotes = platform.apps["review"].state.runtime.extras.subsidy_quotes
    saved = quotes.transport, quotes.base_url
    quotes.transport = httpx.MockTransport(lambda request: httpx.Response(503, json={"title": "unavailable"}))

    def restore():
        quotes.transport, quotes.base_url = saved

    return restore


async def _audit_actions(platform) -> list[str]:
    review = platform.runtime("review")
    log = review.tables.audit_log
    async with review.db.session() as session:
        return list((await session.execute(sa.select(log.c.action).order_by(log.c.id))).scalars())

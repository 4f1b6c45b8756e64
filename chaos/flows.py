"""The event kinds a chaos run mixes: how one is committed at its source, how its effect is counted.

A flow is one real cross-service path. ``emit`` commits one event at the source service (over
its HTTP API when there is one, else the way the source's own unit of work does: the event's
row in the source's outbox, in its own transaction) and returns the key of the entity it
announces, or None when the outcome is unknown (a timed-out request). Truth is read back from
the databases afterwards, never from the client's acknowledgements:

* ``committed_sql`` (source database): one row per committed event, its key;
* ``effects_sql`` (consumer database): one row per applied effect, its key. A key seen twice is
  a duplicated effect; a committed key never seen is a lost event.

To add an event kind: write a ``Flow`` and append it to ``FLOWS`` (the services it names are
started by the harness).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from chaos.cluster import Cluster


@dataclass(frozen=True)
class Flow:
    name: str
    source: str
    consumer: str
    emit: Callable[["Cluster"], Awaitable[str | None]]
    committed_sql: str
    """Run on the source database: ``SELECT key`` per committed event."""
    effects_sql: list[str] = field(default_factory=list)
    """Run on the consumer database: ``SELECT key`` per applied effect; each query is one
    independent record of the effect (a table, an audit trail) and each is checked."""


# --------------------------------------------------------------------------- EmployerRegistered


async def register_employer(cluster: "Cluster") -> str | None:
    from tests.support.data import employer

    try:
        response = await cluster.http.post(
            cluster.url("directory", "/directory/v1/employers"), json=employer(), headers=cluster.officer, timeout=10
        )
    except httpx.HTTPError:
        return None
    if response.status_code != 201:
        raise RuntimeError(f"directory refused a valid employer: {response.status_code} {response.text[:300]}")
    return response.json()["id"]


EMPLOYER_REGISTERED = Flow(
    name="EmployerRegistered",
    source="directory",
    consumer="intake",
    emit=register_employer,
    committed_sql="SELECT payload::json -> 'data' ->> 'employer_id' FROM outbox WHERE event_type = 'EmployerRegistered'",
    effects_sql=["SELECT employer_id::text FROM employer_replica"],
)


# ------------------------------------------------------------------------- ApplicationApproved


async def approve_application(cluster: "Cluster") -> str | None:
    """The review service's decision commit: the approval's row in review's outbox, one transaction.

    (Review's committee API is not there to drive; its relay, the broker path and subsidy's
    consumer are the real ones.)
    """
    from shared.events import CloudEvent
    from tests.support.subsidy import approval

    event = approval(expert_id=uuid.uuid4())
    envelope = CloudEvent.wrap(event, source="/services/review", correlation_id=f"chaos-{uuid.uuid4().hex[:12]}",
                               causation_id=None)
    db = await cluster.pg("review")
    await db.execute(
        "INSERT INTO outbox (event_id, event_type, routing_key, payload, correlation_id, created_at, attempts) "
        "VALUES ($1, $2, $3, $4, $5, $6, 0)",
        str(envelope.id), envelope.type, envelope.routing_key(), envelope.to_bytes().decode(),
        envelope.correlationid, datetime.now(UTC),
    )
    return str(event.application_id)


APPLICATION_APPROVED = Flow(
    name="ApplicationApproved",
    source="review",
    consumer="subsidy",
    emit=approve_application,
    committed_sql="SELECT payload::json -> 'data' ->> 'application_id' FROM outbox "
                  "WHERE event_type = 'ApplicationApproved'",
    effects_sql=[
        "SELECT application_id::text FROM entitlements",
        # The audit trail has no unique index: a handler that ran twice would show here.
        "SELECT detail::json ->> 'application_id' FROM audit_log WHERE action = 'open_entitlement'",
    ],
)


FLOWS: tuple[Flow, ...] = (EMPLOYER_REGISTERED, APPLICATION_APPROVED)


def services_of(flows: tuple[Flow, ...]) -> list[str]:
    names: list[str] = []
    for flow in flows:
        for service in (flow.source, flow.consumer):
            if service not in names:
                names.append(service)
    return names


def consumers_of(flows: tuple[Flow, ...]) -> list[str]:
    return sorted({flow.consumer for flow in flows})


def pick(flows: tuple[Flow, ...], i: int) -> Flow:
    """Round robin: an even mix whatever the count."""
    return flows[i % len(flows)]


def describe(flow: Flow) -> dict[str, Any]:
    return {"event": flow.name, "source": flow.source, "consumer": flow.consumer,
            "effects": flow.effects_sql, "committed": flow.committed_sql}


"""Commands and event handlers of the subsidy service; the only place that opens a unit of work."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from services.subsidy import domain
from services.subsidy.models import entitlements, ledger_entries, policy_versions
from shared.errors import Conflict, NotFound, Unprocessable
from shared.events import CloudEvent
from shared.events.review import ApplicationApproved
from shared.inbox import EventHandler
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PolicyVersion:
    id: str
    name: str
    effective_from: date
    effective_to: date | None
    parameters: domain.PolicyParameters


async def policy_in_force(session, on: date) -> PolicyVersion:
    """The policy version in force on ``on`` (R-EFFECTIVE); refused when no policy was in force."""
    row = (await session.execute(
        sa.select(policy_versions)
        .where(policy_versions.c.effective_from <= on)
        .where(sa.or_(policy_versions.c.effective_to.is_(None), policy_versions.c.effective_to > on))
        .order_by(policy_versions.c.effective_from.desc())
        .limit(1)
    )).first()
    if row is None:
        earliest = await session.scalar(sa.select(sa.func.min(policy_versions.c.effective_from)))
        since = f"; the earliest policy is in force from {earliest.isoformat()}" if earliest else ""
        message = f"no policy in force on {on.isoformat()}{since} (R-EFFECTIVE)"
        raise Unprocessable(
            message, rule="R-EFFECTIVE",
            errors=[{"field": "period_end", "message": message, "type": "no_policy_in_force"}],
        )
    return PolicyVersion(
        id=row.id, name=row.name, effective_from=row.effective_from, effective_to=row.effective_to,
        parameters=domain.PolicyParameters.model_validate(row.parameters),
    )


async def quote(runtime: ServiceRuntime, *, period_end: date, inputs: domain.Inputs) -> domain.Quote:
    """A pure computation under the version in force at ``period_end``: nothing is stored."""
    async with runtime.db.session() as session:
        version = await policy_in_force(session, period_end)
    try:
        return domain.quote(version.parameters, inputs, policy_version=version.id)
    except domain.UnknownGrade as exc:
        raise Unprocessable(
            str(exc), errors=[{"field": "performance", "message": str(exc), "type": "unknown_grade"}]
        ) from exc


async def on_application_approved(event: ApplicationApproved, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Open the entitlement of an approved application: the track, contract and any cap exception."""
    existing = await uow.session.scalar(
        sa.select(entitlements.c.id).where(entitlements.c.application_id == event.application_id)
    )
    if existing is not None:
        # Converge: the same approval announced again (a new event id) opens nothing more.
        log.info("entitlement %s already open for application %s", existing, event.application_id)
        return
    exception = event.cap_exception
    entitlement_id = uuid.uuid4()
    await uow.session.execute(sa.insert(entitlements).values(
        id=entitlement_id,
        application_id=event.application_id,
        decision_id=event.decision_id,
        decided_at=event.decided_at,
        expert_id=event.expert.expert_id,
        expert_name=event.expert.name,
        employer_id=event.employer.employer_id,
        employer_name=event.employer.name,
        employer_district=event.employer.district,
        track=event.track.value,
        contract_start=event.contract.start,
        contract_end=event.contract.end,
        annual_salary=event.contract.annual_salary,
        cap_exception_amount=exception.amount if exception else None,
        cap_exception_reason=exception.reason if exception else None,
        cap_exception_approved_by=exception.approved_by if exception else None,
        funding_plan=event.funding_plan.model_dump(mode="json"),
        status="open",
        opened_at=datetime.now(UTC),
        source_event_id=str(envelope.id),
    ))
    uow.audit("open_entitlement", object_type="entitlement", object_id=entitlement_id,
              detail={"application_id": str(event.application_id), "track": event.track.value,
                      "cap_exception": exception is not None})


def _ledger_entry(row) -> domain.LedgerEntry:
    return domain.LedgerEntry(id=row.id, funding_year=row.funding_year, track=row.track, kind=row.kind,
                              amount=row.amount, item_code=row.item_code, corrects=row.corrects)


async def append_ledger_entry(uow: UnitOfWork, *, entitlement, funding_year: int, kind: domain.LedgerKind,
                              amount: Decimal, reference: str, reason: str, actor: str | None,
                              item_code: str | None = None, corrects: int | None = None) -> int:
    """Add one money row in the caller's unit of work; rows are never updated (append-only table)."""
    entry_id = (await uow.session.execute(sa.insert(ledger_entries).values(
        entitlement_id=entitlement.id, expert_id=entitlement.expert_id, track=entitlement.track,
        funding_year=funding_year, kind=kind, item_code=item_code, amount=amount, corrects=corrects,
        reference=reference, reason=reason, recorded_at=datetime.now(UTC), recorded_by=actor,
    ).returning(ledger_entries.c.id))).scalar_one()
    uow.audit(f"ledger_{kind}", object_type="ledger_entry", object_id=entry_id,
              detail={"amount": str(amount), "funding_year": funding_year, "reference": reference,
                      "corrects": corrects})
    return entry_id


async def ledger_of(runtime: ServiceRuntime, *, expert_id: uuid.UUID, funding_year: int | None = None):
    """An expert's money rows, oldest first, and the balances per funding year and track."""
    query = sa.select(ledger_entries).where(ledger_entries.c.expert_id == expert_id).order_by(ledger_entries.c.id)
    if funding_year is not None:
        query = query.where(ledger_entries.c.funding_year == funding_year)
    async with runtime.db.session() as session:
        rows = (await session.execute(query)).all()
    return rows, domain.balances([_ledger_entry(r) for r in rows])


async def correct_ledger_entry(runtime: ServiceRuntime, *, entry_id: int, corrected_amount: Decimal,
                               reason: str, actor: str):
    """Bring an entry to ``corrected_amount`` by appending the difference; the entry itself is untouched."""
    async with runtime.uow() as uow:
        row = (await uow.session.execute(
            sa.select(ledger_entries).where(ledger_entries.c.id == entry_id).with_for_update()
        )).first()
        if row is None:
            raise NotFound(f"no ledger entry {entry_id}")
        root_id = row.corrects or row.id  # a correction of a correction corrects the original
        root = row if root_id == row.id else (await uow.session.execute(
            sa.select(ledger_entries).where(ledger_entries.c.id == root_id).with_for_update())).one()
        family = (await uow.session.execute(sa.select(ledger_entries).where(
            sa.or_(ledger_entries.c.id == root_id, ledger_entries.c.corrects == root_id)))).all()
        delta = domain.correction_delta([_ledger_entry(r) for r in family], root_id, corrected_amount)
        if delta == 0:
            raise Conflict(f"ledger entry {root_id} already stands at {corrected_amount}",
                           field="corrected_amount", entry_id=root_id)
        entitlement = (await uow.session.execute(
            sa.select(entitlements).where(entitlements.c.id == root.entitlement_id))).one()
        new_id = await append_ledger_entry(
            uow, entitlement=entitlement, funding_year=root.funding_year, kind=root.kind, amount=delta,
            reference=root.reference, reason=reason, actor=actor, item_code=root.item_code, corrects=root_id,
        )
        await uow.commit()
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(ledger_entries).where(ledger_entries.c.id == new_id))).one()


EVENT_HANDLERS: dict[type, EventHandler] = {
    ApplicationApproved: on_application_approved,
}

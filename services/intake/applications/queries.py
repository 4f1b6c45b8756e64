"""Reads of applications: what a caller may see of one, the list, the history; and the reads the commands share.

An employer sees its own applications, a preliminary reviewer those submitted to it, officers all; anyone else
is told an application does not exist (404). Reviewers are told of possible duplicates (R-APPLY); an employer
is told an expert id only where it has a relation with the expert (``discloses``)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.intake.adapters.passports import PassportVault, mask, vault_of
from services.intake.applications import domain
from services.intake.applications.domain import CLOSED, State, employer_id_of, unknown_employer, unknown_entry
from services.intake.applications.models import application_history, applications, passport_experts, recommendations
from services.intake.applications.schemas import (
    ApplicationRead, CandidateRead, ContractTermsRead, HistoryEntryRead, RecommendationRead,
)
from services.intake.entitlements.queries import entitlements_of
from services.intake.funding_plans.queries import decision_shown
from services.intake.replicas.models import catalogue_replica, employer_replica
from services.intake.revocation.queries import revocation_of
from shared.auth import Principal, Role
from shared.errors import NotFound
from shared.queries import Keyset
from shared.runtime import ServiceRuntime

APPLICATIONS_IN_ORDER = Keyset.oldest_first(applications.c.created_at, applications.c.id)


async def load(session, application_id: uuid.UUID, principal: Principal, *, lock: bool = False):
    """The application if the caller may see it; otherwise 404, whether or not it exists."""
    query = sa.select(applications).where(applications.c.id == application_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None or not domain.can_read(principal, row):
        raise NotFound(f"no application {application_id}")
    return row


async def live_duplicates(session, row) -> int:
    """R-APPLY: other live applications for the same passport number (found by its keyed hash)."""
    return await session.scalar(
        sa.select(sa.func.count()).select_from(applications).where(
            applications.c.passport_hash == row.passport_hash,
            applications.c.id != row.id,
            applications.c.state.not_in([s.value for s in CLOSED]),
        )
    )


async def duplicate_flags(session, rows) -> dict[uuid.UUID, bool]:
    """For a page of applications: whether each shares its passport number with another live one."""
    hashes = {row.passport_hash for row in rows}
    if not hashes:
        return {}
    live = dict((await session.execute(
        sa.select(applications.c.passport_hash, sa.func.count()).where(
            applications.c.passport_hash.in_(hashes), applications.c.state.not_in([s.value for s in CLOSED]),
        ).group_by(applications.c.passport_hash)
    )).all())
    return {row.id: live.get(row.passport_hash, 0) - (row.state not in CLOSED) > 0 for row in rows}


async def present(session, row, principal: Principal, vault: PassportVault, *, new: bool = False,
                  passport_number: str | None = None, disclosed: bool | None = None) -> ApplicationRead:
    """The application as ``principal`` may see it; ``new``: just drafted, so nothing hangs off it yet, and
    ``passport_number`` is the number it was drafted with (not decrypted again); ``disclosed``: whether the
    employer may be told the expert id, when already known (else read)."""
    recs = [] if new else (await session.execute(
        sa.select(recommendations).where(recommendations.c.application_id == row.id)
        .order_by(recommendations.c.created_at, recommendations.c.id)
    )).all()
    number = passport_number if new and passport_number else vault.open(row.passport_key_version, row.passport_ciphertext)
    shown = domain.sees_passport(principal, row)
    reviewer = domain.is_reviewer(principal, row)
    duplicate = (await live_duplicates(session, row) > 0) if reviewer else None
    if not reviewer and disclosed is None:
        disclosed = await expert_disclosed(session, row.expert_id, row.employer_id)
    return ApplicationRead(
        id=row.id, state=row.state, version=row.version, employer_id=row.employer_id,
        expert_id=row.expert_id if reviewer or disclosed else None,
        catalogue_entry_id=row.catalogue_entry_id,
        candidate=CandidateRead(
            name=row.candidate_name, nationality=row.nationality,
            passport_number=number if shown else mask(number), passport_masked=not shown,
            date_of_birth=row.date_of_birth, field=row.candidate_field, achievements=row.achievements,
            current_post=row.current_post,
        ),
        position=row.position,
        contract=ContractTermsRead(start=row.contract_start, end=row.contract_end, annual_salary=row.annual_salary),
        track=row.track, intent_date=row.intent_date, preliminary_reviewer=row.preliminary_reviewer,
        submissions=row.submissions,
        recommendations=[RecommendationRead.model_validate(r._mapping) for r in recs],
        possible_duplicate=duplicate,
        decision=row.decision if new else await decision_shown(session, row.id, row.decision),
        revocation=None if new else await revocation_of(session, row.id),
        entitlements=[] if new else await entitlements_of(session, row.id),
        created_at=row.created_at, updated_at=row.updated_at, submitted_at=row.submitted_at,
    )


async def get_application(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal) -> ApplicationRead:
    async with runtime.db.session() as session:
        row = await load(session, application_id, principal)
        return await present(session, row, principal, vault_of(runtime))


async def history_of(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal
) -> list[HistoryEntryRead]:
    async with runtime.db.session() as session:
        await load(session, application_id, principal)
        rows = (await session.execute(
            sa.select(application_history).where(application_history.c.application_id == application_id)
            .order_by(application_history.c.id)
        )).all()
    return [HistoryEntryRead.model_validate(r._mapping) for r in rows]


async def list_applications(runtime: ServiceRuntime, *, principal: Principal, state: State | None, cursor: str | None,
                            limit: int) -> tuple[list[tuple], str | None]:
    """Applications the caller may see, oldest first: (row, possible duplicate for reviewers) pairs, next cursor."""
    query = sa.select(applications)
    reviewer = principal.is_officer
    if reviewer:
        pass
    elif principal.has_any(Role.employer) and principal.organisation:
        try:
            query = query.where(applications.c.employer_id == uuid.UUID(principal.organisation))
        except ValueError:
            query = query.where(sa.false())
    elif principal.has_any(Role.preliminary_reviewer) and principal.organisation:
        reviewer = True
        query = query.where(applications.c.preliminary_reviewer == principal.organisation)
    else:
        query = query.where(sa.false())
    if state is not None:
        query = query.where(applications.c.state == state.value)
    query = APPLICATIONS_IN_ORDER.apply(query, cursor, limit)
    async with runtime.db.session() as session:
        rows, next_cursor = APPLICATIONS_IN_ORDER.split((await session.execute(query)).all(), limit)
        flags = await duplicate_flags(session, rows) if reviewer else {}
    return [(r, flags.get(r.id)) for r in rows], next_cursor


async def employer_of(session, principal: Principal):
    employer_id = employer_id_of(principal)
    row = (await session.execute(
        sa.select(employer_replica).where(employer_replica.c.employer_id == employer_id)
    )).first()
    if row is None:
        raise unknown_employer(employer_id)
    return row


async def known_entry(session, entry_id: uuid.UUID) -> None:
    known = await session.scalar(sa.select(catalogue_replica.c.entry_id).where(catalogue_replica.c.entry_id == entry_id))
    if known is None:
        raise unknown_entry(entry_id)


def discloses(expert_id, employer_id):
    """Whether an employer may be told an expert id: it has a relation with the expert.

    It has one if the expert is new (no passport number is registered to the id yet: this draft makes it), if
    the employer's draft first registered the expert's passport number, or if the committee selected the
    expert for one of the employer's applications. An employer whose candidate is another employer's expert
    (the same passport number, however written) is not told the id: it would open that expert's records to
    it. Reviewers and the committee see the link (``possible_duplicate``, R-APPLY)."""
    registered = sa.exists().where(passport_experts.c.expert_id == expert_id)
    first = sa.exists().where(passport_experts.c.expert_id == expert_id,
                              passport_experts.c.first_employer_id == employer_id)
    return sa.or_(~registered, first, selected_for(expert_id, employer_id))


def selected_for(expert_id, employer_id):
    return sa.exists().where(applications.c.expert_id == expert_id, applications.c.employer_id == employer_id,
                             applications.c.state == State.approved.value)


async def expert_disclosed(session, expert_id: uuid.UUID, employer_id: uuid.UUID) -> bool:
    return bool(await session.scalar(sa.select(discloses(expert_id, employer_id))))


DRAFT_LOOKUPS = sa.select(
    sa.select(employer_replica.c.employer_id).where(employer_replica.c.employer_id == sa.bindparam("employer_id"))
    .scalar_subquery().label("employer_id"),
    sa.select(catalogue_replica.c.entry_id).where(catalogue_replica.c.entry_id == sa.bindparam("entry_id"))
    .scalar_subquery().label("entry_id"),
)
"""Built once with bound parameters (the hot path of a draft; the compiled form is reused)."""


async def draft_lookups(session, principal: Principal, entry_id: uuid.UUID) -> None:
    """A draft's checks in one round trip: the employer is known (403), so is the catalogue entry (422,
    R-CATALOGUE)."""
    employer_id = employer_id_of(principal)
    found = (await session.execute(DRAFT_LOOKUPS, {"employer_id": employer_id, "entry_id": entry_id})).one()
    if found.employer_id is None:
        raise unknown_employer(employer_id)
    if found.entry_id is None:
        raise unknown_entry(entry_id)

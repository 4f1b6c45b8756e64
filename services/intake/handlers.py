"""Commands and event handlers of the intake service; the only place that opens a unit of work."""

from __future__ import annotations

import functools
import logging
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from services.intake import domain, entitlements, funding_plans, supervision
from services.intake.domain import AFTER_FORMAL, AFTER_PRELIMINARY, CLOSED, EDITABLE, Outcome, State
from services.intake.models import (
    application_history, applications, catalogue_replica, employer_replica, passport_experts, recommendations,
)
from services.intake.passports import PassportVault, mask, normalise
from services.intake.schemas import (
    ApplicationCreate, ApplicationPatch, ApplicationRead, CandidateRead, ContractRead, FormalReviewCreate,
    HistoryEntryRead, PreliminaryReviewCreate, RecommendationCreate, RecommendationRead,
)
from shared import clock
from shared.auth import Principal, Role
from shared.db import dialect_insert
from shared.errors import Conflict, Forbidden, NotFound, PreconditionFailed, Unprocessable
from shared.events import CloudEvent
from shared.events.common import ContractTerms, EmployerSummary, ExpertSummary, Stage
from shared.events.directory import CatalogueEntryPublished, CatalogueEntryWithdrawn, EmployerRegistered
from shared.events.intake import ApplicationRejected, ApplicationReturned, ApplicationSubmitted, FormalReviewPassed
from shared.events.review import (
    ApplicationApproved, ApplicationDeclined, ContractBreached, ContractBreachWithdrawn, FundingPlanQuoted,
)
from shared.events.subsidy import EntitlementOpened
from shared.inbox import EventHandler
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)


class PreconditionRequired(PreconditionFailed):
    """RFC 6585: an edit must say which version it was made on (If-Match)."""

    status, slug, title = 428, "precondition-required", "Precondition required"


def _unprocessable(field: str, message: str) -> Unprocessable:
    """A 422 naming the field, in the shape request validation uses (``errors[].field``)."""
    return Unprocessable(message, field=field, errors=[{"field": field, "message": message, "type": "rule"}])


def _conflict(action: str, state: str) -> Conflict:
    return Conflict(f"cannot {action}: the application is {state}", current_state=state)


def vault_of(runtime: ServiceRuntime) -> PassportVault:
    return runtime.settings.passport_vault()


# -- reading ----------------------------------------------------------------------------------------

async def _load(session, application_id: uuid.UUID, principal: Principal, *, lock: bool = False):
    """The application if the caller may see it; otherwise 404, whether or not it exists."""
    query = sa.select(applications).where(applications.c.id == application_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    if row is None or not domain.can_read(principal, row):
        raise NotFound(f"no application {application_id}")
    return row


def _owner_only(principal: Principal, row) -> None:
    if not (principal.has_any(Role.employer) and principal.organisation == str(row.employer_id)):
        raise Forbidden("only the employer that drafted the application may do this")


async def _live_duplicates(session, row) -> int:
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


async def _present(session, row, principal: Principal, vault: PassportVault, *, new: bool = False,
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
    duplicate = (await _live_duplicates(session, row) > 0) if reviewer else None
    if not reviewer and disclosed is None:
        disclosed = await _disclosed(session, row.expert_id, row.employer_id)
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
        contract=ContractRead(start=row.contract_start, end=row.contract_end, annual_salary=row.annual_salary),
        track=row.track, intent_date=row.intent_date, preliminary_reviewer=row.preliminary_reviewer,
        submissions=row.submissions,
        recommendations=[RecommendationRead.model_validate(r._mapping) for r in recs],
        possible_duplicate=duplicate,
        decision=row.decision if new else await funding_plans.decision_shown(session, row.id, row.decision),
        revocation=None if new else await supervision.revocation_of(session, row.id),
        entitlements=[] if new else await entitlements.entitlements_of(session, row.id),
        created_at=row.created_at, updated_at=row.updated_at, submitted_at=row.submitted_at,
    )


async def get_application(runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal) -> ApplicationRead:
    async with runtime.db.session() as session:
        row = await _load(session, application_id, principal)
        return await _present(session, row, principal, vault_of(runtime))


async def history_of(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal
) -> list[HistoryEntryRead]:
    async with runtime.db.session() as session:
        await _load(session, application_id, principal)
        rows = (await session.execute(
            sa.select(application_history).where(application_history.c.application_id == application_id)
            .order_by(application_history.c.id)
        )).all()
    return [HistoryEntryRead.model_validate(r._mapping) for r in rows]


# -- commands ---------------------------------------------------------------------------------------

def _history_row(principal: Principal | None, application_id: uuid.UUID, action: str, *,
                 from_state: str | None, to_state: str, at: datetime, reason: str | None = None,
                 detail: dict[str, Any] | None = None, actor: str | None = None,
                 role: str | None = None) -> dict[str, Any]:
    return {
        "application_id": application_id, "at": at,
        "actor": actor or (principal.subject if principal else "system"),
        "role": role or (",".join(sorted(principal.roles)) if principal else "system"),
        "organisation": principal.organisation if principal else None,
        "action": action, "from_state": from_state, "to_state": to_state, "reason": reason, "detail": detail,
    }


def _history(uow: UnitOfWork, principal: Principal | None, application_id: uuid.UUID, action: str, **row):
    return uow.session.execute(_INSERT_HISTORY, _history_row(principal, application_id, action, **row))


def _employer_id(principal: Principal) -> uuid.UUID:
    try:
        return uuid.UUID(principal.organisation or "")
    except ValueError:
        raise Forbidden("the token's organisation is not an employer id") from None


def _unknown_employer(employer_id: uuid.UUID) -> Forbidden:
    return Forbidden(f"employer {employer_id} is not in the registry (or has not reached intake yet)")


def _unknown_entry(entry_id: uuid.UUID) -> Unprocessable:
    return _unprocessable("catalogue_entry_id", f"no catalogue entry {entry_id} (R-CATALOGUE)")


async def _employer(session, principal: Principal):
    employer_id = _employer_id(principal)
    row = (await session.execute(
        sa.select(employer_replica).where(employer_replica.c.employer_id == employer_id)
    )).first()
    if row is None:
        raise _unknown_employer(employer_id)
    return row


async def _known_entry(session, entry_id: uuid.UUID) -> None:
    known = await session.scalar(sa.select(catalogue_replica.c.entry_id).where(catalogue_replica.c.entry_id == entry_id))
    if known is None:
        raise _unknown_entry(entry_id)


def _discloses(expert_id, employer_id):
    """Whether an employer may be told an expert id: it has a relation with the expert.

    It has one if the expert is new (no passport number is registered to the id yet: this draft makes it), if
    the employer's draft first registered the expert's passport number, or if the committee selected the
    expert for one of the employer's applications. An employer whose candidate is another employer's expert
    (the same passport number, however written) is not told the id: it would open that expert's records to
    it. Reviewers and the committee see the link (``possible_duplicate``, R-APPLY)."""
    registered = sa.exists().where(passport_experts.c.expert_id == expert_id)
    first = sa.exists().where(passport_experts.c.expert_id == expert_id,
                              passport_experts.c.first_employer_id == employer_id)
    return sa.or_(~registered, first, _selected_for(expert_id, employer_id))


def _selected_for(expert_id, employer_id):
    return sa.exists().where(applications.c.expert_id == expert_id, applications.c.employer_id == employer_id,
                             applications.c.state == State.approved.value)


_DRAFT_LOOKUPS = sa.select(
    sa.select(employer_replica.c.employer_id).where(employer_replica.c.employer_id == sa.bindparam("employer_id"))
    .scalar_subquery().label("employer_id"),
    sa.select(catalogue_replica.c.entry_id).where(catalogue_replica.c.entry_id == sa.bindparam("entry_id"))
    .scalar_subquery().label("entry_id"),
)
"""Built once with bound parameters (the hot path of a draft; the compiled form is reused)."""
_INSERT_APPLICATION = sa.insert(applications)
_INSERT_HISTORY = sa.insert(application_history)


def _register_passport(insert, values):
    """Register a passport number's expert unless one is (``insert``: the dialect's); returns the registered
    expert and first employer, the existing ones if another draft registered the number first, even one that
    committed after this statement began (``DO UPDATE`` reads the row as it is now, ``DO NOTHING`` would
    return nothing)."""
    statement = insert(passport_experts)
    statement = statement.from_select(list(passport_experts.c.keys()), values) if isinstance(values, sa.Select) \
        else statement.values(values)
    return statement.on_conflict_do_update(
        index_elements=[passport_experts.c.passport_hash],
        set_={"passport_hash": statement.excluded.passport_hash},
    ).returning(passport_experts.c.expert_id, passport_experts.c.first_employer_id)


async def _expert_for(session, passport_hash: str, employer_id: uuid.UUID) -> tuple[uuid.UUID, bool]:
    """The expert registered for this passport number (registered now, as a new expert, if none is) and whether
    the employer may be told it."""
    registered = (await session.execute(_register_passport(dialect_insert(session), {
        "passport_hash": passport_hash, "expert_id": uuid.uuid4(), "first_employer_id": employer_id,
        "registered_at": clock.now()}))).one()
    disclosed = registered.first_employer_id == employer_id or bool(
        await session.scalar(sa.select(_selected_for(registered.expert_id, employer_id))))
    return registered.expert_id, disclosed


async def _disclosed(session, expert_id: uuid.UUID, employer_id: uuid.UUID) -> bool:
    return bool(await session.scalar(sa.select(_discloses(expert_id, employer_id))))


async def _draft_lookups(session, principal: Principal, entry_id: uuid.UUID) -> None:
    """A draft's checks in one round trip: the employer is known (403), so is the catalogue entry (422,
    R-CATALOGUE)."""
    employer_id = _employer_id(principal)
    found = (await session.execute(_DRAFT_LOOKUPS, {"employer_id": employer_id, "entry_id": entry_id})).one()
    if found.employer_id is None:
        raise _unknown_employer(employer_id)
    if found.entry_id is None:
        raise _unknown_entry(entry_id)


def _candidate_columns(data, vault: PassportVault) -> dict[str, Any]:
    sealed = vault.seal(data.passport_number)
    return {
        "candidate_name": data.name, "nationality": data.nationality, "date_of_birth": data.date_of_birth,
        "candidate_field": data.field, "achievements": data.achievements, "current_post": data.current_post,
        "passport_ciphertext": sealed.ciphertext, "passport_key_version": sealed.key_version,
        "passport_hash": sealed.lookup_hash,
    }


def _contract_columns(data) -> dict[str, Any]:
    # Stored as NUMERIC(14, 2): the same two places here, so a row built from these values reads as stored.
    return {"contract_start": data.start, "contract_end": data.end,
            "annual_salary": data.annual_salary.quantize(_CENTS)}


_CENTS = Decimal("0.01")


_DRAFTED_BY_ITSELF = ("expert_id", "submitted_at", "decision")
"""Columns of a new application the draft statement does not take as parameters: the expert is looked up,
the rest is empty until submission and decision."""


@functools.cache
def _draft_statement(audit_log: sa.Table) -> sa.Select:
    """A draft in one PostgreSQL statement (data-modifying CTEs): the passport number's expert registered
    (a new one) unless it is, and the application with that expert, both only if the employer and the catalogue
    entry are known (R-CATALOGUE); its history row and its audit record, inserted only with it; and whether
    the employer may be told the expert id.
    Built once per audit table, with bound parameters: ``h_*`` history, ``a_*`` audit, the rest the row."""
    columns = [c.name for c in applications.c if c.name not in _DRAFTED_BY_ITSELF]

    def param(table: sa.Table, prefix: str, name: str) -> sa.BindParameter:
        return sa.bindparam(prefix + name, type_=table.c[name].type)

    employer_id = sa.bindparam("employer_id", type_=sa.Uuid)
    registered = _register_passport(postgresql.insert, sa.select(
        param(applications, "", "passport_hash"), sa.bindparam("new_expert_id", type_=sa.Uuid), employer_id,
        param(applications, "", "created_at"),
    ).where(
        sa.exists().where(employer_replica.c.employer_id == employer_id),
        sa.exists().where(catalogue_replica.c.entry_id == sa.bindparam("catalogue_entry_id")),
    )).cte("registered")
    guarded = sa.select(*(param(applications, "", name) for name in columns), registered.c.expert_id)
    drafted = (sa.insert(applications).from_select([*columns, "expert_id"], guarded)
               .returning(applications.c.expert_id).cte("drafted"))
    history = [c.name for c in application_history.c if c.name != "id"]
    audit = [c.name for c in audit_log.c if c.name != "id"]
    with_history = sa.insert(application_history).from_select(
        history, sa.select(*(param(application_history, "h_", n) for n in history)).select_from(drafted)
    ).cte("drafted_history")
    with_audit = sa.insert(audit_log).from_select(
        audit, sa.select(*(param(audit_log, "a_", n) for n in audit)).select_from(drafted)
    ).cte("drafted_audit")
    disclosed = sa.or_(registered.c.first_employer_id == employer_id, _selected_for(drafted.c.expert_id, employer_id))
    return (sa.select(drafted.c.expert_id, disclosed.label("disclosed"))
            .select_from(drafted.join(registered, sa.true()))  # one row each
            .add_cte(with_history, with_audit))


async def create_application(
    runtime: ServiceRuntime, *, data: ApplicationCreate, principal: Principal
) -> ApplicationRead:
    """An employer drafts an application (R-APPLY); the passport number is sealed before it is stored.

    On PostgreSQL the application, its history row and its audit record are one statement, its own
    transaction (one round trip instead of six: no lookup, no BEGIN, no COMMIT); SQLite has no INSERT inside
    WITH, so there they are written one after the other in a transaction. The rows are the same either way
    (``tests/integration/test_intake_applications.py``)."""
    vault = vault_of(runtime)
    now = datetime.now(UTC)
    candidate = _candidate_columns(data.candidate, vault)
    employer_id = _employer_id(principal)
    row = {
        "id": uuid.uuid4(), "employer_id": employer_id, "state": State.draft.value, "version": 1,
        "catalogue_entry_id": data.catalogue_entry_id,
        **candidate, "position": data.position, **_contract_columns(data.contract),
        "track": data.track.value, "intent_date": data.intent_date, "preliminary_reviewer": None,
        "submissions": 0, "created_at": now, "updated_at": now,
    }
    history = _history_row(principal, row["id"], "drafted", from_state=None, to_state=State.draft, at=now)
    one_statement = runtime.db.writes_in_with
    async with runtime.uow(single_statement=one_statement) as uow:
        if one_statement:
            audit = uow.audit("draft_application", object_type="application", object_id=row["id"], stored=True)
            row["expert_id"], disclosed = await _draft_in_one_statement(uow, principal, row, history, audit)
        else:
            await _draft_lookups(uow.session, principal, data.catalogue_entry_id)
            row["expert_id"], disclosed = await _expert_for(uow.session, candidate["passport_hash"], employer_id)
            await uow.session.execute(_INSERT_APPLICATION, row)
            await uow.session.execute(_INSERT_HISTORY, history)
            uow.audit("draft_application", object_type="application", object_id=row["id"])
        # The row as stored: every value was written from here (money at two places) but the expert's id.
        created = SimpleNamespace(**row, submitted_at=None, decision=None)
        number = normalise(data.candidate.passport_number)
        reviewer = domain.is_reviewer(principal, created)  # an officer who also drafts is told of duplicates
        if reviewer:
            result = await _present(uow.session, created, principal, vault, new=True, passport_number=number)
        await uow.commit()
    if not reviewer:  # nothing to read: presented with the connection back in the pool
        result = await _present(None, created, principal, vault, new=True, passport_number=number,
                                disclosed=disclosed)
    return result


async def _draft_in_one_statement(
    uow: UnitOfWork, principal: Principal, row: dict, history: dict, audit: dict
) -> tuple[uuid.UUID, bool]:
    """The draft's expert id and whether the employer may be told it, once the application, its history row
    and its audit record are written."""
    params = {**row, "new_expert_id": uuid.uuid4(), **{"h_" + k: v for k, v in history.items()},
              **{"a_" + k: v for k, v in audit.items()}}
    statement = _draft_statement(uow.tables.audit_log)
    for _ in range(2):
        drafted = (await uow.session.execute(statement, params)).first()
        if drafted is not None:
            return drafted.expert_id, bool(drafted.disclosed)
        # Nothing written: say which of the employer and the catalogue entry is unknown (403 / 422). If both
        # are known now, their replicas arrived in between; the second attempt finds them.
        await _draft_lookups(uow.session, principal, row["catalogue_entry_id"])
    raise Conflict("the employer or the catalogue entry changed while the draft was written; try again")


async def _bump(uow: UnitOfWork, row, values: dict[str, Any], now: datetime):
    """Write ``values`` at the next version; the version in the WHERE refuses a concurrent change."""
    result = await uow.session.execute(
        sa.update(applications).where(applications.c.id == row.id, applications.c.version == row.version)
        .values(**values, version=row.version + 1, updated_at=now)
    )
    if result.rowcount != 1:
        raise PreconditionFailed("the application was changed concurrently; read it again", current_version=row.version)
    return (await uow.session.execute(sa.select(applications).where(applications.c.id == row.id))).first()


async def patch_application(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, data: ApplicationPatch, expected_version: int | None,
    principal: Principal,
) -> ApplicationRead:
    """The employer edits a draft, or a returned application before resubmitting it (R-APPLY)."""
    if expected_version is None:
        raise PreconditionRequired("an edit needs If-Match with the ETag of the application as read",
                                   field="If-Match")
    vault = vault_of(runtime)
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        row = await _load(uow.session, application_id, principal, lock=True)
        _owner_only(principal, row)
        if row.state not in EDITABLE:
            raise _conflict("edit after submission", row.state)
        if row.version != expected_version:
            raise PreconditionFailed("If-Match does not match the current version", current_version=row.version)
        values: dict[str, Any] = {}
        changed = sorted(data.model_fields_set)
        if data.catalogue_entry_id is not None:
            await _known_entry(uow.session, data.catalogue_entry_id)
            values["catalogue_entry_id"] = data.catalogue_entry_id
        if data.candidate is not None:
            values.update(_candidate_columns(data.candidate, vault))
            if values["passport_hash"] != row.passport_hash:
                values["expert_id"], _ = await _expert_for(uow.session, values["passport_hash"], row.employer_id)
        if data.contract is not None:
            values.update(_contract_columns(data.contract))
        for name in ("position", "intent_date"):
            if getattr(data, name) is not None:
                values[name] = getattr(data, name)
        if data.track is not None:
            values["track"] = data.track.value
        updated = await _bump(uow, row, values, now)
        await _history(uow, principal, row.id, "edited", from_state=row.state, to_state=row.state, at=now,
                       detail={"fields": changed})
        uow.audit("edit_application", object_type="application", object_id=row.id, detail={"fields": changed})
        result = await _present(uow.session, updated, principal, vault)
        await uow.commit()
    return result


async def add_recommendation(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, data: RecommendationCreate, principal: Principal
) -> RecommendationRead:
    """A peer-expert recommendation (R-APPLY); only while the employer may still edit."""
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        row = await _load(uow.session, application_id, principal, lock=True)
        _owner_only(principal, row)
        if row.state not in EDITABLE:
            raise _conflict("add a recommendation after submission", row.state)
        rec = {"id": uuid.uuid4(), "application_id": row.id, **data.model_dump(), "created_at": now}
        await uow.session.execute(sa.insert(recommendations).values(**rec))
        await _bump(uow, row, {}, now)
        await _history(uow, principal, row.id, "recommendation_added", from_state=row.state, to_state=row.state,
                       at=now, detail={"recommender_name": data.recommender_name})
        uow.audit("add_recommendation", object_type="application", object_id=row.id)
        await uow.commit()
    return RecommendationRead.model_validate(rec)


async def submit_application(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, principal: Principal
) -> ApplicationRead:
    """Submit (or resubmit after a return) to the employer's preliminary reviewer (R-APPLY, R-CATALOGUE)."""
    vault = vault_of(runtime)
    now = clock.now()
    today = domain.today_in_beijing(now)
    async with runtime.uow() as uow:
        row = await _load(uow.session, application_id, principal, lock=True)
        _owner_only(principal, row)
        if row.state not in EDITABLE:
            raise _conflict("submit", row.state)
        count = await uow.session.scalar(
            sa.select(sa.func.count()).select_from(recommendations).where(recommendations.c.application_id == row.id)
        )
        if not count:
            raise _unprocessable("recommendations", "at least one peer-expert recommendation is needed (R-APPLY)")
        entry = (await uow.session.execute(
            sa.select(catalogue_replica).where(catalogue_replica.c.entry_id == row.catalogue_entry_id)
        )).first()
        problem = domain.catalogue_entry_problem(entry, today)
        if problem:
            raise _unprocessable("catalogue_entry_id", problem)
        if row.intent_date > today:
            raise _unprocessable("intent_date", "the preliminary intent is dated after the submission (R-APPLY)")
        employer = await _employer(uow.session, principal)
        reviewer = domain.preliminary_reviewer_of(district=employer.district,
                                                  competent_department_name=employer.competent_department)
        submission = row.submissions + 1
        updated = await _bump(uow, row, {"state": State.preliminary_review.value, "preliminary_reviewer": reviewer,
                                         "submissions": submission, "submitted_at": now}, now)
        await _history(uow, principal, row.id, "submitted", from_state=row.state, to_state=State.preliminary_review,
                       at=now, detail={"preliminary_reviewer": reviewer, "submission": submission})
        uow.publish(ApplicationSubmitted(
            application_id=row.id, employer_id=row.employer_id, expert_id=row.expert_id,
            catalogue_entry_id=row.catalogue_entry_id, track=row.track, preliminary_reviewer=reviewer,
            submission=submission, submitted_at=now,
        ))
        uow.audit("submit_application", object_type="application", object_id=row.id,
                  detail={"preliminary_reviewer": reviewer, "submission": submission})
        result = await _present(uow.session, updated, principal, vault)
        await uow.commit()
    return result


def _outcome_events(uow: UnitOfWork, row, outcome: Outcome, stage: Stage, reason: str, now: datetime) -> None:
    if outcome is Outcome.return_:
        uow.publish(ApplicationReturned(application_id=row.id, employer_id=row.employer_id, stage=stage,
                                        reason=reason, returned_at=now))
    elif outcome is Outcome.reject:
        uow.publish(ApplicationRejected(application_id=row.id, employer_id=row.employer_id,
                                        expert_id=row.expert_id, stage=stage, reason=reason, rejected_at=now))


async def preliminary_review(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, data: PreliminaryReviewCreate, principal: Principal
) -> ApplicationRead:
    """初审 by the district HR bureau or competent department the application was submitted to (R-APPLY)."""
    vault = vault_of(runtime)
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        row = await _load(uow.session, application_id, principal, lock=True)
        if not (principal.has_any(Role.preliminary_reviewer) and principal.organisation == row.preliminary_reviewer):
            raise Forbidden("only the preliminary reviewer the application was submitted to may review it")
        if row.state != State.preliminary_review:
            raise _conflict("perform the preliminary review", row.state)
        to_state = AFTER_PRELIMINARY[data.outcome]
        updated = await _bump(uow, row, {"state": to_state.value}, now)
        await _history(uow, principal, row.id, f"preliminary_review_{data.outcome.value}", from_state=row.state,
                       to_state=to_state, at=now, reason=data.reason)
        _outcome_events(uow, row, data.outcome, Stage.preliminary_review, data.reason, now)
        uow.audit("preliminary_review", object_type="application", object_id=row.id,
                  detail={"outcome": data.outcome.value})
        result = await _present(uow.session, updated, principal, vault)
        await uow.commit()
    return result


async def formal_review(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, data: FormalReviewCreate, principal: Principal
) -> ApplicationRead:
    """形式审查 by the bureau (R-FORMAL): a pass needs the whole checklist and puts the case before the committee."""
    vault = vault_of(runtime)
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        row = await _load(uow.session, application_id, principal, lock=True)
        if row.state != State.formal_review:
            raise _conflict("perform the formal review before a preliminary pass" if row.state in (
                State.draft, State.preliminary_review, State.returned) else "perform the formal review", row.state)
        checklist = data.checklist.model_dump()
        if data.outcome is Outcome.pass_:
            missing = [item for item in domain.FORMAL_CHECKLIST if not checklist.get(item)]
            if missing:
                raise _unprocessable(f"checklist.{missing[0]}",
                                     f"a formal pass needs every checklist item; not ticked: {', '.join(missing)} "
                                     "(R-FORMAL)")
        to_state = AFTER_FORMAL[data.outcome]
        updated = await _bump(uow, row, {"state": to_state.value}, now)
        await _history(uow, principal, row.id, f"formal_review_{data.outcome.value}", from_state=row.state,
                       to_state=to_state, at=now, reason=data.reason, detail={"checklist": checklist})
        _outcome_events(uow, row, data.outcome, Stage.formal_review, data.reason, now)
        if data.outcome is Outcome.pass_:
            uow.publish(await _formal_review_passed(uow.session, updated, principal, now))
        uow.audit("formal_review", object_type="application", object_id=row.id,
                  detail={"outcome": data.outcome.value, "checklist": checklist})
        result = await _present(uow.session, updated, principal, vault)
        await uow.commit()
    return result


async def _formal_review_passed(session, row, principal: Principal, now: datetime) -> FormalReviewPassed:
    """What the committee needs (R-COMMITTEE); never the passport number, only whether it is shared."""
    employer = (await session.execute(
        sa.select(employer_replica).where(employer_replica.c.employer_id == row.employer_id)
    )).first()
    entry = (await session.execute(
        sa.select(catalogue_replica).where(catalogue_replica.c.entry_id == row.catalogue_entry_id)
    )).first()
    count = await session.scalar(
        sa.select(sa.func.count()).select_from(recommendations).where(recommendations.c.application_id == row.id)
    )
    return FormalReviewPassed(
        application_id=row.id,
        expert=ExpertSummary(expert_id=row.expert_id, name=row.candidate_name, nationality=row.nationality,
                             date_of_birth=row.date_of_birth),
        employer=EmployerSummary(employer_id=employer.employer_id, name=employer.name, district=employer.district,
                                 municipal_state_owned=employer.municipal_state_owned),
        catalogue_entry_id=row.catalogue_entry_id, focus_area=entry.focus_area, field=entry.field,
        track=row.track, position=row.position, achievements=row.achievements,
        contract=ContractTerms(start=row.contract_start, end=row.contract_end, annual_salary=row.annual_salary),
        intent_date=row.intent_date, recommendations=count,
        possible_duplicate=await _live_duplicates(session, row) > 0,
        passed_at=now, passed_by=principal.subject,
    )


# -- event handlers ---------------------------------------------------------------------------------

async def on_employer_registered(event: EmployerRegistered, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Keep the local replica of employers; applications route by its district (R-APPLY).

    One statement, its values bound (compiled once, then cached): the same employer announced again
    changes nothing (``ON CONFLICT DO NOTHING`` on the employer's id)."""
    await uow.session.execute(
        dialect_insert(uow.session)(employer_replica).on_conflict_do_nothing(index_elements=["employer_id"]),
        {
            "employer_id": event.employer_id,
            "name": event.name,
            "credit_code": event.credit_code,
            "district": event.district,
            "competent_department": event.competent_department,
            "municipal_state_owned": event.municipal_state_owned,
            "registered_at": event.registered_at,
            "replicated_at": datetime.now(UTC),
            "source_event_id": str(envelope.id),
        },
    )


async def _replica_row(uow: UnitOfWork, entry_id: uuid.UUID):
    return (await uow.session.execute(
        sa.select(catalogue_replica).where(catalogue_replica.c.entry_id == entry_id).with_for_update()
    )).first()


async def on_catalogue_entry_published(event: CatalogueEntryPublished, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Keep the catalogue replica (R-CATALOGUE); a withdrawal seen first stays in force."""
    values = {
        "edition_id": event.edition_id, "edition_title": event.edition_title, "focus_area": event.focus_area,
        "field": event.field, "zone": event.zone, "number_sought": event.number_sought,
        "valid_from": event.valid_from, "valid_until": event.valid_until, "published_at": event.published_at,
    }
    existing = await _replica_row(uow, event.entry_id)
    if existing is None:
        await uow.session.execute(sa.insert(catalogue_replica).values(entry_id=event.entry_id, **values))
    elif existing.published_at is None:
        await uow.session.execute(
            sa.update(catalogue_replica).where(catalogue_replica.c.entry_id == event.entry_id).values(**values)
        )


async def on_catalogue_entry_withdrawn(event: CatalogueEntryWithdrawn, envelope: CloudEvent, uow: UnitOfWork) -> None:
    existing = await _replica_row(uow, event.entry_id)
    values = {"withdrawn_at": event.withdrawn_at, "withdrawal_reason": event.reason}
    if existing is None:  # arrived before its publication
        await uow.session.execute(
            sa.insert(catalogue_replica).values(entry_id=event.entry_id, edition_id=event.edition_id, **values)
        )
    elif existing.withdrawn_at is None:
        await uow.session.execute(
            sa.update(catalogue_replica).where(catalogue_replica.c.entry_id == event.entry_id).values(**values)
        )


async def _decide(uow: UnitOfWork, application_id: uuid.UUID, to_state: State, decision: dict[str, Any],
                  at: datetime) -> None:
    """The committee's decision flows back to the employer (R-COMMITTEE, R-ONBOARD); the first one stands."""
    row = (await uow.session.execute(
        sa.select(applications).where(applications.c.id == application_id).with_for_update()
    )).first()
    if row is None:
        log.warning("decision for unknown application %s ignored", application_id)
        return
    if row.state in (State.approved, State.declined):
        return  # converge: a decision announced again changes nothing
    await uow.session.execute(
        sa.update(applications).where(applications.c.id == row.id)
        .values(state=to_state.value, decision=decision, version=row.version + 1, updated_at=datetime.now(UTC))
    )
    await _history(uow, None, row.id, f"committee_{to_state.value}", from_state=row.state, to_state=to_state,
                   at=at, actor="review committee", role="committee", detail={"decision_id": decision["decision_id"]},
                   reason="; ".join(decision.get("reasons", [])) or None)
    uow.audit(f"committee_{to_state.value}", object_type="application", object_id=row.id,
              detail={"decision_id": decision["decision_id"]})


async def on_application_approved(event: ApplicationApproved, envelope: CloudEvent, uow: UnitOfWork) -> None:
    decision = {
        "outcome": "approved", "decision_id": str(event.decision_id), "decided_at": event.decided_at.isoformat(),
        "track": event.track.value, "funding_plan": event.funding_plan.model_dump(mode="json"),
        "cap_exception": event.cap_exception.model_dump(mode="json") if event.cap_exception else None,
    }
    await _decide(uow, event.application_id, State.approved, decision, event.decided_at)


async def on_application_declined(event: ApplicationDeclined, envelope: CloudEvent, uow: UnitOfWork) -> None:
    decision = {
        "outcome": "declined", "decision_id": str(event.decision_id), "decided_at": event.decided_at.isoformat(),
        "reasons": list(event.reasons), "votes_for": event.votes_for, "votes_against": event.votes_against,
        "recused": event.recused,
    }
    await _decide(uow, event.application_id, State.declined, decision, event.decided_at)


EVENT_HANDLERS: dict[type, EventHandler] = {
    EmployerRegistered: on_employer_registered,
    CatalogueEntryPublished: on_catalogue_entry_published,
    CatalogueEntryWithdrawn: on_catalogue_entry_withdrawn,
    ApplicationApproved: on_application_approved,
    ApplicationDeclined: on_application_declined,
    ContractBreached: supervision.on_contract_breached,
    ContractBreachWithdrawn: supervision.on_contract_breach_withdrawn,
    EntitlementOpened: entitlements.on_entitlement_opened,
    FundingPlanQuoted: funding_plans.on_funding_plan_quoted,
}

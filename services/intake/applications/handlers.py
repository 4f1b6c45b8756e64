"""Commands on applications (R-APPLY, R-FORMAL) and the committee's decisions flowing back to them
(R-COMMITTEE); the only place a unit of work opens. The draft's single-statement path is in fast_paths.py."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from services.intake.adapters.passports import PassportVault, normalise, vault_of
from services.intake.applications import domain
from services.intake.applications.domain import (
    AFTER_FORMAL, AFTER_PRELIMINARY, EDITABLE, Outcome, PreconditionRequired, State, conflict, employer_id_of,
    owner_only, unprocessable,
)
from services.intake.applications.fast_paths import draft_in_one_statement, register_passport
from services.intake.applications.models import application_history, applications, recommendations
from services.intake.applications.queries import (
    draft_lookups, employer_of, known_entry, live_duplicates, load, present, selected_for,
)
from services.intake.applications.schemas import (
    ApplicationCreate, ApplicationPatch, ApplicationRead, FormalReviewCreate, PreliminaryReviewCreate,
    RecommendationCreate, RecommendationRead,
)
from services.intake.replicas.models import catalogue_replica, employer_replica
from shared import clock
from shared.auth import Principal, Role
from shared.db import dialect_insert
from shared.errors import Forbidden, PreconditionFailed
from shared.events import CloudEvent
from shared.events.common import ContractTerms, EmployerSummary, ExpertSummary, Stage
from shared.events.intake import ApplicationRejected, ApplicationReturned, ApplicationSubmitted, FormalReviewPassed
from shared.events.review import ApplicationApproved, ApplicationDeclined
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

log = logging.getLogger(__name__)

_CENTS = Decimal("0.01")

_INSERT_APPLICATION = sa.insert(applications)
_INSERT_HISTORY = sa.insert(application_history)
"""Built once (the hot path of a draft; the compiled form is reused)."""


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


async def _expert_for(session, passport_hash: str, employer_id: uuid.UUID) -> tuple[uuid.UUID, bool]:
    """The expert registered for this passport number (registered now, as a new expert, if none is) and whether
    the employer may be told it."""
    registered = (await session.execute(register_passport(dialect_insert(session), {
        "passport_hash": passport_hash, "expert_id": uuid.uuid4(), "first_employer_id": employer_id,
        "registered_at": clock.now()}))).one()
    disclosed = registered.first_employer_id == employer_id or bool(
        await session.scalar(sa.select(selected_for(registered.expert_id, employer_id))))
    return registered.expert_id, disclosed


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
    employer_id = employer_id_of(principal)
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
            row["expert_id"], disclosed = await draft_in_one_statement(uow, principal, row, history, audit)
        else:
            await draft_lookups(uow.session, principal, data.catalogue_entry_id)
            row["expert_id"], disclosed = await _expert_for(uow.session, candidate["passport_hash"], employer_id)
            await uow.session.execute(_INSERT_APPLICATION, row)
            await uow.session.execute(_INSERT_HISTORY, history)
            uow.audit("draft_application", object_type="application", object_id=row["id"])
        # The row as stored: every value was written from here (money at two places) but the expert's id.
        created = SimpleNamespace(**row, submitted_at=None, decision=None)
        number = normalise(data.candidate.passport_number)
        reviewer = domain.is_reviewer(principal, created)  # an officer who also drafts is told of duplicates
        if reviewer:
            result = await present(uow.session, created, principal, vault, new=True, passport_number=number)
        await uow.commit()
    if not reviewer:  # nothing to read: presented with the connection back in the pool
        result = await present(None, created, principal, vault, new=True, passport_number=number,
                               disclosed=disclosed)
    return result


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
        row = await load(uow.session, application_id, principal, lock=True)
        owner_only(principal, row)
        if row.state not in EDITABLE:
            raise conflict("edit after submission", row.state)
        if row.version != expected_version:
            raise PreconditionFailed("If-Match does not match the current version", current_version=row.version)
        values: dict[str, Any] = {}
        changed = sorted(data.model_fields_set)
        if data.catalogue_entry_id is not None:
            await known_entry(uow.session, data.catalogue_entry_id)
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
        result = await present(uow.session, updated, principal, vault)
        await uow.commit()
    return result


async def add_recommendation(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, data: RecommendationCreate, principal: Principal
) -> RecommendationRead:
    """A peer-expert recommendation (R-APPLY); only while the employer may still edit."""
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        row = await load(uow.session, application_id, principal, lock=True)
        owner_only(principal, row)
        if row.state not in EDITABLE:
            raise conflict("add a recommendation after submission", row.state)
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
        row = await load(uow.session, application_id, principal, lock=True)
        owner_only(principal, row)
        if row.state not in EDITABLE:
            raise conflict("submit", row.state)
        count = await uow.session.scalar(
            sa.select(sa.func.count()).select_from(recommendations).where(recommendations.c.application_id == row.id)
        )
        if not count:
            raise unprocessable("recommendations", "at least one peer-expert recommendation is needed (R-APPLY)")
        entry = (await uow.session.execute(
            sa.select(catalogue_replica).where(catalogue_replica.c.entry_id == row.catalogue_entry_id)
        )).first()
        problem = domain.catalogue_entry_problem(entry, today)
        if problem:
            raise unprocessable("catalogue_entry_id", problem)
        if row.intent_date > today:
            raise unprocessable("intent_date", "the preliminary intent is dated after the submission (R-APPLY)")
        employer = await employer_of(uow.session, principal)
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
        result = await present(uow.session, updated, principal, vault)
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
        row = await load(uow.session, application_id, principal, lock=True)
        if not principal.acts_for(Role.preliminary_reviewer, row.preliminary_reviewer):
            raise Forbidden("only the preliminary reviewer the application was submitted to may review it")
        if row.state != State.preliminary_review:
            raise conflict("perform the preliminary review", row.state)
        to_state = AFTER_PRELIMINARY[data.outcome]
        updated = await _bump(uow, row, {"state": to_state.value}, now)
        await _history(uow, principal, row.id, f"preliminary_review_{data.outcome.value}", from_state=row.state,
                       to_state=to_state, at=now, reason=data.reason)
        _outcome_events(uow, row, data.outcome, Stage.preliminary_review, data.reason, now)
        uow.audit("preliminary_review", object_type="application", object_id=row.id,
                  detail={"outcome": data.outcome.value})
        result = await present(uow.session, updated, principal, vault)
        await uow.commit()
    return result


async def formal_review(
    runtime: ServiceRuntime, *, application_id: uuid.UUID, data: FormalReviewCreate, principal: Principal
) -> ApplicationRead:
    """形式审查 by the bureau (R-FORMAL): a pass needs the whole checklist and puts the case before the committee."""
    vault = vault_of(runtime)
    now = datetime.now(UTC)
    async with runtime.uow() as uow:
        row = await load(uow.session, application_id, principal, lock=True)
        if row.state != State.formal_review:
            raise conflict("perform the formal review before a preliminary pass" if row.state in (
                State.draft, State.preliminary_review, State.returned) else "perform the formal review", row.state)
        checklist = data.checklist.model_dump()
        if data.outcome is Outcome.pass_:
            missing = [item for item in domain.FORMAL_CHECKLIST if not checklist.get(item)]
            if missing:
                raise unprocessable(f"checklist.{missing[0]}",
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
        result = await present(uow.session, updated, principal, vault)
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
        possible_duplicate=await live_duplicates(session, row) > 0,
        passed_at=now, passed_by=principal.subject,
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

"""Commands and the event handler of the selection committee (R-COMMITTEE); the only place a unit of work opens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from services.review.committee import domain
from services.review.committee.domain import CaseState, Outcome
from services.review.committee.models import (
    cases, committee_members, conflicts, decisions, scores, sitting_members, sittings, votes,
)
from services.review.committee.queries import case_at, member_of, sitting_or_404, sitting_view
from services.review.committee.schemas import CapExceptionInput, ScoreSheet, SittingCreate
from services.review.extras import ReviewRuntime
from services.review.supervision import handlers as supervision
from shared import clock, context
from shared.auth import Principal
from shared.errors import Conflict, NotFound, ServiceUnavailable, Unprocessable
from shared.events import CloudEvent
from shared.events.common import Track
from shared.events.intake import FormalReviewPassed
from shared.events.review import ApplicationApproved, ApplicationDeclined, CapException, FundingPlan, FundingPlanQuoted
from shared.queries import one_or_404
from shared.uow import UnitOfWork


async def on_formal_review_passed(event: FormalReviewPassed, envelope: CloudEvent, uow: UnitOfWork) -> None:
    """Put the case in the pool awaiting a sitting (R-FORMAL -> R-COMMITTEE)."""
    existing = (await uow.session.execute(
        sa.select(cases.c.state).where(cases.c.application_id == event.application_id)
    )).first()
    if existing is not None:
        # Converge: the same pass announced again changes nothing once the case is known; a case still
        # waiting takes the newer dossier, one on an agenda or decided keeps what the committee saw.
        if existing.state == CaseState.awaiting_sitting:
            await uow.session.execute(sa.update(cases).where(cases.c.application_id == event.application_id)
                                      .values(dossier=event.model_dump(mode="json"), track=event.track.value))
        return
    await uow.session.execute(sa.insert(cases).values(
        application_id=event.application_id,
        state=CaseState.awaiting_sitting.value,
        sitting_id=None,
        employer_id=event.employer.employer_id,
        expert_id=event.expert.expert_id,
        track=event.track.value,
        dossier=event.model_dump(mode="json"),
        received_at=clock.now(),
        source_event_id=str(envelope.id),
    ))
    uow.audit("case_received", object_type="case", object_id=event.application_id)


async def add_member(runtime: ReviewRuntime, *, subject: str, name: str, seat_type: domain.SeatType):
    async with runtime.uow() as uow:
        taken = await uow.session.scalar(
            sa.select(committee_members.c.id).where(committee_members.c.subject == subject))
        if taken is not None:
            raise Conflict(f"{subject} is already on the roster", state="member", member_id=str(taken))
        member_id = uuid.uuid4()
        try:
            await uow.session.execute(sa.insert(committee_members).values(
                id=member_id, subject=subject, name=name, seat_type=seat_type.value, created_at=clock.now()))
        except IntegrityError as exc:  # put on the roster by a concurrent request since the check
            raise Conflict(f"{subject} is already on the roster", state="member") from exc
        uow.audit("add_committee_member", object_type="committee_member", object_id=member_id,
                  detail={"seat_type": seat_type.value})
        await uow.commit()
    return member_id


async def create_sitting(runtime: ReviewRuntime, body: SittingCreate, *, actor: str) -> uuid.UUID:
    """A sitting with its members and an agenda of cases awaiting a sitting (R-COMMITTEE)."""
    member_ids = list(dict.fromkeys(body.member_ids))
    application_ids = list(dict.fromkeys(body.application_ids))
    async with runtime.uow() as uow:
        known = set((await uow.session.execute(
            sa.select(committee_members.c.id).where(committee_members.c.id.in_(member_ids)))).scalars())
        unknown = [str(m) for m in member_ids if m not in known]
        if unknown:
            raise Unprocessable(f"not on the committee roster: {', '.join(unknown)}", errors=[
                {"field": "member_ids", "message": f"unknown committee member(s): {', '.join(unknown)}",
                 "type": "unknown_member"}])
        rows = {r.application_id: r for r in (await uow.session.execute(
            sa.select(cases).where(cases.c.application_id.in_(application_ids)).with_for_update())).all()}
        missing = [str(a) for a in application_ids if a not in rows]
        if missing:
            raise Unprocessable(f"no case awaiting the committee: {', '.join(missing)}", errors=[
                {"field": "application_ids", "message": f"no case from a passed formal review: {', '.join(missing)}",
                 "type": "unknown_case"}])
        for application_id in application_ids:
            state = rows[application_id].state
            if state != CaseState.awaiting_sitting:
                raise Conflict(f"application {application_id} is {state}, not awaiting a sitting",
                               state=state, application_id=str(application_id))
        sitting_id = uuid.uuid4()
        await uow.session.execute(sa.insert(sittings).values(
            id=sitting_id, held_on=body.held_on, attendance_recorded_at=None, created_at=clock.now(), created_by=actor))
        await uow.session.execute(sa.insert(sitting_members), [
            {"sitting_id": sitting_id, "member_id": m, "present": False} for m in member_ids])
        await uow.session.execute(sa.update(cases).where(cases.c.application_id.in_(application_ids))
                                  .values(state=CaseState.on_agenda.value, sitting_id=sitting_id))
        uow.audit("create_sitting", object_type="sitting", object_id=sitting_id,
                  detail={"members": [str(m) for m in member_ids], "agenda": [str(a) for a in application_ids]})
        await uow.commit()
    return sitting_id


async def record_attendance(runtime: ReviewRuntime, sitting_id: uuid.UUID, present: list[uuid.UUID]) -> None:
    """Who is present; it may be corrected until the sitting's first decision."""
    present = list(dict.fromkeys(present))
    async with runtime.uow() as uow:
        await one_or_404(uow.session, sa.select(sittings).where(sittings.c.id == sitting_id).with_for_update(),
                         f"no sitting {sitting_id}")
        decided = await uow.session.scalar(
            sa.select(sa.func.count()).select_from(decisions).where(decisions.c.sitting_id == sitting_id))
        if decided:
            raise Conflict("the sitting has decided a case; its attendance is final", state="deciding")
        seated = set((await uow.session.execute(sa.select(sitting_members.c.member_id)
                                                .where(sitting_members.c.sitting_id == sitting_id))).scalars())
        strangers = [str(m) for m in present if m not in seated]
        if strangers:
            raise Unprocessable(f"not members of this sitting: {', '.join(strangers)}", errors=[
                {"field": "present_member_ids", "message": f"not members of this sitting: {', '.join(strangers)}",
                 "type": "not_in_sitting"}])
        await uow.session.execute(sa.update(sitting_members).where(sitting_members.c.sitting_id == sitting_id)
                                  .values(present=sitting_members.c.member_id.in_(present) if present else False))
        await uow.session.execute(sa.update(sittings).where(sittings.c.id == sitting_id)
                                  .values(attendance_recorded_at=clock.now()))
        uow.audit("record_attendance", object_type="sitting", object_id=sitting_id,
                  detail={"present": [str(m) for m in present]})
        await uow.commit()


async def _acts_of(session, sitting_id, application_id, member_id) -> dict[str, bool]:
    key = lambda t: (t.c.sitting_id == sitting_id) & (t.c.application_id == application_id) & (t.c.member_id == member_id)  # noqa: E731
    return {
        "recused": await session.scalar(sa.select(sa.func.count()).select_from(conflicts).where(key(conflicts))) > 0,
        "scored": await session.scalar(sa.select(sa.func.count()).select_from(scores).where(key(scores))) > 0,
        "voted": await session.scalar(sa.select(sa.func.count()).select_from(votes).where(key(votes))) > 0,
    }


async def _member_act(uow: UnitOfWork, principal: Principal, sitting_id, application_id, *, needs_presence: bool):
    """The member, the case and what the member already did; refuses a case that is no longer open."""
    member = await member_of(uow.session, principal)
    # The seat locked: one act of a member at a time, so a conflict and a score sent together are not both
    # recorded (each checks the others; the case is only share-locked).
    seat = (await uow.session.execute(sa.select(sitting_members).where(
        sitting_members.c.sitting_id == sitting_id, sitting_members.c.member_id == member.id,
    ).with_for_update())).first()
    if seat is None:
        raise NotFound(f"no sitting {sitting_id}")
    sitting = await sitting_or_404(uow.session, sitting_id)
    case = await case_at(uow.session, sitting_id, application_id, shared=True)
    if case.state != CaseState.on_agenda:
        raise Conflict(f"the case is {case.state}", state=case.state)
    if needs_presence:
        if sitting.attendance_recorded_at is None:
            raise Conflict("the attendance of the sitting is not recorded yet", state="attendance_not_recorded")
        if not seat.present:
            raise Conflict("the member is not recorded present at the sitting", state="absent")
    return member, await _acts_of(uow.session, sitting_id, application_id, member.id)


async def _record_act(uow: UnitOfWork, table: sa.Table, values: dict, what: str) -> None:
    """Insert the act and commit; the same act recorded concurrently is the 409 it would have been."""
    try:
        await uow.session.execute(sa.insert(table).values(**values))
        await uow.commit()
    except IntegrityError as exc:  # SQLite raises at the insert, PostgreSQL at the insert or the commit
        raise Conflict(f"the member has already {what} on this case", state=what) from exc


async def declare_conflict(runtime: ReviewRuntime, principal: Principal, sitting_id, application_id, reason: str):
    """R-COMMITTEE: a conflicted member neither scores nor votes on the case."""
    async with runtime.uow() as uow:
        member, acts = await _member_act(uow, principal, sitting_id, application_id, needs_presence=False)
        for state in ("recused", "voted", "scored"):
            if acts[state]:
                raise Conflict(f"the member has already {state} on this case; a conflict is declared before",
                               state=state)
        uow.audit("declare_conflict", object_type="case", object_id=application_id,
                  detail={"sitting_id": str(sitting_id), "member_id": str(member.id)})
        await _record_act(uow, conflicts, dict(sitting_id=sitting_id, application_id=application_id,
                                                member_id=member.id, reason=reason, declared_at=clock.now()), "recused")
    return member


async def record_score(runtime: ReviewRuntime, principal: Principal, sitting_id, application_id, sheet: ScoreSheet):
    """The member's R-ELIG scores (0-10 each); final once recorded."""
    async with runtime.uow() as uow:
        member, acts = await _member_act(uow, principal, sitting_id, application_id, needs_presence=True)
        for state in ("recused", "scored"):
            if acts[state]:
                raise Conflict(f"the member has {state} on this case", state=state)
        uow.audit("score_case", object_type="case", object_id=application_id,
                  detail={"sitting_id": str(sitting_id), "member_id": str(member.id), **sheet.model_dump()})
        await _record_act(uow, scores, dict(sitting_id=sitting_id, application_id=application_id,
                                             member_id=member.id, scored_at=clock.now(), **sheet.model_dump()), "scored")
    return member


async def record_vote(runtime: ReviewRuntime, principal: Principal, sitting_id, application_id, approve: bool):
    """The member's vote, after its scores; final once recorded."""
    async with runtime.uow() as uow:
        member, acts = await _member_act(uow, principal, sitting_id, application_id, needs_presence=True)
        if acts["recused"]:
            raise Conflict("the member declared a conflict on this case and cannot vote (R-COMMITTEE)",
                           state="recused")
        if acts["voted"]:
            raise Conflict("the member has already voted on this case", state="voted")
        if not acts["scored"]:
            raise Conflict("the member scores the R-ELIG criteria before voting", state="not_scored")
        uow.audit("vote_case", object_type="case", object_id=application_id,
                  detail={"sitting_id": str(sitting_id), "member_id": str(member.id), "approve": approve})
        await _record_act(uow, votes, dict(sitting_id=sitting_id, application_id=application_id,
                                            member_id=member.id, approve=approve, voted_at=clock.now()), "voted")
    return member


@dataclass(frozen=True)
class Deliberation:
    sitting: object
    case: object
    tally: domain.Tally
    averages: dict
    dossier: FormalReviewPassed


async def _deliberation(session, sitting_id, application_id, *, lock: bool) -> Deliberation:
    """Everything a decision needs, or the refusal naming the state that stops it."""
    sitting = await sitting_or_404(session, sitting_id)
    case = await case_at(session, sitting_id, application_id, lock=lock)
    if case.state != CaseState.on_agenda:
        raise Conflict(f"the case is already {case.state}; a decision is final", state=case.state)
    if sitting.attendance_recorded_at is None:
        raise Conflict("the attendance of the sitting is not recorded", state="attendance_not_recorded")
    view = await sitting_view(session, sitting)
    missing = view.missing_seat_types
    if missing:
        raise Conflict(f"the sitting cannot decide: no member present for {', '.join(missing)} (R-COMMITTEE)",
                       state="seats_incomplete", missing_seat_types=missing, rule="R-COMMITTEE")
    present = {m.member_id for m in view.members if m.present}
    where = lambda t: (t.c.sitting_id == sitting_id) & (t.c.application_id == application_id)  # noqa: E731
    recused = set((await session.execute(sa.select(conflicts.c.member_id).where(where(conflicts)))).scalars())
    ballots = {r.member_id: r.approve for r in (await session.execute(sa.select(votes).where(where(votes)))).all()}
    eligible = present - recused
    waiting = eligible - set(ballots)
    if waiting:
        raise Conflict(f"voting is open: {len(eligible) - len(waiting)} of {len(eligible)} non-recused members "
                       "have voted", state="voting_open", votes_missing=len(waiting))
    sheets = [dict(r._mapping) for r in (await session.execute(sa.select(scores).where(where(scores)))).all()]
    counted = [s for s in sheets if s["member_id"] in eligible]
    tally = domain.Tally(eligible=len(eligible),
                         votes_for=sum(1 for m in eligible if ballots[m]),
                         votes_against=sum(1 for m in eligible if not ballots[m]),
                         recused=len(recused & present))
    return Deliberation(sitting=sitting, case=case, tally=tally, averages=domain.average_scores(counted),
                        dossier=FormalReviewPassed.model_validate(case.dossier))


async def decide(runtime: ReviewRuntime, principal: Principal, sitting_id: uuid.UUID,
                 application_id: uuid.UUID, cap_exception: CapExceptionInput | None) -> uuid.UUID:
    """Tally, draft the funding plan from a subsidy quote, record the decision and announce it."""
    async with runtime.db.session() as session:
        first = await _deliberation(session, sitting_id, application_id, lock=False)
    if cap_exception is not None and first.dossier.track is not Track.haiju_long_term:
        message = "only the Art. 11 salary subsidy has a cap the committee may lift (R-CAP-EXCEPTION)"
        raise Unprocessable(message, rule="R-CAP-EXCEPTION",
                            errors=[{"field": "cap_exception", "message": message, "type": "no_cap_to_lift"}])
    settings = runtime.settings
    plan = None
    if first.tally.approved:
        # The quote is asked before the transaction opens: no lock is held while subsidy thinks.
        plan = await runtime.extras.subsidy_quotes.plan(
            domain.quote_request(first.dossier.track, first.dossier.contract,
                                 cap_exception_amount=cap_exception.amount if cap_exception else None,
                                 medical_premium=settings.plan_medical_premium),
            request_id=context.current().request_id)
    async with runtime.uow() as uow:
        # The sitting share-locked: an attendance recorded at this moment (it locks the sitting for update, and is
        # final once a case is decided) waits for this decision and is refused, or this decision reads it.
        await uow.session.execute(
            sa.select(sittings.c.id).where(sittings.c.id == sitting_id).with_for_update(read=True))
        d = await _deliberation(uow.session, sitting_id, application_id, lock=True)
        approved = d.tally.approved
        if approved and plan is None:  # cannot happen unless votes changed in between; decide anyway
            plan = FundingPlan(items=[], to_be_quoted=True)
        decision_id, decided_at = uuid.uuid4(), clock.now()
        dossier = d.dossier
        exception = (CapException(amount=cap_exception.amount, reason=cap_exception.reason,
                                  approved_by=f"review committee, sitting of {d.sitting.held_on} ({sitting_id})")
                     if approved and cap_exception else None)
        wage_note = domain.WAGE_BILL_NOTE if approved and dossier.employer.municipal_state_owned else None
        reasons = [] if approved else domain.decline_reasons(d.tally, d.averages)
        try:
            await uow.session.execute(sa.insert(decisions).values(
                id=decision_id, application_id=application_id, sitting_id=sitting_id,
                outcome=(Outcome.approved if approved else Outcome.declined).value,
                votes_for=d.tally.votes_for, votes_against=d.tally.votes_against, recused=d.tally.recused,
                average_scores={k: str(v) for k, v in d.averages.items()}, reasons=reasons,
                funding_plan=plan.model_dump(mode="json") if approved else None,
                cap_exception=exception.model_dump(mode="json") if exception else None,
                wage_bill_note=wage_note, decided_at=decided_at, decided_by=principal.subject))
        except IntegrityError as exc:  # another decision won the race (SQLite raises here, PostgreSQL waits)
            raise Conflict("the case is already decided; a decision is final", state="decided") from exc
        await uow.session.execute(sa.update(cases).where(cases.c.application_id == application_id).values(
            state=(CaseState.approved if approved else CaseState.declined).value))
        if approved:
            approval = ApplicationApproved(
                application_id=application_id, decision_id=decision_id, decided_at=decided_at,
                expert=dossier.expert, employer=dossier.employer, catalogue_entry_id=dossier.catalogue_entry_id,
                focus_area=dossier.focus_area, field=dossier.field, track=dossier.track,
                contract=dossier.contract, funding_plan=plan, cap_exception=exception)
            uow.publish(approval)
            # Supervision (R-SUPERVISE) keeps the approved facts in the same transaction.
            await supervision.record_selection(uow, approval)
        else:
            uow.publish(ApplicationDeclined(
                application_id=application_id, decision_id=decision_id, decided_at=decided_at,
                expert_id=dossier.expert.expert_id, employer_id=dossier.employer.employer_id, reasons=reasons,
                votes_for=d.tally.votes_for, votes_against=d.tally.votes_against, recused=d.tally.recused))
        uow.audit("decide_case", object_type="case", object_id=application_id, detail={
            "decision_id": str(decision_id), "outcome": (Outcome.approved if approved else Outcome.declined).value,
            "votes_for": d.tally.votes_for, "votes_against": d.tally.votes_against, "recused": d.tally.recused,
            "to_be_quoted": plan.to_be_quoted if plan else None})
        try:
            await uow.commit()
        except IntegrityError as exc:  # another decision won the race
            raise Conflict("the case is already decided; a decision is final", state="decided") from exc
    return decision_id


def _plan_to_be_quoted(decision, application_id: uuid.UUID) -> FundingPlan:
    """The decision's plan if it still waits for its quote, else the refusal naming why it cannot be quoted."""
    if decision is None:
        raise NotFound(f"no decision on application {application_id}")
    if decision.outcome != Outcome.approved or decision.funding_plan is None:
        raise Conflict("a declined case has no funding plan to quote", state=decision.outcome)
    plan = FundingPlan.model_validate(decision.funding_plan)
    if not plan.to_be_quoted:
        raise Conflict("the funding plan is already quoted; a quoted plan is not quoted again", state="quoted")
    return plan


async def requote_funding_plan(runtime: ReviewRuntime, principal: Principal, application_id: uuid.UUID) -> None:
    """Ask subsidy again for the plan of an approval recorded ``to_be_quoted`` (资助方案, R-COMMITTEE).

    The quote's inputs are the ones the decision had (the dossier's track and contract, the committee's cap
    exception), so the plan is the one the committee would have seen. Only a plan still to be quoted is quoted:
    a quoted plan is the committee's record (409). The ApplicationApproved already announced keeps the plan it
    carried; ``FundingPlanQuoted`` tells the others the plan now (intake shows it to the employer, the directory
    puts it on the expert's timeline). Subsidy opens and assesses entitlements from the track, the contract and
    the cap exception, never from the plan's estimates, so it needs nothing of it."""
    async with runtime.db.session() as session:
        decision = (await session.execute(
            sa.select(decisions).where(decisions.c.application_id == application_id))).first()
        _plan_to_be_quoted(decision, application_id)
        dossier = FormalReviewPassed.model_validate((await session.execute(
            sa.select(cases.c.dossier).where(cases.c.application_id == application_id))).scalar_one())
    exception = CapException.model_validate(decision.cap_exception) if decision.cap_exception else None
    # As for the decision: the quote is asked before the transaction opens, no lock is held while subsidy thinks.
    plan = await runtime.extras.subsidy_quotes.plan(
        domain.quote_request(dossier.track, dossier.contract,
                             cap_exception_amount=exception.amount if exception else None,
                             medical_premium=runtime.settings.plan_medical_premium),
        request_id=context.current().request_id)
    if plan.to_be_quoted:
        raise ServiceUnavailable("subsidy did not answer the quote in time; the funding plan stays to be quoted",
                                 state="to_be_quoted")
    async with runtime.uow() as uow:
        decision = (await uow.session.execute(
            sa.select(decisions).where(decisions.c.application_id == application_id).with_for_update())).first()
        _plan_to_be_quoted(decision, application_id)  # another officer's quote may have won meanwhile
        quoted_at = clock.now()
        await uow.session.execute(sa.update(decisions).where(decisions.c.id == decision.id).values(
            funding_plan={**plan.model_dump(mode="json"), "quoted_at": quoted_at.isoformat(),
                          "quoted_by": principal.subject}))
        uow.publish(FundingPlanQuoted(application_id=application_id, decision_id=decision.id,
                                      expert_id=dossier.expert.expert_id, funding_plan=plan, quoted_at=quoted_at))
        uow.audit("quote_funding_plan", object_type="decision", object_id=decision.id, detail={
            "application_id": str(application_id), "was": "to_be_quoted",
            "items": [{"code": i.code, "amount": str(i.estimated_yearly_amount)} for i in plan.items]})
        await uow.commit()

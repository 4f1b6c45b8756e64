"""Reads of the selection committee (R-COMMITTEE): the roster, the cases, the sittings, the decisions.

Who may read what: officers everything; a committee member only its own sittings, their cases and
their decisions (anything else is 404, as if it did not exist). The access reads (``member_of``,
``authorise_sitting``, ``case_at``, ``sitting_view``) also serve the commands, inside their unit of work."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from services.review.committee import domain
from services.review.committee.domain import CaseState
from services.review.committee.models import (
    cases, committee_members, conflicts, decisions, scores, sitting_members, sittings, votes,
)
from shared.auth import Principal, Role
from shared.errors import Forbidden, NotFound
from shared.queries import Keyset, fetch_page, one_or_404
from shared.runtime import ServiceRuntime

CASES_IN_ORDER = Keyset.oldest_first(cases.c.received_at, cases.c.application_id)
SITTINGS_LATEST_FIRST = Keyset.latest_first(sittings.c.created_at, sittings.c.id)


async def member_of(session, principal: Principal):
    """The committee member the caller is (by token subject), or Forbidden."""
    if not principal.has_any(Role.committee_member):
        raise Forbidden("this action needs the committee_member role")
    row = (await session.execute(
        sa.select(committee_members).where(committee_members.c.subject == principal.subject)
    )).first()
    if row is None:
        raise Forbidden("the caller is not on the committee roster")
    return row


async def sitting_or_404(session, sitting_id: uuid.UUID):
    return await one_or_404(session, sa.select(sittings).where(sittings.c.id == sitting_id), f"no sitting {sitting_id}")


async def authorise_sitting(session, principal: Principal, sitting_id: uuid.UUID):
    """Officers see every sitting; a member only its own (another sitting is 404, as if it did not exist)."""
    if principal.is_officer:
        return await sitting_or_404(session, sitting_id), None
    member = await member_of(session, principal)
    seat = (await session.execute(sa.select(sitting_members).where(
        sitting_members.c.sitting_id == sitting_id, sitting_members.c.member_id == member.id))).first()
    if seat is None:
        raise NotFound(f"no sitting {sitting_id}")
    return await sitting_or_404(session, sitting_id), member


async def case_at(session, sitting_id: uuid.UUID, application_id: uuid.UUID, *, lock: bool = False,
                  shared: bool = False):
    """The case on the sitting's agenda, or 404; ``shared``/``lock`` for the commands (see below)."""
    query = sa.select(cases).where(cases.c.application_id == application_id, cases.c.sitting_id == sitting_id)
    if lock or shared:
        # FOR SHARE for a member's act, FOR UPDATE for the decision: no act slips in beside a decision.
        query = query.with_for_update(read=shared and not lock)
    return await one_or_404(session, query,
                            f"application {application_id} is not on the agenda of sitting {sitting_id}")


@dataclass(frozen=True)
class SittingView:
    sitting: object
    members: list
    agenda: list[uuid.UUID]

    @property
    def missing_seat_types(self) -> list[str]:
        return domain.missing_seats({m.seat_type for m in self.members if m.present})


async def sitting_view(session, sitting) -> SittingView:
    members = (await session.execute(
        sa.select(sitting_members.c.member_id, sitting_members.c.present, committee_members.c.name,
                  committee_members.c.seat_type)
        .join(committee_members, committee_members.c.id == sitting_members.c.member_id)
        .where(sitting_members.c.sitting_id == sitting.id)
        .order_by(committee_members.c.seat_type, committee_members.c.name))).all()
    agenda = list((await session.execute(sa.select(cases.c.application_id).where(cases.c.sitting_id == sitting.id)
                                         .order_by(cases.c.received_at))).scalars())
    return SittingView(sitting=sitting, members=members, agenda=agenda)


async def list_members(runtime: ServiceRuntime):
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(committee_members).order_by(committee_members.c.created_at))).all()


async def member(runtime: ServiceRuntime, member_id: uuid.UUID):
    """A member just put on the roster."""
    async with runtime.db.session() as session:
        return (await session.execute(sa.select(committee_members).where(committee_members.c.id == member_id))).one()


async def list_sittings(runtime: ServiceRuntime, principal: Principal, *, cursor: str | None, limit: int):
    """Sittings latest first, with their member and agenda counts: every one for an officer, a member's own for
    a member (R-COMMITTEE); returns (rows, next cursor)."""
    async with runtime.db.session() as session:
        member_count = (sa.select(sa.func.count()).where(sitting_members.c.sitting_id == sittings.c.id)
                        .scalar_subquery())
        agenda_size = sa.select(sa.func.count()).where(cases.c.sitting_id == sittings.c.id).scalar_subquery()
        query = sa.select(sittings, member_count.label("member_count"), agenda_size.label("agenda_size"))
        if not principal.is_officer:
            member = await member_of(session, principal)
            query = query.where(sittings.c.id.in_(
                sa.select(sitting_members.c.sitting_id).where(sitting_members.c.member_id == member.id)))
        return await fetch_page(session, query, SITTINGS_LATEST_FIRST, cursor=cursor, limit=limit)


async def me(runtime: ServiceRuntime, principal: Principal):
    """The roster's entry of the calling committee member (Forbidden for anyone not on it)."""
    async with runtime.db.session() as session:
        return await member_of(session, principal)


async def list_cases(runtime: ServiceRuntime, *, state: CaseState, cursor: str | None, limit: int):
    """Cases in ``state``, oldest first; returns (rows, next cursor)."""
    async with runtime.db.session() as session:
        return await fetch_page(session, sa.select(cases).where(cases.c.state == state.value), CASES_IN_ORDER,
                                cursor=cursor, limit=limit)


async def case_for(runtime: ServiceRuntime, principal: Principal, application_id: uuid.UUID):
    """One case: officers; a member only if the case is on the agenda of one of its sittings."""
    async with runtime.db.session() as session:
        row = await one_or_404(session, sa.select(cases).where(cases.c.application_id == application_id),
                               f"no case {application_id}")
        if not principal.is_officer:
            member = await member_of(session, principal)
            seat = None
            if row.sitting_id is not None:
                seat = (await session.execute(sa.select(sitting_members).where(
                    sitting_members.c.sitting_id == row.sitting_id,
                    sitting_members.c.member_id == member.id))).first()
            if seat is None:
                raise NotFound(f"no case {application_id}")
        return row


async def read_sitting(runtime: ServiceRuntime, principal: Principal, sitting_id: uuid.UUID) -> SittingView:
    async with runtime.db.session() as session:
        sitting, _ = await authorise_sitting(session, principal, sitting_id)
        return await sitting_view(session, sitting)


async def sitting(runtime: ServiceRuntime, sitting_id: uuid.UUID) -> SittingView:
    """A sitting as an officer reads it (its attendance just recorded)."""
    async with runtime.db.session() as session:
        return await sitting_view(session, await sitting_or_404(session, sitting_id))


async def case_sheet(runtime: ServiceRuntime, principal: Principal, sitting_id, application_id) -> dict:
    async with runtime.db.session() as session:
        _, member = await authorise_sitting(session, principal, sitting_id)
        case = await case_at(session, sitting_id, application_id)
        where = lambda t: (t.c.sitting_id == sitting_id) & (t.c.application_id == application_id)  # noqa: E731
        ids = lambda t: sa.select(t.c.member_id).where(where(t)).order_by(t.c.member_id)  # noqa: E731
        declared = sa.select(conflicts.c.member_id, conflicts.c.reason, conflicts.c.declared_at).where(
            where(conflicts)).order_by(conflicts.c.declared_at)
        if member is not None:  # a member reads only the reason it gave itself
            declared = declared.where(conflicts.c.member_id == member.id)
        return {
            "conflicts": [dict(row._mapping) for row in await session.execute(declared)],
            "sitting_id": sitting_id, "application_id": application_id, "state": case.state,
            "recused_member_ids": list((await session.execute(ids(conflicts))).scalars()),
            "scored_member_ids": list((await session.execute(ids(scores))).scalars()),
            "voted_member_ids": list((await session.execute(ids(votes))).scalars()),
        }


async def decision_of(runtime: ServiceRuntime, principal: Principal, application_id: uuid.UUID):
    """The decision on a case: officers, or the members of the sitting that made it."""
    async with runtime.db.session() as session:
        row = (await session.execute(sa.select(decisions).where(decisions.c.application_id == application_id))).first()
        if row is None:
            if not principal.is_officer:
                await member_of(session, principal)
            raise NotFound(f"no decision on application {application_id}")
        if not principal.is_officer:
            await authorise_sitting(session, principal, row.sitting_id)
        return row

"""Reads of the information platform (R-PLATFORM (2)-(4)): postings, matching both ways, matchmaking events."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.directory import matching
from services.directory.platform_schemas import (
    CandidateMatch, ExpertPublic, MatchmakingEventRead, PostingMatch, PostingRead, ScorePart,
)
from services.directory.platform_tables import event_registrations, expert_tags, experts, matchmaking_events, postings
from services.directory.queries import revoked_since_column
from shared.errors import NotFound
from shared.schemas import after_position, position_cursor

OPEN, CLOSED = "open", "closed"

_EXPERT_COLUMNS = (experts.c.id, experts.c.name, experts.c.nationality, experts.c.focus_area, experts.c.field,
                   experts.c.status, experts.c.headline, experts.c.skills, experts.c.languages, experts.c.seeking,
                   experts.c.available_from)
"""The public columns: matching never reads, let alone returns, a restricted one."""


def need_of(posting) -> matching.Need:
    return matching.Need(field=posting.field, focus_area=posting.focus_area, skills=tuple(posting.skills),
                         languages=tuple(posting.languages), start=posting.term_start)


def offer_of(expert) -> matching.Offer:
    return matching.Offer(field=expert.field, focus_area=expert.focus_area, skills=tuple(expert.skills),
                          languages=tuple(expert.languages), available_from=expert.available_from)


def _parts(match: matching.Match) -> list[ScorePart]:
    return [ScorePart.model_validate(p, from_attributes=True) for p in match.parts]


async def list_postings(session, *, status: str | None, field: str | None, focus_area: str | None,
                        employer_id: uuid.UUID | None, cursor: str | None, limit: int
                        ) -> tuple[list[PostingRead], str | None]:
    query = sa.select(postings).order_by(postings.c.posted_at, postings.c.id).limit(limit + 1)
    for column, value in ((postings.c.status, status), (postings.c.field, field),
                          (postings.c.focus_area, focus_area), (postings.c.employer_id, employer_id)):
        if value is not None:
            query = query.where(column == value)
    after = after_position(cursor, postings.c.posted_at, postings.c.id)
    if after is not None:
        query = query.where(after)
    rows = (await session.execute(query)).all()
    items = [PostingRead.model_validate(r._mapping) for r in rows[:limit]]
    return items, position_cursor(items[-1].posted_at, items[-1].id) if len(rows) > limit else None


async def get_posting_row(session, posting_id: uuid.UUID):
    row = (await session.execute(sa.select(postings).where(postings.c.id == posting_id))).first()
    if row is None:
        raise NotFound(f"no posting {posting_id}")
    return row


_SCORED_EXPERT = (experts.c.id, experts.c.field, experts.c.focus_area, experts.c.skills, experts.c.languages,
                  experts.c.available_from)
_SCORED_POSTING = (postings.c.id, postings.c.field, postings.c.focus_area, postings.c.skills, postings.c.languages,
                   postings.c.term_start)


async def candidates_for_posting(session, posting, *, limit: int = 10) -> list[CandidateMatch]:
    """The best job-seeking experts for a posting, exact: see ``matching.excluded_bound``."""
    need = need_of(posting)
    available = sa.select(*_SCORED_EXPERT).where(experts.c.seeking.is_(True), revoked_since_column().is_(None))
    near = experts.c.field == need.field
    if need.skills:
        near = sa.or_(near, experts.c.id.in_(
            sa.select(expert_tags.c.expert_id).where(expert_tags.c.kind == "skill",
                                                     expert_tags.c.value.in_(need.skills))))
    rows = (await session.execute(available.where(near))).all()
    ranked = matching.rank(need, [(r.id, offer_of(r)) for r in rows], limit=limit)
    if len(ranked) < limit or ranked[-1].score <= matching.excluded_bound(need):
        rows = (await session.execute(available)).all()
        ranked = matching.rank(need, [(r.id, offer_of(r)) for r in rows], limit=limit)
    profiles = {r.id: r for r in (await session.execute(
        sa.select(*_EXPERT_COLUMNS).where(experts.c.id.in_([m.id for m in ranked])))).all()}
    return [
        CandidateMatch(rank=n, score=m.score, parts=_parts(m),
                       expert=ExpertPublic.model_validate(profiles[m.id]._mapping))
        for n, m in enumerate(ranked, start=1)
    ]


async def postings_for_expert(session, expert_id: uuid.UUID, *, limit: int = 10) -> list[PostingMatch]:
    """The open postings that suit an expert best, each score explained."""
    expert = (await session.execute(sa.select(*_SCORED_EXPERT).where(experts.c.id == expert_id))).first()
    if expert is None:
        raise NotFound(f"no expert {expert_id}")
    rows = (await session.execute(sa.select(*_SCORED_POSTING).where(postings.c.status == OPEN))).all()
    ranked = matching.rank(offer_of(expert), [(r.id, need_of(r)) for r in rows], reverse=True, limit=limit)
    full = {r.id: r for r in (await session.execute(
        sa.select(postings).where(postings.c.id.in_([m.id for m in ranked])))).all()}
    return [
        PostingMatch(rank=n, score=m.score, parts=_parts(m), posting=PostingRead.model_validate(full[m.id]._mapping))
        for n, m in enumerate(ranked, start=1)
    ]


def _registered():
    return (sa.select(sa.func.count()).select_from(event_registrations)
            .where(event_registrations.c.event_id == matchmaking_events.c.id)
            .scalar_subquery().label("registered"))


async def list_events(session, *, cursor: str | None, limit: int) -> tuple[list[MatchmakingEventRead], str | None]:
    query = (sa.select(matchmaking_events, _registered())
             .order_by(matchmaking_events.c.starts_at, matchmaking_events.c.id).limit(limit + 1))
    after = after_position(cursor, matchmaking_events.c.starts_at, matchmaking_events.c.id)
    if after is not None:
        query = query.where(after)
    rows = (await session.execute(query)).all()
    items = [MatchmakingEventRead.model_validate(r._mapping) for r in rows[:limit]]
    return items, position_cursor(items[-1].starts_at, items[-1].id) if len(rows) > limit else None


async def get_event(session, event_id: uuid.UUID) -> MatchmakingEventRead:
    row = (await session.execute(
        sa.select(matchmaking_events, _registered()).where(matchmaking_events.c.id == event_id))).first()
    if row is None:
        raise NotFound(f"no matchmaking event {event_id}")
    return MatchmakingEventRead.model_validate(row._mapping)

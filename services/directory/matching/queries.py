"""Reads of matching (R-PLATFORM (2)): the best job-seeking experts for a posting, the best open postings for an
expert, each score explained. Only public columns are read: matching never reads, let alone returns, a
restricted one."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.directory.board.domain import PostingStatus
from services.directory.board.models import postings
from services.directory.board.schemas import PostingRead
from services.directory.matching import domain as matching
from services.directory.matching.schemas import CandidateMatch, PostingMatch, ScorePart
from services.directory.experts.models import expert_tags, experts
from services.directory.experts.queries import revoked_since_column
from services.directory.experts.schemas import ExpertPublic
from shared.queries import one_or_404

_EXPERT_COLUMNS = (experts.c.id, experts.c.name, experts.c.nationality, experts.c.focus_area, experts.c.field,
                   experts.c.status, experts.c.headline, experts.c.skills, experts.c.languages, experts.c.seeking,
                   experts.c.available_from)
"""The public columns: matching never reads, let alone returns, a restricted one."""

_SCORED_EXPERT = (experts.c.id, experts.c.field, experts.c.focus_area, experts.c.skills, experts.c.languages,
                  experts.c.available_from)
_SCORED_POSTING = (postings.c.id, postings.c.field, postings.c.focus_area, postings.c.skills, postings.c.languages,
                   postings.c.term_start)


def need_of(posting) -> matching.Need:
    return matching.Need(field=posting.field, focus_area=posting.focus_area, skills=tuple(posting.skills),
                         languages=tuple(posting.languages), start=posting.term_start)


def offer_of(expert) -> matching.Offer:
    return matching.Offer(field=expert.field, focus_area=expert.focus_area, skills=tuple(expert.skills),
                          languages=tuple(expert.languages), available_from=expert.available_from)


def _parts(match: matching.Match) -> list[ScorePart]:
    return [ScorePart.model_validate(p, from_attributes=True) for p in match.parts]


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
    expert = await one_or_404(session, sa.select(*_SCORED_EXPERT).where(experts.c.id == expert_id),
                              f"no expert {expert_id}")
    rows = (await session.execute(
        sa.select(*_SCORED_POSTING).where(postings.c.status == PostingStatus.open.value))).all()
    ranked = matching.rank(offer_of(expert), [(r.id, need_of(r)) for r in rows], reverse=True, limit=limit)
    full = {r.id: r for r in (await session.execute(
        sa.select(postings).where(postings.c.id.in_([m.id for m in ranked])))).all()}
    return [
        PostingMatch(rank=n, score=m.score, parts=_parts(m), posting=PostingRead.model_validate(full[m.id]._mapping))
        for n, m in enumerate(ranked, start=1)
    ]

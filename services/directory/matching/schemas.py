"""Response models of matching: a ranked candidate or posting, and its score explained part by part."""

from __future__ import annotations

from services.directory.board.schemas import PostingRead
from services.directory.experts.schemas import ExpertPublic
from shared.schemas import Output


class ScorePart(Output):
    name: str
    weight: float
    score: float
    points: float
    explanation: str


class CandidateMatch(Output):
    """A ranked candidate for a posting, with the score explained part by part."""

    rank: int
    score: float
    parts: list[ScorePart]
    expert: ExpertPublic


class PostingMatch(Output):
    rank: int
    score: float
    parts: list[ScorePart]
    posting: PostingRead

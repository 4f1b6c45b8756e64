"""Matching on the information platform (R-PLATFORM (2)): rank candidates for a posting, postings for an expert, and say why.

A score is a weighted sum of four parts, each in [0, 1], so an officer can read every
figure: field (same field 1, same focus area 0.5), skills (share of the posting's skills
the expert has), languages (share of the posting's languages the expert speaks),
availability (available by the start 1, then less by each day late, 0 after
``LATE_DAYS``; 0.5 when the expert stated no date).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

WEIGHTS = {"field": 0.4, "skills": 0.3, "languages": 0.2, "availability": 0.1}
LATE_DAYS = 180
UNSTATED_AVAILABILITY = 0.5
SAME_FOCUS_AREA = 0.5


@dataclass(frozen=True)
class Need:
    """What a posting asks for."""

    field: str
    focus_area: str
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    start: date | None


@dataclass(frozen=True)
class Offer:
    """What an expert brings."""

    field: str
    focus_area: str
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    available_from: date | None


@dataclass(frozen=True)
class Part:
    name: str
    weight: float
    score: float
    points: float
    explanation: str


@dataclass(frozen=True)
class Match:
    id: uuid.UUID
    score: float
    parts: list[Part] = field(default_factory=list)


def _field_score(need: Need, offer: Offer) -> float:
    if offer.field == need.field:
        return 1.0
    return SAME_FOCUS_AREA if offer.focus_area == need.focus_area else 0.0


def _share_score(required: tuple[str, ...], held: tuple[str, ...]) -> float:
    if not required:
        return 1.0
    return sum(1 for r in required if r in held) / len(required)


def _availability_score(need: Need, offer: Offer) -> float:
    if offer.available_from is None:
        return UNSTATED_AVAILABILITY
    if need.start is None or offer.available_from <= need.start:
        return 1.0
    return max(0.0, 1.0 - (offer.available_from - need.start).days / LATE_DAYS)


def _scores(need: Need, offer: Offer) -> tuple[float, float, float, float]:
    return (_field_score(need, offer), _share_score(need.skills, offer.skills),
            _share_score(need.languages, offer.languages), _availability_score(need, offer))


_NAMES = ("field", "skills", "languages", "availability")


def total(need: Need, offer: Offer) -> float:
    """The score alone, cheap: what ranking uses; ``explain`` gives the same figure with its reasons."""
    return round(sum(round(WEIGHTS[n] * s, 4) for n, s in zip(_NAMES, _scores(need, offer), strict=True)), 4)


def _share_text(required: tuple[str, ...], held: tuple[str, ...], noun: str) -> str:
    if not required:
        return f"the posting requires no {noun}"
    have = [r for r in required if r in held]
    missing = [r for r in required if r not in held]
    text = f"{len(have)} of {len(required)} {noun}"
    if have:
        text += f": has {', '.join(have)}"
    if missing:
        text += f"; lacks {', '.join(missing)}"
    return text


def explain(need: Need, offer: Offer) -> tuple[float, list[Part]]:
    """The score of ``offer`` for ``need`` and its explanation, part by part."""
    field_score, skills_score, languages_score, avail_score = _scores(need, offer)
    if field_score == 1.0:
        field_text = f"same field ({need.field})"
    elif field_score > 0:
        field_text = f"field {offer.field}, same focus area ({need.focus_area})"
    else:
        field_text = f"field {offer.field} is outside the focus area {need.focus_area}"
    if offer.available_from is None:
        avail_text = "availability not stated"
    elif need.start is None or offer.available_from <= need.start:
        avail_text = f"available from {offer.available_from.isoformat()}, by the start"
    else:
        avail_text = (f"available {(offer.available_from - need.start).days} days after the start "
                      f"({need.start.isoformat()})")
    texts = (field_text, _share_text(need.skills, offer.skills, "skills"),
             _share_text(need.languages, offer.languages, "languages"), avail_text)
    parts = [
        Part(name, WEIGHTS[name], round(s, 4), round(WEIGHTS[name] * s, 4), text)
        for name, s, text in zip(_NAMES, (field_score, skills_score, languages_score, avail_score), texts,
                                 strict=True)
    ]
    return round(sum(p.points for p in parts), 4), parts


def excluded_bound(need: Need) -> float:
    """The best score an expert can reach with another field and none of the posting's skills.

    Candidates are first looked for among experts of the same field or sharing a skill; the
    ranking is exact when its last place scores above this bound, else everyone is scored.
    """
    skills = WEIGHTS["skills"] if not need.skills else 0.0
    return WEIGHTS["field"] * SAME_FOCUS_AREA + skills + WEIGHTS["languages"] + WEIGHTS["availability"]


def rank(need_or_offer, items: list[tuple[uuid.UUID, Need | Offer]], *, reverse: bool = False,
         limit: int = 10) -> list[Match]:
    """The best ``limit`` by score, ties by id; ``reverse`` scores postings (items) for an expert (the first argument)."""
    def pair(item):
        return (item, need_or_offer) if reverse else (need_or_offer, item)

    scored = sorted(((total(*pair(item)), str(item_id), item_id, item) for item_id, item in items),
                    key=lambda t: (-t[0], t[1]))[:limit]
    return [Match(item_id, *explain(*pair(item))) for _, _, item_id, item in scored]

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


def _share(required: tuple[str, ...], held: tuple[str, ...], noun: str) -> tuple[float, str]:
    if not required:
        return 1.0, f"the posting requires no {noun}"
    have = [r for r in required if r in set(held)]
    missing = [r for r in required if r not in set(held)]
    text = f"{len(have)} of {len(required)} {noun}"
    if have:
        text += f": has {', '.join(have)}"
    if missing:
        text += f"; lacks {', '.join(missing)}"
    return len(have) / len(required), text


def score(need: Need, offer: Offer) -> tuple[float, list[Part]]:
    """The score of ``offer`` for ``need`` and its explanation, part by part."""
    if offer.field == need.field:
        field_score, field_text = 1.0, f"same field ({need.field})"
    elif offer.focus_area == need.focus_area:
        field_score, field_text = SAME_FOCUS_AREA, f"field {offer.field}, same focus area ({need.focus_area})"
    else:
        field_score, field_text = 0.0, f"field {offer.field} is outside the focus area {need.focus_area}"
    skills_score, skills_text = _share(need.skills, offer.skills, "skills")
    languages_score, languages_text = _share(need.languages, offer.languages, "languages")
    if offer.available_from is None:
        avail_score, avail_text = UNSTATED_AVAILABILITY, "availability not stated"
    elif need.start is None or offer.available_from <= need.start:
        avail_score, avail_text = 1.0, f"available from {offer.available_from.isoformat()}, by the start"
    else:
        late = (offer.available_from - need.start).days
        avail_score = max(0.0, 1.0 - late / LATE_DAYS)
        avail_text = f"available {late} days after the start ({need.start.isoformat()})"
    parts = [
        Part(name, WEIGHTS[name], round(s, 4), round(WEIGHTS[name] * s, 4), text)
        for name, s, text in (("field", field_score, field_text), ("skills", skills_score, skills_text),
                              ("languages", languages_score, languages_text),
                              ("availability", avail_score, avail_text))
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
    matches = []
    for item_id, item in items:
        total, parts = score(item, need_or_offer) if reverse else score(need_or_offer, item)
        matches.append(Match(item_id, total, parts))
    matches.sort(key=lambda m: (-m.score, str(m.id)))
    return matches[:limit]

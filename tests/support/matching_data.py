"""A generated expert and posting population with planted pairs, for the matching tests and ``bench matching``.

Every planted posting asks for skills no one else has; its planted expert has exactly
those, in the same field, speaks its languages and is available by its start, so the pair
must rank first both ways. The rest is random, seeded, and realistic enough to compete:
same fields, shared skills, overlapping languages.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from services.directory.experts.domain import search_text
from services.directory.models import expert_tags, experts, postings
from services.directory.catalogue.taxonomy import FIELDS

LANGUAGES = ("en", "zh", "de", "fr", "es", "ja", "ko", "ru", "it", "pt")
SKILLS = tuple(f"skill-{n:03d}" for n in range(300))
COUNTRIES = ("DE", "FR", "US", "GB", "JP", "KR", "IT", "ES", "CA", "AU", "RU", "BR", "IN", "NL", "SE", "SG")


@dataclass
class Population:
    experts: list[dict]
    tags: list[dict]
    postings: list[dict]
    planted: list[tuple[uuid.UUID, uuid.UUID]]
    """(expert id, posting id)"""


def generate(n_experts: int, n_postings: int, n_planted: int, *, seed: int = 2013) -> Population:
    rnd = random.Random(seed)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    expert_rows, tag_rows, posting_rows, planted = [], [], [], []

    def expert(i: int, field, skills, languages, available_from, *, seeking: bool) -> dict:
        row = {
            "id": uuid.UUID(int=rnd.getrandbits(128), version=4), "name": f"Generated Expert {i}",
            "nationality": rnd.choice(COUNTRIES), "date_of_birth": date(1960 + i % 30, 1 + i % 12, 1 + i % 28),
            "focus_area": field.focus_area, "field": field.code, "status": "registered", "source": "registration",
            "headline": None, "bio": None, "skills": list(skills), "languages": list(languages),
            "employer_id": None, "employer_name": None, "application_id": None,
            "passport_number": f"G{i:08d}", "annual_salary": Decimal(300000 + i),
            "seeking": seeking, "available_from": available_from,
            "listed_at": now + timedelta(seconds=i), "updated_at": now,
        }
        row["search_text"] = search_text(name=row["name"], nationality=row["nationality"], field=field.code,
                                         focus_area=field.focus_area, skills=skills, languages=languages,
                                         headline=None, bio=None, employer_name=None)
        tag_rows.extend({"expert_id": row["id"], "kind": "skill", "value": s} for s in skills)
        tag_rows.extend({"expert_id": row["id"], "kind": "language", "value": lang} for lang in languages)
        expert_rows.append(row)
        return row

    def posting(i: int, field, skills, languages, start) -> dict:
        row = {
            "id": uuid.UUID(int=rnd.getrandbits(128), version=4), "employer_id": uuid.UUID(int=i + 1, version=4),
            "title": f"Generated posting {i}", "focus_area": field.focus_area, "field": field.code,
            "skills": list(skills), "languages": list(languages), "requirements": "generated",
            "term_start": start, "term_end": start + timedelta(days=3 * 365),
            "salary_min": Decimal(200000), "salary_max": Decimal(400000), "status": "open",
            "posted_at": now + timedelta(seconds=i), "posted_by": "generator", "closed_at": None,
        }
        posting_rows.append(row)
        return row

    for i in range(n_planted):
        field = rnd.choice(FIELDS)
        skills = [f"planted-{i}-{k}" for k in "abc"]
        languages = rnd.sample(LANGUAGES, 2)
        start = date(2025, 6, 1) + timedelta(days=rnd.randrange(180))
        p = posting(i, field, skills, languages, start)
        e = expert(i, field, skills, languages, start - timedelta(days=30), seeking=True)
        planted.append((e["id"], p["id"]))
    for i in range(n_planted, n_experts):
        expert(i, rnd.choice(FIELDS), rnd.sample(SKILLS, rnd.randint(3, 6)), rnd.sample(LANGUAGES, rnd.randint(1, 3)),
               date(2025, 1, 1) + timedelta(days=rnd.randrange(365)), seeking=rnd.random() < 0.7)
    for i in range(n_planted, n_postings):
        posting(i, rnd.choice(FIELDS), rnd.sample(SKILLS, rnd.randint(2, 5)), rnd.sample(LANGUAGES, rnd.randint(1, 2)),
                date(2025, 3, 1) + timedelta(days=rnd.randrange(365)))
    rnd.shuffle(expert_rows)
    return Population(expert_rows, tag_rows, posting_rows, planted)


async def load(db, population: Population, *, chunk: int = 2000) -> None:
    """Insert the population directly (the FTS triggers of SQLite still run)."""
    async with db.session() as session, session.begin():
        for table, rows in ((experts, population.experts), (expert_tags, population.tags),
                            (postings, population.postings)):
            for start in range(0, len(rows), chunk):
                await session.execute(sa.insert(table), rows[start:start + chunk])

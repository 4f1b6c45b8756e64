"""The expert database's rules that need no I/O: an expert's status, who reads which record and its restricted fields,
masking, search text (R-PLATFORM (1))."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from enum import StrEnum

from services.directory.catalogue.taxonomy import FIELDS_BY_CODE, FOCUS_AREAS_BY_CODE
from shared.auth import Principal, Role
from shared.errors import Forbidden


class ExpertStatus(StrEnum):
    # (No docstring: it would become the enum's description in the OpenAPI document.)
    selected = "selected"  # listed from ApplicationApproved: the committee selected the expert
    registered = "registered"  # entered by an officer


_TOKEN = re.compile(r"\w+", re.UNICODE)


def _as_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def reader_scope(principal: Principal | None) -> tuple[bool, uuid.UUID | None, uuid.UUID | None]:
    """Whose expert records ``principal`` may read: (all of them, this expert's own, this employer's experts).

    Officers read every record; an expert (token subject = expert id, shared/auth.py) their own; an employer
    those it has a live relation with: the experts whose record names it as their employer, which is the
    employer of the expert's current selection (``ApplicationApproved``) or the one an officer entered.
    Anyone else reads none, and is told 404 for one, as if it did not exist, so ids cannot be probed."""
    if principal is None:
        return False, None, None
    if principal.is_officer:
        return True, None, None
    expert = _as_id(principal.subject) if principal.has_any(Role.expert) else None
    employer = _as_id(principal.organisation) if principal.has_any(Role.employer) else None
    return False, expert, employer


def reads_record(principal: Principal | None, *, expert_id: uuid.UUID, employer_id: uuid.UUID | None) -> bool:
    """Whether ``principal`` may read this expert's record at all (``reader_scope``, for one record)."""
    everyone, expert, employer = reader_scope(principal)
    return everyone or (expert is not None and expert == expert_id) or (
        employer is not None and employer == employer_id)


def sees_restricted(principal: Principal | None, expert_id: uuid.UUID) -> bool:
    """Passport number and salary: officers (whose work needs them), and the expert about him- or herself;
    nobody else."""
    if principal is None:
        return False
    return principal.is_officer or principal.is_expert(expert_id)


def require_self_or_officer(principal: Principal, expert_id: uuid.UUID) -> None:
    """The expert him- or herself or a bureau officer; Forbidden for anyone else."""
    if principal.is_officer or principal.is_expert(expert_id):
        return
    raise Forbidden("only the expert him- or herself or a bureau officer may do this")


def mask_passport(number: str | None) -> str | None:
    """All but the last two characters hidden, the length kept to four stars whatever it was."""
    if not number:
        return None
    return "****" + number[-2:] if len(number) > 4 else "****"


def normalise_tags(values: Iterable[str]) -> list[str]:
    """Lower-case, trimmed, de-duplicated, in the order given."""
    seen: dict[str, None] = {}
    for value in values:
        tag = " ".join(value.strip().lower().split())
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def search_text(*, name: str, nationality: str, field: str, focus_area: str, skills: Iterable[str],
                languages: Iterable[str], headline: str | None, bio: str | None,
                employer_name: str | None) -> str:
    """What full-text search matches: names, the field in words, skills, languages, headline, biography."""
    known_field = FIELDS_BY_CODE.get(field)
    area = FOCUS_AREAS_BY_CODE.get(focus_area)
    parts = [name, nationality, field.replace("_", " "), known_field.name if known_field else "",
             area.name if area else "", " ".join(skills), " ".join(languages), headline or "", bio or "",
             employer_name or ""]
    return " ".join(p for p in parts if p)


def fts5_query(text: str) -> str | None:
    """A user's words as an SQLite FTS5 query: every word required, each quoted (no operator injection)."""
    words = _TOKEN.findall(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def tsquery_words(text: str) -> str | None:
    """The same words for PostgreSQL's plainto_tsquery (every word required)."""
    words = _TOKEN.findall(text)
    return " ".join(words) if words else None

"""Reads of the expert database (R-PLATFORM (1)): search with filters and full text, one expert, restricted-field
views; each read limited to the records the caller may see. Also the "benefits revoked since" column (R-SUPERVISE)
that matching and nominations read."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from services.directory.experts.domain import (
    fts5_query, mask_passport, reader_scope, reads_record, sees_restricted, tsquery_words,
)
from services.directory.experts.models import expert_breaches, expert_tags, experts
from services.directory.experts.schemas import ExpertPublic, ExpertRead
from shared.auth import Principal
from shared.errors import NotFound
from shared.passports import PassportVault
from shared.queries import Keyset, fetch_page, one_or_404

BY_LISTING = Keyset.oldest_first(experts.c.listed_at, experts.c.id)


def revoked_since_column():
    """R-SUPERVISE: the earliest breach date of expert-attributable breaches not withdrawn."""
    b = expert_breaches
    return (
        sa.select(sa.func.min(b.c.breach_date))
        .where(b.c.expert_id == experts.c.id, b.c.attributable_to == "expert",
               b.c.withdrawn_at.is_(None), b.c.breach_date.is_not(None))
        .scalar_subquery()
        .label("benefits_revoked_since")
    )


def full_text_condition(dialect: str, text: str):
    """PostgreSQL: the GIN-indexed tsvector; SQLite: the FTS5 table. Every word is required; None if no word."""
    if dialect == "postgresql":
        words = tsquery_words(text)
        if words is None:
            return None
        return sa.literal_column("experts.search_vector").op("@@")(sa.func.plainto_tsquery("simple", words))
    query = fts5_query(text)
    if query is None:
        return None
    matches = (
        sa.select(sa.literal_column("rowid")).select_from(sa.table("experts_fts"))
        .where(sa.text("experts_fts MATCH :fts").bindparams(fts=query))
    )
    return sa.literal_column("experts.rowid").in_(matches)


def _tagged(kind: str, value: str):
    return experts.c.id.in_(
        sa.select(expert_tags.c.expert_id).where(expert_tags.c.kind == kind, expert_tags.c.value == value)
    )


def expert_view(row, principal: Principal | None, vault: PassportVault | None) -> ExpertRead:
    """The record as ``principal`` may see it: the passport number opened for officers and the expert, masked
    for the others who may read the record (R-PLATFORM (1)); without a vault (public pages) none at all."""
    data = dict(row._mapping)
    allowed = sees_restricted(principal, data["id"])
    sealed = data.pop("passport_ciphertext"), data.pop("passport_key_version")
    data.pop("passport_hash")
    number = vault.open(sealed[1], sealed[0]) if vault is not None and sealed[0] is not None else None
    data["passport_number"] = number if allowed else mask_passport(number)
    if not allowed:
        data["annual_salary"] = None
    data["restricted_masked"] = not allowed
    return ExpertRead.model_validate(data)


def readable_condition(principal: Principal | None):
    """The experts ``principal`` may read (``experts.reader_scope``) as a WHERE condition; None: all of them."""
    everyone, expert, employer = reader_scope(principal)
    if everyone:
        return None
    conditions = []
    if expert is not None:
        conditions.append(experts.c.id == expert)
    if employer is not None:
        conditions.append(experts.c.employer_id == employer)
    return sa.or_(*conditions) if conditions else sa.false()


async def search_experts(
    session, *, principal: Principal | None, vault: PassportVault | None, q: str | None = None,
    field: str | None = None, focus_area: str | None = None, nationality: str | None = None,
    language: str | None = None, skill: str | None = None, status: str | None = None,
    benefits_revoked: bool | None = None, seeking: bool | None = None, cursor: str | None = None, limit: int = 50,
) -> tuple[list[ExpertRead], str | None]:
    """The expert records the caller may read, filtered: an officer all, an expert their own, an employer
    those it has a live relation with, anyone else none."""
    return await _search(
        session, principal=principal, vault=vault, scope=readable_condition(principal), q=q, field=field,
        focus_area=focus_area, nationality=nationality, language=language, skill=skill, status=status,
        benefits_revoked=benefits_revoked, seeking=seeking, cursor=cursor, limit=limit,
    )


async def _search(
    session, *, principal: Principal | None, vault: PassportVault | None, scope, q: str | None = None,
    field: str | None = None, focus_area: str | None = None, nationality: str | None = None,
    language: str | None = None, skill: str | None = None, status: str | None = None,
    benefits_revoked: bool | None = None, seeking: bool | None = None, cursor: str | None = None, limit: int = 50,
) -> tuple[list[ExpertRead], str | None]:
    revoked = revoked_since_column()
    query = sa.select(experts, revoked)
    conditions = [] if scope is None else [scope]
    if q:
        condition = full_text_condition(session.dialect.name, q)
        if condition is not None:
            conditions.append(condition)
    for column, value in ((experts.c.field, field), (experts.c.focus_area, focus_area),
                          (experts.c.nationality, nationality), (experts.c.status, status),
                          (experts.c.seeking, seeking)):
        if value is not None:
            conditions.append(column == value)
    if language:
        conditions.append(_tagged("language", language.lower()))
    if skill:
        conditions.append(_tagged("skill", " ".join(skill.lower().split())))
    if benefits_revoked is not None:
        conditions.append(revoked.is_not(None) if benefits_revoked else revoked.is_(None))
    if conditions:
        query = query.where(*conditions)
    rows, next_cursor = await fetch_page(session, query, BY_LISTING, cursor=cursor, limit=limit)
    return [expert_view(r, principal, vault) for r in rows], next_cursor


async def get_expert(session, expert_id: uuid.UUID, *, principal: Principal | None,
                     vault: PassportVault | None) -> ExpertRead:
    """One expert's record, for those who may read it (``experts.reads_record``); 404 for anyone else, whether
    or not the expert exists, so an id cannot be probed (as intake's applications)."""
    row = await one_or_404(session, sa.select(experts, revoked_since_column()).where(experts.c.id == expert_id),
                           f"no expert {expert_id}")
    if not reads_record(principal, expert_id=row.id, employer_id=row.employer_id):
        raise NotFound(f"no expert {expert_id}")
    return expert_view(row, principal, vault)


async def job_seekers(session, *, field: str | None, language: str | None, skill: str | None,
                      cursor: str | None, limit: int) -> tuple[list[ExpertPublic], str | None]:
    """The public job-seeking profiles (R-PLATFORM (2)): experts who said they seek work, benefits not revoked.
    Public by the expert's choice (``seeking``), and only the public fields: no passport number is opened."""
    items, next_cursor = await _search(
        session, principal=None, vault=None, scope=None, field=field, language=language, skill=skill,
        seeking=True, benefits_revoked=False, cursor=cursor, limit=limit,
    )
    return [ExpertPublic.model_validate(i.model_dump()) for i in items], next_cursor

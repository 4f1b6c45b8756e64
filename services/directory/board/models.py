"""Tables of the job board, on the directory's metadata (migration directory_0011): postings, matchmaking events
and their registrations."""

import sqlalchemy as sa

from services.directory.metadata import metadata
from shared.money import MoneyColumn

postings = sa.Table(
    "postings",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("employer_id", sa.Uuid, nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("focus_area", sa.String(60), nullable=False),
    sa.Column("field", sa.String(60), nullable=False),
    sa.Column("skills", sa.JSON, nullable=False),
    sa.Column("languages", sa.JSON, nullable=False),
    sa.Column("requirements", sa.Text, nullable=False),
    sa.Column("term_start", sa.Date, nullable=False),
    sa.Column("term_end", sa.Date, nullable=False),
    sa.Column("salary_min", MoneyColumn, nullable=False),
    sa.Column("salary_max", MoneyColumn, nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("posted_by", sa.String(200), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
)
"""Employers' demand (R-PLATFORM (2)): field, requirements, term and the salary range offered (public)."""

matchmaking_events = sa.Table(
    "matchmaking_events",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("field", sa.String(60)),
    sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("location", sa.String(200), nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
"""Project matchmaking events (R-PLATFORM (3)-(4))."""

event_registrations = sa.Table(
    "event_registrations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("event_id", sa.Uuid, sa.ForeignKey("matchmaking_events.id"), nullable=False),
    sa.Column("registrant_kind", sa.String(10), nullable=False),
    sa.Column("registrant_id", sa.String(200), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("event_id", "registrant_kind", "registrant_id", name="uq_event_registrant"),
)

# The indexes the migrations create, declared so the models and the migrations agree.
sa.Index("ix_postings_posted", postings.c.posted_at, postings.c.id)
sa.Index("ix_postings_status_field", postings.c.status, postings.c.field)
sa.Index("ix_postings_employer", postings.c.employer_id)
sa.Index("ix_matchmaking_events_starts", matchmaking_events.c.starts_at, matchmaking_events.c.id)

"""Tables of applications: the applications, their recommendations and history, the passport registry."""

import sqlalchemy as sa

from services.intake.metadata import metadata
from shared.money import MoneyColumn

passport_experts = sa.Table(
    "passport_experts",
    metadata,
    sa.Column("passport_hash", sa.String(64), primary_key=True),
    sa.Column("expert_id", sa.Uuid, nullable=False, index=True),
    sa.Column("first_employer_id", sa.Uuid, nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
)
"""One expert per passport number (its keyed hash): the first draft for a number registers its expert, with the
employer that drafted it; every later draft for the number, of any employer, takes that expert. The primary key
makes two simultaneous first drafts agree on one expert (one person, one id: the caps per expert and year)."""

applications = sa.Table(
    "applications",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("employer_id", sa.Uuid, nullable=False),
    sa.Column("state", sa.String(30), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("catalogue_entry_id", sa.Uuid, nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("candidate_name", sa.String(200), nullable=False),
    sa.Column("nationality", sa.String(2), nullable=False),
    sa.Column("passport_ciphertext", sa.LargeBinary, nullable=False),
    sa.Column("passport_key_version", sa.Integer, nullable=False),
    sa.Column("passport_hash", sa.String(64), nullable=False),
    sa.Column("date_of_birth", sa.Date, nullable=False),
    sa.Column("candidate_field", sa.String(200), nullable=False),
    sa.Column("achievements", sa.Text, nullable=False),
    sa.Column("current_post", sa.String(300), nullable=False),
    sa.Column("position", sa.String(300), nullable=False),
    sa.Column("contract_start", sa.Date, nullable=False),
    sa.Column("contract_end", sa.Date, nullable=False),
    sa.Column("annual_salary", MoneyColumn(), nullable=False),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("intent_date", sa.Date, nullable=False),
    sa.Column("preliminary_reviewer", sa.String(250)),
    sa.Column("submissions", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True)),
    sa.Column("decision", sa.JSON),
    sa.CheckConstraint("contract_end >= contract_start", name="ck_applications_contract"),
    sa.Index("ix_applications_position", "created_at", "id"),
    sa.Index("ix_applications_employer", "employer_id"),
    sa.Index("ix_applications_reviewer", "preliminary_reviewer"),
    sa.Index("ix_applications_passport_hash", "passport_hash"),
    sa.Index("ix_applications_expert", "expert_id", "created_at", "id"),
)
"""Applications (R-APPLY): the passport number only encrypted (AES-GCM) and as a keyed hash."""

recommendations = sa.Table(
    "recommendations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, sa.ForeignKey("applications.id"), nullable=False, index=True),
    sa.Column("recommender_name", sa.String(200), nullable=False),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("institution", sa.String(300), nullable=False),
    sa.Column("relation", sa.String(300), nullable=False),
    sa.Column("statement", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
"""Peer-expert recommendations (同行业专家推荐, R-APPLY)."""

application_history = sa.Table(
    "application_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("application_id", sa.Uuid, sa.ForeignKey("applications.id"), nullable=False, index=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("role", sa.String(50), nullable=False),
    sa.Column("organisation", sa.String(250)),
    sa.Column("action", sa.String(50), nullable=False),
    sa.Column("from_state", sa.String(30)),
    sa.Column("to_state", sa.String(30), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("detail", sa.JSON),
)
"""Every step of an application: who, when, what (append-only)."""

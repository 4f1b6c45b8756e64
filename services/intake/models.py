"""Tables of the intake service."""

import sqlalchemy as sa

from shared.money import MoneyColumn
from shared.tables import plumbing_tables

metadata = sa.MetaData()
plumbing = plumbing_tables(metadata)

employer_replica = sa.Table(
    "employer_replica",
    metadata,
    sa.Column("employer_id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("credit_code", sa.String(18), nullable=False),
    sa.Column("district", sa.String(30), nullable=False),
    sa.Column("competent_department", sa.String(200)),
    sa.Column("municipal_state_owned", sa.Boolean, nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("replicated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("source_event_id", sa.String(36), nullable=False),
)
"""Intake's local copy of the directory's employers, kept from EmployerRegistered."""

catalogue_replica = sa.Table(
    "catalogue_replica",
    metadata,
    sa.Column("entry_id", sa.Uuid, primary_key=True),
    sa.Column("edition_id", sa.Uuid, nullable=False),
    sa.Column("edition_title", sa.String(300)),
    sa.Column("focus_area", sa.String(50)),
    sa.Column("field", sa.String(50)),
    sa.Column("zone", sa.String(50)),
    sa.Column("number_sought", sa.Integer),
    sa.Column("valid_from", sa.Date),
    sa.Column("valid_until", sa.Date),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawal_reason", sa.Text),
)
"""Intake's copy of the catalogue (R-CATALOGUE), kept from CatalogueEntryPublished / CatalogueEntryWithdrawn;
a withdrawal that arrives first leaves a row with no publication yet."""

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

# Tables declared in their own modules on this one metadata, so Alembic (env.py targets this
# metadata) sees every table of the service. Imported at the bottom: those modules import ``metadata``.
from services.intake import entitlements, funding_plans, supervision  # noqa: E402,F401

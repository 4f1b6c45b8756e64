"""The green-channel case of an approved application (R-GREEN), which the other sub-domains read."""

import sqlalchemy as sa

from services.permits.metadata import metadata

green_channel_cases = sa.Table(
    "green_channel_cases",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, nullable=False, unique=True),
    sa.Column("decision_id", sa.Uuid, nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    sa.Column("employer_id", sa.Uuid, nullable=False),
    sa.Column("track", sa.String(40), nullable=False),
    sa.Column("contract_start", sa.Date, nullable=False),
    sa.Column("contract_end", sa.Date, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sla_working_days", sa.Integer, nullable=False),
    sa.Column("due_by", sa.Date, nullable=False),
    # When both of the expert's work documents were issued: the SLA clock stops (R-GREEN).
    sa.Column("documents_issued_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_at", sa.DateTime(timezone=True)),
    sa.Column("revoked_by_breach_id", sa.Uuid),
    sa.Column("source_event_id", sa.String(64), nullable=False),
    sa.Index("ix_green_channel_cases_opened", "opened_at", "id"),
    sa.Index("ix_green_channel_cases_expert", "expert_id"),
)

"""Tables of the permits service."""

import sqlalchemy as sa

from shared.tables import plumbing_tables

metadata = sa.MetaData()
plumbing = plumbing_tables(metadata)

webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("event_types", sa.JSON, nullable=False),
    sa.Column("description", sa.String(500)),
    sa.Column("secret", sa.String(100), nullable=False),
    sa.Column("previous_secret", sa.String(100)),
    # During a rotation deliveries are signed with both secrets until this moment.
    sa.Column("previous_secret_until", sa.DateTime(timezone=True)),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("disabled_reason", sa.String(500)),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_webhook_subscriptions_created", "created_at", "id"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("webhook_id", sa.String(64), nullable=False, unique=True),
    sa.Column("subscription_id", sa.Uuid, sa.ForeignKey("webhook_subscriptions.id"), nullable=False),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("last_attempt_at", sa.DateTime(timezone=True)),
    sa.Column("last_status_code", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("delivered_at", sa.DateTime(timezone=True)),
    sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    sa.Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),
)

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

permit_applications = sa.Table(
    "permit_applications",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("green_channel_cases.id"), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("holder", sa.String(20), nullable=False),
    # The same id for every application of one dependant (renewals included); None for the expert.
    sa.Column("dependant_id", sa.Uuid),
    sa.Column("dependant_name", sa.String(200)),
    sa.Column("date_of_birth", sa.Date),
    sa.Column("entry_visa", sa.String(4)),
    sa.Column("application_date", sa.Date, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=False),
    sa.Column("turns_adult_on", sa.Date),
    sa.Column("turns_adult_within_validity", sa.Boolean, nullable=False),
    sa.Column("renews_id", sa.Uuid, sa.ForeignKey("permit_applications.id")),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("permit_number", sa.String(100)),
    sa.Column("refusal_reason", sa.String(1000)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True)),
    sa.Column("issued_at", sa.DateTime(timezone=True)),
    sa.Column("refused_at", sa.DateTime(timezone=True)),
    sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Index("ix_permit_applications_case", "case_id", "created_at"),
    sa.Index("ix_permit_applications_expiry", "status", "valid_until"),
)

permit_reminders = sa.Table(
    "permit_reminders",
    metadata,
    sa.Column("permit_application_id", sa.Uuid, sa.ForeignKey("permit_applications.id"), primary_key=True),
    sa.Column("days_ahead", sa.Integer, primary_key=True),
    sa.Column("sent_on", sa.Date, nullable=False),
)
"""One expiry reminder per permit and threshold (the job is idempotent)."""

breaches = sa.Table(
    "breaches",
    metadata,
    sa.Column("breach_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, nullable=False),
    sa.Column("expert_id", sa.Uuid, nullable=False),
    # None until the ContractBreached itself arrives (its withdrawal may come first).
    sa.Column("attributable_to", sa.String(20)),
    sa.Column("breach_date", sa.Date),
    sa.Column("withdrawn", sa.Boolean, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_breaches_application", "application_id"),
)
"""Breaches as permits heard of them, so one arriving before its approval still applies."""

school_placements = sa.Table(
    "school_placements",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("case_id", sa.Uuid, sa.ForeignKey("green_channel_cases.id"), nullable=False),
    sa.Column("child_name", sa.String(200), nullable=False),
    sa.Column("date_of_birth", sa.Date, nullable=False),
    sa.Column("preferred_school_type", sa.String(40), nullable=False),
    sa.Column("preferred_district", sa.String(40)),
    sa.Column("grade", sa.String(40)),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("school_name", sa.String(300)),
    sa.Column("school_type", sa.String(40)),
    sa.Column("note", sa.String(1000)),
    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("requested_by", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_school_placements_case", "case_id", "requested_at"),
)

webhook_delivery_attempts = sa.Table(
    "webhook_delivery_attempts",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("delivery_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"),
              sa.ForeignKey("webhook_deliveries.id"), nullable=False),
    sa.Column("subscription_id", sa.Uuid, sa.ForeignKey("webhook_subscriptions.id"), nullable=False),
    sa.Column("webhook_id", sa.String(64), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status_code", sa.Integer),
    sa.Column("error", sa.Text),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Index("ix_webhook_delivery_attempts_subscription", "subscription_id", "id"),
    sa.Index("ix_webhook_delivery_attempts_delivery", "delivery_id", "id"),
)
"""Every attempt of every delivery: the per-attempt log an officer reads per subscription."""

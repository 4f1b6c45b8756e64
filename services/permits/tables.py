"""The permits service's one metadata, and the tables several sub-domains share: the green-channel case and
its permit applications (cases, applications, reminders, revocation and schools read or write them).

Each sub-domain declares its own tables on this metadata in its ``models.py``; ``services.permits.models``
imports them all for Alembic. The metadata lives here, in a module that imports nothing of the service, so
that a sub-domain's tables and the service's ``models.py`` can be imported in any order."""

import sqlalchemy as sa

metadata = sa.MetaData()


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

"""Permit applications filed on a green-channel case (R-PERMIT)."""

import sqlalchemy as sa

from services.permits.metadata import metadata

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

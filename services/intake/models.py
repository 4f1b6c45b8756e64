"""Tables of the intake service."""

import sqlalchemy as sa

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

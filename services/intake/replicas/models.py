"""Intake's replicas of the directory: its employers and its catalogue entries."""

import sqlalchemy as sa

from services.intake.metadata import metadata

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

"""The entitlements subsidy opened, per application (intake_0008)."""

import sqlalchemy as sa

from services.intake.metadata import metadata

application_entitlements = sa.Table(
    "application_entitlements",
    metadata,
    sa.Column("entitlement_id", sa.Uuid, primary_key=True),
    sa.Column("application_id", sa.Uuid, nullable=False, index=True),
    sa.Column("track", sa.String(30), nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
)
"""One row per entitlement subsidy opened for an application."""
